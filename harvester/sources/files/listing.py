"""The text of a Hugging Face Daily Papers listing page, as copied from a browser.

Layout (blocks are separated by blank lines)::

    new / Get trending papers in your email inbox! / Subscribe / Daily Papers /
    byAK and the research community / Apr 16            <- page header, skipped
    <title>
    <abstract paragraph>
      • 6 authors          (or an organisation line: "ibm-research IBM Research")
    ·
    Mar 24, 2025           (or "Mar 16" in the current year; an upvote count may follow:
                            "Oct 6, 2025 2", "Jan 5 3")

The three trailer lines are sometimes missing (a paper followed directly by the next title). The
blocks between two trailers are split into papers: the first block is a title, the next ones its
abstract, and a later single-line block (no URL, not ending in ".", at most 300 characters) that
is followed by another block starts the next paper. Multi-paragraph abstracts are joined with a
space.

Mapping: ``title``; ``abstract``; ``organization`` = the organisation line without its leading
slug (``IBM Research``); ``published_at`` = the trailer date; ``upvotes`` = the count after the
date (None when the page shows none). ``paper_id = title_id(title)`` — an arXiv id mentioned in an
abstract is usually *another* paper's (prior work, a baseline), so it is not used as this paper's
id. ``source = "listing"``.

Yearless dates: the page omits the year for dates in the year it was captured, so that year is
after every explicit year on the page: ``max(explicit years) + 1``, capped at today's year, or
today's year when the page shows no year at all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from harvester.errors import InputError
from harvester.models import Paper
from harvester.sources.ids import title_id

SOURCE = "listing"
HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
    }
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_LINE = re.compile(
    r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<upvotes>\d+))?",
    re.IGNORECASE,
)
AUTHORS_LINE = re.compile(r"•\s*\d+\s+authors?", re.IGNORECASE)
DOT = "·"
MAX_TITLE = 300


@dataclass
class _Trailer:
    month: int
    day: int
    year: int | None
    upvotes: int | None
    organization: str | None


@dataclass
class _Entry:
    title: str
    abstract: list[str] = field(default_factory=list)
    trailer: _Trailer | None = None


def is_listing(text: str) -> bool:
    """True when ``text`` looks like a copied listing (page header or a "·" + date trailer)."""
    if "Daily Papers" in text and "byAK and the research community" in text:
        return True
    lines = [line.strip() for line in text.splitlines()]
    return any(
        line == DOT and i + 1 < len(lines) and DATE_LINE.fullmatch(lines[i + 1])
        for i, line in enumerate(lines)
    )


def parse_listing(text: str, *, today: dt.date | None = None) -> list[Paper]:
    """Every paper of a copied listing page."""
    blocks = _blocks(text)
    start = 0
    while start < len(blocks) and all(_is_header(line) for line in blocks[start]):
        start += 1
    entries: list[_Entry] = []
    pending: list[list[str]] = []
    saw_trailer = False
    for block in blocks[start:]:
        trailer = _trailer(block)
        if trailer is None:
            pending.append(block)
            continue
        saw_trailer = True
        if not pending:
            raise InputError(f"listing has a date line {block[-1]!r} with no paper before it")
        entries.extend(_split(pending))
        entries[-1].trailer = trailer
        pending = []
    entries.extend(_split(pending))
    if not saw_trailer and start == 0:
        raise InputError("not an HF Daily Papers listing: no page header and no '·' + date lines")
    year = _capture_year(entries, today or dt.date.today())
    return [_paper(entry, year) for entry in entries]


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_header(line: str) -> bool:
    return line.casefold() in HEADER_LINES or bool(DATE_LINE.fullmatch(line))


def _trailer(block: list[str]) -> _Trailer | None:
    """The trailer in a block ``[authors line] [organisation line] "·" date``, else None."""
    if not 2 <= len(block) <= 4 or block[-2] != DOT:
        return None
    m = DATE_LINE.fullmatch(block[-1])
    if m is None:
        return None
    organization = None
    for line in block[:-2]:
        if not AUTHORS_LINE.fullmatch(line):
            slug, _, name = line.partition(" ")
            organization = name.strip() or slug
    return _Trailer(
        month=MONTHS.index(m["month"][:3].lower()) + 1,
        day=int(m["day"]),
        year=int(m["year"]) if m["year"] else None,
        upvotes=int(m["upvotes"]) if m["upvotes"] else None,
        organization=organization,
    )


def _title_like(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1 and len(line) <= MAX_TITLE and not line.endswith(".") and "://" not in line
    )


def _split(pending: list[list[str]]) -> list[_Entry]:
    entries: list[_Entry] = []
    for i, block in enumerate(pending):
        starts_paper = not entries or (
            bool(entries[-1].abstract) and _title_like(block) and i + 1 < len(pending)
        )
        if starts_paper:
            entries.append(_Entry(title=" ".join(block)))
        else:
            entries[-1].abstract.append(" ".join(block))
    return entries


def _capture_year(entries: list[_Entry], today: dt.date) -> int:
    years = [e.trailer.year for e in entries if e.trailer and e.trailer.year]
    return min(max(years) + 1, today.year) if years else today.year


def _paper(entry: _Entry, capture_year: int) -> Paper:
    trailer = entry.trailer
    published = None
    if trailer is not None:
        try:
            published = dt.date(trailer.year or capture_year, trailer.month, trailer.day)
        except ValueError:  # e.g. "Feb 30", or Feb 29 outside a leap year
            published = None
    return Paper(
        paper_id=title_id(entry.title),
        source=SOURCE,
        title=" ".join(entry.title.split()),
        abstract=" ".join(" ".join(entry.abstract).split()) or None,
        published_at=published,
        upvotes=trailer.upvotes if trailer else None,
        organization=trailer.organization if trailer else None,
    )
