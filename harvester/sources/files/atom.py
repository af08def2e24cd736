"""arXiv API responses: Atom XML with the ``arxiv`` and ``opensearch`` extensions.

``parse_feed`` turns each ``<entry>`` into a Paper: ``paper_id`` from ``<id>``
(``http://arxiv.org/abs/2104.12255v1`` -> ``2104.12255``, old style ``astro-ph/0601001`` kept),
title and summary whitespace-collapsed, ``arxiv:comment`` -> ``comment``, the date of
``<published>`` -> ``published_at``, the ``rel="alternate"`` abs link (as given, with its version)
-> ``url``; ``<author><name>`` -> ``authors``, ``<category term>`` -> ``categories`` (the
``arxiv:primary_category`` first, and as ``primary_category``), ``arxiv:doi`` -> ``doi``,
``arxiv:journal_ref`` -> ``journal_ref``; ``source = "arxiv"``. An entry whose id is not an
arXiv id gets ``title_id(title)``. A feed without entries gives ``[]``.

arXiv reports a bad query (HTTP 400) as a feed whose single entry has an id under
``https://arxiv.org/api/errors`` and the message as its summary: that raises ``FeedError`` (an
InputError) carrying arXiv's message. Not well-formed XML, or XML whose root is not an Atom
``<feed>``, is an InputError. Documents with a DTD (``<!DOCTYPE``/``<!ENTITY``) are refused
outright: arXiv never sends one, and refusing them rules out entity-expansion attacks.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from harvester.errors import InputError
from harvester.models import Paper
from harvester.sources.files import safexml
from harvester.sources.ids import normalize_arxiv_id, title_id

SOURCE = "arxiv"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
ERROR_ID_PREFIX = "https://arxiv.org/api/errors"


class FeedError(InputError):
    """arXiv answered with an error entry; the message is arXiv's own."""


def parse_feed(data: bytes) -> list[Paper]:
    """Every entry of an arXiv API Atom response as a Paper."""
    root = safexml.parse(data, f"{{{NS['atom']}}}feed", "an Atom feed")
    papers = []
    for entry in root.iterfind("atom:entry", NS):
        raw_id = safexml.text(entry, "atom:id", NS) or ""
        if raw_id.startswith(ERROR_ID_PREFIX):
            message = safexml.text(entry, "atom:summary", NS) or raw_id
            raise FeedError(f"arXiv API error: {message}")
        title = safexml.text(entry, "atom:title", NS)
        primary = _primary(entry)
        arxiv_id = normalize_arxiv_id(raw_id)
        if arxiv_id is None and not title:
            raise InputError(f"feed entry {raw_id!r} has no arXiv id and no title")
        papers.append(
            Paper(
                paper_id=arxiv_id or title_id(title or ""),
                source=SOURCE,
                title=title,
                abstract=safexml.text(entry, "atom:summary", NS),
                comment=safexml.text(entry, "arxiv:comment", NS),
                published_at=_date(safexml.text(entry, "atom:published", NS)),
                url=_abs_link(entry) or (raw_id or None),
                authors=tuple(
                    name
                    for author in entry.iterfind("atom:author", NS)
                    if (name := safexml.text(author, "atom:name", NS))
                ),
                categories=_categories(entry, primary),
                primary_category=primary,
                doi=safexml.text(entry, "arxiv:doi", NS),
                journal_ref=safexml.text(entry, "arxiv:journal_ref", NS),
            )
        )
    return papers


def _primary(entry: ET.Element) -> str | None:
    found = entry.find("arxiv:primary_category", NS)
    return (found.get("term") or None) if found is not None else None


def _categories(entry: ET.Element, primary: str | None) -> tuple[str, ...]:
    """Every ``<category term>``, the primary one first (the feed lists them as filed)."""
    terms = [term for c in entry.iterfind("atom:category", NS) if (term := c.get("term"))]
    if primary is not None:
        terms = [primary, *(t for t in terms if t != primary)]
    return tuple(dict.fromkeys(terms))


def feed_totals(data: bytes) -> tuple[int, int, int]:
    """``(totalResults, startIndex, itemsPerPage)`` of an arXiv API response."""
    root = safexml.parse(data, f"{{{NS['atom']}}}feed", "an Atom feed")
    values = []
    for name in ("totalResults", "startIndex", "itemsPerPage"):
        text = safexml.text(root, f"opensearch:{name}", NS)
        if text is None or not text.isdigit():
            raise InputError(f"feed has no valid opensearch:{name} (got {text!r})")
        values.append(int(text))
    return values[0], values[1], values[2]


def _abs_link(entry: ET.Element) -> str | None:
    for link in entry.iterfind("atom:link", NS):
        if link.get("rel") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise InputError(f"feed entry has a malformed <published> date: {value!r}") from None
