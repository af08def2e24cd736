"""The arXiv metadata snapshot (Kaggle's ``arxiv-metadata-oai-snapshot.json``): JSONL, one paper
a line, read as a format of its own because it is large (~2.7M lines, ~4.5 GB) and regular.

Fields of a line and what they become (``source = "arxiv_snapshot"``):

=================  ==========================================================================
``id``             ``paper_id`` (``0704.0001``, ``hep-th/9901001``; versions folded), and
                   ``url`` = ``https://arxiv.org/abs/<id>``
``title``          ``title``, hard line breaks collapsed (the snapshot keeps arXiv's wrapping)
``abstract``       ``abstract``, collapsed likewise
``comments``       ``comment``, collapsed
``versions``       ``published_at`` = the date of the first version's ``created``
                   (RFC 2822, ``Mon, 2 Apr 2007 19:18:42 GMT``, a UTC day)
``authors_parsed`` ``authors`` as ``Forenames Keyname Suffix``; without it, the ``authors``
                   string split on commas and ``and``
``categories``     ``categories`` (space separated; the first is the primary category)
``doi``            ``doi``; ``journal-ref`` -> ``journal_ref``; ``license`` -> ``license``
=================  ==========================================================================

``update_date``, ``submitter`` and ``report-no`` are not kept. A line whose ``id`` is not an
arXiv id gets the common rule (``ids.choose_paper_id``: title hash, else ``snapshot:<id>``).

Speed: this is the path of the largest input people feed the tool, so it reads bytes lines and
decodes the usual one with the C scanner ``json.loads`` ends in (``_scanned``; anything
unusual goes to ``json.loads`` itself), touches only the fields it keeps, collapses title,
abstract and comment with one test of the three joined (``hf_daily.collapse`` field by field
when that fails), and builds the Paper with ``models.new_paper`` (the frozen dataclass's own
constructor cost ~7 us a line), or ``new_paper_no_repair`` when the line provably holds no lone
surrogate (new-style id, ASCII texts, the other fields ASCII or encoding as UTF-8). Bad lines
(not JSON, not an object, a field of the wrong type) are InputErrors naming the line.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import json.scanner
from collections.abc import Iterable, Iterator
from typing import Any

from harvester.errors import InputError
from harvester.models import Paper, new_paper, new_paper_no_repair
from harvester.sources.files.hf_daily import collapse, json_type, odd_space
from harvester.sources.ids import NEW_STYLE_DIGITS, choose_paper_id, normalize_arxiv_id

SOURCE = "arxiv_snapshot"
ABS_URL = "https://arxiv.org/abs/"
# Keys that only the snapshot has, next to ``id``: how ``detect`` recognises a line.
SNAPSHOT_KEYS = frozenset({"versions", "authors_parsed", "update_date"})
_MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"), 1)}  # fmt: skip


def looks_like_snapshot(value: Any) -> bool:
    """True for a snapshot record: an object with ``id`` and a snapshot-only key."""
    return isinstance(value, dict) and "id" in value and not SNAPSHOT_KEYS.isdisjoint(value)


def read_lines(lines: Iterable[bytes], where: str = "") -> Iterator[Paper]:
    """Papers of snapshot lines (bytes, as read from the file)."""
    offset = 0
    number = 0
    scanned = _scanned
    paper = _paper
    for line in lines:
        number += 1
        value = scanned(line)
        if value is _UNUSUAL:
            value = _unusual(line, number, offset, where)
            if value is _BLANK:
                offset += len(line)
                continue
        offset += len(line)
        try:
            yield paper(value)
        except (AttributeError, TypeError, ValueError, KeyError, IndexError):
            raise InputError(f"line {number}: {_problem(value)}") from None


_BLANK = object()


def _unusual(line: bytes, number: int, offset: int, where: str) -> Any:
    """``json.loads(line)`` for a line the C scanner did not take whole; bad lines are
    InputErrors naming the line, a blank line is ``_BLANK``."""
    try:
        return json.loads(line)
    except UnicodeDecodeError as e:
        raise InputError(
            f"invalid UTF-8 at byte offset {offset + e.start}{where} (line {number})"
        ) from None
    except json.JSONDecodeError as e:
        if not line.strip():
            return _BLANK
        raise InputError(f"line {number}, column {e.pos + 1}: invalid JSON: {e.msg}") from None
    except RecursionError:
        raise InputError(f"line {number}: JSON nested too deeply") from None


# (typeshed wants a scanner-shaped context; a JSONDecoder is the one json.loads gives it)
_SCAN = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


_UNUSUAL = object()


def _scanned(line: bytes) -> Any:
    """The usual line's value (UTF-8, one JSON value, nothing after it but JSON whitespace)
    straight from the C scanner that ``json.loads`` ends in, skipping ``loads``' encoding
    detection and its Python layers (about 2 us a line); ``_UNUSUAL`` for anything else (a BOM,
    UTF-16, bad bytes or JSON, a blank line, trailing data), which ``json.loads`` itself must
    answer, so that every answer and every error is exactly ``json.loads``'s."""
    try:
        text = line.decode("utf-8", "surrogatepass")  # what loads does with UTF-8 bytes
        value, end = _SCAN(text, 0)
    except (ValueError, StopIteration, RecursionError):
        return _UNUSUAL
    if end != len(text) and text[end:].strip(" \t\n\r"):  # JSON's whitespace, nothing else
        return _UNUSUAL
    return value


