"""Which reader fits an input, decided from its first bytes (decompressed) and, as a tie-breaker
only, its name. Pure: no I/O.

Rules, in order (``head`` is up to the first 64 KiB, UTF-8 BOM and leading whitespace ignored):

0. (PDF and tar archives are recognised by magic bytes before this: ``documents.binary_kind``.)
1. an HTML document (``<!DOCTYPE html``, ``<html``, or XHTML: ``<?xml`` then ``<html``/
   ``<!DOCTYPE html``; a leading comment allowed) -> ``html``.
2. ``<?xml`` or ``<feed`` -> ``atom`` (the Atom reader rejects other XML with a clear message);
   a first line that is a whole JSON object with ``id`` and a key only the arXiv metadata
   snapshot has (``versions``, ``authors_parsed``, ``update_date``) -> ``snapshot`` (a first
   line longer than ``head``: one starting ``{"id": "`` and naming one of those keys).
3. ``[`` or ``{`` followed by something JSON can start with, unless a complete JSON value is
   followed by non-JSON text (``[1] Introduction``) -> JSON-ish:
   - the whole input is in ``head`` and parses: an array whose first element is a listing item
     (``{"paper": {...}}``, a ``"{'paper': ..."`` repr string, or a paper object with HF-only
     keys such as ``publishedAt``/``githubRepo``), or an object that is such an item or a
     ``{"data": [items]}`` wrapper -> ``hf_daily``; any other parsed value -> ``json``;
   - the first line is a complete JSON object and the next non-blank line starts with ``{``
     -> ``jsonl``;
   - otherwise peek: ``[`` whose first element parses and is a listing item, or ``{`` starting
     ``{"status"``/``{"paper"`` -> ``hf_daily``; ``{`` with a first line longer than ``head``
     (one huge record) -> ``jsonl`` unless the name ends in ``.json``; else ``json``.
4. a listing page header ("Daily Papers" + "byAK and the research community") or a ``·`` line
   followed by a date line -> ``listing``; LaTeX (``\\documentclass`` or ``\begin{document}``
   in ``head``, after the JSON rules so an abstract quoting it stays JSON) -> ``latex``.
5. the first line is a CSV header (``,``/tab/``;``) naming an id, title or url column -> ``csv``.
6. the name ends in ``.csv``/``.tsv`` (``.gz`` ignored) -> ``csv`` (whose reader then reports the
   missing id/title column); ``.json``/``.jsonl``/``.ndjson`` likewise; else ``text``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from harvester.sources.files import hf_daily, listing, records, snapshot

SNIFF_BYTES = 64 * 1024
_JSON_START = re.compile(r"""[\[{]\s*(?:["{\[\]}\-\d]|true\b|false\b|null\b)""")
_SNAPSHOT_START = re.compile(r'\{\s*"id"\s*:\s*"')
_HF_OBJECT = re.compile(r"""\{\s*"(?:status|paper)"\s*:""")
_HTML = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_LATEX = re.compile(r"\\documentclass\b|\\begin\{document\}")


def detect(head: bytes, name: str | None = None) -> str:
    """The format name (one of ``harvester.sources.FORMATS``) for an input starting with head."""
    complete = len(head) < SNIFF_BYTES
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not complete:  # the last character may be a multi-byte sequence cut in half
        text = text[:-1]
    suffix = _suffix(name)
    if _HTML.match(text[:4096]):
        return "html"
    if text.startswith(("<?xml", "<feed")):
        return "atom"
    if text.startswith("{") and _is_snapshot_line(text, complete=complete):
        return "snapshot"
    if _JSON_START.match(text) and _json_like(text):
        return _json_kind(text, complete=complete, suffix=suffix)
    if listing.is_listing(text):
        return "listing"
    if _LATEX.search(text):
        return "latex"
    first_line, _, _ = text.partition("\n")
    if ("\n" in text or complete) and records.csv_delimiter(first_line) is not None:
        return "csv"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "jsonl" if suffix != ".json" else "json"
    return "text"


def _json_kind(text: str, *, complete: bool, suffix: str) -> str:
    if complete:
        try:
            return _classify(json.loads(text))
        except (ValueError, RecursionError):
            pass
    first, newline, rest = text.partition("\n")
    if newline and _is_object(first):
        following = rest.lstrip()
        if following.startswith("{") or (not following and suffix != ".json"):
            return "jsonl"
    if text.startswith("["):
        try:
            element, _ = json.JSONDecoder().raw_decode(text[1:].lstrip())
        except (ValueError, RecursionError):
            element = None
        return "hf_daily" if hf_daily.looks_like_hf(element) else "json"
    if _HF_OBJECT.match(text):
        return "hf_daily"
    if not newline and not complete and suffix != ".json":
        return "jsonl"
    return "jsonl" if suffix in (".jsonl", ".ndjson") else "json"


def _json_like(text: str) -> bool:
    """False for text that merely starts like JSON (``[1] Introduction``, ``[ ] todo``)."""
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return True  # JSON that is truncated (head) or broken: let the JSON reader report it
    rest = text[end:].lstrip()
    return not rest or rest[0] in "[{"


def _classify(value: Any) -> str:
    if isinstance(value, list):
        return "hf_daily" if value and hf_daily.looks_like_hf(value[0]) else "json"
    if isinstance(value, dict):
        data = value.get("data")
        if hf_daily.looks_like_hf(value) or (
            isinstance(data, list) and data and hf_daily.looks_like_hf(data[0])
        ):
            return "hf_daily"
    return "json"


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _is_snapshot_line(text: str, *, complete: bool) -> bool:
    line, newline, _ = text.partition("\n")
    if not newline and not complete:  # one line longer than head (a huge author list)
        return bool(_SNAPSHOT_START.match(line)) and any(
            f'"{key}":' in line for key in snapshot.SNAPSHOT_KEYS
        )
    try:
        return snapshot.looks_like_snapshot(json.loads(line))
    except (ValueError, RecursionError):
        return False


def _suffix(name: str | None) -> str:
    if not name:
        return ""
    lower = name.lower().removesuffix(".gz")
    dot = lower.rfind(".")
    return lower[dot:] if dot > lower.rfind("/") else ""
