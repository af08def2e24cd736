"""Fixtures for following: the web seam on a fake clock, with no proxy from the environment."""

from __future__ import annotations

import datetime as dt

import pytest

from harvester import web
from tests.fakesources import FakeClock


@pytest.fixture
def direct_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """A fake clock (today 2025-11-05) for the web seam, and no proxy variables: connections
    go direct, so the guard's pin is the one that decides."""
    clock = FakeClock(day=dt.date(2025, 11, 5))
    monkeypatch.setattr(web, "SYSTEM_CLOCK", clock)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return clock
