"""Which URLs following may fetch: no private addresses (unless allowed), and robots.txt.

Papers are untrusted input: a link in one must not aim a harvest running inside a network at
that network's own services. ``AddressGuard`` refuses a URL whose host is a loopback, private,
link-local, unspecified, multicast or reserved address: a literal address (IPv4 in any form
``inet_aton`` accepts, IPv6, IPv4-mapped IPv6) or, when no proxy is configured for the URL, any
address the name resolves to. With a proxy the proxy resolves names, so none is resolved here.
The resolver is injected, so checks run with no DNS. Redirect hops pass through it too (the web
seam asks ``check_url`` about every URL).

The guard is also the web seam's ``pin`` (``web.pin``): a checked name is resolved again when
the connection is made, and the guard is asked then about every address that resolution gave,
which are the only addresses connected to. So a name that answers a public address to the
check and a private one to the connection (DNS rebinding) is refused before anything is sent.

``RobotsRules`` reads ``/robots.txt`` once per origin (through the same polite client, so it is
spaced like any request) with the stdlib parser and answers as RFC 9309 says: a 4xx robots.txt
allows everything, an unreachable or failing one (5xx, errors) disallows everything. A
robots.txt the address guard refuses (its name now resolves to a private address) refuses the
site's pages for that reason, ``private_address``, not as robots.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from harvester.errors import SourceError
from harvester.web import PoliteClient, Refused

Resolver = Callable[[str], list[str]]  # host name -> the addresses it resolves to
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
AGENT = "harvester"  # the product token robots.txt rules are matched against

_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]
PRIVATE_ADDRESS = "private_address"
ROBOTS = "robots"


def system_resolver(host: str) -> list[str]:
    found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def proxied(url: str) -> bool:
    """Whether the standard proxy variables send ``url`` through a proxy."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(parts.hostname or "")


def literal_address(host: str) -> Address | None:
    """``host`` as an address when it spells one (``127.0.0.1``, ``2130706433``, ``0x7f.1``,
    ``::1``, ``::ffff:10.0.0.1``), else None."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if not host or not all(c in "0123456789abcdefxABCDEFX." for c in host):
            return None
        try:
            address = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def kind_of(address: Address) -> str | None:
    """Why ``address`` is not on the public internet, or None when it is."""
    for kind, flag in (
        ("loopback", address.is_loopback),
        ("private", address.is_private),
        ("link-local", address.is_link_local),
        ("unspecified", address.is_unspecified),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return kind
    return None


class AddressGuard:
    """A ``check_url``: ``private_address: ...`` for a URL aimed at a private address; and a
    ``web.AddressPin``, asked again about the addresses actually connected to."""

    def __init__(self, *, allow_private: bool = False, resolver: Resolver | None = None) -> None:
        self.allow_private = allow_private
        self.resolver = resolver or system_resolver

    def __call__(self, url: str) -> str | None:
        if self.allow_private:
            return None
        host = urlsplit(url).hostname or ""
        literal = literal_address(host)
        if literal is not None:
            return self._why(host, literal, "")
        if proxied(url):
            return None  # the proxy resolves the name
        try:
            found = self.resolver(host)
        except (OSError, UnicodeError):
            return None  # unresolvable: the fetch fails on its own
        for text in found:
            address = literal_address(text)
            if address is not None and (why := self._why(host, address, text)):
                return why
        return None

    def addresses(self, host: str) -> list[str]:
        """What ``host`` is connected to: itself when it spells an address, else what the
        resolver answers now (OSError when nothing)."""
        literal = literal_address(host)
        return [str(literal)] if literal is not None else self.resolver(host)

    def refusal(self, host: str, address: str) -> str | None:
        """Why not to connect to ``address`` (one of ``host``'s), or None."""
        if self.allow_private:
            return None
        parsed = literal_address(address)
        if parsed is None:
            return f"{PRIVATE_ADDRESS}: {host} resolves to {address!r}, not an address"
        return self._why(host, parsed, "" if parsed == literal_address(host) else address)

    @staticmethod
    def _why(host: str, address: Address, resolved: str) -> str | None:
        kind = kind_of(address)
        if kind is None:
            return None
        via = f" resolves to {resolved}, " if resolved else " is "
        return (
            f"{PRIVATE_ADDRESS}: {host}{via}a {kind} address (papers are untrusted; "
            "--allow-private fetches it)"
        )


class RobotsRules:
    """A ``check_url``: ``robots: ...`` for a URL its site's robots.txt disallows to us."""

    def __init__(self, client: PoliteClient, agent: str = AGENT) -> None:
        self.client = client
        self.agent = agent
        self._rules: dict[str, RobotFileParser | str] = {}  # origin -> rules, or a refusal

    def __call__(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return None
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._rules.get(origin)
        if rules is None:
            rules = self._rules[origin] = self._load(origin)
        if isinstance(rules, str):
            return rules
        if rules.can_fetch(self.agent, url):
            return None
        return f"{ROBOTS}: {origin}/robots.txt disallows it"

    def _load(self, origin: str) -> RobotFileParser | str:
        rules = RobotFileParser(f"{origin}/robots.txt")
        try:
            page = self.client.get(f"{origin}/robots.txt")
        except Refused as exc:
            if exc.reason == "refused" and exc.detail.startswith(PRIVATE_ADDRESS):
                return exc.detail  # the site is refused, not merely its robots.txt missing
            page = None
        except SourceError:
            page = None
        if page is not None and 400 <= page.status_code < 500:
            lines: list[str] = []  # no robots.txt: everything allowed
        elif page is None or page.status_code >= 300:
            lines = _DISALLOW_ALL  # unreachable or failing: nothing allowed (RFC 9309)
        else:
            lines = page.content.decode("utf-8", errors="replace").splitlines()
        rules.parse(lines)
        return rules


def both(*checks: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """One ``check_url`` asking each of ``checks`` in turn; the first refusal wins."""

    def check(url: str) -> str | None:
        for one in checks:
            if (why := one(url)) is not None:
                return why
        return None

    return check
