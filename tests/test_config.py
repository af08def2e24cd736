"""Configuration read in one place: token, API roots, database path, durations, contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.config import (
    ApiUrls,
    Secret,
    api_root,
    api_urls,
    check_contact,
    parse_duration,
    read_contact,
    read_token,
    redact,
    resolve_db_path,
)
from harvester.errors import UsageError


def test_secret_never_shows_itself() -> None:
    token = Secret("ghp_abc123")
    assert token.reveal() == "ghp_abc123"
    for shown in (str(token), repr(token), f"{token}", f"{[token]}"):
        assert "ghp_abc123" not in shown and "***" in shown
    assert token == Secret("ghp_abc123") != Secret("other")
    assert len({token, Secret("ghp_abc123")}) == 1


def test_read_token_prefers_github_token_and_ignores_blanks() -> None:
    assert read_token({}) is None
    assert read_token({"GITHUB_TOKEN": "  ", "GH_TOKEN": ""}) is None
    assert read_token({"GH_TOKEN": " b "}) == Secret("b")
    assert read_token({"GITHUB_TOKEN": "a", "GH_TOKEN": "b"}) == Secret("a")


@pytest.mark.parametrize(
    ("given", "rest", "graphql"),
    [
        ("https://api.github.com", "https://api.github.com", "https://api.github.com/graphql"),
        ("https://api.github.com/", "https://api.github.com", "https://api.github.com/graphql"),
        ("https://ghe.corp/api/v3/", "https://ghe.corp/api/v3", "https://ghe.corp/api/graphql"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080/graphql"),
    ],
)
def test_api_urls(given: str, rest: str, graphql: str) -> None:
    assert api_urls(given) == ApiUrls(rest, graphql)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("ftp://host", "must be an http(s) URL"),
        ("api.github.com", "must be an http(s) URL"),
        ("https://host/?x=1", "must not carry credentials, a query or a fragment"),
        ("https://host/#top", "must not carry credentials, a query or a fragment"),
    ],
)
def test_api_root_refusals(given: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        api_root(given, "--api-url")


def test_api_root_never_echoes_credentials() -> None:
    with pytest.raises(UsageError) as caught:
        api_root("ftp://user:hunter2@host", "--github-url")
    assert "hunter2" not in str(caught.value) and "a URL with credentials in it" in str(
        caught.value
    )
    with pytest.raises(UsageError) as caught:
        api_root("https://user:hunter2@host", "--github-url")
    assert "hunter2" not in str(caught.value)


def test_redact_removes_the_token_and_auth_headers() -> None:
    token = Secret("ghp_secret42")
    text = "failed with ghp_secret42; headers {'Authorization': 'bearer ghp_other'}"
    assert redact(text, token) == "failed with ***; headers {'Authorization': '***'}"
    assert redact("Authorization: token abc.def", None) == "Authorization: ***"
    assert redact("nothing to hide", token) == "nothing to hide"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("12h", 43_200.0), ("7d", 604_800.0),
     ("1w", 604_800.0), (" 1.5H ", 5_400.0)],
)  # fmt: skip
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text, "--stale-after") == seconds


@pytest.mark.parametrize("text", ["", "7 days", "-1d", "d", "1y"])
def test_parse_duration_refusals(text: str) -> None:
    with pytest.raises(UsageError, match="--stale-after takes a duration"):
        parse_duration(text, "--stale-after")


def test_resolve_db_path(tmp_path: Path) -> None:
    assert resolve_db_path(tmp_path / "h.duckdb") == tmp_path / "h.duckdb"
    assert resolve_db_path("~/h.duckdb") == Path.home() / "h.duckdb"
    with pytest.raises(UsageError, match="is a directory"):
        resolve_db_path(tmp_path)


def test_contact() -> None:
    assert read_contact({}) is None
    assert read_contact({"HARVESTER_CONTACT": "   "}) is None
    assert read_contact({"HARVESTER_CONTACT": " me@lab.org "}) == "me@lab.org"
    assert check_contact("https://lab.org/about?who=me", "--contact") == (
        "https://lab.org/about?who=me"
    )
    for bad in ("a\nb", "x" * 201, "me (lab)", "naïve@lab.org", "tab\there"):
        with pytest.raises(UsageError, match="--contact takes an e-mail address or URL"):
            check_contact(bad, "--contact")
