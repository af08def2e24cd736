"""What the web seam's callers see: the policy a client follows, the answer it returns, the
refusal it raises, and the hooks it calls."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harvester import __version__
from harvester.errors import SourceError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

WaitHook = Callable[[float, str], None]  # (seconds, why): shown to the user before a retry wait
UrlCheck = Callable[[str], str | None]  # a URL -> why it must not be fetched, or None
HeaderCheck = Callable[
    [Mapping[str, str]], str | None
]  # lowercase headers -> why not read, or None


def user_agent(contact: str | None) -> str:
    """``harvester/VERSION (paper-to-code harvester; +CONTACT)``: who is asking, and whom to tell
    when it misbehaves."""
    who = f"+{contact}" if contact else "python-httpx"
    return f"harvester/{__version__} (paper-to-code harvester; {who})"


@dataclass(frozen=True, slots=True)
class Policy:
    """How politely to talk to one service."""

    min_interval: float = 0.0  # seconds between the end of a request and the next, per host
    retries: int = 5  # attempts after the first
    backoff: float = 2.0  # first backoff, doubled per retry
    max_backoff: float = 120.0
    max_wait: float = 600.0  # longest retry-after we are willing to honour
    timeout: float = 60.0  # seconds per request (connect, read)
    max_bytes: int = 64 * 1024 * 1024  # largest body read (after content decoding)
    max_redirects: int = 5
    connections: int = 1


@dataclass(frozen=True, slots=True)
class Page:
    """One answer: where it finally came from (after redirects), status, lowercase headers,
    the whole body."""

    url: str
    status_code: int
    reason_phrase: str
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.content)


class Refused(SourceError):
    """A URL or answer refused without retrying; ``reason`` is one of ``refused`` (check_url,
    or the pin at connection time), ``not_accepted`` (accept), ``too_large``,
    ``redirect_loop``, ``bad_redirect``; ``detail`` is what check_url, the pin or accept
    answered (else the message)."""

    def __init__(self, reason: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.detail = detail or message
