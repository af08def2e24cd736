"""The web seam: spacing per host, one connection, retries with jittered backoff, retry-after,
size caps, redirects, User-Agent and proxies, against real servers on 127.0.0.1 (a fake API, a
forward proxy) or httpx.MockTransport, and a clock that never really sleeps."""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import random
import re
import socket
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

import harvester
from harvester import __version__
from harvester.backoff import retry_after
from harvester.errors import SourceError, UsageError
from harvester.web import Policy, PoliteClient, Refused
from tests.fakeproxy import ForwardProxy
from tests.fakesources import FakeClock, FakeHF

DAY = {"date": "2025-11-03"}
PATH = "/api/daily_papers"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> Iterator[FakeHF]:
    with FakeHF(clock=clock.now, days={"2025-11-03": [{"paper": {"id": "2511.00001"}}]}) as fake:
        yield fake


def _client(
    server: FakeHF, clock: FakeClock, waits: list[str] | None = None, **policy: Any
) -> PoliteClient:
    return PoliteClient(
        "Test API",
        server.url,
        Policy(**policy),
        clock=clock,
        rng=random.Random(1),
        on_wait=(lambda s, why: waits.append(why)) if waits is not None else None,
    )


def test_requests_are_spaced_over_one_connection(server: FakeHF, clock: FakeClock) -> None:
    with _client(server, clock, min_interval=3.0) as client:
        for _ in range(3):
            assert client.get(PATH, DAY).status_code == 200
    times = [r.at for r in server.requests]
    assert [b - a for a, b in itertools.pairwise(times)] == [3.0, 3.0]
    assert server.connections == 1


def test_transient_failures_are_retried_with_jittered_capped_backoff(
    server: FakeHF, clock: FakeClock
) -> None:
    server.fail_next(503, times=2)
    server.fail_next(drop=True)  # a connection closed without an answer
    waits: list[str] = []
    with _client(server, clock, waits, backoff=2.0, max_backoff=5.0) as client:
        assert client.get(PATH, DAY).json() == [{"paper": {"id": "2511.00001"}}]
    assert len(server.requests) == 4
    ceilings = [2.0, 4.0, 5.0]  # 2 * 2**n, capped at 5
    assert len(clock.sleeps) == 3
    for slept, ceiling in zip(clock.sleeps, ceilings, strict=True):
        assert ceiling / 2 <= slept <= ceiling
    assert "HTTP 503 Service Unavailable; retry 1 of 5" in waits[0]
    assert "RemoteProtocolError" in waits[2]


def test_retry_after_is_honoured_or_refused_when_too_long(server: FakeHF, clock: FakeClock) -> None:
    server.fail_next(429, headers=[("Retry-After", "7")])
    with _client(server, clock) as client:
        assert client.get(PATH, DAY).status_code == 200
    assert clock.sleeps == [7.0]

    server.fail_next(503, headers=[("Retry-After", "3600")])
    with _client(server, clock, max_wait=600) as client, pytest.raises(SourceError) as caught:
        client.get(PATH, DAY)
    assert "asks us to wait 3600s" in str(caught.value)
    assert clock.sleeps == [7.0]  # nothing more was waited


def test_client_errors_are_returned_not_retried(server: FakeHF, clock: FakeClock) -> None:
    with _client(server, clock) as client:
        response = client.get(PATH, {"date": "2025-13-45"})
    assert response.status_code == 400 and "valid date" in response.json()["error"]
    assert len(server.requests) == 1 and clock.sleeps == []


def test_giving_up_says_where_and_how_often(server: FakeHF, clock: FakeClock) -> None:
    server.fail_next(502, times=10)
    with _client(server, clock, retries=2) as client, pytest.raises(SourceError) as caught:
        client.get(PATH, DAY)
    assert len(server.requests) == 3
    assert f"Test API at {server.url} kept failing (HTTP 502 Bad Gateway; 3 attempts)" in str(
        caught.value
    )


def test_unreachable_server_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PoliteClient("Test API", f"http://127.0.0.1:{port}", Policy(retries=1), clock=clock)
    with client, pytest.raises(SourceError, match="ConnectError"):
        client.get(PATH, DAY)
    assert len(clock.sleeps) == 1


