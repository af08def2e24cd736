"""The Hugging Face papers API as a live paper source: daily listings and search, paged.

Endpoints, under ``api_url`` (default https://huggingface.co):

* ``GET /api/daily_papers?date=YYYY-MM-DD`` (or ``week=YYYY-Www``, ``month=YYYY-MM``): the papers
  listed on Hugging Face Daily Papers that day, ISO week or month;
* ``GET /api/papers/search?q=TEXT``: papers matching a text search.

Both are paged with ``p`` (page number, from 0) and ``limit`` (at most 100). A request is done when
a page holds fewer items than ``limit``, or no paper not already seen on an earlier page (so an
endpoint that ignores ``p`` cannot keep us reading the same page). A range of days (``--from``/
``--to``, ``--since-last``) is read one ``date=`` at a time, oldest first.

Items go through ``hf_daily.parse_document``, the parser of saved API files, so every shape seen
in the wild is read the same way live: ``githubRepo`` as a string or a ``{"url"}`` object, in the
nested ``paper`` object or at the top level, with ``githubStars``, ``projectPage``, ``upvotes``,
the organisation and the listing day (``submittedOnDailyAt``; for an item without one, the day
asked for). ``githubRepo`` becomes a mention with ``source_field = hf_github_repo`` downstream.

A refusal (4xx) is a SourceError carrying the API's ``{"error": ...}`` message. ``cursor_date``
is the newest listing day read, for ``--since-last``; search results have no listing day, so a
search has no cursor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from harvester.errors import InputError, SourceError, UsageError
from harvester.models import Paper
from harvester.sources.files import hf_daily
from harvester.sources.live.base import LiveSource
from harvester.web import Clock, Page, Policy, WaitHook

NAME = "Hugging Face API"
DEFAULT_URL = "https://huggingface.co"
DAILY = "/api/daily_papers"
SEARCH = "/api/papers/search"
SOURCE = hf_daily.SOURCE
PAGE_MAX = 100
POLICY = Policy(min_interval=0.5, retries=5, backoff=2.0, max_backoff=60.0, timeout=60.0)
LISTINGS = ""  # the cursor key of the daily listings (they take no query)

_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")

PageHook = Callable[[int, int | None], None]  # (papers read so far, total if known)


@dataclass(frozen=True, slots=True)
class HfQuery:
    """Exactly one of: a range of listing days (inclusive; an open end is today, UTC), an ISO
    week, a month, a search."""

    days: tuple[dt.date, dt.date | None] | None = None
    week: str | None = None
    month: str | None = None
    search: str | None = None
    page_size: int = PAGE_MAX

    def __post_init__(self) -> None:
        given = [v for v in (self.days, self.week, self.month, self.search) if v is not None]
        if len(given) != 1:
            raise UsageError("give one of --date, --from/--to, --week, --month, --query")
        if self.days is not None and self.days[1] is not None and self.days[0] > self.days[1]:
            raise UsageError(f"--from {self.days[0]} is after --to {self.days[1]}")
        if self.week is not None and not _is_week(self.week):
            raise UsageError(f"--week takes an ISO week such as 2025-W48, got {self.week!r}")
        if self.month is not None:
            m = _MONTH.fullmatch(self.month)
            if m is None or not 1 <= int(m[2]) <= 12:
                raise UsageError(f"--month takes a month such as 2025-11, got {self.month!r}")
        if self.search is not None and not self.search.strip():
            raise UsageError("--query is empty")
        if not 1 <= self.page_size <= PAGE_MAX:
            raise UsageError(f"--page-size must be 1..{PAGE_MAX}, got {self.page_size}")

    @staticmethod
    def check_options(
        *,
        date: dt.date | None,
        first: dt.date | None,
        last: dt.date | None,
        week: str | None,
        month: str | None,
        search: str | None,
        since_last: bool,
    ) -> None:
        """The command line's rule for which options make one query, checked before anything
        is opened: one of --date, --from/--to, --week, --month, --query or --since-last
        (which may take --from/--to); --to only with --from or --since-last."""
        given = {
            "--date": date,
            "--week": week,
            "--month": month,
            "--query": search,
            "--since-last": since_last,
        }
        modes = [flag for flag, value in given.items() if value]
        if first is not None or last is not None:
            modes.append("--from/--to")
        if len(modes) > 1 and set(modes) != {"--since-last", "--from/--to"}:
            raise UsageError(
                f"{' and '.join(modes)} cannot be combined: give one of --date, --from/--to, "
                "--week, --month, --query (--since-last takes --from/--to)"
            )
        if not modes:
            raise UsageError(
                "say what to read: --date, --from/--to, --week, --month, --query or --since-last"
            )
        if last is not None and first is None and not since_last:
            raise UsageError("--to needs --from (or --since-last)")

    def requests(self, today: dt.date) -> Iterator[tuple[str, dict[str, str], dt.date | None]]:
        """``(path, params, day)`` per request to page through; ``day`` dates undated items."""
        if self.search is not None:
            yield SEARCH, {"q": " ".join(self.search.split())}, None
        elif self.week is not None:
            yield DAILY, {"week": self.week}, None
        elif self.month is not None:
            yield DAILY, {"month": self.month}, None
        elif self.days is not None:
            first, last = self.days[0], self.days[1] or today
            for n in range((last - first).days + 1):
                day = first + dt.timedelta(days=n)
                yield DAILY, {"date": day.isoformat()}, day


class HfSource(LiveSource):
    """Reads one ``HfQuery``; use as a context manager so the connection is closed."""

    source = SOURCE

    def __init__(
        self,
        query: HfQuery,
        *,
        api_url: str = DEFAULT_URL,
        clock: Clock | None = None,
        on_wait: WaitHook | None = None,
        on_page: PageHook | None = None,
        contact: str | None = None,
    ) -> None:
        open_range = query.days is not None and query.days[1] is None  # --from without --to
        super().__init__(
            NAME,
            api_url,
            POLICY,
            start=query.days[0] if query.days is not None and open_range else None,
            clock=clock,
            on_wait=on_wait,
            contact=contact,
        )
        self.query = query
        self.on_page = on_page
        self.newest: dt.date | None = None

    @property
    def cursor_key(self) -> str | None:
        return None if self.query.search is not None else LISTINGS

    @property
    def first_day(self) -> dt.date | None:
        """The first listing day this run reads (None for a search)."""
        q = self.query
        if q.days is not None:
            return q.days[0]
        if q.week is not None:
            year, week = q.week.split("-W")
            return dt.date.fromisocalendar(int(year), int(week), 1)
        if q.month is not None:
            return dt.date.fromisoformat(f"{q.month}-01")
        return None

    def cursor_date(self) -> dt.date | None:
        """Newest listing day read (None for a search: results carry no listing day)."""
        return None if self.cursor_key is None else self.newest

    def papers(self) -> Iterator[Paper]:
        size = self.query.page_size
        for path, params, day in self.query.requests(self.today):
            seen: set[str] = set()
            for page in itertools.count():
                papers = self._page(path, {**params, "p": str(page), "limit": str(size)}, day)
                fresh = 0
                for paper in papers:
                    if paper.paper_id in seen:
                        continue
                    seen.add(paper.paper_id)
                    fresh += 1
                    if paper.listed_on and (self.newest is None or paper.listed_on > self.newest):
                        self.newest = paper.listed_on
                    self.read += 1
                    yield paper
                if self.on_page is not None:
                    self.on_page(self.read, None)
                if len(papers) < size or not fresh:
                    break

    def _page(self, path: str, params: dict[str, str], day: dt.date | None) -> list[Paper]:
        response = self.client.get(path, params)
        if response.status_code >= 400:
            raise SourceError(_refusal(response))
        where = f"{path}?{'&'.join(f'{k}={v}' for k, v in params.items())}"
        try:
            value = response.json()
        except ValueError:
            raise SourceError(f"Hugging Face API sent a page that is not JSON: {where}") from None
        try:
            papers = list(hf_daily.parse_document(value, where=where))
        except InputError as exc:
            raise SourceError(f"Hugging Face API sent an unreadable page: {exc}") from None
        if day is None:
            return papers
        return [p if p.listed_on else dataclasses.replace(p, listed_on=day) for p in papers]


def _is_week(text: str) -> bool:
    m = _WEEK.fullmatch(text)
    if m is None:
        return False
    try:
        dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
    except ValueError:
        return False
    return True


def _refusal(response: Page) -> str:
    """One line for a 4xx, with the Hub's ``{"error": ...}`` message when there is one."""
    status = response.status_code
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    message = body.get("error") if isinstance(body, dict) else None
    hint = "; is --api-url right?" if status == 404 else ""
    if isinstance(message, str) and message.strip():
        return f"{NAME} refused the request: {' '.join(message.split())} (HTTP {status}){hint}"
    return f"{NAME} refused the request: HTTP {status} {response.reason_phrase}{hint}"
