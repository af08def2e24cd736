"""What ``harvester status`` asks GitHub: the token's remaining budget.

(The engine's own budget keeping is ``github/budget.py``; this only reports.)

``GET /rate_limit`` is free (it does not count against any limit), so ``status`` asks it every
time a token is set. Whatever happens — GitHub unreachable, the token refused, an odd answer —
the outcome is a line of text for the status table, never an exception: ``status`` must work
offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from harvester.config import ApiUrls, Secret
from harvester.github.parse import NetworkError, Reply
from harvester.github.rest import RestClient

RESOURCES = (("core", "REST"), ("graphql", "GraphQL"))


def github_budget(
    urls: ApiUrls, token: Secret | None, *, timeout: float = 10.0, now: dt.datetime | None = None
) -> list[tuple[str, str]]:
    """``(item, value)`` rows describing the token's budget, or why it is unknown."""
    if token is None:
        return [("GitHub budget", "no token set (GITHUB_TOKEN or GH_TOKEN): not checked")]
    client = RestClient(urls.rest, token, timeout=timeout)
    try:
        reply = client.rate_limit()
    except NetworkError as exc:
        where = "" if urls.rest in exc.reason else f" at {urls.rest}"
        return [("GitHub budget", f"unknown, GitHub did not answer: {exc.reason}{where}")]
    finally:
        client.close()
    return describe(reply, now or dt.datetime.now(dt.UTC))


def describe(reply: Reply, now: dt.datetime) -> list[tuple[str, str]]:
    """Rows for a ``/rate_limit`` answer (pure)."""
    if reply.status == 401:
        return [("GitHub budget", "unknown: GitHub rejected the token (401 Bad credentials)")]
    payload = reply.payload
    resources = payload.get("resources") if isinstance(payload, dict) else None
    if reply.status != 200 or not isinstance(resources, dict):
        return [("GitHub budget", f"unknown: GitHub answered HTTP {reply.status} to /rate_limit")]
    rows = []
    for key, label in RESOURCES:
        entry = resources.get(key)
        if isinstance(entry, Mapping):
            rows.append((f"GitHub {label} budget", _line(entry, now)))
    return rows or [("GitHub budget", "unknown: /rate_limit listed no core or graphql budget")]


def _line(entry: Mapping[str, Any], now: dt.datetime) -> str:
    remaining, limit, reset = entry.get("remaining"), entry.get("limit"), entry.get("reset")
    text = f"{remaining:,} of {limit:,} left" if _ints(remaining, limit) else "unknown"
    if isinstance(reset, int) and not isinstance(reset, bool):
        at = dt.datetime.fromtimestamp(reset, dt.UTC)
        minutes = max(0, round((at - now).total_seconds() / 60))
        text += f", resets {at:%H:%M} UTC (in {minutes} min)"
    return text


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)
