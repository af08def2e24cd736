"""The arXiv API as a live paper source: ``GET {api_url}/api/query``, Atom, paged and web.

``ArxivSource(ArxivQuery(...)).papers()`` yields every paper matching a query, optionally within
submission dates, parsed by ``atom.parse_feed``: versions folded (``2401.04887``), old-style ids
kept (``astro-ph/0601001``), title and abstract whitespace collapsed, ``arxiv:comment`` kept so
its links are found with ``source_field = comment``.

arXiv's terms and limits, and how they are met:

* at most 2,000 results per request (``page_size``), 3 s between requests and one connection at a
  time (``web.PoliteClient`` with ``POLICY``);
* dates become ``submittedDate:[YYYYMMDD0000 TO YYYYMMDD2359]`` (UTC days, both ends included)
  ANDed with the query, sorted by submission date: oldest first when the range has a start, so a
  run cut short by ``limit`` (``--max``) is continued by the next ``--since-last`` run; newest
  first when it has none, so ``limit`` takes the newest papers;
* one query serves at most 30,000 results: a larger match is refused after the first page, before
  any paper is yielded, with a suggestion of how to split the range (UsageError);
* an empty page before the announced total (a known arXiv hiccup) is retried with backoff, then
  reported, rather than ending the harvest silently short.

A refusal (4xx) is a SourceError carrying arXiv's own message: a malformed query answers 400 with
an Atom error entry whose summary says what is wrong. After the papers are read, ``cursor_date``
is the newest submission date it is safe for ``--since-last`` to continue from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from harvester.errors import InputError, SourceError, UsageError
from harvester.models import Paper
from harvester.sources.files import atom
from harvester.sources.live.base import LiveSource
from harvester.web import Clock, Policy, WaitHook

DEFAULT_URL = "https://export.arxiv.org"
PATH = "/api/query"
SOURCE = atom.SOURCE
PAGE_MAX = 2000
QUERY_CAP = 30_000
FIRST_DAY = dt.date(1991, 1, 1)  # before arXiv's first paper: the open start of a range
POLICY = Policy(min_interval=3.0, retries=5, backoff=3.0, max_backoff=120.0, timeout=90.0)

PageHook = Callable[[int, int], None]  # (papers read so far, papers this run will read)


def normalize_query(query: str) -> str:
    """The query with its whitespace collapsed: what is sent, and the cursor's key."""
    return " ".join(query.split())


@dataclass(frozen=True, slots=True)
class ArxivQuery:
    """What to read: an arXiv ``search_query``, submission dates (inclusive), a cap."""

    query: str
    start: dt.date | None = None
    end: dt.date | None = None
    limit: int | None = None
    page_size: int = PAGE_MAX

    def __post_init__(self) -> None:
        if not normalize_query(self.query):
            raise UsageError("--query is empty; give an arXiv query such as 'cat:cs.LG'")
        if self.start and self.end and self.start > self.end:
            raise UsageError(f"--from {self.start} is after --to {self.end}")
        if not 1 <= self.page_size <= PAGE_MAX:
            raise UsageError(f"--page-size must be 1..{PAGE_MAX}, got {self.page_size}")
        if self.limit is not None and not 1 <= self.limit <= QUERY_CAP:
            raise UsageError(f"--max must be 1..{QUERY_CAP:,} (arXiv's cap), got {self.limit}")

    @property
    def ascending(self) -> bool:
        return self.start is not None

    def search_query(self, today: dt.date) -> str:
        query = normalize_query(self.query)
        if self.start is None and self.end is None:
            return query
        low, high = self.start or FIRST_DAY, self.end or today
        return f"({query}) AND submittedDate:[{low:%Y%m%d}0000 TO {high:%Y%m%d}2359]"


