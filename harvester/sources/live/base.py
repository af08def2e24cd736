"""What every live source shares: one polite client (``harvester.web``), today's date from the
injected clock, the refusal of a start day in the future, and closing on exit."""

from __future__ import annotations

import datetime as dt
from typing import Self

from harvester import web
from harvester.errors import UsageError
from harvester.web import Clock, Policy, PoliteClient, WaitHook


class LiveSource:
    """A live paper source; use it as a context manager so its connection is closed."""

    def __init__(
        self,
        name: str,
        api_url: str,
        policy: Policy,
        *,
        start: dt.date | None,
        end: dt.date | None = None,
        clock: Clock | None = None,
        on_wait: WaitHook | None = None,
        contact: str | None = None,
    ) -> None:
        """``start``/``end``: the days asked for (``end`` None: up to today); a start after
        them is a usage error. ``contact`` (an e-mail address or URL) goes into ``User-Agent``;
        None reads ``HARVESTER_CONTACT``."""
        clock = clock if clock is not None else web.SYSTEM_CLOCK
        self.today = clock.today()
        if start is not None and start > (end or self.today):
            raise UsageError(f"--from {start} is in the future (today is {self.today} UTC)")
        self.client = PoliteClient(
            name, api_url, policy, clock=clock, on_wait=on_wait, contact=contact
        )
        self.read = 0  # papers yielded

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
