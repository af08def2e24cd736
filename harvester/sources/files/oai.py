"""OAI-PMH 2.0 ``ListRecords`` responses in arXiv's ``arXiv`` metadata format -> Papers. Pure.

A response is ``<OAI-PMH><responseDate/><request/><ListRecords> <record>... <resumptionToken
cursor= completeListSize=>TOKEN</resumptionToken></ListRecords></OAI-PMH>``, or
``<OAI-PMH>...<error code="...">message</error></OAI-PMH>``. Each ``<record>`` has a ``<header>``
(``identifier`` ``oai:arXiv.org:2401.04887``, ``datestamp`` = the last change of its metadata,
``setSpec``s; ``status="deleted"`` for a withdrawn record, which has no metadata and is skipped)
and ``<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/">`` with ``id``, ``created`` (the first
version's date: ``published_at``), ``updated``, ``authors/author/{keyname,forenames,suffix}``,
``title``, ``categories`` (space separated, primary first), ``comments``, ``doi``,
``journal-ref``, ``license``, ``abstract``. Papers get ``source = "arxiv_oai"``.

``noRecordsMatch`` is not a failure: an empty, final page. Every other ``<error>`` raises
``OaiError`` carrying the code (``badResumptionToken``, ``badArgument``, ...) and arXiv's message.
XML with a DTD is refused outright (no entity expansion), as in the Atom reader.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from harvester.errors import InputError
from harvester.models import Paper
from harvester.sources.files import safexml
from harvester.sources.ids import choose_paper_id, normalize_arxiv_id

SOURCE = "arxiv_oai"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
ARXIV = "{http://arxiv.org/OAI/arXiv/}"
ABS_URL = "https://arxiv.org/abs/"


class OaiError(InputError):
    """The repository answered with an OAI-PMH ``<error code=...>``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}" if message else f"OAI-PMH error {code}")
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class OaiPage:
    """One ``ListRecords`` answer. ``token`` is None on the last page (an empty or absent
    ``resumptionToken``); ``cursor`` is the position of this page's first record in the list."""

    papers: list[Paper]
    token: str | None
    cursor: int | None = None
    complete_list_size: int | None = None
    deleted: int = 0
    newest_datestamp: dt.date | None = None


def parse_list_records(data: bytes) -> OaiPage:
    """One ``ListRecords`` response as an ``OaiPage``; OaiError for an OAI-PMH error."""
    root = safexml.parse(data, f"{OAI}OAI-PMH", "an OAI-PMH response")
    error = root.find(f"{OAI}error")
    if error is not None:
        code = error.get("code") or "unknown"
        if code == "noRecordsMatch":
            return OaiPage([], None)
        raise OaiError(code, " ".join((error.text or "").split()))
    listing = root.find(f"{OAI}ListRecords")
    if listing is None:
        raise InputError("OAI-PMH response has neither <ListRecords> nor <error>")
    papers: list[Paper] = []
    deleted = 0
    newest: dt.date | None = None
    for record in listing.iterfind(f"{OAI}record"):
        header = record.find(f"{OAI}header")
        if header is not None:
            stamp = _date(safexml.text(header, f"{OAI}datestamp"), "datestamp")
            if stamp is not None and (newest is None or stamp > newest):
                newest = stamp
            if header.get("status") == "deleted":
                deleted += 1
                continue
        meta = record.find(f"{OAI}metadata/{ARXIV}arXiv")
        if meta is None:
            identifier = safexml.text(header, f"{OAI}identifier") if header is not None else None
            raise InputError(f"record {identifier!r} has no arXiv metadata (metadataPrefix=arXiv)")
        papers.append(paper_from_arxiv(meta))
    token_element = listing.find(f"{OAI}resumptionToken")
    token = cursor = size = None
    if token_element is not None:
        token = (token_element.text or "").strip() or None
        cursor = _int(token_element.get("cursor"), "cursor")
        size = _int(token_element.get("completeListSize"), "completeListSize")
    return OaiPage(papers, token, cursor, size, deleted, newest)


def paper_from_arxiv(meta: ET.Element) -> Paper:
    """One ``<arXiv>`` metadata element -> Paper."""
    raw_id = safexml.text(meta, f"{ARXIV}id")
    title = safexml.text(meta, f"{ARXIV}title")
    arxiv_id = normalize_arxiv_id(raw_id) if raw_id else None
    paper_id = choose_paper_id(arxiv_id, title, raw_id, "oai")
    if paper_id is None:
        raise InputError("arXiv record has neither an id nor a title")
    categories = tuple((safexml.text(meta, f"{ARXIV}categories") or "").split())
    authors = []
    for author in meta.iterfind(f"{ARXIV}authors/{ARXIV}author"):
        parts = (
            safexml.text(author, f"{ARXIV}{name}") for name in ("forenames", "keyname", "suffix")
        )
        name = " ".join(part for part in parts if part)
        if name:
            authors.append(name)
    return Paper(
        paper_id=paper_id,
        source=SOURCE,
        title=title,
        abstract=safexml.text(meta, f"{ARXIV}abstract"),
        comment=safexml.text(meta, f"{ARXIV}comments"),
        published_at=_date(safexml.text(meta, f"{ARXIV}created"), "created"),
        url=ABS_URL + arxiv_id if arxiv_id else None,
        authors=tuple(authors),
        categories=categories,
        primary_category=categories[0] if categories else None,
        doi=safexml.text(meta, f"{ARXIV}doi"),
        journal_ref=safexml.text(meta, f"{ARXIV}journal-ref"),
        license=safexml.text(meta, f"{ARXIV}license"),
    )


def _date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"malformed <{field}> date: {value!r:.40}") from None


def _int(value: str | None, field: str) -> int | None:
    if value is None or not value.strip():
        return None
    if not value.strip().isdigit():
        raise InputError(f"resumptionToken {field} is not a number: {value!r:.40}")
    return int(value)
