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
    root = _root(data)
    papers = []
    for entry in root.iterfind("atom:entry", NS):
        raw_id = _text(entry, "atom:id") or ""
        if raw_id.startswith(ERROR_ID_PREFIX):
            message = _text(entry, "atom:summary") or raw_id
            raise FeedError(f"arXiv API error: {message}")
        title = _text(entry, "atom:title")
        primary = _primary(entry)
        arxiv_id = normalize_arxiv_id(raw_id)
        if arxiv_id is None and not title:
            raise InputError(f"feed entry {raw_id!r} has no arXiv id and no title")
        papers.append(
            Paper(
                paper_id=arxiv_id or title_id(title or ""),
                source=SOURCE,
                title=title,
                abstract=_text(entry, "atom:summary"),
                comment=_text(entry, "arxiv:comment"),
                published_at=_date(_text(entry, "atom:published")),
                url=_abs_link(entry) or (raw_id or None),
                authors=tuple(
                    name
                    for author in entry.iterfind("atom:author", NS)
                    if (name := _text(author, "atom:name"))
                ),
                categories=_categories(entry, primary),
                primary_category=primary,
                doi=_text(entry, "arxiv:doi"),
                journal_ref=_text(entry, "arxiv:journal_ref"),
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
    root = _root(data)
    values = []
    for name in ("totalResults", "startIndex", "itemsPerPage"):
        text = _text(root, f"opensearch:{name}")
        if text is None or not text.isdigit():
            raise InputError(f"feed has no valid opensearch:{name} (got {text!r})")
        values.append(int(text))
    return values[0], values[1], values[2]


def _root(data: bytes) -> ET.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError("XML with a DTD (<!DOCTYPE>/<!ENTITY>) is not accepted")
    try:
        root = ET.fromstring(data)  # noqa: S314 - DTDs refused above, so no entity expansion
    except ET.ParseError as e:
        line, column = e.position
        raise InputError(f"not well-formed XML at line {line}, column {column + 1}") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise InputError(f"XML is not an Atom feed (root element <{_local(root.tag)}>)")
    return root


def _text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, NS)
    if found is None or found.text is None:
        return None
    return " ".join(found.text.split()) or None


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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