def _loads(line: bytes) -> Any:
    """``json.loads(line)`` through ``_scanned``: what ``read_lines`` decodes a line with."""
    value = _scanned(line)
    return json.loads(line) if value is _UNUSUAL else value


def _paper(obj: dict[str, Any]) -> Paper:
    get = obj.get
    raw_id: Any = get("id")
    arxiv_id: str | None
    title = get("title")
    abstract = get("abstract")
    comment = get("comments")
    # ``collapse`` of the three at once, for the usual ASCII text wrapped with single line breaks:
    # one test of them joined (a NUL between: no run of spaces or other whitespace across them)
    # instead of a dozen per field; anything else takes ``collapse`` itself, field by field.
    t = title.replace("\n", " ").strip() if title else ""
    a = abstract.replace("\n", " ").strip() if abstract else ""
    c = comment.replace("\n", " ").strip() if comment else ""
    joined = f"{t}\0{a}\0{c}"
    plain = joined.isascii() and "  " not in joined and not odd_space(joined)
    if plain:
        title, abstract, comment = t or None, a or None, c or None
    else:
        title = collapse(title) or None if title else None
        abstract = collapse(abstract) or None if abstract else None
        comment = collapse(comment) or None if comment else None
    # the usual id, a bare new-style one, checked inline (``normalize_arxiv_id``'s fast path)
    if (
        raw_id.__class__ is str
        and len(raw_id) - 5 == NEW_STYLE_DIGITS.get(raw_id[:4])
        and raw_id[4] == "."
        and raw_id.isascii()
        and raw_id[5:].isdigit()
    ):
        paper_id = arxiv_id = raw_id
    else:
        paper_id, arxiv_id = _other_id(raw_id, title)
        plain = False
    versions = get("versions")
    if versions:
        created = versions[0]["created"]
        published = _DAYS.get(created[:16]) if created[-4:] == " GMT" else None
        if published is None:
            published = _created(created)
    else:
        published = None
    cats = get("categories")
    categories = tuple(cats.split()) if cats else ()
    parsed = get("authors_parsed")
    if parsed:  # [keyname, forenames, suffix]; a collaboration has empty forenames
        authors = tuple(
            [
                (f"{a[1]} {a[0]}" if a[1] else a[0]) + (f" {a[2]}" if len(a) > 2 and a[2] else "")
                for a in parsed
            ]
        )
    else:
        authors = _authors(get("authors"))
    doi = get("doi")
    doi = doi.strip() or None if doi else None
    journal_ref = get("journal-ref")
    journal_ref = journal_ref.strip() or None if journal_ref else None
    license_ = get("license")
    license_ = license_.strip() or None if license_ else None
    # No lone surrogate to repair (models._repair_text) when every text is ASCII or encodes:
    # the id, url and three texts are ASCII on the usual path, the rest is checked here at once.
    rest = f"{''.join(authors)}{cats}{doi}{journal_ref}{license_}"
    make = new_paper_no_repair if plain and (rest.isascii() or _encodes(rest)) else new_paper
    return make(
        paper_id,
        SOURCE,
        title,
        abstract,
        comment,
        None,
        published,
        ABS_URL + arxiv_id if arxiv_id else None,
        None,
        None,
        None,
        None,
        None,
        None,
        authors,
        categories,
        categories[0] if categories else None,
        doi,
        journal_ref,
        license_,
    )


