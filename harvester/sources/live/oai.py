"""arXiv's OAI-PMH interface as a live paper source: ``ListRecords`` with ``metadataPrefix=arXiv``.

``OaiSource(OaiQuery(set="cs", start=..., end=...)).papers()`` yields every record of the list,
parsed by ``files.oai`` (authors, categories, comments, DOI, journal reference, licence;
``published_at`` = the record's ``created`` date, i.e. its first version).

**Dates.** ``from``/``until`` (``start``/``end``, inclusive UTC days) select by *datestamp*: the
day a record's metadata last changed (a new version, a journal reference, arXiv's own bulk
updates), not the day it was submitted. A range therefore returns papers submitted years earlier
that were touched in it, and misses papers submitted in it but changed since. For submission
dates use the arXiv API source (``submittedDate``); OAI-PMH is the way to mirror a whole set and
keep it current. ``cursor_date`` (for ``--since-last``) is the newest datestamp of a *completed*
list, so the next run asks for records changed since.

**Paging and resuming.** arXiv answers about 1,000 records per request with a
``resumptionToken`` for the rest (``cursor``, ``completeListSize``); the token is followed until
it comes back empty. After each page the source records a ``Checkpoint``: the token that fetches
the next page and how many papers were yielded before it. A caller that commits papers in
batches asks ``checkpoint(committed)`` for the latest one whose papers are all committed, saves
its token, and passes it back as ``resume_from`` to continue an interrupted run from there (the
other query options are then not sent: OAI-PMH forbids them next to a token). Tokens expire
(hours to days): when the saved token is refused (``badResumptionToken``) before anything was
read, the source starts the list again from its first page in the same run, and says so through
``on_restart`` (papers already stored are kept; storing them again adds nothing). A token refused
later in a run is a SourceError.

**Courtesy.** 3 s between requests on one connection (``web.PoliteClient``); HTTP 503 with
``Retry-After`` (arXiv's flow control) is waited out and retried by the client.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from harvester.errors import InputError, SourceError, UsageError
from harvester.models import Paper
from harvester.sources.files import oai
from harvester.sources.live.base import LiveSource
from harvester.web import Clock, Policy, WaitHook

DEFAULT_URL = "https://oaipmh.arxiv.org/oai"
SOURCE = oai.SOURCE
METADATA_PREFIX = "arXiv"
FIRST_DAY = dt.date(2005, 9, 16)  # arXiv's earliestDatestamp: every datestamp is on or after it
POLICY = Policy(min_interval=3.0, retries=8, backoff=3.0, max_backoff=120.0, timeout=120.0)
# OAI-PMH 2.0 setSpec: colon-separated parts of URI-unreserved characters.
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*")

PageHook = Callable[[int, int | None], None]  # (records seen so far, records in the whole list)
RESTART_NOTE = (
    "arXiv OAI-PMH no longer accepts the saved resumption token ({message}): starting the list "
    "again from its beginning (papers already stored are kept)"
)


@dataclass(frozen=True, slots=True)
class OaiQuery:
    """What to list: an arXiv set (``cs``, ``math``, ``physics:hep-th``; None: all of arXiv)
    and datestamp days (inclusive)."""

    set: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.set is not None and not SET_SPEC.fullmatch(self.set):
            raise UsageError(
                f"--set {self.set!r} is not an OAI-PMH set name (like cs, math, physics:hep-th)"
            )
        if self.start and self.end and self.start > self.end:
            raise UsageError(f"--from {self.start} is after --until {self.end}")

    @property
    def key(self) -> str:
        """The ``--since-last`` cursor key: the set (``''`` for all of arXiv)."""
        return self.set or ""

    def params(self) -> dict[str, str | int]:
        params: dict[str, str | int] = {"verb": "ListRecords", "metadataPrefix": METADATA_PREFIX}
        if self.set:
            params["set"] = self.set
        if self.start:
            params["from"] = self.start.isoformat()
        if self.end:
            params["until"] = self.end.isoformat()
        return params


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where to resume: ``token`` fetches the page after the first ``read`` papers yielded."""

    token: str
    read: int
    cursor: int | None = None  # records before the next page, as arXiv counts them
    complete_list_size: int | None = None


