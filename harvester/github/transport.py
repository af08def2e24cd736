"""What the GitHub clients hand the engine: one answer (``Reply``) or why there is none.

``rest.py`` (PyGithub) and ``graphql.py`` (httpx) both turn what they received into a ``Reply``
with lowercase header names and the JSON body already decoded, or raise ``NetworkError`` /
``RedirectRefused``; ``parse.py`` and the engine only ever see these types, never a library's.
``rejected_token`` is the one translation of a 401, used by the engine, the budget probe and
``status``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TOKEN_HINT = "check GITHUB_TOKEN / GH_TOKEN"  # noqa: S105 - names the variables, holds no token


@dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP answer, whichever client fetched it. ``payload`` is the parsed JSON body (None
    for an empty body, e.g. a 304); header names are lowercase."""

    status: int
    headers: Mapping[str, str]
    payload: Any


class NetworkError(Exception):
    """No usable HTTP answer: connection refused/reset, timeout, truncated or non-JSON body.
    ``reachable`` is False when nothing answered at all (DNS, refused)."""

    def __init__(self, reason: str, *, reachable: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reachable = reachable


class RedirectRefused(Exception):
    """GitHub answered with a redirect to another host or scheme (or one PyGithub does not
    follow), which we never follow: the token must only ever go to the configured API. The
    configured URL is wrong, so the engine stops the whole job on it (no retry)."""


def redirect_refused(api: str, status: int, location: str | None) -> RedirectRefused:
    """The error for a ``status`` 3xx from ``api`` to ``location``, naming where it pointed
    (scheme and host only: a path or query could carry anything)."""
    parts = urlsplit(location or "")
    target = f"{parts.scheme}://{parts.netloc}" if parts.netloc else (location or "nowhere")[:80]
    return RedirectRefused(
        f"{api} answered HTTP {status}, a redirect to {target}; not followed "
        "(is --github-url the API root, e.g. https://HOST/api/v3?)"
    )


def decode_json(body: bytes | str, status: int) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        if status >= 500:
            return None  # an HTML error page from a proxy: the status says enough
        raise NetworkError(f"truncated or non-JSON answer (HTTP {status})") from None


def rejected_token(reply: Reply) -> str | None:
    """``"GitHub rejected the token (401 Bad credentials)"`` for a 401, else None.

    The message is GitHub's own first line when it sent one; the token itself is never in it."""
    if reply.status != 401:
        return None
    message = reply.payload.get("message") if isinstance(reply.payload, dict) else None
    said = message.splitlines()[0][:200] if isinstance(message, str) and message else ""
    return f"GitHub rejected the token ({reply.status} {said or 'Unauthorized'})"
