"""The pure GitHub translation layer, checked against real recorded payloads where we have them."""

from __future__ import annotations

import ast
import datetime as dt
import json

import pytest

from harvester.backoff import retry_after
from harvester.github.parse import (
    build_query,
    outcome_from_rest,
    parse_graphql,
    rate_from_headers,
    repo_from_rest,
)
from harvester.github.transport import NetworkError, Reply, decode_json, rejected_token
from harvester.models import Status
from tests.conftest import FIXTURES

REST_REPO = {
    "id": 3544490,
    "full_name": "jacquev6/PyGithub",
    "stargazers_count": 13,
    "watchers_count": 13,
    "subscribers_count": 4,
    "forks_count": 2,
    "open_issues_count": 18,
    "language": "Python",
    "license": {"key": "lgpl-3.0", "name": "GNU LGPL v3", "spdx_id": "LGPL-3.0"},
    "topics": ["github", "api"],
    "description": "Python library implementing the full Github API v3",
    "homepage": "http://vincent-jacques.net/PyGithub",
    "created_at": "2012-02-25T12:53:47Z",
    "pushed_at": "2012-05-19T10:50:39Z",
    "updated_at": "2012-05-19T10:50:39Z",
    "archived": False,
    "fork": False,
}


def _node(name: str, db_id: int) -> dict[str, object]:
    return {
        "databaseId": db_id,
        "nameWithOwner": name,
        "stargazerCount": 7,
        "forkCount": 1,
        "watchers": {"totalCount": 2},
        "issues": {"totalCount": 3},
        "primaryLanguage": {"name": "Rust"},
        "licenseInfo": {"spdxId": "NOASSERTION", "name": "Other"},
        "repositoryTopics": {"nodes": [{"topic": {"name": "ml"}}]},
        "description": None,
        "homepageUrl": "",
        "createdAt": "2020-01-02T03:04:05Z",
        "pushedAt": None,
        "updatedAt": "2021-01-01T00:00:00Z",
        "isArchived": True,
        "isFork": False,
    }


def test_build_query_aliases_every_name_and_escapes() -> None:
    q = build_query(["a/b", "c-d/e.f"])
    assert 'r0: repository(owner: "a", name: "b")' in q
    assert 'r1: repository(owner: "c-d", name: "e.f")' in q
    assert "rateLimit" in q and "fragment R on Repository" in q
    with pytest.raises(ValueError, match=r"1\.\.100"):
        build_query([f"o/n{i}" for i in range(101)])
    with pytest.raises(ValueError, match=r"1\.\.100"):
        build_query([])


def test_repo_from_rest_reads_subscribers_as_watchers_and_spdx() -> None:
    repo = repo_from_rest(REST_REPO)
    assert repo.repo_id == 3544490 and repo.full_name == "jacquev6/PyGithub"
    assert (repo.stars, repo.forks, repo.watchers, repo.open_issues) == (13, 2, 4, 18)
    assert repo.license == "LGPL-3.0" and repo.topics == ("github", "api")
    assert repo.created_at == dt.datetime(2012, 2, 25, 12, 53, 47, tzinfo=dt.UTC)


def test_parse_graphql_keeps_partial_data_and_sorts_errors() -> None:
    payload = {
        "data": {
            "rateLimit": {
                "cost": 1,
                "remaining": 4990,
                "resetAt": "2026-01-01T00:00:00Z",
                "limit": 5000,
            },
            "r0": _node("Owner/Repo", 11),
            "r1": None,
            "r2": None,
        },
        "errors": [
            {"type": "NOT_FOUND", "path": ["r1"], "message": "Could not resolve to a Repository"},
            {"type": "FORBIDDEN", "path": ["r2"], "message": "SAML enforcement"},
        ],
    }
    batch = parse_graphql(3, payload)
    assert set(batch.found) == {0} and batch.found[0].repo_id == 11
    assert batch.found[0].license == "Other"  # NOASSERTION falls back to the name
    assert batch.found[0].archived is True and batch.found[0].topics == ("ml",)
    assert batch.missing == {1: "Could not resolve to a Repository"}
    assert batch.failed == {2: "FORBIDDEN: SAML enforcement"}
    assert batch.rate is not None and batch.rate.remaining == 4990 and batch.rate.cost == 1
    assert batch.fatal is None and not batch.rate_limited


