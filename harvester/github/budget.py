"""Rate-limit budgets, waiting, and the dry-run cost estimate.

``Budget`` tracks what GitHub reported per resource (``core`` for REST, ``graphql``) and makes a
request wait for the reset when the budget is known to be short, or stops the job when the reset
is further away than ``max_wait``. ``plan`` estimates what fetching N names will cost, for
``--dry-run``, from the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from harvester.github.facts import query_cost
from harvester.github.parse import MAX_BATCH, RateInfo


class Reporter(Protocol):
    def progress(self, done: int, total: int) -> None: ...
    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None: ...
    def note(self, message: str) -> None: ...


class SilentReporter:
    def progress(self, done: int, total: int) -> None:
        pass

    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


class StopFetching(Exception):
    """The job must stop now; what is not fetched stays pending and a rerun resumes."""


SKEW_GUARD = 5.0  # seconds waited at least after a refusal whose reset time has passed
MAX_REFUSALS = 3  # refusals in a row, each after waiting for a reset, before giving up


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Budget:
    """Rate-limit budgets per resource (``core``, ``graphql``), shared by worker threads."""

    def __init__(
        self,
        max_wait: float,
        sleep: Callable[[float], None],
        now: Callable[[], dt.datetime],
        reporter: Reporter,
    ) -> None:
        self.max_wait = max_wait
        self._sleep = sleep
        self._now = now
        self._reporter = reporter
        self._lock = threading.Lock()
        self._state: dict[str, RateInfo] = {}

    def acquire(self, resource: str, cost: int) -> None:
        """Return when a request of ``cost`` can be sent (reserving it); wait for the reset
        when the budget is known to be short, or stop when that is beyond ``max_wait``."""
        while True:
            with self._lock:
                info = self._state.get(resource)
                now = self._now()
                if info is None or info.remaining is None:
                    return  # unknown: send, and learn the budget from the answer
                if info.reset_at is None or info.reset_at <= now:
                    del self._state[resource]  # the window is over: unknown again
                    return
                if info.remaining >= cost:
                    self._state[resource] = replace(info, remaining=info.remaining - cost)
                    return
                until = info.reset_at
                seconds = (until - now).total_seconds() + 1.0
            if seconds > self.max_wait:
                raise StopFetching(
                    f"GitHub's {resource} budget is spent until {until:%H:%M} UTC "
                    f"({human(seconds)} away), longer than --max-wait {human(self.max_wait)}; "
                    f"rerun after {until:%H:%M} UTC to continue"
                )
            self._reporter.waiting(seconds, until, f"{resource} rate limit")
            self._sleep(seconds)
            with self._lock:
                current = self._state.get(resource)
                if current is not None and current.reset_at == until:
                    del self._state[resource]

    def update(self, info: RateInfo) -> None:
        if info.remaining is None:
            return
        with self._lock:
            self._state[info.resource] = info

    def spent(self, resource: str, reset_at: dt.datetime) -> None:
        """GitHub refused for lack of budget. A reset time already past (clock skew between
        us and GitHub) still waits a little, so a refusal can never turn into a busy loop."""
        earliest = self._now() + dt.timedelta(seconds=SKEW_GUARD)
        with self._lock:
            self._state[resource] = RateInfo(resource, None, 0, max(reset_at, earliest))


def human(seconds: float) -> str:
    """A duration for people: ``45s``, ``12m``, ``3h05m``."""
    seconds = max(0, math.ceil(seconds))
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"


WINDOW_SECONDS = 3600.0  # GitHub's primary limits are per hour
DEFAULT_LIMITS = {"graphql": 5000, "core": 5000, "core-unauthenticated": 60}


@dataclass(frozen=True, slots=True)
class Plan:
    """What fetching ``names`` will cost, for ``--dry-run``."""

    names: int
    resource: str  # "graphql" or "core"
    requests: int
    points: int
    limit: int
    remaining: int
    reset_at: dt.datetime | None
    latency: float  # seconds per request assumed
    seconds: float  # expected wall time, waits for resets included
    budget_known: bool  # False when GitHub could not be asked: defaults assumed

    def describe(self) -> str:
        if self.names == 0:
            return "nothing to fetch: every name is already resolved"
        kind = "GraphQL queries" if self.resource == "graphql" else "REST requests"
        source = "now" if self.budget_known else "assumed (GitHub not reachable)"
        text = (
            f"{self.names} names to fetch: {self.requests} {kind} costing about "
            f"{self.points} {self.resource} points; budget {self.remaining}/{self.limit} {source}"
        )
        if self.points > self.remaining and self.reset_at is not None:
            text += f", resets {self.reset_at:%H:%M} UTC"
        text += f"; expected time {human(self.seconds)}"
        text += f" at {self.latency * 1000:.0f} ms per request"
        if self.resource == "graphql":
            text += "; plus one REST request per name GraphQL cannot resolve"
        return text


def plan(
    names: int,
    *,
    graphql: bool,
    batch_size: int,
    rate: RateInfo | None,
    latency: float,
    now: dt.datetime,
    free: int = 0,
) -> Plan:
    """Estimate requests, points and time for ``names`` at the budget GitHub reported (``rate``,
    None when unknown). ``free`` names have an ETag and may answer 304 at no cost."""
    resource = "graphql" if graphql else "core"
    if graphql:
        size = max(1, min(batch_size, MAX_BATCH))
        requests = math.ceil(names / size)
        full, rest = divmod(names, size)  # GitHub's rule per query (facts.query_cost)
        points = full * query_cost(size) + (query_cost(rest) if rest else 0)
    else:
        requests = names
        points = max(0, names - free)
    default = DEFAULT_LIMITS[resource if rate is not None or graphql else "core-unauthenticated"]
    limit = rate.limit if rate is not None and rate.limit else default
    remaining = rate.remaining if rate is not None and rate.remaining is not None else limit
    reset_at = rate.reset_at if rate is not None else None
    seconds = requests * latency
    if points > remaining:
        reset_in = (reset_at - now).total_seconds() if reset_at is not None else WINDOW_SECONDS
        beyond = points - remaining
        windows = math.ceil(beyond / limit)
        last_window = beyond - (windows - 1) * limit
        seconds = max(seconds, reset_in + (windows - 1) * WINDOW_SECONDS + last_window * latency)
    return Plan(
        names=names,
        resource=resource,
        requests=requests,
        points=points,
        limit=limit,
        remaining=remaining,
        reset_at=reset_at,
        latency=latency,
        seconds=seconds,
        budget_known=rate is not None,
    )
