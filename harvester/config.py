"""Configuration read in one place: the token, the API roots, the database path.

The token is wrapped in :class:`Secret` the moment it is read, so that printing, logging or
formatting a settings object can never reveal it; only the HTTP clients call ``reveal()``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harvester.errors import StoreError, UsageError

DEFAULT_DB = "harvest.duckdb"
DEFAULT_GITHUB_URL = "https://api.github.com"
TOKEN_VARS = ("GITHUB_TOKEN", "GH_TOKEN")
CONTACT_VAR = "HARVESTER_CONTACT"
CONTACT_MAX = 200


class Secret:
    """A string that refuses to be shown."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def raw_token(env: Mapping[str, str] | None = None) -> Secret | None:
    """The token as set, unchecked: for redacting messages (``read_token`` checks it)."""
    env = os.environ if env is None else env
    for name in TOKEN_VARS:
        value = env.get(name, "").strip()
        if value:
            return Secret(value)
    return None


def read_token(env: Mapping[str, str] | None = None) -> Secret | None:
    """The token from ``GITHUB_TOKEN`` or ``GH_TOKEN`` (surrounding blanks ignored). A value no
    token can have (non-ASCII, or a space or line break inside: a paste gone wrong) is a usage
    error at start, which names the variable and never shows the value: it could not be sent in
    an HTTP header, and retrying would never help."""
    env = os.environ if env is None else env
    for name in TOKEN_VARS:
        value = env.get(name, "").strip()
        if not value:
            continue
        if not all("!" <= c <= "~" for c in value):
            raise UsageError(
                f"{name} holds characters a GitHub token cannot have (non-ASCII, a space or a "
                "line break inside it); set it again to the token alone"
            )
        return Secret(value)
    return None


def read_contact(env: Mapping[str, str] | None = None) -> str | None:
    """The contact address for the ``User-Agent`` of outbound requests, from
    ``HARVESTER_CONTACT`` (None when unset or blank)."""
    env = os.environ if env is None else env
    return check_contact(env.get(CONTACT_VAR, ""), CONTACT_VAR)


def check_contact(value: str, option: str) -> str | None:
    """A contact (an e-mail address or URL) fit for an HTTP header: printable ASCII, at most
    200 characters, no parentheses (they would end the User-Agent comment). Blank -> None."""
    text = value.strip()
    if not text:
        return None
    if len(text) > CONTACT_MAX or not all(" " <= c <= "~" and c not in "()\\" for c in text):
        raise UsageError(
            f"{option} takes an e-mail address or URL (printable ASCII, no parentheses, at most "
            f"{CONTACT_MAX} characters), such as you@example.org"
        )
    return text


@dataclass(frozen=True, slots=True)
class ApiUrls:
    rest: str  # REST root, no trailing slash: https://api.github.com or https://HOST/api/v3
    graphql: str  # https://api.github.com/graphql or https://HOST/api/graphql


def api_root(value: str, option: str, example: str = "https://HOST") -> str:
    """Validate an API root given on the command line (``--github-url``, a live source's
    ``--api-url``): http(s), a host, no credentials, query or fragment. Returns it without a
    trailing slash. The value is never echoed when it might hold credentials."""
    raw = value.strip()
    shown = "a URL with credentials in it" if "@" in raw else repr(raw)
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise UsageError(f"{option} is not a valid URL ({exc}), got {shown}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} must be an http(s) URL such as {example}, got {shown}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise UsageError(f"{option} must not carry credentials, a query or a fragment")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def api_urls(github_url: str) -> ApiUrls:
    """Validate ``--github-url`` and derive the GraphQL endpoint from it.

    ``https://api.github.com`` -> ``/graphql`` beside it; a GitHub Enterprise root ending in
    ``/api/v3`` -> ``/api/graphql`` on the same host; any other root -> ``<root>/graphql``.
    """
    rest = api_root(github_url, "--github-url", f"{DEFAULT_GITHUB_URL} or https://HOST/api/v3")
    if rest.endswith("/api/v3"):
        return ApiUrls(rest=rest, graphql=rest[: -len("/v3")] + "/graphql")
    return ApiUrls(rest=rest, graphql=rest + "/graphql")


SQLITE_MAGIC = b"SQLite format 3\x00"


def resolve_db_path(value: str | os.PathLike[str]) -> Path:
    """``--db`` as a path. A directory is a usage error; a SQLite file is refused before DuckDB
    sees it (DuckDB would try to download its SQLite extension to open it)."""
    path = Path(value).expanduser()
    if path.is_dir():
        raise UsageError(f"--db {path} is a directory; give a file path such as {DEFAULT_DB}")
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError:
        head = b""  # missing (a new database) or unreadable: the store says why
    if head == SQLITE_MAGIC:
        raise StoreError(f"{path} is a SQLite database, not a harvester (DuckDB) database")
    return path


_AUTH_HEADER = re.compile(
    r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(?:token|bearer)?\s*[^\s'\",}]+"
)


def redact(text: str, secret: Secret | None) -> str:
    """Last line of defence before text reaches a user: remove the token and auth headers."""
    if secret is not None and secret.reveal():
        text = text.replace(secret.reveal(), "***")
    return _AUTH_HEADER.sub(r"\1***", text)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str, option: str) -> float:
    """``"7d"``, ``"12h"``, ``"15m"``, ``"90s"`` or plain seconds -> seconds."""
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"{option} takes a duration such as 90s, 15m, 12h or 7d, got {text!r}")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


STORAGE_VAR = "HARVESTER_DUCKDB_STORAGE"
_STORAGE = re.compile(r"^v\d+\.\d+\.\d+$")


def read_storage_version(env: Mapping[str, str] | None = None) -> str | None:
    """The DuckDB storage format for new database files, from ``HARVESTER_DUCKDB_STORAGE``
    (``v1.4.0``: readable by DuckDB 1.4 and later clients). Unset: DuckDB's own format, which
    is faster and leaner (``benchmarks/memory.py``) but needs DuckDB 2.0+ to read."""
    env = os.environ if env is None else env
    value = env.get(STORAGE_VAR, "").strip()
    if not value:
        return None
    if not _STORAGE.match(value):
        raise UsageError(f"{STORAGE_VAR} takes a DuckDB version such as v1.4.0, got {value!r}")
    return value
