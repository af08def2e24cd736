"""Which URLs following may fetch: private addresses (literal, resolved, behind a proxy) and
robots.txt, with an injected resolver (no DNS) and a fake web on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harvester.follow.guard import AddressGuard, RobotsRules, literal_address
from harvester.web import Policy, PoliteClient
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb


def _resolver(table: dict[str, list[str]]) -> object:
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        if host not in table:
            raise OSError("no such host")
        return table[host]

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1.2.3:8080/x", "loopback"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 as one number
        ("http://0x7f.1/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.10/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "private"),  # cloud metadata: link-local too
        ("http://[fe80::1]/", "private"),
        ("http://0.0.0.0/", "private"),
        ("http://224.0.0.1/", "multicast"),
    ],
)
def test_literal_private_addresses_are_refused(url: str, kind: str) -> None:
    resolve = _resolver({})
    why = AddressGuard(resolver=resolve)(url)  # type: ignore[arg-type]
    assert why is not None and why.startswith("private_address: ")
    assert f"a {kind} address" in why
    assert resolve.asked == []  # type: ignore[attr-defined]
    assert AddressGuard(allow_private=True, resolver=resolve)(url) is None  # type: ignore[arg-type]


def test_public_literals_and_names_pass() -> None:
    resolve = _resolver(
        {"example.org": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]}
    )
    guard = AddressGuard(resolver=resolve)  # type: ignore[arg-type]
    assert guard("https://8.8.8.8/") is None
    assert guard("https://example.org/page") is None
    assert guard("https://unknown.invalid/") is None  # unresolvable: the fetch fails by itself
    assert literal_address("example.org") is None and literal_address("deadbeef.com") is None


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    resolve = _resolver({"intranet.example": ["93.184.215.14", "10.0.0.7"]})
    why = AddressGuard(resolver=resolve)("https://intranet.example/admin")  # type: ignore[arg-type]
    assert why == (
        "private_address: intranet.example resolves to 10.0.0.7, a private address "
        "(papers are untrusted; --allow-private fetches it)"
    )


def test_with_a_proxy_names_are_not_resolved_but_literals_are_still_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    resolve = _resolver({"intranet.example": ["10.0.0.7"]})
    guard = AddressGuard(resolver=resolve)  # type: ignore[arg-type]
    assert guard("https://intranet.example/") is None
    assert resolve.asked == []  # type: ignore[attr-defined]
    assert guard("https://10.0.0.7/") is not None
    monkeypatch.setenv("NO_PROXY", "intranet.example")
    assert guard("https://intranet.example/") is not None  # not proxied: resolved and refused


@pytest.fixture
def site() -> Iterator[FakeWeb]:
    with FakeWeb(clock=FakeClock().now) as server:
        yield server


@pytest.fixture
def rules() -> Iterator[RobotsRules]:
    with PoliteClient("pages", "", Policy(retries=0), clock=FakeClock()) as client:
        yield RobotsRules(client)


def test_robots_rules_are_read_once_per_site_and_obeyed(site: FakeWeb, rules: RobotsRules) -> None:
    site.route(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n\nUser-agent: harvester\nDisallow: /nobots/\n",
        content_type="text/plain",
    )
    assert rules(f"{site.url}/project/") is None
    assert rules(f"{site.url}/nobots/page") == f"robots: {site.url}/robots.txt disallows it"
    assert rules(f"{site.url}/robots.txt") is None
    assert site.paths() == ["/robots.txt"]


def test_a_missing_robots_txt_allows_and_a_failing_one_forbids(
    site: FakeWeb, rules: RobotsRules
) -> None:
    assert rules(f"{site.url}/page") is None  # 404: everything allowed (RFC 9309)
    site.route("/robots.txt", "oops", status=503)
    assert rules("http://localhost:{}/page".format(site.url.rsplit(":", 1)[1])) is not None


def test_as_a_pin_the_guard_resolves_now_and_judges_each_address() -> None:
    answers = [["93.184.215.14"], ["93.184.215.14", "169.254.169.254"]]
    guard = AddressGuard(resolver=lambda host: answers.pop(0))
    assert guard.addresses("rebind.example") == ["93.184.215.14"]
    assert guard.addresses("rebind.example") == ["93.184.215.14", "169.254.169.254"]  # asked again
    assert guard.refusal("rebind.example", "93.184.215.14") is None
    assert guard.refusal("rebind.example", "169.254.169.254") == (
        "private_address: rebind.example resolves to 169.254.169.254, a private address "
        "(papers are untrusted; --allow-private fetches it)"
    )
    assert guard.addresses("0x7f.1") == ["127.0.0.1"]  # a literal is itself, not resolved
    assert (guard.refusal("0x7f.1", "127.0.0.1") or "").startswith("private_address: 0x7f.1 is a")
    assert AddressGuard(allow_private=True).refusal("x.example", "127.0.0.1") is None
