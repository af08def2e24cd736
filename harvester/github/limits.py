"""What a GitHub reply says about the rate limits. Pure: no I/O.

``verdict`` sorts a reply into a refused token (``auth``), a spent primary budget (``primary``:
wait for the reset), a secondary limit (``secondary``: back off) or none of these; ``reset_at``
says when a spent budget comes back.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from harvester.github.parse import RATE_LIMIT_TYPES, rate_from_graphql, rate_from_headers
from harvester.github.transport import Reply

Verdict = Literal["auth", "primary", "secondary"]


def verdict(resource: str, reply: Reply) -> Verdict | None:
    if reply.status == 401:
        return "auth"
    payload = reply.payload if isinstance(reply.payload, dict) else {}
    if reply.status == 200 and resource == "graphql":
        errors = payload.get("errors") or []
        limited = any(isinstance(e, dict) and e.get("type") in RATE_LIMIT_TYPES for e in errors)
        return "primary" if limited else None
    if reply.status not in (403, 429) or "block" in payload:
        return None
    said = message(reply).lower()
    if "secondary rate limit" in said or "abuse" in said:
        return "secondary"
    if reply.headers.get("x-ratelimit-remaining") == "0":
        return "primary"
    if "retry-after" in reply.headers or reply.status == 429:
        return "secondary"
    return None


def reset_at(reply: Reply, now: dt.datetime) -> dt.datetime:
    """When a spent budget resets: the ``x-ratelimit-reset`` header, else GraphQL's
    ``rateLimit.resetAt``, else a minute from ``now``."""
    info = rate_from_headers(reply.headers)
    if info.reset_at is not None:
        return info.reset_at
    data = reply.payload.get("data") if isinstance(reply.payload, dict) else None
    rate = rate_from_graphql(data.get("rateLimit") if isinstance(data, dict) else None)
    if rate is not None and rate.reset_at is not None:
        return rate.reset_at
    return now + dt.timedelta(seconds=60)


def message(reply: Reply) -> str:
    """GitHub's own ``message``, first line, at most 200 characters."""
    if isinstance(reply.payload, dict):
        said = reply.payload.get("message")
        if isinstance(said, str) and said:
            return said.splitlines()[0][:200]
    return "no message"