def _encodes(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate (encodes as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _other_id(raw_id: Any, title: str | None) -> tuple[str, str | None]:
    """``(paper_id, arxiv_id)`` for an id that is not a bare new-style arXiv id."""
    arxiv_id = normalize_arxiv_id(raw_id) if raw_id else None
    if arxiv_id is not None:
        return arxiv_id, arxiv_id
    paper_id = choose_paper_id(None, title, raw_id.strip() if raw_id else None, "snapshot")
    if paper_id is None:
        raise ValueError("no id")
    return paper_id, None


def _created(value: str) -> dt.date:
    """The UTC day of an RFC 2822 date (``Mon, 2 Apr 2007 19:18:42 GMT``).

    Days repeat (arXiv has ~13,000 of them), so the usual spelling is looked up by its first 16
    characters, which hold the whole date (``Mon, 2 Apr 2007 `` / ``Mon, 12 Apr 2007``)."""
    if not value.endswith(" GMT"):
        return _parse_created(value)
    key = value[:16]
    day = _DAYS.get(key)
    if day is None:
        day = _parse_created(value)
        if len(_DAYS) < _DAYS_MAX:
            _DAYS[key] = day
    return day


_DAYS: dict[str, dt.date] = {}
_DAYS_MAX = 50_000


def _parse_created(value: str) -> dt.date:
    parts = value.split(" ", 4)
    month = _MONTHS.get(parts[2]) if len(parts) > 3 else None
    if month is not None and parts[0].endswith(",") and value.endswith(" GMT"):
        return dt.date(int(parts[3]), month, int(parts[1]))
    parsed = email.utils.parsedate_to_datetime(value)  # other spellings; ValueError if none
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC)
    return parsed.date()


def _authors(text: str | None) -> tuple[str, ...]:
    """The ``authors`` string (no ``authors_parsed``), split on commas and ``and``."""
    if not text:
        return ()
    names = collapse(text).replace(" and ", ", ").split(",")
    return tuple(name.strip() for name in names if name.strip())


def _problem(value: Any) -> str:
    """Why ``value`` is not a snapshot record, in one line (the slow path of errors)."""
    if not isinstance(value, dict):
        return f"expected a paper object, got {json_type(value)}"
    for key in ("id", "title", "abstract", "comments", "categories", "doi", "journal-ref",
                "license", "authors"):  # fmt: skip
        if value.get(key) is not None and not isinstance(value[key], str):
            return f"{key} must be a string, got {json_type(value[key])}"
    versions = value.get("versions")
    if versions is not None and not (
        isinstance(versions, list)
        and all(isinstance(v, dict) and isinstance(v.get("created"), str) for v in versions)
    ):
        return 'versions must be a list of {"version", "created"} objects'
    if versions:
        try:
            _created(versions[0]["created"])
        except (ValueError, TypeError, IndexError):
            return f"versions[0].created is not an RFC 2822 date: {versions[0]['created']!r:.60}"
    parsed = value.get("authors_parsed")
    if parsed is not None and not (
        isinstance(parsed, list)
        and all(
            isinstance(a, list) and len(a) >= 2 and all(isinstance(p, str) for p in a)
            for a in parsed
        )
    ):
        return "authors_parsed must be a list of [keyname, forenames, suffix] lists"
    if not (value.get("id") or value.get("title")):
        return "record has no id and no title"
    return "not an arXiv snapshot record"
