"""Typed values out of GitHub's JSON, shared by the parsers (``parse``, ``facts``). Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any


def timestamp(value: Any) -> dt.datetime | None:
    """An ISO 8601 time as GitHub writes it (``...Z``), UTC when it names no zone; None when
    absent or malformed."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def integer(value: Any) -> int | None:
    """An int, and not a bool (JSON's true is no count)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
