"""Waiting between attempts: jittered exponential backoff and ``retry-after`` values (pure)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from harvester.backoff import jittered, retry_after

NOW = dt.datetime(2025, 11, 3, 12, 0, tzinfo=dt.UTC)


class Fixed(random.Random):
    """``random()`` returns the value given: the ends of the jitter range are checked exactly."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.mark.parametrize(
    ("attempt", "ceiling"), [(0, 2.0), (1, 4.0), (2, 8.0), (3, 10.0), (30, 10.0)]
)
def test_jittered_stays_in_the_upper_half_of_a_capped_doubling(
    attempt: int, ceiling: float
) -> None:
    assert jittered(attempt, 2.0, 10.0, Fixed(0.0)) == ceiling / 2
    assert jittered(attempt, 2.0, 10.0, Fixed(0.5)) == ceiling * 0.75
    assert jittered(attempt, 2.0, 10.0, Fixed(1.0)) == ceiling


def test_jittered_spreads_retries_out() -> None:
    rng = random.Random(7)
    waits = {round(jittered(2, 1.0, 60.0, rng), 6) for _ in range(50)}
    assert len(waits) > 40 and min(waits) >= 2.0 and max(waits) <= 4.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 5 ", 5.0),
        ("0", 0.0),
        ("Mon, 03 Nov 2025 12:00:30 GMT", 30.0),
        ("Mon, 03 Nov 2025 11:00:00 GMT", 0.0),  # in the past: go now
        ("Mon, 03 Nov 2025 12:01:00", 60.0),  # no zone: read as UTC
        ("soon", None),
        ("-5", None),
        ("1.5", None),  # delta-seconds are whole numbers
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    assert retry_after(value, NOW) == seconds
