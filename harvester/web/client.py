"""``PoliteClient``: GETs spaced, retried, capped, redirected by hand and checked (the package's
docstring says how)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Self

import httpx

from harvester.backoff import jittered, retry_after
from harvester.config import check_contact, read_contact
from harvester.errors import SourceError
from harvester.web.clock import Clock, default_clock
from harvester.web.model import (
    REDIRECT_STATUSES,
    RETRY_STATUSES,
    HeaderCheck,
    Page,
    Policy,
    Refused,
    UrlCheck,
    WaitHook,
    user_agent,
)
from harvester.web.pin import AddressPin, PinRefused, pin_connections


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
        pin: AddressPin | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.policy = policy
        self.clock = clock if clock is not None else default_clock()
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
        if pin is not None and transport is None:  # a test's transport opens no connections
            pin_connections(self._client, pin)

    def get(
        self,
        path: str,
        params: Mapping[str, str | int] | None = None,
        *,
        accept: HeaderCheck | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Page:
        """The first answer that is not worth retrying; SourceError when retries run out.
        ``path`` is relative to the API root, or a whole http(s) URL. ``accept`` sees a final
        2xx answer's headers before its body is read; its reason refuses it (``Refused``).
        ``headers`` go with the request and every redirect hop (``If-None-Match``, ...)."""
        problem = ""
        for attempt in range(self.policy.retries + 1):
            asked: float | None = None
            try:
                page = self._follow(path, params, accept, headers)
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
        self,
        path: str,
        params: Mapping[str, str | int] | None,
        accept: HeaderCheck | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Page:
        extra = dict(headers or {})
        request = self._client.build_request("GET", path, params=dict(params or {}), headers=extra)
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
            request = self._client.build_request("GET", target, headers=extra)
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
        except PinRefused as exc:  # nothing was sent: the name now resolves somewhere refused
            why = exc.why
            raise Refused("refused", f"{self.name}: not connecting to {url}: {why}", why) from None
        except BaseException:
            self._sent(host)
            raise
        try:
            self._check_headers(request, response, accept)
            body = self._read(response)
        finally:
            response.close()
            self._sent(host)
        headers = {k.lower(): v for k, v in response.headers.items()}
        return Page(url, response.status_code, response.reason_phrase, headers, body)

    def _sent(self, host: str) -> None:
        self._last[host] = self.clock.now()
        self.requests += 1

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