class OaiSource(LiveSource):
    """Reads one ``OaiQuery`` (or resumes one from a saved token); a context manager."""

    source = SOURCE

    def __init__(
        self,
        query: OaiQuery,
        *,
        api_url: str = DEFAULT_URL,
        resume_from: str | None = None,
        clock: Clock | None = None,
        on_wait: WaitHook | None = None,
        on_page: PageHook | None = None,
        on_restart: Callable[[str], None] | None = None,
        contact: str | None = None,
    ) -> None:
        super().__init__(
            "arXiv OAI-PMH",
            api_url,
            POLICY,
            start=query.start,  # a datestamp: after today is in the future whatever --until says
            clock=clock,
            on_wait=on_wait,
            contact=contact,
        )
        self.query = query
        self.api_url = api_url
        self.resume_from = resume_from.strip() if resume_from else None
        self.on_page = on_page
        self.on_restart = on_restart
        self.restarted = False  # the saved token was refused: the list was read from its start
        self.seen = 0  # records seen, deleted ones included
        self.total: int | None = None  # completeListSize, once arXiv says
        self.deleted = 0
        self.complete = False  # the last page was read
        self.newest_datestamp: dt.date | None = None
        self.checkpoints: list[Checkpoint] = []

    @property
    def cursor_key(self) -> str:
        return self.query.key

    @property
    def first_day(self) -> dt.date | None:
        return self.query.start

    def cursor_date(self) -> dt.date | None:
        """The newest datestamp ``--since-last`` may continue from: only once the whole list is
        read (records do not come in datestamp order) and only for a run that read it all."""
        if not self.complete or self.resume_from is not None:
            return None
        return self.newest_datestamp

    def checkpoint(self, committed: int) -> Checkpoint | None:
        """The latest checkpoint whose papers are all among the first ``committed`` yielded."""
        best = None
        for point in self.checkpoints:
            if point.read > committed:
                break
            best = point
        return best

    def papers(self) -> Iterator[Paper]:
        token = self.resume_from
        while True:
            try:
                page = self._page(token)
            except _SavedTokenRefused as refused:
                self.resume_from = token = None
                self.restarted = True
                if self.on_restart is not None:
                    self.on_restart(RESTART_NOTE.format(message=refused.message))
                continue
            count = len(page.papers) + page.deleted
            self.seen += count
            self.deleted += page.deleted
            if page.complete_list_size is not None:
                self.total = page.complete_list_size
            if page.newest_datestamp and (
                self.newest_datestamp is None or page.newest_datestamp > self.newest_datestamp
            ):
                self.newest_datestamp = page.newest_datestamp
            for paper in page.papers:
                self.read += 1
                yield paper
            position = self.seen if page.cursor is None else page.cursor + count
            if self.on_page is not None:
                self.on_page(position, self.total)
            if page.token is None:
                self.complete = True
                return
            if page.token == token:
                raise SourceError(
                    f"arXiv OAI-PMH sent the same resumptionToken twice ({token!r}); stopping "
                    "rather than looping; try again later"
                )
            token = page.token
            self.checkpoints.append(Checkpoint(token, self.read, position, self.total))

    def _page(self, token: str | None) -> oai.OaiPage:
        params: dict[str, str | int]
        if token is None:
            params = self.query.params()
        else:
            params = {"verb": "ListRecords", "resumptionToken": token}
        response = self.client.get(self.api_url, params)
        body = response.content
        if response.status_code >= 400:
            raise SourceError(_refusal(response.status_code, response.reason_phrase, body))
        try:
            return oai.parse_list_records(body)
        except oai.OaiError as exc:
            if exc.code == "badResumptionToken" and token == self.resume_from and not self.seen:
                raise _SavedTokenRefused(exc.message or "expired") from None
            raise SourceError(self._explain(exc, token)) from None
        except InputError as exc:
            where = "the first page" if token is None else f"resumptionToken {token!r}"
            raise SourceError(f"arXiv OAI-PMH sent an unreadable page ({where}): {exc}") from None

    def _explain(self, exc: oai.OaiError, token: str | None) -> str:
        if exc.code == "badResumptionToken":
            return (
                f"arXiv OAI-PMH no longer accepts its token {token!r} ({exc.message or 'expired'}) "
                "in the middle of the list; run the same command again: it resumes from the last "
                "committed page, or starts the list again if that token has expired too (papers "
                "already stored are kept)"
            )
        if exc.code == "badArgument":
            return f"arXiv OAI-PMH refused the request: {exc.message} (check --set/--from/--until)"
        return f"arXiv OAI-PMH refused the request: {exc}"


class _SavedTokenRefused(Exception):
    """The saved token was refused before anything was read: ``papers`` starts the list again."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refusal(status: int, reason: str, body: bytes) -> str:
    """One line for a 4xx: the OAI-PMH error when the body carries one."""
    try:
        oai.parse_list_records(body)
    except oai.OaiError as exc:
        return f"arXiv OAI-PMH refused the request: {exc} (HTTP {status})"
    except InputError:
        pass
    hint = "; is --api-url the OAI-PMH endpoint itself?" if status == 404 else ""
    return f"arXiv OAI-PMH refused the request: HTTP {status} {reason}{hint}".rstrip()
