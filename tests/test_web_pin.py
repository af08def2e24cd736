"""The web seam's pin (``harvester.web.pin``): a client given one connects only to the addresses
the pin resolved and allowed *when connecting*, so a name that answers one address to a check
and another to the connection (DNS rebinding) reaches nothing; redirect hops take the same path;
TLS still sends SNI for, and verifies the certificate against, the host name. Real sockets on
127.0.0.1 (and 127.0.0.2 as "an internal address"), names that no DNS knows (``.test``)."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from harvester.errors import SourceError
from harvester.follow.guard import AddressGuard
from harvester.web import Policy, PoliteClient, Refused
from tests.fakeproxy import ForwardProxy
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb

PUBLIC = "93.184.215.14"  # what a hostile name answers the check


class Names:
    """A resolver whose answers change from one call to the next (the last one stays), and a
    pin and check_url refusing the addresses in ``refused``."""

    def __init__(self, answers: dict[str, list[list[str]]], refused: frozenset[str]) -> None:
        self.answers = answers
        self.refused = refused
        self.asked: list[str] = []

    def resolve(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.answers:
            raise OSError(f"no such host {host}")
        queue = self.answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def addresses(self, host: str) -> list[str]:
        return self.resolve(host)

    def refusal(self, host: str, address: str) -> str | None:
        return f"private_address: {host} resolves to {address}" if address in self.refused else None

    def __call__(self, url: str) -> str | None:
        host = urlsplit(url).hostname or ""
        for address in self.resolve(host):
            if (why := self.refusal(host, address)) is not None:
                return why
        return None


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def site() -> Iterator[FakeWeb]:
    with FakeWeb(clock=FakeClock().now) as server:
        server.route("/page", "<p>public</p>")
        yield server


@contextlib.contextmanager
def _listener(host: str) -> Iterator[socket.socket]:
    """A socket listening on ``host`` that nobody accepts from: a connection attempt would sit
    in its backlog, where the test looks for it."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        sock.listen(4)
        sock.setblocking(False)
        yield sock


def _connected(sock: socket.socket) -> bool:
    try:
        conn, _ = sock.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def _port(url: str) -> int:
    return urlsplit(url).port or 0


def test_a_name_that_rebinds_after_the_check_gets_no_connection(site: FakeWeb) -> None:
    # "localhost" is what the system resolves to 127.0.0.1: without the pin httpx would resolve
    # it again itself and reach the server the check was told was public.
    names = Names({"localhost": [[PUBLIC], ["127.0.0.1"]]}, frozenset())
    guard = AddressGuard(resolver=names.resolve)
    url = f"http://localhost:{_port(site.url)}/page"
    with (
        PoliteClient(
            "project pages", "", Policy(retries=0), clock=FakeClock(), check_url=guard, pin=guard
        ) as client,
        pytest.raises(Refused) as caught,
    ):
        client.get(url)  # the check is passed (a public answer), the connection refused
    assert names.asked == ["localhost", "localhost"]
    assert caught.value.reason == "refused"
    assert caught.value.detail.startswith(
        "private_address: localhost resolves to 127.0.0.1, a loopback address"
    )
    assert f"not connecting to {url}" in str(caught.value)
    assert site.requests == [] and site.connections == 0
    assert client.requests == 0  # nothing was sent


def test_connections_go_to_the_address_the_pin_resolved(site: FakeWeb) -> None:
    names = Names({"pages.test": [["127.0.0.1"]]}, frozenset())
    url = f"http://pages.test:{_port(site.url)}/page"
    with PoliteClient("project pages", "", Policy(retries=0), clock=FakeClock(), pin=names) as c:
        page = c.get(url)
        assert (page.status_code, page.content, page.url) == (200, b"<p>public</p>", url)
        c.get(url)  # the kept-alive connection: not resolved again
    assert names.asked == ["pages.test"] and site.connections == 1


def test_a_redirect_hop_is_pinned_too(site: FakeWeb) -> None:
    with _listener("127.0.0.2") as internal:
        port = internal.getsockname()[1]
        site.redirect("/go", f"http://internal.test:{port}/admin")
        names = Names(
            {"site.test": [["127.0.0.1"]], "internal.test": [["127.0.0.1"], ["127.0.0.2"]]},
            refused=frozenset({"127.0.0.2"}),
        )
        with (
            PoliteClient(
                "project pages",
                "",
                Policy(retries=0),
                clock=FakeClock(),
                check_url=names,
                pin=names,
            ) as client,
            pytest.raises(Refused, match=r"internal\.test resolves to 127\.0\.0\.2") as caught,
        ):
            client.get(f"http://site.test:{_port(site.url)}/go")
        assert not _connected(internal)
    assert caught.value.reason == "refused"
    assert site.paths() == ["/go"]
    assert names.asked == ["site.test", "site.test", "internal.test", "internal.test"]


def test_through_a_proxy_the_proxy_resolves_and_is_connected_to_unchecked(
    site: FakeWeb, proxy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy)  # a proxy on 127.0.0.1: a private address itself
    names = Names({}, frozenset({"127.0.0.1"}))
    guard = AddressGuard(resolver=names.resolve)
    url = f"http://localhost:{_port(site.url)}/page"
    with PoliteClient(
        "project pages", "", Policy(retries=0), clock=FakeClock(), check_url=guard, pin=guard
    ) as client:
        page = client.get(url)
    assert (page.status_code, page.headers["via"]) == (200, "1.1 test-proxy")
    assert ForwardProxy.seen == [url] and names.asked == []  # the proxy resolved "localhost"


# -- TLS: SNI and verification stay on the host name --------------------------------------------

trustme = pytest.importorskip("trustme")


class _Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        body = b"<p>over TLS</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def tls_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, list[str]]]:
    """An HTTPS server on 127.0.0.1 whose certificate names ``pages.test`` only, signed by a CA
    the client trusts through ``SSL_CERT_FILE``; yields its port and the SNI names it saw."""
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("pages.test").configure_cert(context)
    names: list[str] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name or "")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield server.server_port, names
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_tls_names_and_verifies_the_host_not_the_pinned_address(
    tls_site: tuple[int, list[str]],
) -> None:
    port, sni = tls_site
    guard = AddressGuard(
        allow_private=True,
        resolver={"pages.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}.__getitem__,
    )
    with PoliteClient("project pages", "", Policy(retries=0), clock=FakeClock(), pin=guard) as c:
        page = c.get(f"https://pages.test:{port}/")
        assert (page.status_code, page.content) == (200, b"<p>over TLS</p>")
        with pytest.raises(SourceError, match="CERTIFICATE_VERIFY_FAILED"):
            c.get(f"https://other.test:{port}/")  # same address, a name the cert does not hold
    assert sni == ["pages.test", "other.test"]