def test_retry_after_values() -> None:
    now = dt.datetime(2025, 11, 3, 12, 0, tzinfo=dt.UTC)
    assert retry_after("120") == 120.0
    assert retry_after("Mon, 03 Nov 2025 12:00:30 GMT", now) == 30.0
    assert retry_after("Mon, 03 Nov 2025 11:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None
    assert retry_after(None) is None


# -- the seam's other duties, through httpx.MockTransport and a forward proxy on 127.0.0.1 -------

Handler = Callable[[httpx.Request], httpx.Response]


def _mock(
    handler: Handler, clock: FakeClock, **kw: Any
) -> tuple[PoliteClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    policy = {k: kw.pop(k) for k in list(kw) if k in Policy.__dataclass_fields__}
    client = PoliteClient(
        "Test API",
        "https://api.example.org",
        Policy(retries=0, **policy),
        clock=clock,
        transport=httpx.MockTransport(record),
        **kw,
    )
    return client, seen


def test_spacing_is_per_host(clock: FakeClock) -> None:
    times: list[tuple[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append((request.url.host, clock.now()))
        return httpx.Response(200, json={})

    client, _ = _mock(handler, clock, min_interval=1.0)
    with client:
        for url in ("https://a.org/1", "https://b.org/1", "https://a.org/2", "https://b.org/2"):
            client.get(url)
    start = 1000.0
    # b.org does not wait for a.org; a.org's second request waits for a.org's first only
    assert times == [("a.org", start), ("b.org", start), ("a.org", start + 1), ("b.org", start + 1)]
    assert clock.sleeps == [1.0]


def test_a_body_beyond_the_cap_is_refused_announced_or_streamed(clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/announced":
            return httpx.Response(200, content=b"x" * 101)
        if request.url.path == "/exact":
            return httpx.Response(200, content=iter([b"x" * 60, b"y" * 40]))
        return httpx.Response(200, content=itertools.repeat(b"z" * 64))  # never ends

    client, _ = _mock(handler, clock, max_bytes=100)
    with client:
        assert client.get("/exact").content == b"x" * 60 + b"y" * 40
        with pytest.raises(SourceError, match=r"larger than 100 bytes \(101 bytes announced\)"):
            client.get("/announced")
        with pytest.raises(SourceError, match=r"larger than 100 bytes \(more than that sent\)"):
            client.get("/endless")
    assert clock.sleeps == []  # a refusal is final: not retried


def test_redirects_are_followed_spaced_bounded_and_http_only(clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            target = "/done" if left == 0 else f"/hop/{left - 1}"
            return httpx.Response(302, headers={"Location": target})
        if path == "/to-file":
            return httpx.Response(301, headers={"Location": "file:///etc/passwd"})
        return httpx.Response(200, json={"at": path})

    client, seen = _mock(handler, clock, min_interval=2.0, max_redirects=3)
    with client:
        page = client.get("/hop/2")  # /hop/2 -> /hop/1 -> /hop/0 -> /done: three redirects
        assert page.json() == {"at": "/done"} and page.url == "https://api.example.org/done"
        assert [r.url.path for r in seen] == ["/hop/2", "/hop/1", "/hop/0", "/done"]
        assert clock.sleeps == [2.0, 2.0, 2.0]  # every hop is a request to the host
        with pytest.raises(SourceError, match="more than 3 redirects"):
            client.get("/hop/3")
        with pytest.raises(SourceError, match="to a file: URL"):
            client.get("/to-file")
    assert all(r.url.scheme == "https" for r in seen)


def test_check_url_sees_every_hop_before_it_is_requested(clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "pages.example.org":
            return httpx.Response(302, headers={"Location": "http://10.0.0.1/admin"})
        return httpx.Response(200)

    asked: list[str] = []

    def check(url: str) -> str | None:
        asked.append(url)
        return "a private address" if "10.0.0.1" in url else None

    client, seen = _mock(handler, clock, check_url=check)
    with (
        client,
        pytest.raises(
            SourceError, match=re.escape("not fetching http://10.0.0.1/admin: a private")
        ),
    ):
        client.get("https://pages.example.org/")
    assert asked == ["https://pages.example.org/", "http://10.0.0.1/admin"]
    assert [str(r.url) for r in seen] == ["https://pages.example.org/"]


def test_user_agent_names_the_tool_its_version_and_the_contact(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=request.headers["user-agent"])

    monkeypatch.setenv("HARVESTER_CONTACT", " lab@example.org ")
    client, _ = _mock(handler, clock)
    with client:
        sent = client.get("/").content.decode()
    assert sent == f"harvester/{__version__} (paper-to-code harvester; +lab@example.org)"
    given, _ = _mock(handler, clock, contact="https://lab.example.org/contact")
    with given:
        assert given.get("/").content.decode().endswith("; +https://lab.example.org/contact)")
    monkeypatch.delenv("HARVESTER_CONTACT")
    unset, _ = _mock(handler, clock)
    with unset:
        assert "+" not in unset.get("/").content.decode()


@pytest.mark.parametrize("bad", ["me@example.org\r\nX-Evil: 1", "me (at) example", "é@x.org"])
def test_a_contact_unfit_for_a_header_is_refused(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    with pytest.raises(UsageError, match="--contact takes an e-mail address or URL"):
        _mock(lambda r: httpx.Response(200), clock, contact=bad)
    monkeypatch.setenv("HARVESTER_CONTACT", bad)
    with pytest.raises(UsageError, match="HARVESTER_CONTACT takes"):
        _mock(lambda r: httpx.Response(200), clock)


def test_requests_go_through_the_proxy_the_environment_names(
    server: FakeHF, clock: FakeClock, proxy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy)
    with _client(server, clock) as client:
        page = client.get(PATH, DAY)
    assert page.json() == [{"paper": {"id": "2511.00001"}}]
    assert page.headers["via"] == "1.1 test-proxy"
    assert ForwardProxy.seen == [f"{server.url}{PATH}?date=2025-11-03"]
    assert len(server.requests) == 1  # the proxy's request reached the server

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with _client(server, clock) as client:
        assert "via" not in client.get(PATH, DAY).headers
    assert len(ForwardProxy.seen) == 1 and len(server.requests) == 2


def _importers(package: str) -> set[str]:
    root = Path(harvester.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == package or n.startswith(package + ".") for n in names):
                found.add(path.relative_to(root).as_posix())
    return found


def test_only_the_seams_import_their_libraries() -> None:
    """What the docstrings promise: non-GitHub HTTP only through the web package (httpcore
    included: its pinned connections), duckdb only in store."""
    assert _importers("httpx") == {"web/client.py", "web/pin.py", "github/graphql.py"}
    assert _importers("httpcore") == {"web/pin.py"}
    assert {p.partition("/")[0] for p in _importers("duckdb")} == {"store"}


def test_accept_sees_the_headers_before_the_body_is_read(clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        kind = "application/pdf" if request.url.path == "/doc.pdf" else "text/html"
        return httpx.Response(200, headers={"content-type": kind}, content=b"<p>x</p>")

    def html_only(headers: Mapping[str, str]) -> str | None:
        return None if headers["content-type"] == "text/html" else "not HTML"

    client, _ = _mock(handler, clock)
    with client:
        assert client.get("/page", accept=html_only).content == b"<p>x</p>"
        with pytest.raises(Refused) as caught:
            client.get("/doc.pdf", accept=html_only)
    assert (caught.value.reason, caught.value.detail) == ("not_accepted", "not HTML")


def test_refusals_say_which_they_are(clock: FakeClock) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/loop":
            return httpx.Response(302, headers={"location": "/loop"})
        if request.url.path == "/file":
            return httpx.Response(302, headers={"location": "file:///etc/passwd"})
        return httpx.Response(200, content=b"x" * 200)

    reasons = []
    client, _ = _mock(
        handler, clock, max_bytes=100, check_url=lambda u: "robots: no" if "nope" in u else None
    )
    with client:
        for path in ("/loop", "/file", "/big", "/nope"):
            with pytest.raises(Refused) as caught:
                client.get(path)
            reasons.append((caught.value.reason, caught.value.detail.split(":")[0]))
    assert reasons == [
        ("redirect_loop", "Test API"),
        ("bad_redirect", "Test API redirected https"),
        (
            "too_large",
            "Test API sent an answer larger than 100 bytes (200 bytes announced) for https",
        ),
        ("refused", "robots"),
    ]
