"""``--dry-run``: what a harvest or refresh would fetch and what it would cost, writing nothing.

The cost is estimated at the budget GitHub reports now (``GET /rate_limit``, which is free);
a harvest with ``--no-stats`` asks GitHub nothing, so its dry run only counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harvester import links
from harvester.github.budget import Plan, plan
from harvester.github.client import DEFAULT_LATENCY, GitHubSettings, probe_budget
from harvester.github.engine import EngineOptions
from harvester.models import Paper, Status
from harvester.store import Store


@dataclass(frozen=True, slots=True)
class HarvestDryRun:
    papers: int  # papers read
    names: int  # names a harvest would leave to fetch
    plan: Plan | None  # None with --no-stats: GitHub not asked

    def describe(self) -> str:
        if self.plan is not None:
            return f"{self.papers} papers read; {self.plan.describe()}"
        return (
            f"{self.papers} papers read; {self.names} names would stay pending "
            "(--no-stats: GitHub not asked)"
        )


def estimate(
    names: Sequence[str], github: GitHubSettings, options: EngineOptions, *, free: int = 0
) -> Plan:
    """The cost of fetching ``names`` at the budget GitHub reports now."""
    graphql = github.token is not None
    if not names:
        return plan(
            0,
            graphql=graphql,
            batch_size=options.batch_size,
            rate=None,
            latency=DEFAULT_LATENCY,
            now=dt.datetime.now(dt.UTC),
        )
    rate, latency = probe_budget(github, "graphql" if graphql else "core")
    return plan(
        len(names),
        graphql=graphql,
        batch_size=options.batch_size,
        rate=rate,
        latency=latency,
        now=dt.datetime.now(dt.UTC),
        free=free,
    )


def harvest(
    store: Store, papers: Iterable[Paper], github: GitHubSettings | None, options: EngineOptions
) -> HarvestDryRun:
    """Read the papers and count what a harvest would fetch, writing nothing anywhere; with
    ``github`` None (``--no-stats``) nothing is asked of GitHub either."""
    count = 0
    cited: set[str] = set()
    for paper in papers:
        count += 1
        cited.update(m.repo_name for m in links.mentions_for(paper) if m.kind == "repo")
    names = set(store.unsettled(cited)) | set(store.names_to_fetch((Status.PENDING, Status.ERROR)))
    cost = estimate(sorted(names), github, options) if github is not None else None
    return HarvestDryRun(count, len(names), cost)


def refresh(
    store: Store,
    github: GitHubSettings,
    options: EngineOptions,
    *,
    stale_after: dt.timedelta | None,
    statuses: Sequence[str],
    limit: int | None,
) -> Plan:
    """What ``harvest.refresh`` with the same arguments would fetch, and its cost."""
    stale_before = dt.datetime.now(dt.UTC) - stale_after if stale_after is not None else None
    names = store.names_to_fetch(statuses, stale_before, limit)
    free = len(store.etags_for(names)) if github.token is None else 0
    return estimate(names, github, options, free=free)
