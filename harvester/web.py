"""A polite HTTP client for the live paper sources: spacing, retries, ``retry-after``.

Only the live source modules (``arxiv_api``, ``hf_api``) and this helper import httpx. For every
GET, ``PoliteClient``:

* leaves at least ``min_interval`` seconds between the end of one request and the start of the
  next, over a single connection (arXiv asks for 3 s and one connection at a time);
* retries what is worth retrying -- transport errors (timeouts, refused or reset connections)
  and HTTP 429/500/502/503/504 -- up to ``retries`` times, waiting what ``retry-after`` asks
  (seconds or an HTTP date) or else a jittered exponential backoff: ``backoff * 2**n`` capped at
  ``max_backoff``, the actual wait drawn from its upper half so retries spread out but never
  hammer;
* does not wait longer than ``max_wait`` for a ``retry-after``: a SourceError says so instead;
* returns every other answer (2xx, other 4xx) to the caller, which knows its source's error
  format and turns a refusal into a one-line SourceError.

Time, and today's date, come from a ``Clock``. ``SYSTEM_CLOCK`` is looked up when a source is
built, so tests swap in a fake one (``monkeypatch.setattr(web, "SYSTEM_CLOCK", fake)``) and
never really sleep nor depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, Self

import httpx

from harvester import __version__
from harvester.backoff import jittered, retry_after
from harvester.errors import SourceError

USER_AGENT = f"harvester/{__version__} (paper-to-code harvester; python-httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

WaitHook = Callable[[float, str], None]  # (seconds, why): shown to the user before a retry wait


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


@dataclass(frozen=True, slots=True)
class Policy:
    """How politely to talk to one service."""

    min_interval: float = 0.0  # seconds between the end of a request and the next one
    retries: int = 5  # attempts after the first
    backoff: float = 2.0  # first backoff, doubled per retry
    max_backoff: float = 120.0
    max_wait: float = 600.0  # longest retry-after we are willing to honour
    timeout: float = 60.0  # seconds per request (connect, read)


class PoliteClient:
    """GETs against one API root, spaced and retried as ``policy`` says (see module docs)."""

    def __init__(
        self,
        name: str,
        base_url: str,
        policy: Policy,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        on_wait: WaitHook | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.policy = policy
        self.clock = clock if clock is not None else SYSTEM_CLOCK
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.on_wait = on_wait
        self.requests = 0
        self._last: float | None = None
        self._client = httpx.Client(
            base_url=base_url,
            timeout=policy.timeout,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
        )

    def get(self, path: str, params: Mapping[str, str | int]) -> httpx.Response:
        """The first answer that is not worth retrying; SourceError when retries run out."""
        problem = ""
        for attempt in range(self.policy.retries + 1):
            self._space()
            asked: float | None = None
            try:
                response = self._client.get(path, params=dict(params))
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                problem = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
                asked = retry_after(response.headers.get("retry-after"))
            finally:
                self._last = self.clock.now()
                self.requests += 1
            if attempt == self.policy.retries:
                break
            if asked is not None and asked > self.policy.max_wait:
                raise SourceError(
                    f"{self.name} answered {problem} and asks us to wait {asked:.0f}s "
                    "(retry-after); try again later"
                )
            self.pause(attempt, problem, asked)
        raise SourceError(
            f"{self.name} at {self.base_url} kept failing ({problem}; "
            f"{self.policy.retries + 1} attempts); check --api-url or try again later"
        )

    def pause(self, attempt: int, problem: str, seconds: float | None = None) -> None:
        """Wait before retry number ``attempt + 1``: ``seconds`` if given, else backoff."""
        wait = self.backoff_delay(attempt) if seconds is None else seconds
        if self.on_wait is not None:
            self.on_wait(
                wait, f"{self.name}: {problem}; retry {attempt + 1} of {self.policy.retries}"
            )
        self.clock.sleep(wait)

    def backoff_delay(self, attempt: int) -> float:
        return jittered(attempt, self.policy.backoff, self.policy.max_backoff, self.rng)

    def _space(self) -> None:
        if self._last is None or self.policy.min_interval <= 0:
            return
        wait = self._last + self.policy.min_interval - self.clock.now()
        if wait > 0:
            self.clock.sleep(wait)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
