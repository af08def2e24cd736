"""The fake GitHub server, driven by the real clients: PyGithub for REST, httpx for GraphQL.

Shapes are checked against real recordings in ../shared/fixtures/github where they exist.
"""

from __future__ import annotations

import ast
import http.client
import json
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import github
import httpx
import pytest
import requests

from tests.conftest import FIXTURES
from tests.fakegithub import ID_MAX, ID_MIN, FakeGitHub, is_valid_name

TOKEN = "test-token"
AUTH = {"Authorization": f"token {TOKEN}"}
RECORDINGS = FIXTURES / "github"
FRAGMENT = "fragment R on Repository { databaseId nameWithOwner stargazerCount owner { login } }"


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server
    assert server.errors == []


@contextmanager
def pygithub(
    server: FakeGitHub, *, token: str | None = TOKEN, ghes: bool = False, timeout: int = 5
) -> Iterator[github.Github]:
    auth = github.Auth.Token(token) if token is not None else None
    base_url = server.url + ("/api/v3" if ghes else "")
    with github.Github(
        auth=auth,
        base_url=base_url,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,  # PyGithub waits 1 s between POSTs (GraphQL) by default
        timeout=timeout,
    ) as g:
        yield g


@contextmanager
def client(server: FakeGitHub, **kwargs: Any) -> Iterator[httpx.Client]:
    kwargs.setdefault("headers", AUTH)
    kwargs.setdefault("timeout", 5.0)
    with httpx.Client(base_url=server.url, **kwargs) as c:
        yield c


def graphql(
    c: httpx.Client, text: str, variables: dict[str, Any] | None = None, path: str = "/graphql"
) -> httpx.Response:
    payload: dict[str, Any] = {"query": text}
    if variables is not None:
        payload["variables"] = variables
    return c.post(path, json=payload)


def batch(*names: str, rate_limit: bool = True) -> str:
    lines = ["query {"]
    if rate_limit:
        lines.append("  rateLimit { cost remaining resetAt limit used }")
    for i, full in enumerate(names):
        owner, name = full.split("/")
        lines.append(f'  r{i}: repository(owner: "{owner}", name: "{name}") {{ ...R }}')
    lines.append("}")
    lines.append(FRAGMENT)
    return "\n".join(lines)