class ArxivSource(LiveSource):
    """Reads one ``ArxivQuery``; use as a context manager so the connection is closed."""

    source = SOURCE

    def __init__(
        self,
        query: ArxivQuery,
        *,
        api_url: str = DEFAULT_URL,
        clock: Clock | None = None,
        on_wait: WaitHook | None = None,
        on_page: PageHook | None = None,
        contact: str | None = None,
    ) -> None:
        super().__init__(
            "arXiv API",
            api_url,
            POLICY,
            start=query.start,
            end=query.end,
            clock=clock,
            on_wait=on_wait,
            contact=contact,
        )
        self.query = query
        self.on_page = on_page
        self.newest: dt.date | None = None
        self.total: int | None = None  # papers matching (arXiv's totalResults)

    @property
    def cursor_key(self) -> str:
        return normalize_query(self.query.query)

    @property
    def first_day(self) -> dt.date | None:
        """The first submission day this run reads (None: from arXiv's beginning)."""
        return self.query.start

    def cursor_date(self) -> dt.date | None:
        """Newest date ``--since-last`` may continue from once every paper read is committed.

        None when a newest-first run stopped at ``limit`` before reaching older papers."""
        if self.total is not None and self.read < self.total and not self.query.ascending:
            return None
        return self.newest

    def papers(self) -> Iterator[Paper]:
        q = self.query
        search = q.search_query(self.today)
        wanted: int | None = None
        empty = 0
        while wanted is None or self.read < wanted:
            size = q.page_size if q.limit is None else min(q.page_size, q.limit - self.read)
            total, page = self._page(search, self.read, size)
            if wanted is None:
                self.total = total
                wanted = total if q.limit is None else min(total, q.limit)
                self._check_cap(total, wanted)
            if not page and self.read < wanted:
                empty += 1
                problem = f"empty page at result {self.read:,} of {wanted:,}"
                if empty > POLICY.retries:
                    raise SourceError(f"arXiv API sent an {problem}; try again later")
                self.client.pause(empty - 1, problem)
                continue
            empty = 0
            for paper in page[: wanted - self.read]:
                if paper.published_at and (self.newest is None or paper.published_at > self.newest):
                    self.newest = paper.published_at
                self.read += 1
                yield paper
            if self.on_page is not None:
                self.on_page(self.read, wanted)

    def _page(self, search: str, start: int, size: int) -> tuple[int, list[Paper]]:
        params: dict[str, str | int] = {
            "search_query": search,
            "start": start,
            "max_results": size,
            "sortBy": "submittedDate",
            "sortOrder": "ascending" if self.query.ascending else "descending",
        }
        response = self.client.get(PATH, params)
        body = response.content
        if response.status_code >= 400:
            raise SourceError(_refusal(response.status_code, response.reason_phrase, body))
        try:
            papers = atom.parse_feed(body)
            total = atom.feed_totals(body)[0]
        except atom.FeedError as exc:
            raise SourceError(str(exc)) from None
        except InputError as exc:
            raise SourceError(f"arXiv API sent an unreadable page (start={start}): {exc}") from None
        return total, papers

    def _check_cap(self, total: int, wanted: int) -> None:
        if wanted <= QUERY_CAP:
            return
        q = self.query
        if q.start is not None:
            end = q.end or self.today
            days = (end - q.start).days + 1
            per = max(1, days * QUERY_CAP // total)
            hint = f"split --from {q.start} --to {end} into ranges of at most ~{per} days"
        else:
            hint = "narrow it by date with --from/--to"
        raise UsageError(
            f"arXiv query matches {total:,} papers, but the API serves at most {QUERY_CAP:,} "
            f"per query: {hint}, or cap the run with --max N"
        )


def _refusal(status: int, reason: str, body: bytes) -> str:
    """One line for a 4xx: arXiv's own message when the body is its Atom error feed."""
    try:
        atom.parse_feed(body)
    except atom.FeedError as exc:
        return f"{exc} (HTTP {status})"
    except InputError:
        pass
    hint = "; is --api-url right?" if status == 404 else ""
    return f"arXiv API refused the request: HTTP {status} {reason}{hint}".rstrip()