def test_parse_graphql_rate_limited_and_document_errors() -> None:
    limited = parse_graphql(2, {"errors": [{"type": "RATE_LIMITED", "message": "API rate limit"}]})
    assert limited.rate_limited and not limited.found and not limited.failed
    broken = parse_graphql(2, {"errors": [{"message": 'Parse error on "}"'}]})
    assert broken.fatal == 'Parse error on "}"'
    assert parse_graphql(1, ["not", "an", "object"]).fatal == "GraphQL answer is not a JSON object"


@pytest.mark.shared
def test_parse_graphql_on_recorded_error_payloads() -> None:
    base = FIXTURES / "github" / "gidgethub" / "GraphQL"
    malformed = json.loads((base / "malformed-query-200.json").read_text())
    body = malformed.get("body", malformed)
    batch = parse_graphql(1, body)
    assert batch.fatal == body["errors"][0]["message"] == 'Parse error on ":" (COLON) at [1, 9]'
    assert not batch.found and not batch.failed and not batch.missing  # nothing per alias


def test_rate_and_retry_after_headers() -> None:
    info = rate_from_headers(
        {
            "x-ratelimit-limit": "60",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": "1538660372",
            "x-ratelimit-resource": "core",
        }
    )
    assert (info.limit, info.remaining, info.resource) == (60, 0, "core")
    assert info.reset_at == dt.datetime.fromtimestamp(1538660372, dt.UTC)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert retry_after("60", now) == 60.0
    assert retry_after("Thu, 01 Jan 2026 00:00:30 GMT", now) == 30.0
    assert retry_after(None, now) is None


@pytest.mark.parametrize(
    ("status", "payload", "expected"),
    [
        (404, {"message": "Not Found"}, Status.NOT_FOUND),
        (
            451,
            {"message": "Repository access blocked", "block": {"reason": "dmca"}},
            Status.BLOCKED,
        ),
        (403, {"message": "Repository access blocked", "block": {"reason": "tos"}}, Status.BLOCKED),
        (403, {"message": "Resource protected by organization SAML enforcement."}, Status.ERROR),
        (200, REST_REPO, Status.OK),
    ],
)
def test_outcome_from_rest(status: int, payload: dict[str, object], expected: Status) -> None:
    outcome = outcome_from_rest("jacquev6/pygithub", Reply(status, {"etag": 'W/"x"'}, payload))
    assert outcome.status == expected
    if expected == Status.BLOCKED:
        assert outcome.detail and str(status) in outcome.detail


def test_outcome_from_rest_rename_and_not_modified() -> None:
    renamed = outcome_from_rest("old/name", Reply(200, {}, REST_REPO))
    assert renamed.status == Status.RENAMED and renamed.detail == "now jacquev6/PyGithub"
    unchanged = outcome_from_rest("jacquev6/pygithub", Reply(304, {"etag": '"e"'}, None))
    assert unchanged.not_modified and unchanged.etag == '"e"'


@pytest.mark.shared
def test_rest_on_recorded_301_follow_target() -> None:
    lines = (
        (
            FIXTURES
            / "github"
            / "pygithub-replay"
            / "Repository.testGetRepositoryWith301Redirect.txt"
        )
        .read_text()
        .split("\n")
    )
    # the second recorded call is the redirect target: status, headers, body at lines 18-20
    status, headers, body = int(lines[18]), ast.literal_eval(lines[19]), lines[20]
    reply = Reply(status, {k.lower(): v for k, v in headers}, json.loads(body))
    outcome = outcome_from_rest("protoncoin/protoncoin", reply)
    assert outcome.status == Status.RENAMED and outcome.repo is not None
    assert outcome.repo.full_name == "padima2/protoncoin" and outcome.repo.repo_id == 112116543


def test_decode_json_truncated_body_is_a_network_error() -> None:
    assert decode_json(b"", 304) is None
    assert decode_json(b"<html>bad gateway</html>", 502) is None
    with pytest.raises(NetworkError, match="truncated"):
        decode_json(b'{"id": 1, "full_na', 200)


def test_a_rejected_token_is_translated_once_with_githubs_words() -> None:
    bad = Reply(401, {}, {"message": "Bad credentials", "documentation_url": "https://x"})
    assert rejected_token(bad) == "GitHub rejected the token (401 Bad credentials)"
    assert rejected_token(Reply(401, {}, None)) == "GitHub rejected the token (401 Unauthorized)"
    assert rejected_token(Reply(403, {}, {"message": "Bad credentials"})) is None
