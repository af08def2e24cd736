"""Time, and today's date, for the web seam: the system's, or a test's.

``SYSTEM_CLOCK`` is looked up (on the ``harvester.web`` package) when a client or source is
built, so tests swap in a fake one (``monkeypatch.setattr(web, "SYSTEM_CLOCK", fake)``) and
never really sleep nor depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""
        ...

    def sleep(self, seconds: float) -> None: ...

    def today(self) -> dt.date:
        """Today's date in UTC: the open end of a date range."""
        ...


class _SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def today(self) -> dt.date:
        return dt.datetime.now(dt.UTC).date()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


SYSTEM_CLOCK: Clock = _SystemClock()


def default_clock() -> Clock:
    """``harvester.web.SYSTEM_CLOCK`` as it is now (the package's attribute is the one tests
    swap, not this module's)."""
    package = sys.modules.get(__name__.rpartition(".")[0])
    clock: Clock = getattr(package, "SYSTEM_CLOCK", SYSTEM_CLOCK)
    return clock
