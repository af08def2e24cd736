"""READMEs and repository search over REST, within GitHub's limits.

``ReadmeClient`` is the fetch engine (budgets, visible waits, secondary limits, retries: see
``engine.py``) with two more requests:

* ``readme(full_name)``: ``GET /repos/{o}/{n}/readme`` with ``Accept: application/vnd.github.raw``
  (the text itself, not base64 JSON), on the ``core`` budget;
* ``search_readmes(phrase)``: ``GET /search/repositories?q="PHRASE" in:readme`` (an arXiv id,
  then a title), on the ``search``
  budget, which GitHub keeps apart: 30 requests a minute with a token, 10 without. GitHub names
  it in ``x-ratelimit-resource: search``; a spent budget answers 403 with
  ``x-ratelimit-remaining: 0`` and the engine waits for the reset (up to ``max_wait``) or stops.

``search_plan`` is the ``--dry-run`` estimate for the search budget.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from harvester.github import limits
from harvester.github.budget import human
from harvester.github.engine import Engine
from harvester.github.parse import RateInfo, repo_from_rest
from harvester.models import RepoStats

RAW = {"Accept": "application/vnd.github.raw"}
SEARCH_PER_MINUTE = {True: 30, False: 10}  # with a token / without
SEARCH_WINDOW = 60.0  # seconds: the search budget resets every minute
SEARCH_PAGE = 10  # repositories asked per search: the id's own repository is near the top


@dataclass(frozen=True, slots=True)
class Readme:
    status: str  # ok / missing / error
    text: str | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class SearchResult:
    total: int  # GitHub's total_count (it may hold more than the page asked for)
    repos: tuple[RepoStats, ...]
    detail: str | None = None  # why the search failed, when it did


class ReadmeClient(Engine):
    def readme(self, full_name: str) -> Readme:
        path = f"/repos/{full_name}/readme"
        reply = self._call("core", 1, lambda: self.rest.get(path, RAW, raw=True))
        if reply.status == 200:
            return Readme("ok", _text(reply.payload))
        if reply.status == 404:
            return Readme("missing")
        return Readme("error", detail=f"HTTP {reply.status}: {limits.message(reply)}")

    def search_readmes(self, phrase: str, per_page: int = SEARCH_PAGE) -> SearchResult:
        """Repositories whose README contains ``phrase`` (an arXiv id, a title)."""
        params: dict[str, str | int] = {"q": f'"{phrase}" in:readme', "per_page": per_page}
        reply = self._call(
            "search", 1, lambda: self.rest.get("/search/repositories", params=params)
        )
        payload = reply.payload if isinstance(reply.payload, dict) else {}
        if reply.status != 200:
            return SearchResult(0, (), f"HTTP {reply.status}: {limits.message(reply)}")
        items = payload.get("items")
        repos = tuple(
            repo_from_rest(item)
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict) and isinstance(item.get("id"), int)
        )
        total = payload.get("total_count")
        return SearchResult(total if isinstance(total, int) else len(repos), repos)


def _text(payload: Any) -> str:
    """The README text: as sent (raw media type), or decoded from the JSON form."""
    if isinstance(payload, str):
        return payload
    if isinstance(payload, dict) and payload.get("encoding") == "base64":
        try:
            return base64.b64decode(str(payload.get("content", ""))).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return ""
    return ""


@dataclass(frozen=True, slots=True)
class SearchPlan:
    papers: int
    limit: int  # requests per minute
    remaining: int
    seconds: float
    budget_known: bool

    def describe(self) -> str:
        if self.papers == 0:
            return "reverse search: no paper to search for"
        source = "now" if self.budget_known else "assumed"
        return (
            f"reverse search: {self.papers} paper{'' if self.papers == 1 else 's'}, one search "
            "request each (a second, by "
            f"title, when the id finds nothing); search budget "
            f"{self.remaining}/{self.limit} a minute {source}; expected time "
            f"{human(self.seconds)} (plus one README request per repository found)"
        )


def search_plan(
    papers: int, *, authed: bool, rate: RateInfo | None, latency: float, now: dt.datetime
) -> SearchPlan:
    """What searching for ``papers`` ids costs: one request each, at most ``limit`` a minute."""
    limit = rate.limit if rate is not None and rate.limit else SEARCH_PER_MINUTE[authed]
    remaining = rate.remaining if rate is not None and rate.remaining is not None else limit
    seconds = papers * latency
    if papers > remaining:
        first = SEARCH_WINDOW
        if rate is not None and rate.reset_at is not None:
            first = max(0.0, (rate.reset_at - now).total_seconds())
        windows = math.ceil((papers - remaining) / limit)
        seconds = max(seconds, first + (windows - 1) * SEARCH_WINDOW)
    return SearchPlan(papers, limit, remaining, seconds, rate is not None)
