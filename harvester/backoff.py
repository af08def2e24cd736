"""Waiting between attempts, shared by the GitHub engine and the live paper sources. Pure.

* ``jittered`` — exponential backoff (``base * 2**attempt``, capped), the actual wait drawn
  from the upper half of that ceiling: retries spread out, yet never come back too soon.
* ``retry_after`` — the seconds a ``retry-after`` header asks for, in either of its forms
  (delta-seconds, or an HTTP date).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random


def jittered(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait before retry ``attempt + 1`` (``attempt`` counts from 0)."""
    ceiling = min(cap, base * 2.0**attempt)
    return ceiling * (0.5 + rng.random() / 2)


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``retry-after`` value asks for, or None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
