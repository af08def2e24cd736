"""The one seam for outbound HTTP to every service that is not GitHub (arXiv, Hugging Face, and
next: project pages, full texts). Only this module and ``github/graphql.py`` import httpx.

For every GET, ``PoliteClient``:

* leaves at least ``min_interval`` seconds between the end of one request and the start of the
  next *to the same host*, over at most ``connections`` connections (arXiv asks for 3 s and one
  connection at a time);
* retries what is worth retrying -- transport errors (timeouts, refused or reset connections)
  and HTTP 429/500/502/503/504 -- up to ``retries`` times, waiting what ``retry-after`` asks
  (seconds or an HTTP date) or else a jittered exponential backoff: ``backoff * 2**n`` capped at
  ``max_backoff``, the actual wait drawn from its upper half so retries spread out but never
  hammer; it does not wait longer than ``max_wait`` for a ``retry-after``: a SourceError says so;
* follows at most ``max_redirects`` redirects, each spaced like any request, and only to http(s);
* reads the body streamed and refuses one larger than ``max_bytes`` (decoded), so a huge or
  endless answer costs at most that much memory;
* names the tool, its version and the user's contact (``HARVESTER_CONTACT`` or ``contact=``) in
  ``User-Agent``, and honours ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY``/``SSL_CERT_FILE``;
* asks ``check_url`` (when given) about every URL before it is requested, redirects included:
  the place for robots.txt and private-address refusals of project-page fetching; and
  ``get``'s ``accept`` (when given) about a final answer's headers before its body is read;
* raises these refusals as ``Refused`` (a SourceError) whose ``reason`` says which: ``refused``
  (check_url; its answer is the ``detail``), ``not_accepted`` (accept), ``too_large``,
  ``redirect_loop``, ``bad_redirect``;
* returns every other answer (2xx, other 4xx) as a ``Page``, which the caller reads in its
  service's own terms, turning a refusal into a one-line SourceError.
  ``Refused`` is final: it is never retried.

Time, and today's date, come from a ``Clock``. ``SYSTEM_CLOCK`` is looked up when a source is
built, so tests swap in a fake one (``monkeypatch.setattr(web, "SYSTEM_CLOCK", fake)``) and
never really sleep nor depend on the day they run. Tests hand ``transport=`` an
``httpx.MockTransport`` or run a real server on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, Self

import httpx

from harvester import __version__
from harvester.backoff import jittered, retry_after
from harvester.config import check_contact, read_contact
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
    """A URL or answer refused without retrying; ``reason`` is one of ``refused`` (check_url),
    ``not_accepted`` (accept), ``too_large``, ``redirect_loop``, ``bad_redirect``; ``detail``
    is what check_url or accept answered (else the message)."""

    def __init__(self, reason: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.detail = detail or message


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
        contact: str | None = None,
        check_url: UrlCheck | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.policy = policy
        self.clock = clock if clock is not None else SYSTEM_CLOCK
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.on_wait = on_wait
        self.check_url = check_url
        self.requests = 0
        self._last: dict[str, float] = {}  # host -> when its last request ended
        contact = read_contact() if contact is None else check_contact(contact, "--contact")
        self.user_agent = user_agent(contact)
        self._client = httpx.Client(
            base_url=base_url,
            timeout=policy.timeout,
            limits=httpx.Limits(
                max_connections=policy.connections, max_keepalive_connections=policy.connections
            ),
            headers={"User-Agent": self.user_agent},
            follow_redirects=False,  # followed here: counted, spaced, checked
            trust_env=True,  # HTTP(S)_PROXY, NO_PROXY, SSL_CERT_FILE
            transport=transport,
        )

    def get(
        self,
        path: str,
        params: Mapping[str, str | int] | None = None,
        *,
        accept: HeaderCheck | None = None,
    ) -> Page:
        """The first answer that is not worth retrying; SourceError when retries run out.
        ``path`` is relative to the API root, or a whole http(s) URL. ``accept`` sees a final
        2xx answer's headers before its body is read; its reason refuses it (``Refused``)."""
        problem = ""
        for attempt in range(self.policy.retries + 1):
            asked: float | None = None
            try:
                page = self._follow(path, params, accept)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if page.status_code not in RETRY_STATUSES:
                    return page
                problem = f"HTTP {page.status_code} {page.reason_phrase}".rstrip()
                asked = retry_after(page.headers.get("retry-after"))
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

    def _follow(
        self, path: str, params: Mapping[str, str | int] | None, accept: HeaderCheck | None = None
    ) -> Page:
        request = self._client.build_request("GET", path, params=dict(params or {}))
        for _ in range(self.policy.max_redirects + 1):
            page = self._once(request, accept)
            location = page.headers.get("location")
            if page.status_code not in REDIRECT_STATUSES or not location:
                return page
            target = request.url.join(location)
            if target.scheme not in ("http", "https"):
                raise Refused(
                    "bad_redirect",
                    f"{self.name} redirected {request.url} to a {target.scheme}: URL",
                )
            request = self._client.build_request("GET", target)
        raise Refused(
            "redirect_loop",
            f"{self.name}: more than {self.policy.max_redirects} redirects from {self.base_url}",
        )

    def _once(self, request: httpx.Request, accept: HeaderCheck | None = None) -> Page:
        url = str(request.url)
        if self.check_url is not None and (why := self.check_url(url)) is not None:
            raise Refused("refused", f"{self.name}: not fetching {url}: {why}", why)
        host = request.url.host
        self._space(host)
        try:
            response = self._client.send(request, stream=True)
            try:
                self._check_headers(request, response, accept)
                body = self._read(response)
            finally:
                response.close()
        finally:
            self._last[host] = self.clock.now()
            self.requests += 1
        headers = {k.lower(): v for k, v in response.headers.items()}
        return Page(url, response.status_code, response.reason_phrase, headers, body)

    def _check_headers(
        self, request: httpx.Request, response: httpx.Response, accept: HeaderCheck | None
    ) -> None:
        """``accept``'s verdict on a final 2xx answer, before any of its body is read."""
        if accept is None or not 200 <= response.status_code < 300:
            return
        headers = {k.lower(): v for k, v in response.headers.items()}
        if (why := accept(headers)) is not None:
            raise Refused("not_accepted", f"{self.name}: not reading {request.url}: {why}", why)

    def _read(self, response: httpx.Response) -> bytes:
        cap = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise Refused(
                "too_large", self._too_large(response, f"{int(declared):,} bytes announced")
            )
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise Refused("too_large", self._too_large(response, "more than that sent"))
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, response: httpx.Response, how: str) -> str:
        return (
            f"{self.name} sent an answer larger than {self.policy.max_bytes:,} bytes "
            f"({how}) for {response.request.url}; not read"
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

    def _space(self, host: str) -> None:
        last = self._last.get(host)
        if last is None or self.policy.min_interval <= 0:
            return
        wait = last + self.policy.min_interval - self.clock.now()
        if wait > 0:
            self.clock.sleep(wait)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