def raw_get(server: FakeGitHub, path: str) -> tuple[int, bytes]:
    """GET a path byte for byte (httpx would normalise dot segments)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request("GET", path, headers=AUTH)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def recorded_calls(name: str) -> list[dict[str, Any]]:
    """Calls of a pygithub-replay file: 10 lines each (see DATA.md), then a blank line."""
    path = RECORDINGS / "pygithub-replay" / name
    if not path.is_file():
        pytest.skip(f"recording not found: {path}")
    lines = path.read_text(encoding="utf-8").split("\n")
    calls = []
    for i in range(0, len(lines) - 9, 11):
        chunk = lines[i : i + 10]
        headers = {k.lower(): v for k, v in ast.literal_eval(chunk[8])}
        calls.append(
            {"path": chunk[4], "status": int(chunk[7]), "headers": headers, "body": chunk[9]}
        )
    return calls


def fixture_json(*parts: str) -> Any:
    path = RECORDINGS.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"recording not found: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- REST


def test_get_repo_with_pygithub_is_one_request(gh: FakeGitHub) -> None:
    with pygithub(gh) as g:
        repo = g.get_repo("Some-Org/Some.Repo")
        rec = gh.repos["some-org/some.repo"]
        assert repo.full_name == "Some-Org/Some.Repo"
        assert repo.id == rec["id"]
        assert repo.stargazers_count == repo.watchers_count == rec["stargazers_count"]
        assert repo.subscribers_count == rec["subscribers_count"]
        assert repo.forks_count == rec["forks_count"]
        assert repo.open_issues_count == rec["open_issues_count"]
        assert repo.language == rec["language"]
        assert repo.topics == rec["topics"]
        assert repo.archived is rec["archived"]
        assert repo.created_at < repo.pushed_at
        assert repo.owner.login == "Some-Org"
        assert repo.url == f"{gh.url}/repos/Some-Org/Some.Repo"
        assert g.rate_limiting == (4999, 5000)  # read from the headers, no extra request
    assert gh.requests == gh.rest_requests == 1


def test_lookup_is_case_insensitive_and_keeps_the_first_case(gh: FakeGitHub) -> None:
    with client(gh) as c:
        first = c.get("/repos/FOO/Bar").json()
        second = c.get("/repos/foo/bAR").json()
        node = graphql(c, batch("Foo/BAR")).json()["data"]["r0"]
    assert first["full_name"] == second["full_name"] == node["nameWithOwner"] == "FOO/Bar"
    assert first["id"] == second["id"] == node["databaseId"]
    assert list(gh.repos) == ["foo/bar"]


def test_generated_stats_are_deterministic_and_skewed() -> None:
    names = [f"owner{i % 37}/repo-{i}" for i in range(400)]
    a, b = FakeGitHub(seed=1), FakeGitHub(seed=2)
    recs = [a.add_repo(n) for n in names]
    assert recs == [b.add_repo(n) for n in names]  # stats depend on the name only
    ids = [r["id"] for r in recs]
    assert len(set(ids)) == len(ids)
    assert all(ID_MIN <= i < ID_MAX for i in ids)
    assert all(r["created_at"] < r["pushed_at"] <= r["updated_at"] for r in recs)
    stars = [r["stargazers_count"] for r in recs]
    assert statistics.median(stars) < 20
    assert sum(s >= 1000 for s in stars) >= 10
    assert max(stars) < 100_000
    licenses = {r["license"] for r in recs}
    assert {None, "MIT", "Apache-2.0", "NOASSERTION"} <= licenses
    assert "Python" in {r["language"] for r in recs}


def test_add_repo_overrides_and_auto_repos_off() -> None:
    with FakeGitHub(auto_repos=False) as server:
        server.add_repo(
            "lab/model",
            stars=7,
            forks_count=2,
            license="MIT",
            topics=["llm"],
            archived=True,
            homepage=None,
            pushed_at=datetime.fromisoformat("2025-01-02T03:04:05+00:00"),
            id=123_456_789,
        )
        with pytest.raises(TypeError):
            server.add_repo("lab/other", starz=1)
        with pytest.raises(ValueError, match="already in use"):
            server.add_repo("lab/other", id=123_456_789)
        with pygithub(server) as g:
            repo = g.get_repo("lab/model")
            assert (repo.id, repo.stargazers_count, repo.forks_count) == (123_456_789, 7, 2)
            assert repo.license.spdx_id == "MIT"
            assert repo.raw_data["license"]["key"] == "mit"
            assert (repo.topics, repo.archived) == (["llm"], True)
            assert repo.raw_data["homepage"] is None
            assert repo.raw_data["pushed_at"] == "2025-01-02T03:04:05Z"
            with pytest.raises(github.UnknownObjectException):
                g.get_repo("lab/unknown")
        with client(server) as c:
            body = graphql(c, batch("lab/model", "lab/unknown")).json()
        assert body["data"]["r0"]["databaseId"] == 123_456_789
        assert body["data"]["r1"] is None
        assert set(server.repos) == {"lab/model"}
    assert server.errors == []


def test_rename_answers_301_and_graphql_follows(gh: FakeGitHub) -> None:
    rid = gh.add_repo("old-owner/old-name", stars=42)["id"]
    gh.rename("old-owner/old-name", "New-Owner/new-name")
    with client(gh, follow_redirects=False) as c:
        moved = c.get("/repos/old-owner/old-name")
        assert moved.status_code == 301
        location = f"{gh.url}/repositories/{rid}"
        assert moved.headers["location"] == location
        assert moved.json()["url"] == location
        assert moved.json()["message"] == "Moved Permanently"
        assert c.get(location).json()["full_name"] == "New-Owner/new-name"
        node = graphql(c, batch("OLD-OWNER/old-name")).json()["data"]["r0"]
        assert (node["nameWithOwner"], node["databaseId"]) == ("New-Owner/new-name", rid)
    with pygithub(gh) as g:  # PyGithub follows a same-host 301 itself
        repo = g.get_repo("old-owner/old-name")
        assert (repo.full_name, repo.id, repo.stargazers_count) == ("New-Owner/new-name", rid, 42)
    assert gh.requests_by_path[f"/repositories/{rid}"] == 2


def test_remove_answers_404_everywhere(gh: FakeGitHub) -> None:
    rid = gh.add_repo("gone/repo")["id"]
    gh.remove("gone/repo")
    with pygithub(gh) as g, pytest.raises(github.UnknownObjectException) as exc:
        g.get_repo("gone/repo")
    assert exc.value.status == 404
    assert exc.value.data == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
        "status": "404",
    }
    with client(gh) as c:
        assert c.get(f"/repositories/{rid}").status_code == 404
        body = graphql(c, batch("gone/repo")).json()
    assert body["data"]["r0"] is None
    assert body["errors"] == [
        {
            "type": "NOT_FOUND",
            "path": ["r0"],
            "locations": [{"line": 3, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'gone/repo'.",
        }
    ]
    assert "gone/repo" not in gh.repos  # auto_repos does not bring it back


def test_blocked_repos_451_and_403_with_block(gh: FakeGitHub) -> None:
    gh.block("studio/leak")
    gh.block("spam/bot", reason="tos")
    with pygithub(gh) as g:
        with pytest.raises(github.GithubException) as dmca:
            g.get_repo("studio/leak")
        with pytest.raises(github.GithubException) as tos:
            g.get_repo("spam/bot")
    assert dmca.value.status == 451
    assert dmca.value.data["message"] == "Repository access blocked"
    assert dmca.value.data["block"]["reason"] == "dmca"
    assert dmca.value.data["block"]["html_url"].startswith("https://github.com/github/dmca/")
    assert type(tos.value) is github.GithubException  # not mistaken for a rate limit
    assert tos.value.status == 403
    assert tos.value.data["block"] == {
        "reason": "tos",
        "created_at": tos.value.data["block"]["created_at"],
        "html_url": "https://github.com/tos",
    }
    with client(gh) as c:
        body = graphql(c, batch("studio/leak", "spam/bot")).json()
    assert body["data"]["r0"] is None and body["data"]["r1"] is None
    assert [e["type"] for e in body["errors"]] == ["NOT_FOUND", "NOT_FOUND"]


def test_authentication(gh: FakeGitHub) -> None:
    with pygithub(gh, token="wrong") as g, pytest.raises(github.BadCredentialsException):
        g.get_repo("a/b")
    with client(gh, headers={"Authorization": "token wrong"}) as c:
        assert c.get("/repos/a/b").json() == {
            "message": "Bad credentials",
            "documentation_url": "https://docs.github.com/rest",
            "status": "401",
        }
        assert graphql(c, batch("a/b")).json()["message"] == "Bad credentials"
    with client(gh, headers={"Authorization": f"BEARER {TOKEN}"}) as c:
        assert c.get("/repos/a/b").status_code == 200
    with client(gh, headers={}) as c:
        anonymous = c.get("/repos/a/b")
        assert anonymous.status_code == 200
        assert anonymous.headers["x-ratelimit-limit"] == "60"
        assert "permissions" not in anonymous.json()
        refused = graphql(c, batch("a/b"))
        assert refused.status_code == 401
        assert refused.json()["message"] == "This endpoint requires you to be authenticated."
    with FakeGitHub(token=None) as open_server, client(open_server, headers=AUTH) as c:
        assert graphql(c, batch("a/b")).status_code == 200


def test_conditional_request_304_is_free(gh: FakeGitHub) -> None:
    with pygithub(gh) as g:
        status, headers, body = g.requester.requestJson("GET", "/repos/a/b")
        assert status == 200
        etag = headers["etag"]
        assert etag.startswith('W/"')
        remaining = int(headers["x-ratelimit-remaining"])
        status, headers, body = g.requester.requestJson(
            "GET", "/repos/a/b", headers={"If-None-Match": etag}
        )
        assert (status, body, headers["etag"]) == (304, "", etag)
        assert int(headers["x-ratelimit-remaining"]) == remaining
        assert gh.not_modified == 1
        gh.touch("a/b", stars=1234)
        status, headers, body = g.requester.requestJson(
            "GET", "/repos/a/b", headers={"If-None-Match": etag}
        )
        assert status == 200
        assert headers["etag"] != etag
        assert json.loads(body)["stargazers_count"] == 1234
        assert int(headers["x-ratelimit-remaining"]) == remaining - 1


def test_rest_budget_runs_out_and_refills() -> None:
    with FakeGitHub(rest_limit=2) as server, pygithub(server) as g:
        g.get_repo("a/b")
        g.get_repo("a/c")
        with pytest.raises(github.RateLimitExceededException) as exc:
            g.get_repo("a/d")
        assert exc.value.status == 403
        assert exc.value.headers is not None
        assert exc.value.headers["x-ratelimit-remaining"] == "0"
        assert exc.value.headers["x-ratelimit-resource"] == "core"
        assert int(exc.value.headers["x-ratelimit-reset"]) >= time.time()
        overview = g.get_rate_limit()  # free, even with the budget spent
        assert overview.resources.core.remaining == 0
        assert overview.resources.core.limit == 2
        server.reset_after = 0.3  # read live: the window started when the server did
        time.sleep(0.35)
        g.get_repo("a/d")
        assert g.rate_limiting == (1, 2)
    with FakeGitHub(rest_limit=100) as server, client(server, headers={}) as c:
        assert c.get("/repos/a/b").headers["x-ratelimit-limit"] == "60"


def test_rate_limit_endpoint(gh: FakeGitHub) -> None:
    with client(gh) as c:
        c.get("/repos/a/b")
        graphql(c, batch("a/b"))
        first = c.get("/rate_limit").json()
        second = c.get("/rate_limit").json()
    assert first == second
    assert first["rate"] == first["resources"]["core"]
    assert first["resources"]["core"]["used"] == 1
    assert first["resources"]["graphql"]["used"] == 1
    assert first["resources"]["graphql"]["remaining"] == 4999


@pytest.mark.parametrize(
    "path",
    [
        "/repos/a/b/c",
        "/repos/a/b/",
        "/repos/a",
        "/repos//b",
        "/repos/a/..",
        "/repos/a/.",
        "/repos/../a/b",
        "/repos/a%2Fb/c",
        "/repos/a/b%2Fc",
        "/repos/a%20b/c",
        "/repos/a_b/c",
        "/repos/%C3%A9/c",
        "/repos/" + "a" * 40 + "/b",
        "/repos/a/" + "b" * 101,
        "/repositories/12ab",
        "/repositories/%31",
        "/repositories/",
        "/users/a",
        "/",
    ],
)
def test_bad_names_and_path_tricks_are_404(gh: FakeGitHub, path: str) -> None:
    status, body = raw_get(gh, path)
    assert status == 404
    assert json.loads(body)["message"] == "Not Found"
    assert gh.repos == {}


@pytest.mark.parametrize(
    "path", ["/repos/a/b?per_page=1", "/repos/A-1/b.c_d-e", "/repos/a/.github", "/repos/a/..b"]
)
def test_good_names_are_found(gh: FakeGitHub, path: str) -> None:
    assert raw_get(gh, path)[0] == 200
    owner, name = path.partition("?")[0].split("/")[2:]
    assert is_valid_name(owner, name)


# --------------------------------------------------------------------------- GraphQL


def test_graphql_batch_keeps_partial_data(gh: FakeGitHub) -> None:
    gh.add_repo("lab/a", stars=10)
    gh.remove("lab/gone")
    with client(gh) as c:
        resp = graphql(c, batch("lab/a", "lab/gone", "lab/c"))
        again = graphql(c, batch("lab/a"))
    assert resp.status_code == 200
    assert resp.headers["x-ratelimit-resource"] == "graphql"
    assert resp.headers["x-ratelimit-used"] == "1"
    assert again.headers["x-ratelimit-remaining"] == "4998"
    body = resp.json()
    data = body["data"]
    assert list(data) == ["rateLimit", "r0", "r1", "r2"]
    assert data["r0"]["stargazerCount"] == 10
    assert data["r0"]["owner"]["login"] == "lab"
    assert data["r1"] is None
    assert data["r2"]["nameWithOwner"] == "lab/c"
    assert body["errors"][0]["path"] == ["r1"]
    assert body["errors"][0]["locations"] == [{"line": 4, "column": 3}]
    rate = data["rateLimit"]
    assert (rate["cost"], rate["limit"], rate["remaining"], rate["used"]) == (1, 5000, 4999, 1)
    assert datetime.fromisoformat(rate["resetAt"]).timestamp() > time.time()
    assert gh.graphql_requests == 2
    assert gh.rest_requests == 0


def test_graphql_repository_fields(gh: FakeGitHub) -> None:
    gh.add_repo("lab/x", license="NOASSERTION", language=None, topics=["a", "b"], fork=True)
    with client(gh) as c:
        node = graphql(c, batch("lab/x")).json()["data"]["r0"]
    wanted = {
        *("databaseId", "id", "nameWithOwner", "name", "owner", "stargazerCount", "forkCount"),
        *("watchers", "issues", "primaryLanguage", "licenseInfo", "repositoryTopics"),
        *("description", "homepageUrl", "createdAt", "pushedAt", "updatedAt", "isArchived"),
        *("isFork", "isPrivate", "isDisabled", "url"),
    }
    assert wanted <= set(node)
    assert node["licenseInfo"] == {"key": "other", "name": "Other", "spdxId": "NOASSERTION"} | {
        "url": None
    }
    assert node["primaryLanguage"] is None
    assert node["repositoryTopics"]["nodes"] == [{"topic": {"name": "a"}}, {"topic": {"name": "b"}}]
    assert node["isFork"] is True
    assert node["url"] == "https://github.com/lab/x"


def test_graphql_through_pygithub_requester(gh: FakeGitHub) -> None:
    text = (  # the query recorded in GraphQl.testQuery
        "\n            query Q($owner: String!, $name: String!) {\n"
        "              repository(owner: $owner, name: $name) { url }\n            }"
    )
    gh.remove("gone/repo")
    with pygithub(gh) as g:
        assert g.requester.graphql_url == gh.graphql_url
        _, data = g.requester.graphql_query(text, {"owner": "PyGithub", "name": "PyGithub"})
        assert data["data"]["repository"]["url"] == "https://github.com/PyGithub/PyGithub"
        with pytest.raises(github.UnknownObjectException):  # one NOT_FOUND and it raises
            g.requester.graphql_query(text, {"owner": "gone", "name": "repo"})


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ('query { a: repository(owner: "x" name: "y") { id }', None, "Unexpected end of document"),
        ("query { : }", None, 'Parse error on ":" (COLON) at [1, 9]'),
        ("{ }", None, 'Parse error on "}" (RCURLY) at [1, 3]'),
        ("mutation { x }", None, 'Parse error on "mutation" (MUTATION) at [1, 1]'),
        ("{ viewer { login } }", None, "Field 'viewer' doesn't exist on type 'Query'"),
        ('{ repository(owner: "a") { id } }', None, "missing required arguments: name"),
        ('{ repository(owner: "a", name: "b") }', None, "Field must have selections"),
        ('{ repository(owner: $o, name: "b") { id } }', {}, "Variable $o is used by anonymous"),
        (
            "query Q($o: String!) { repository(owner: $o, name: $o) { id } }",
            {"o": None},
            "Variable $o of type String! was provided invalid value",
        ),
        (
            '{ a: repository(owner: "a", name: "b") { id } a: repository(owner: "a", name: "c")'
            " { id } }",
            None,
            "Field 'a' has an argument conflict",
        ),
    ],
)
def test_graphql_query_errors_are_http_200(
    gh: FakeGitHub, text: str, variables: dict[str, Any] | None, expected: str
) -> None:
    with client(gh) as c:
        resp = graphql(c, text, variables)
    assert resp.status_code == 200
    body = resp.json()
    assert "data" not in body
    assert expected in body["errors"][0]["message"]
    assert resp.headers["x-ratelimit-remaining"] == "5000"  # invalid queries cost nothing


def test_graphql_limits_and_bad_requests(gh: FakeGitHub) -> None:
    with client(gh) as c:
        too_many = graphql(c, batch(*[f"o/r{i}" for i in range(101)])).json()
        bad_json = c.post("/graphql", content=b"{not json")
        no_query = c.post("/graphql", json={"variables": {}})
        get = c.get("/graphql")
        full = graphql(c, batch(*[f"o/r{i}" for i in range(100)], rate_limit=False))
    assert too_many["errors"][0]["type"] == "MAX_NODE_LIMIT_EXCEEDED"
    assert "exceeds the maximum limit of 100" in too_many["errors"][0]["message"]
    assert bad_json.status_code == 400
    assert bad_json.json()["message"] == "Problems parsing JSON"
    assert no_query.json()["errors"][0]["message"].startswith("A query attribute must be")
    assert get.status_code == 404
    assert full.status_code == 200
    assert len(full.json()["data"]) == 100
    assert full.headers["x-ratelimit-used"] == "1"  # 100 aliases cost one point


def test_graphql_budget_runs_out_and_refills() -> None:
    with FakeGitHub(graphql_limit=2) as server, client(server) as c:
        assert graphql(c, batch("a/b")).status_code == 200
        assert graphql(c, batch("a/b")).status_code == 200
        limited = graphql(c, batch("a/b"))
        assert limited.status_code == 200
        assert limited.json() == {
            "errors": [
                {
                    "type": "RATE_LIMITED",
                    "code": "graphql_rate_limit",
                    "message": "API rate limit exceeded for user ID 1.",
                }
            ]
        }
        assert limited.headers["x-ratelimit-remaining"] == "0"
        spent = server.graphql_rate_limited
        assert c.get("/repos/a/b").status_code == 200  # REST has its own budget
        server.reset_after = 0.3
        time.sleep(0.35)
        assert (spent, server.graphql_rate_limited) == (True, False)
        assert "data" in graphql(c, batch("a/b")).json()
        server.reset_after = 3600
        server.graphql_rate_limited = True
        server.graphql_rate_limit_type = "RATE_LIMIT"
        assert graphql(c, batch("a/b")).json()["errors"][0]["type"] == "RATE_LIMIT"
        server.graphql_rate_limited = False
        assert "data" in graphql(c, batch("a/b")).json()
    assert server.errors == []


def test_ghes_layout(gh: FakeGitHub) -> None:
    rid = gh.add_repo("ent/repo")["id"]
    gh.rename("ent/repo", "ent/renamed")
    with pygithub(gh, ghes=True) as g:
        assert g.requester.graphql_url == gh.url + "/api/graphql"
        repo = g.get_repo("ent/repo")
        assert repo.full_name == "ent/renamed"
        assert repo.url == f"{gh.url}/api/v3/repos/ent/renamed"
        assert repo.html_url == f"{gh.url}/ent/renamed"
        _, data = g.requester.graphql_query(
            'query { repository(owner: "ent", name: "repo") { nameWithOwner } }', {}
        )
        assert data["data"]["repository"]["nameWithOwner"] == "ent/renamed"
        assert data["data"]["repository"]["url"] == f"{gh.url}/ent/renamed"
    assert gh.requests_by_path["/api/v3/repos/ent/repo"] == 1
    assert gh.requests_by_path[f"/api/v3/repositories/{rid}"] == 1
    assert gh.requests_by_path["/api/graphql"] == 1
    with client(gh, follow_redirects=False) as c:
        moved = c.get("/api/v3/repos/ent/repo")
        assert moved.headers["location"] == f"{gh.url}/api/v3/repositories/{rid}"
        assert c.get("/api/v3/rate_limit").status_code == 200
        assert c.post("/api/v3/graphql", json={"query": batch("a/b")}).status_code == 404


# --------------------------------------------------------------------------- faults


def statuses(server: FakeGitHub, n: int) -> list[int]:
    with client(server) as c:
        return [c.get(f"/repos/a/r{i}").status_code for i in range(n)]


def test_fail_rate_and_determinism() -> None:
    runs = []
    for seed in (3, 3, 4):
        with FakeGitHub(seed=seed) as server:
            server.fail_rate = 0.5
            runs.append(statuses(server, 30))
        assert server.errors == []
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert set(runs[0]) <= {200, 500, 502, 503}
    assert {200, 500, 502, 503} <= set(runs[0] + runs[2])


def test_fail_rate_bodies(gh: FakeGitHub) -> None:
    gh.fail_rate = 1.0
    seen: dict[int, httpx.Response] = {}
    with client(gh) as c:
        while len(seen) < 3:
            resp = c.get("/repos/a/b")
            seen.setdefault(resp.status_code, resp)
        while (resp := graphql(c, batch("a/b"))).status_code != 502:
            pass
    assert resp.json()["data"] is None  # GraphQL's 502 is GitHub's "Something went wrong"
    assert seen[500].json() == {"error": "Server Error"}
    assert seen[503].text.startswith("<html>")  # HTML although labelled JSON, as recorded
    assert seen[503].headers["x-ratelimit-limit"] == "5000"
    with pygithub(gh) as g, pytest.raises(github.GithubException) as exc:
        g.get_repo("a/b")  # retry=None: no retry inside PyGithub
    assert exc.value.status in {500, 502, 503}


def test_hang_makes_clients_time_out(gh: FakeGitHub, capfd: pytest.CaptureFixture[str]) -> None:
    gh.hang_rate = 1.0
    gh.hang_seconds = 0.3
    with client(gh, timeout=0.05) as c, pytest.raises(httpx.ReadTimeout):
        c.get("/repos/a/b")
    gh.hang_rate = 0.0
    with client(gh) as c:
        assert c.get("/repos/a/b").status_code == 200
    time.sleep(0.35)  # the hung handler now writes to a closed socket: quietly
    assert gh.errors == []
    assert capfd.readouterr().err == ""


def test_reset_and_truncate(gh: FakeGitHub, capfd: pytest.CaptureFixture[str]) -> None:
    gh.reset_rate = 1.0
    with client(gh) as c, pytest.raises(httpx.RemoteProtocolError):
        c.get("/repos/a/b")
    with pygithub(gh) as g, pytest.raises(requests.exceptions.ConnectionError):
        g.get_repo("a/b")
    gh.reset_rate = 0.0
    gh.truncate_rate = 1.0
    with client(gh) as c, pytest.raises(httpx.RemoteProtocolError, match="complete message"):
        c.post("/graphql", json={"query": batch("a/b")})
    with pygithub(gh) as g, pytest.raises(requests.exceptions.ChunkedEncodingError):
        g.get_repo("a/b")
    gh.truncate_rate = 0.0
    with client(gh) as c:
        assert c.get("/repos/a/b").status_code == 200
    assert capfd.readouterr().err == ""


def test_secondary_rate_limit(gh: FakeGitHub) -> None:
    gh.secondary_every = 2
    with client(gh) as c:
        first, second = c.get("/repos/a/b"), c.get("/repos/a/b")
        gh.secondary_retry_after = None
        third, fourth = graphql(c, batch("a/b")), graphql(c, batch("a/b"))
    assert (first.status_code, second.status_code) == (200, 403)
    assert second.headers["retry-after"] == "1"
    assert second.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert second.headers["x-ratelimit-remaining"] == "4999"  # not charged
    assert (third.status_code, fourth.status_code) == (200, 403)
    assert "retry-after" not in fourth.headers
    gh.secondary_retry_after = 1
    gh.reset_counters()
    with pygithub(gh) as g:
        g.get_repo("a/b")
        with pytest.raises(github.RateLimitExceededException) as exc:
            g.get_repo("a/b")
    assert exc.value.status == 403
    assert exc.value.headers is not None
    assert exc.value.headers["retry-after"] == "1"


# --------------------------------------------------------------------------- server mechanics


def test_latency_overlaps_across_connections() -> None:
    # Overlap is proven by the server's own count of requests inside their latency at once,
    # not by a wall-clock bound (which a loaded machine breaks).
    with FakeGitHub(latency=0.5) as server:
        results: list[int] = []
        barrier = threading.Barrier(8)

        def fetch(i: int) -> None:
            with client(server) as c:
                barrier.wait()
                results.append(c.get(f"/repos/a/r{i}").status_code)

        threads = [threading.Thread(target=fetch, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 8
        assert server.peak_in_delay >= 2
        assert server.in_delay == 0
        assert server.connections == 8
        assert server.server_time_total < 0.2  # the artificial latency is not counted
    assert server.errors == []


def test_keep_alive_and_counters(gh: FakeGitHub) -> None:
    with client(gh) as c:
        for _ in range(5):
            c.get("/repos/a/b")
        graphql(c, batch("a/b"))
        c.get("/rate_limit")
    assert gh.connections == 1
    assert (gh.requests, gh.rest_requests, gh.graphql_requests) == (7, 6, 1)
    assert gh.requests_by_path == {"/repos/a/b": 5, "/graphql": 1, "/rate_limit": 1}
    assert gh.server_time_total > 0
    gh.reset_counters()
    assert (gh.requests, gh.not_modified, gh.connections, len(gh.requests_by_path)) == (0, 0, 0, 0)


def test_concurrent_clients_are_counted_exactly(gh: FakeGitHub) -> None:
    def work() -> None:
        with client(gh) as c:
            for i in range(25):
                assert c.get(f"/repos/o/r{i}").status_code == 200

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gh.requests == 200
    assert len(gh.repos) == 25
    with client(gh) as c:
        assert c.get("/rate_limit").json()["resources"]["core"]["used"] == 200


def test_stop_closes_idle_keep_alive_connections() -> None:
    server = FakeGitHub().start()
    with client(server) as c:
        assert c.get("/repos/a/b").status_code == 200
        started = time.perf_counter()
        server.stop()
        assert time.perf_counter() - started < 1.0
        with pytest.raises(httpx.TransportError):
            c.get("/repos/a/b")
    server.stop()  # idempotent
    assert server.errors == []


# --------------------------------------------------------------------------- against recordings


# Fields GitHub only shows to the repository's admins, or that newer recordings added
# for settings we do not model.
ADMIN_ONLY = {
    "temp_clone_token",
    "allow_squash_merge",
    "allow_merge_commit",
    "allow_rebase_merge",
    "allow_auto_merge",
    "delete_branch_on_merge",
    "allow_update_branch",
    "use_squash_pr_title_as_default",
    "squash_merge_commit_message",
    "squash_merge_commit_title",
    "merge_commit_message",
    "merge_commit_title",
    "security_and_analysis",
    "custom_properties",
}


def assert_same_shape(ours: dict[str, Any], recorded: dict[str, Any], where: str) -> None:
    missing = set(recorded) - set(ours) - ADMIN_ONLY
    assert not missing, f"{where}: missing {sorted(missing)}"
    for key, value in recorded.items():
        if key in ours and value is not None and ours[key] is not None:
            assert type(ours[key]) is type(value), f"{where}.{key}"


@pytest.mark.shared
def test_rest_repo_has_the_recorded_shape(gh: FakeGitHub) -> None:
    recorded = json.loads(recorded_calls("Repository.setUp.txt")[0]["body"])
    octokit = fixture_json("octokit", "api.github.com", "get-repository", "raw-fixture.json")
    gh.add_repo("PyGithub/PyGithub", license="LGPL-3.0", homepage="https://x.io/")
    with client(gh) as c:
        ours = c.get("/repos/PyGithub/PyGithub").json()
    for name, other in (("pygithub", recorded), ("octokit", octokit[0]["response"])):
        assert_same_shape(ours, other, name)
        assert_same_shape(ours["owner"], other["owner"], f"{name}.owner")
    assert ours["license"] == recorded["license"] | {"url": f"{gh.url}/licenses/lgpl-3.0"}
    assert ours["owner"]["node_id"].startswith("MDEyOk9yZ2FuaXphdGlvbj")  # "012:Organization"
    assert ours["node_id"].startswith("MDEwOlJlcG9zaXRvcnk")  # "010:Repository"
    assert set(ours) <= set(recorded) | {"permissions"}  # nothing GitHub would not send


@pytest.mark.shared
def test_rate_limit_has_the_recorded_shape(gh: FakeGitHub) -> None:
    recorded = json.loads(recorded_calls("RateLimiting.testGetRateLimit.txt")[0]["body"])
    with client(gh) as c:
        ours = c.get("/rate_limit").json()
    assert set(ours) == set(recorded)
    assert set(recorded["resources"]) <= set(ours["resources"])
    for name, bucket in ours["resources"].items():
        assert set(bucket) == {"limit", "used", "remaining", "reset"}, name


@pytest.mark.shared
def test_status_answers_have_the_recorded_shape(gh: FakeGitHub) -> None:
    moved = recorded_calls("Repository.testGetRepositoryWith301Redirect.txt")[0]
    not_modified = recorded_calls("ConditionalRequestUpdate.testDidNotUpdate.txt")[0]
    limited = recorded_calls("SpecificExceptions.testRateLimitExceeded.txt")[1]
    gh.rename("a/b", "a/c")
    with client(gh, follow_redirects=False) as c:
        ours_moved = c.get("/repos/a/b")
        etag = c.get("/repos/a/c").headers["etag"]
        ours_304 = c.get("/repos/a/c", headers={"If-None-Match": etag})
    assert ours_moved.status_code == moved["status"] == 301
    assert set(ours_moved.json()) == set(json.loads(moved["body"]))
    assert moved["headers"]["location"].rsplit("/", 2)[1] == "repositories"
    assert ours_moved.headers["location"].rsplit("/", 2)[1] == "repositories"
    assert ours_304.status_code == not_modified["status"] == 304
    assert ours_304.content == b""
    wanted = {"etag", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"}
    assert wanted <= set(not_modified["headers"]) & set(ours_304.headers)
    with FakeGitHub(rest_limit=1) as server, client(server, headers={}) as c:
        c.get("/repos/a/b")
        ours_403 = c.get("/repos/a/b")
    assert ours_403.status_code == limited["status"] == 403
    assert ours_403.headers["x-ratelimit-remaining"] == limited["headers"]["x-ratelimit-remaining"]
    assert ours_403.json()["message"].lower().startswith("api rate limit exceeded for")


@pytest.mark.shared
def test_errors_have_the_recorded_shapes(gh: FakeGitHub) -> None:
    parse_error = fixture_json("gidgethub", "GraphQL", "malformed-query-200.json")
    bad_credentials = fixture_json("gidgethub", "GraphQL", "bad-credentials-401.json")
    bad_json = fixture_json("gidgethub", "GraphQL", "malformed-json-400.json")
    not_found = fixture_json("gidgethub", "pr_not_found", "body")
    with client(gh) as c:
        ours_parse = graphql(c, "query { : }").json()
        ours_bad_json = c.post("/graphql", content=b"{").json()
        ours_404 = c.get("/repos/a/b/c").json()
    with client(gh, headers={"Authorization": "bearer nope"}) as c:
        ours_401 = graphql(c, batch("a/b")).json()
    assert ours_parse == parse_error  # same query shape, same answer
    assert set(ours_401) == set(bad_credentials)
    assert ours_401["message"] == bad_credentials["message"]
    assert set(ours_bad_json) == set(bad_json)
    assert ours_bad_json["message"] == bad_json["message"]
    assert set(not_found) <= set(ours_404)


def test_recording_reader_is_sane() -> None:
    # Guards the helper above against the 10-lines-per-call format drifting.
    path = RECORDINGS / "pygithub-replay" / "Retry.testReturnsRepoAfter3Retries.txt"
    if not path.is_file():
        pytest.skip("recordings not available")
    calls = recorded_calls(path.name)
    assert [c["status"] for c in calls] == [502, 502, 502, 200]
