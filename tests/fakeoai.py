"""A fake arXiv OAI-PMH endpoint on 127.0.0.1, for the OAI source tests.

Answers ``GET /oai?verb=ListRecords`` as the OAI-PMH 2.0 spec and arXiv's interface document it:

- the first request carries ``metadataPrefix=arXiv`` and optionally ``set``, ``from``, ``until``
  (days); records are selected by their *datestamp* and set, then served ``page_size`` at a time;
- every page but the last ends with ``<resumptionToken cursor="N" completeListSize="M">TOKEN``;
  the last page carries an empty ``<resumptionToken cursor=.. completeListSize=../>``;
- a follow-up request carries only ``verb`` and ``resumptionToken`` (anything else next to it is
  ``badArgument``, as the spec says); an unknown or expired token is ``badResumptionToken``;
- no record in range is ``<error code="noRecordsMatch">``; a wrong ``metadataPrefix`` is
  ``cannotDisseminateFormat``; an unknown set or a malformed date is ``badArgument``;
- deleted records are ``<header status="deleted">`` without metadata.

Records are ``FakeRecord``s written out in arXiv's ``arXiv`` metadata format (``id``, ``created``,
``updated``, ``authors/author/{keyname,forenames,suffix}``, ``title``, ``categories``,
``comments``, ``doi``, ``journal-ref``, ``license``, ``abstract``). ``fail_next`` (from
``fakesources``) makes the next requests answer e.g. 503 with ``Retry-After``; ``expire()``
invalidates every token issued so far.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from tests.fakesources import Answer, _Fake

PATH = "/oai"
SETS = ("cs", "math", "physics", "physics:hep-th", "stat", "q-bio", "eess", "econ", "q-fin")
_XML = (("Content-Type", "text/xml; charset=utf-8"),)


@dataclass(frozen=True)
class FakeRecord:
    arxiv_id: str
    datestamp: dt.date
    title: str = "A paper"
    abstract: str = "An abstract."
    created: dt.date | None = None
    authors: tuple[tuple[str, str, str], ...] = (("Doe", "Jane", ""),)  # keyname, forenames, suffix
    categories: str = "cs.LG"
    comments: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    license: str | None = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    deleted: bool = False

    @property
    def sets(self) -> set[str]:
        found = set()
        for category in self.categories.split():
            archive = category.split(".")[0]
            if archive in ("cs", "math", "stat", "q-bio", "eess", "econ", "q-fin"):
                found.add(archive)
            else:
                found |= {"physics", f"physics:{archive}"}
        return found

    def xml(self) -> str:
        status = ' status="deleted"' if self.deleted else ""
        header = (
            f"<header{status}>"
            f"<identifier>oai:arXiv.org:{self.arxiv_id}</identifier>"
            f"<datestamp>{self.datestamp}</datestamp>"
            + "".join(f"<setSpec>{s}</setSpec>" for s in sorted(self.sets))
            + "</header>"
        )
        if self.deleted:
            return f"<record>{header}</record>"
        authors = "".join(
            f"<author><keyname>{escape(k)}</keyname>"
            + (f"<forenames>{escape(f)}</forenames>" if f else "")
            + (f"<suffix>{escape(s)}</suffix>" if s else "")
            + "</author>"
            for k, f, s in self.authors
        )
        optional = "".join(
            f"<{tag}>{escape(value)}</{tag}>"
            for tag, value in (
                ("comments", self.comments),
                ("doi", self.doi),
                ("journal-ref", self.journal_ref),
                ("license", self.license),
            )
            if value
        )
        created = self.created or self.datestamp
        return (
            f"<record>{header}<metadata>"
            '<arXiv xmlns="http://arxiv.org/OAI/arXiv/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">'
            f"<id>{self.arxiv_id}</id><created>{created}</created>"
            f"<updated>{self.datestamp}</updated><authors>{authors}</authors>"
            f"<title>{escape(self.title)}</title><categories>{self.categories}</categories>"
            f"{optional}<abstract>  {escape(self.abstract)}\n</abstract></arXiv>"
            "</metadata></record>"
        )


def envelope(body: str, request: dict[str, str]) -> bytes:
    attrs = "".join(f' {k}="{escape(v)}"' for k, v in sorted(request.items()))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ '
        'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
        "<responseDate>2025-11-05T12:00:00Z</responseDate>\n"
        f"<request{attrs}>http://oaipmh.arxiv.org/oai</request>\n{body}\n</OAI-PMH>\n"
    ).encode()


def error(code: str, message: str, request: dict[str, str]) -> Answer:
    return Answer(200, envelope(f'<error code="{code}">{escape(message)}</error>', request), _XML)


@dataclass
class FakeOai(_Fake):
    records: list[FakeRecord] = field(default_factory=list)
    page_size: int = 1000
    # token -> (the selected records, the index of the page's first record)
    tokens: dict[str, tuple[list[FakeRecord], int]] = field(default_factory=dict)
    _serial: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def endpoint(self) -> str:
        return self.url + PATH

    def expire(self) -> None:
        """Every token issued so far becomes invalid (arXiv's tokens expire)."""
        self.tokens.clear()

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        if path != PATH:
            return Answer(404, b"not found")
        request = dict(params)
        if params.get("verb") != "ListRecords":
            return error("badVerb", "Illegal verb", request)
        if "resumptionToken" in params:
            if set(params) != {"verb", "resumptionToken"}:
                return error("badArgument", "resumptionToken is an exclusive argument", request)
            held = self.tokens.get(params["resumptionToken"])  # idempotent (spec 3.5.1)
            if held is None:
                return error("badResumptionToken", "Token is invalid or expired", request)
            selected, start = held
            return self._page(selected, start, request)
        if params.get("metadataPrefix") != "arXiv":
            return error("cannotDisseminateFormat", "Unknown metadataPrefix", request)
        wanted = params.get("set")
        if wanted is not None and wanted not in SETS:
            return error("badArgument", f"Set {wanted} is not supported", request)
        try:
            low = dt.date.fromisoformat(params["from"]) if "from" in params else dt.date.min
            high = dt.date.fromisoformat(params["until"]) if "until" in params else dt.date.max
        except ValueError:
            return error("badArgument", "Illegal date format", request)
        selected = [
            r
            for r in self.records
            if low <= r.datestamp <= high and (wanted is None or wanted in r.sets)
        ]
        if not selected:
            return error("noRecordsMatch", "No records match the request", request)
        return self._page(selected, 0, request)

    def _page(self, selected: list[FakeRecord], start: int, request: dict[str, str]) -> Answer:
        end = start + self.page_size
        records = "".join(r.xml() for r in selected[start:end])
        size = len(selected)
        if end < size:
            token = f"{next(self._serial)}|{end + 1}"
            self.tokens[token] = (selected, end)
            resumption = (
                f'<resumptionToken cursor="{start}" completeListSize="{size}">{token}'
                "</resumptionToken>"
            )
        elif start > 0:
            resumption = f'<resumptionToken cursor="{start}" completeListSize="{size}"/>'
        else:
            resumption = ""
        body = f"<ListRecords>{records}{resumption}</ListRecords>"
        return Answer(200, envelope(body, request), _XML)


@dataclass
class FlakyOai(FakeOai):
    """Answers HTTP 500 to every request from the ``fail_from``-th on (1-based), when set."""

    fail_from: int | None = None

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        if self.fail_from is not None and len(self.requests) >= self.fail_from:
            return Answer(500, b"down for maintenance")
        return super().answer(path, params)
