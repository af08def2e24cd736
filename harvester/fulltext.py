"""Repository links in full texts and pages, each with where it sits (locus) and what it says
around it (context). Pure: no I/O; built on ``links.find_links``.

A reader (``sources/files/pdf.py``, ``html.py``, ``latex.py``) cuts its document into ``Block``s
(running text with a locus) and ``Anchor``s (a link target with its label: anchor text, icon
names, the words just before it), and ``locate`` turns them into ``Mention``s:

* text blocks: only sentences that contain ``github.`` are read (the same cheap prefilter as
  ``find_links``); the context is that sentence, whitespace collapsed, cut to ``CONTEXT_CHARS``
  around the link;
* anchors: the link is read from the target, the context is the label;
* one mention per (repository, kind, locus), the first one found (text before anchors).

PDF text needs repair first (``unwrap``): line ends hyphenated by TeX (pdfium marks them with
U+FFFE) are joined, ligatures are unfolded (NFKC), and a line break is removed only where it
splits a URL: inside the host (``https://gi⏎thub.com/...``) or after a ``-``/``_`` in the path.
Every other line break stays, so the word on the next line is never glued onto a repository
name (``.../Diffulex⏎Correspondence``); a break right after a ``/`` is read by ``find_links``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from harvester.links import find_links
from harvester.models import Kind, Mention

CONTEXT_CHARS = 200
LOCI_PAPER = ("title", "abstract", "first_page", "body", "references")
LOCI_PAGE = ("code_link", "body")

# A label (anchor text, icon class, title attribute, the words before it) that says "code here".
CODE_WORDS = re.compile(r"(?<![a-z])(?:code|github|git|repo|repository|source)(?![a-z])", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n[ \t]*\n")
_SPACES = re.compile(r"\s+")
_URL_START = re.compile(r"\S*$")  # the scheme/host part of the link before the repo name
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff]")  # controls, icon-font glyphs
_HOSTS = ("github.com", "github.io")
_URL_CHARS = re.compile(r"[A-Za-z0-9._~%/:#?=&+@-]+")


@dataclass(frozen=True, slots=True)
class Block:
    """Running text at one locus."""

    locus: str
    text: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """A link target (``href``, a PDF link annotation's URI) and the words that label it."""

    locus: str
    href: str
    label: str


def locate(
    paper_id: str, source_field: str, blocks: Iterable[Block], anchors: Iterable[Anchor] = ()
) -> tuple[Mention, ...]:
    """The mentions in ``blocks`` then ``anchors``, one per (repository, kind, locus)."""
    found: dict[tuple[str, Kind, str], Mention] = {}

    def add(locus: str, url: str, repo: str, kind: Kind, context: str) -> None:
        key = (repo.lower(), kind, locus)
        if key not in found:
            found[key] = Mention(paper_id, repo, source_field, url, kind, locus, context)

    for block in blocks:
        for sentence in _sentences_with_links(block.text):
            for link in find_links(sentence):
                add(block.locus, link.url, link.repo, link.kind, context_of(sentence, link.repo))
    in_text = len(found)
    for anchor in anchors:
        href = "".join(anchor.href.split())
        for link in find_links(href)[:1]:  # one target, one link
            add(anchor.locus, link.url, link.repo, link.kind, clip(anchor.label))
    mentions = list(found.values())
    # A name cut short in the text ('.../stanford alpaca') that a link annotation spells whole.
    targets = {m.repo_name for m in mentions[in_text:]}
    return tuple(
        m
        for i, m in enumerate(mentions)
        if i >= in_text or not any(t != m.repo_name and t.startswith(m.repo_name) for t in targets)
    )


def _sentences_with_links(text: str) -> Iterable[str]:
    lower = text.lower()
    pos = lower.find("github.")
    boundary = 0  # a known sentence start at or before pos: scans never overlap (linear)
    while pos >= 0:
        start = _sentence_start(text, max(boundary, pos - 400), pos)
        m = _SENTENCE_END.search(text, pos)
        end = m.start() if m else len(text)
        yield text[start:end]
        boundary = m.end() if m else len(text)
        pos = lower.find("github.", max(boundary, pos + 7))


def _sentence_start(text: str, floor: int, pos: int) -> int:
    start = floor
    for m in _SENTENCE_END.finditer(text, floor, pos):
        start = m.end()
    return start


def context_of(sentence: str, repo: str) -> str:
    """The words around ``repo`` in ``sentence``, whitespace collapsed, at most ``CONTEXT_CHARS``:
    the whole sentence when short, else the line holding the link (a PDF's "Code: https://..."
    line), with the line before when the link opens its line, cut around the link."""
    if len(sentence) > CONTEXT_CHARS:
        lower = sentence.lower()
        at = lower.find(repo.lower())
        if at < 0:
            at = max(lower.find(repo.lower().rpartition("/")[2]), 0)
        start = sentence.rfind("\n", 0, at) + 1
        end = sentence.find("\n", at)
        end = len(sentence) if end < 0 else end
        line_start = sentence.rfind("\n", 0, at) + 1
        if start > 0 and not _URL_START.sub("", sentence[line_start:at]).strip():
            start = sentence.rfind("\n", 0, start - 1) + 1  # "available at⏎https://..."
        sentence = sentence[start:end]
    flat = _SPACES.sub(" ", _JUNK.sub(" ", sentence)).strip()
    if len(flat) <= CONTEXT_CHARS:
        return flat
    lower = flat.lower()
    at = lower.find(repo.lower())
    if at < 0:
        at = max(lower.find(repo.lower().rpartition("/")[2]), 0)
    cut = max(0, min(at - CONTEXT_CHARS // 2, len(flat) - CONTEXT_CHARS))
    return flat[cut : cut + CONTEXT_CHARS].strip()


def clip(label: str) -> str:
    """A label with whitespace collapsed, at most ``CONTEXT_CHARS`` characters."""
    return _SPACES.sub(" ", label).strip()[:CONTEXT_CHARS]


def says_code(label: str) -> bool:
    """True when a label says Code / GitHub / Repository / Source."""
    return CODE_WORDS.search(label) is not None


def unwrap(text: str) -> str:
    """PDF text with hyphenated line ends joined, ligatures unfolded and split URLs rejoined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad\n", "\ufffe")
    text = unicodedata.normalize("NFKC", text)
    if "\n" in text:
        lines = text.split("\n")
        out: list[str] = [lines[0]]
        for line in lines[1:]:
            prev = out[-1]
            if prev.endswith("\ufffe") or (prev and line and _splits_url(prev, line)):
                out[-1] = prev + line.lstrip()
            else:
                out.append(line)
        text = "\n".join(out)
    return _soft_hyphens(text) if "\ufffe" in text else text


def _soft_hyphens(text: str) -> str:
    """pdfium marks a hyphen that ends a line as U+FFFE (and drops the break): inside a URL it is
    a real one (TeX's \\url breaks lines without adding hyphens), elsewhere TeX's hyphenation."""
    parts = text.split("\ufffe")
    out = [parts[0]]
    for part in parts[1:]:
        before = "".join(out[-3:])[-300:]
        tail = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
        out.append(("-" if "github.com/" in tail or "github.io/" in tail else "") + part)
    return "".join(out)


def _splits_url(prev: str, line: str) -> bool:
    """True when the break between ``prev`` and ``line`` falls inside a URL."""
    tail = prev.rsplit(None, 1)[-1] if not prev[-1].isspace() else ""
    head_match = _URL_CHARS.match(line.lstrip())
    if not tail or head_match is None:
        return False
    head = head_match.group()
    joined = (tail[-12:] + head[:12]).lower()
    cut = min(len(tail), 12)
    for host in _HOSTS:
        i = joined.find(host)
        if 0 <= i < cut < i + len(host):  # the host itself is split: 'https://gi' + 'thub.com/'
            return True
    low = tail.lower()
    return tail[-1] in "-_" and ("github.com/" in low or "github.io" in low)
