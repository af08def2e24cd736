"""Budget keeping (pure: a fake clock and a sleep that only records), ``human`` and ``plan``."""

from __future__ import annotations

import datetime as dt

import pytest

from harvester.github.budget import (
    SKEW_GUARD,
    Budget,
    SilentReporter,
    StopFetching,
    human,
    plan,
)
from harvester.github.parse import RateInfo

T0 = dt.datetime(2025, 11, 3, 12, 0, tzinfo=dt.UTC)


class World(SilentReporter):
    """A clock that moves only when the budget sleeps, and what it was told."""

    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []
        self.waits: list[tuple[float, dt.datetime, str]] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=seconds)

    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None:
        self.waits.append((seconds, until, reason))


def _budget(world: World, max_wait: float = 900.0) -> Budget:
    return Budget(max_wait, world.sleep, lambda: world.now, world)


def _rate(remaining: int | None, reset_in: float | None, resource: str = "graphql") -> RateInfo:
    reset = T0 + dt.timedelta(seconds=reset_in) if reset_in is not None else None
    return RateInfo(resource, 5000, remaining, reset)


def test_unknown_budget_sends_at_once() -> None:
    world = World()
    budget = _budget(world)
    budget.acquire("graphql", 100)
    budget.update(_rate(None, 60))  # a reply without numbers teaches nothing
    budget.acquire("graphql", 100)
    assert world.slept == []


def test_known_budget_is_reserved_then_waited_for_at_the_reset() -> None:
    world = World()
    budget = _budget(world)
    budget.update(_rate(2, 120))
    budget.acquire("graphql", 1)
    budget.acquire("graphql", 1)  # the two points left, reserved one by one
    assert world.slept == []
    budget.acquire("graphql", 1)  # none left: wait for the reset (plus a second), then send
    assert world.slept == [121.0]
    assert world.waits == [(121.0, T0 + dt.timedelta(seconds=120), "graphql rate limit")]
    budget.acquire("graphql", 1)  # after the reset the budget is unknown again: no more waits
    assert world.slept == [121.0]


def test_resources_are_kept_apart() -> None:
    world = World()
    budget = _budget(world)
    budget.update(_rate(0, 300, "core"))
    budget.acquire("graphql", 1)
    assert world.slept == []
    budget.acquire("core", 1)
    assert world.slept == [301.0]


def test_a_reset_beyond_max_wait_stops_with_when_to_rerun() -> None:
    world = World()
    budget = _budget(world, max_wait=600)
    budget.update(_rate(0, 3600))
    with pytest.raises(StopFetching) as stop:
        budget.acquire("graphql", 1)
    assert str(stop.value) == (
        "GitHub's graphql budget is spent until 13:00 UTC (60m away), longer than --max-wait "
        "10m; rerun after 13:00 UTC to continue"
    )
    assert world.slept == []


def test_a_past_window_is_forgotten() -> None:
    world = World()
    budget = _budget(world)
    budget.update(_rate(0, -5))  # reset already passed
    budget.acquire("graphql", 1)
    assert world.slept == []


def test_a_refusal_with_a_reset_in_the_past_still_waits_the_skew_guard() -> None:
    world = World()
    budget = _budget(world)
    budget.spent("core", T0 - dt.timedelta(minutes=5))  # GitHub's clock behind ours
    budget.acquire("core", 1)
    assert world.slept == [SKEW_GUARD + 1.0]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (0.2, "1s"), (119, "119s"), (120, "2m"), (7199, "119m"), (7200, "2h00m"),
     (11_100, "3h05m"), (-3, "0s")],
)  # fmt: skip
def test_human(seconds: float, text: str) -> None:
    assert human(seconds) == text


def test_plan_graphql_within_budget() -> None:
    rate = _rate(4000, 1800)
    p = plan(250, graphql=True, batch_size=100, rate=rate, latency=0.5, now=T0)
    # 100 + 100 + 50 repositories: 3 + 3 + 2 points (3 connections per repository)
    assert (p.requests, p.points, p.remaining, p.limit) == (3, 8, 4000, 5000)
    assert p.seconds == 1.5 and p.budget_known
    assert p.describe() == (
        "250 names to fetch: 3 GraphQL queries costing about 8 graphql points; budget 4000/5000 "
        "now; expected time 2s at 500 ms per request; plus one REST request per name GraphQL "
        "cannot resolve"
    )


def test_plan_rest_beyond_budget_waits_for_resets() -> None:
    rate = RateInfo("core", 60, 10, T0 + dt.timedelta(seconds=600))
    p = plan(200, graphql=False, batch_size=100, rate=rate, latency=1.0, now=T0, free=50)
    # 150 paid requests, 10 left now: the rest needs 3 more windows of 60 (the last one 20)
    assert (p.requests, p.points) == (200, 150)
    assert p.seconds == 600 + 2 * 3600 + 20 * 1.0
    assert "resets 12:10 UTC" in p.describe()


def test_plan_without_a_known_budget_assumes_the_unauthenticated_limit() -> None:
    p = plan(5, graphql=False, batch_size=100, rate=None, latency=0.3, now=T0)
    assert (p.limit, p.remaining, p.budget_known) == (60, 60, False)
    assert "assumed (GitHub not reachable)" in p.describe()
    assert plan(0, graphql=True, batch_size=100, rate=None, latency=0.3, now=T0).describe() == (
        "nothing to fetch: every name is already resolved"
    )
