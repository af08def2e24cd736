"""Connections pinned to the addresses that were checked: the defence against DNS rebinding.

Checking a URL's host name before a request (``check_url``) is not enough on its own: httpx
resolves the name again when it connects, and a hostile name can answer a public address to
the check and ``127.0.0.1`` or ``169.254.169.254`` to the connection (a zero TTL does it). So a
client given a ``pin`` makes its direct connections through ``PinnedBackend``, which resolves
the name once (``pin.addresses``), asks ``pin.refusal`` about every address it got, refuses the
connection (``PinRefused``, never retried) when any address is refused, and otherwise connects
to those addresses, in order, and to nothing else. The address checked is the address connected
to, for the first request and every redirect hop alike (they share the client's pool), and a
kept-alive connection stays on the address it was opened to.

TLS is unaffected: httpcore starts it on the pinned socket with the URL's host name, so SNI
names the host and the certificate is verified for the name, not the address.

Only direct connections are pinned. When a proxy is configured for a URL, the proxy resolves
the name and connects; the connection to the proxy itself (which the user chose) is not
checked, and a proxy that must not reach private addresses has to refuse them itself.

httpx has no public switch for the network backend of the transport it builds from the
environment (proxies, ``SSL_CERT_FILE``), so ``pin_connections`` sets it on that transport's
httpcore pool, and refuses to run unpinned should that shape ever change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import httpcore
import httpx


class AddressPin(Protocol):
    def addresses(self, host: str) -> list[str]:
        """The addresses ``host`` stands for (a literal address: itself); OSError when none."""
        ...

    def refusal(self, host: str, address: str) -> str | None:
        """Why not to connect to ``address`` for ``host``, or None."""
        ...


class PinRefused(Exception):
    """A connection the pin refused; ``why`` is its answer."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class PinnedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving through ``pin`` and connecting only to addresses
    it allowed."""

    def __init__(self, pin: AddressPin) -> None:
        self.pin = pin

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = list(dict.fromkeys(self.pin.addresses(host)))
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        for address in found:
            if (why := self.pin.refusal(host, address)) is not None:
                raise PinRefused(why)
        failure: Exception = httpcore.ConnectError(f"{host} resolves to no address")
        for address in found:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure


def pin_connections(client: httpx.Client, pin: AddressPin) -> None:
    """Route ``client``'s direct connections (its default transport; proxy transports keep
    their own) through ``PinnedBackend(pin)``."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    if not isinstance(pool, httpcore.ConnectionPool) or not hasattr(pool, "_network_backend"):
        raise RuntimeError(
            "this httpx/httpcore version does not let harvester pin connections to checked "
            "addresses; refusing to fetch untrusted URLs unpinned"
        )
    pool._network_backend = PinnedBackend(pin)
