"""The polite HTTP helper: spacing, one connection, retries with jittered backoff, retry-after,
against a real server on 127.0.0.1 and a clock that never really sleeps."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from harvester.backoff import retry_after
from harvester.errors import SourceError
from harvester.web import Policy, PoliteClient
from tests.fakesources import FakeClock, FakeHF

DAY = {"date": "2025-11-03"}
PATH = "/api/daily_papers"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> Iterator[FakeHF]:
    with FakeHF(clock=clock.now, days={"2025-11-03": [{"paper": {"id": "2511.00001"}}]}) as fake:
        yield fake


def _client(
    server: FakeHF, clock: FakeClock, waits: list[str] | None = None, **policy: Any
) -> PoliteClient:
    return PoliteClient(
        "Test API",
        server.url,
        Policy(**policy),
        clock=clock,
        rng=random.Random(1),
        on_wait=(lambda s, why: waits.append(why)) if waits is not None else None,
    )


def test_requests_are_spaced_over_one_connection(server: FakeHF, clock: FakeClock) -> None:
    with _client(server, clock, min_interval=3.0) as client:
        for _ in range(3):
            assert client.get(PATH, DAY).status_code == 200
    times = [r.at for r in server.requests]
    assert [b - a for a, b in itertools.pairwise(times)] == [3.0, 3.0]
    assert server.connections == 1


def test_transient_failures_are_retried_with_jittered_capped_backoff(
    server: FakeHF, clock: FakeClock
) -> None:
    server.fail_next(503, times=2)
    server.fail_next(drop=True)  # a connection closed without an answer
    waits: list[str] = []
    with _client(server, clock, waits, backoff=2.0, max_backoff=5.0) as client:
        assert client.get(PATH, DAY).json() == [{"paper": {"id": "2511.00001"}}]
    assert len(server.requests) == 4
    ceilings = [2.0, 4.0, 5.0]  # 2 * 2**n, capped at 5
    assert len(clock.sleeps) == 3
    for slept, ceiling in zip(clock.sleeps, ceilings, strict=True):
        assert ceiling / 2 <= slept <= ceiling
    assert "HTTP 503 Service Unavailable; retry 1 of 5" in waits[0]
    assert "RemoteProtocolError" in waits[2]


def test_retry_after_is_honoured_or_refused_when_too_long(server: FakeHF, clock: FakeClock) -> None:
    server.fail_next(429, headers=[("Retry-After", "7")])
    with _client(server, clock) as client:
        assert client.get(PATH, DAY).status_code == 200
    assert clock.sleeps == [7.0]

    server.fail_next(503, headers=[("Retry-After", "3600")])
    with _client(server, clock, max_wait=600) as client, pytest.raises(SourceError) as caught:
        client.get(PATH, DAY)
    assert "asks us to wait 3600s" in str(caught.value)
    assert clock.sleeps == [7.0]  # nothing more was waited


def test_client_errors_are_returned_not_retried(server: FakeHF, clock: FakeClock) -> None:
    with _client(server, clock) as client:
        response = client.get(PATH, {"date": "2025-13-45"})
    assert response.status_code == 400 and "valid date" in response.json()["error"]
    assert len(server.requests) == 1 and clock.sleeps == []


def test_giving_up_says_where_and_how_often(server: FakeHF, clock: FakeClock) -> None:
    server.fail_next(502, times=10)
    with _client(server, clock, retries=2) as client, pytest.raises(SourceError) as caught:
        client.get(PATH, DAY)
    assert len(server.requests) == 3
    assert f"Test API at {server.url} kept failing (HTTP 502 Bad Gateway; 3 attempts)" in str(
        caught.value
    )


def test_unreachable_server_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PoliteClient("Test API", f"http://127.0.0.1:{port}", Policy(retries=1), clock=clock)
    with client, pytest.raises(SourceError, match="ConnectError"):
        client.get(PATH, DAY)
    assert len(clock.sleeps) == 1


def test_retry_after_values() -> None:
    now = dt.datetime(2025, 11, 3, 12, 0, tzinfo=dt.UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Mon, 03 Nov 2025 12:00:30 GMT", now) == 30.0
    assert retry_after("Mon, 03 Nov 2025 11:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None
    assert retry_after(None) is None
