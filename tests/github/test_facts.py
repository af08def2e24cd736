"""Is the code there: the facts in the GraphQL batch, against the fake GitHub over real HTTP, the
cost GitHub's documented rule charges for them, and every query checked against GitHub's real
schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from harvester.config import Secret, api_urls
from harvester.github.engine import Engine, EngineOptions
from harvester.github.facts import query_cost
from harvester.github.graphql import GraphQLClient
from harvester.github.parse import REPO_FIELDS, build_query, outcome_from_rest
from harvester.github.rest import RestClient
from harvester.models import Outcome, RepoStats, Status
from tests.conftest import FIXTURES
from tests.fakefacts import query_cost as fake_cost
from tests.fakegithub import FakeGitHub

TOKEN = Secret("test-token")
SCHEMA = FIXTURES / "github" / "graphql-schema" / "schema.graphql"
WHEN = dt.datetime(2025, 5, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub(seed=7) as server:
        yield server


def fetch(
    fake: FakeGitHub, names: list[str], *, token: bool = True
) -> tuple[dict[str, Outcome], dict[str, str]]:
    urls = api_urls(fake.url)
    readmes: dict[str, str] = {}

    def hook(repo: RepoStats, text: str) -> None:
        readmes[repo.full_name] = text

    engine = Engine(
        RestClient(urls.rest, TOKEN if token else None, timeout=5),
        GraphQLClient(urls.graphql, TOKEN, timeout=5) if token else None,
        EngineOptions(backoff=0.0),
        sleep=lambda _s: None,
        readme_hook=hook,
    )
    found: dict[str, Outcome] = {}
    try:
        engine.run(names, lambda outs: found.update((o.name, o) for o in outs))
    finally:
        engine.close()
    return found, readmes


def repo(outcomes: dict[str, Outcome], name: str) -> RepoStats:
    got = outcomes[name.lower()].repo
    assert got is not None
    return got


def test_placeholder_empty_and_code_repositories_get_their_verdicts(fake: FakeGitHub) -> None:
    fake.add_repo("lab/soon")
    fake.placeholder("lab/soon", readme="# Soon\n\n**Code will be released soon.**\n")
    fake.add_repo("lab/nothing")
    fake.empty("lab/nothing")
    fake.add_repo("lab/real", license="MIT")
    fake.push_code("lab/real", when=WHEN, release="v1.0")
    fake.touch("lab/real", files={**fake.repos["lab/real"]["files"], "CITATION.cff": "cff\n"})
    outcomes, readmes = fetch(fake, ["lab/soon", "lab/nothing", "lab/real"])

    soon = repo(outcomes, "lab/soon")
    assert (soon.verdict, soon.commits, soon.is_empty) == ("placeholder", 1, False)
    assert soon.verdict_reason == ("1 commit, README only, README says: Code will be released soon")
    assert soon.readme_bytes == len(b"# Soon\n\n**Code will be released soon.**\n")
    assert (soon.has_license_file, soon.has_runnable, soon.releases) == (False, False, 0)

    nothing = repo(outcomes, "lab/nothing")
    assert (nothing.verdict, nothing.verdict_reason, nothing.is_empty) == (
        "empty",
        "no commits",
        True,
    )
    assert (nothing.commits, nothing.readme_bytes, nothing.disk_usage) == (0, None, 0)

    real = repo(outcomes, "lab/real")
    assert real.verdict == "code" and "train.py" in (real.verdict_reason or "")
    assert (real.has_runnable, real.has_license_file, real.has_citation) == (True, True, True)
    assert (real.releases, real.latest_release, real.latest_release_at) == (
        len(fake.repos["lab/real"]["releases"]),
        "v1.0",
        WHEN,
    )
    assert real.last_commit_at == WHEN
    # the README hook saw each README once, without a second request
    assert readmes == {
        "lab/soon": fake.repos["lab/soon"]["files"]["README.md"],
        "lab/real": fake.repos["lab/real"]["files"]["README.md"],
    }
    assert fake.graphql_requests == 1


def test_a_readme_spelled_otherwise_is_read_and_an_odd_one_is_measured_only(
    fake: FakeGitHub,
) -> None:
    fake.add_repo("lab/rst")
    fake.touch("lab/rst", files={"README.rst": "Code coming soon.", "assets": None}, commits=2)
    fake.add_repo("lab/odd")
    fake.touch("lab/odd", files={"Readme.txt": "Code coming soon."}, commits=1)
    outcomes, readmes = fetch(fake, ["lab/rst", "lab/odd"])
    rst = repo(outcomes, "lab/rst")
    assert rst.verdict == "placeholder"
    assert rst.verdict_reason == (
        "2 commits, no code in the root (README.rst, assets/), README says: Code coming soon"
    )
    odd = repo(outcomes, "lab/odd")
    assert (odd.verdict, odd.readme_bytes) == ("placeholder", len("Code coming soon."))
    assert "README says" not in (odd.verdict_reason or "")  # its text was not fetched
    assert set(readmes) == {"lab/rst"}


def test_the_rest_path_says_what_it_could_not_read(fake: FakeGitHub) -> None:
    fake.add_repo("lab/soon", size=3)
    fake.placeholder("lab/soon")
    outcomes, readmes = fetch(fake, ["lab/soon"], token=False)
    soon = repo(outcomes, "lab/soon")
    assert (soon.verdict, soon.disk_usage, soon.commits, soon.has_runnable) == (
        "unknown",
        3,
        None,
        None,
    )
    assert "REST" in (soon.verdict_reason or "") and readmes == {}
    assert outcome_from_rest("lab/soon", _reply_404()).status == Status.NOT_FOUND


def _reply_404() -> object:
    from harvester.github.transport import Reply

    return Reply(404, {}, {"message": "Not Found"})


def test_the_fake_charges_the_documented_cost_and_the_engine_reserves_it(
    fake: FakeGitHub,
) -> None:
    names = [f"lab/r{i}" for i in range(100)]
    fetch(fake, names)
    # 100 repositories x 3 connections (topics, history, releases) = 300 requests: 3 points
    assert fake.graphql_costs == [3] == [query_cost(100)]
    fake.graphql_costs.clear()
    fetch(fake, names[:10])
    assert fake.graphql_costs == [1] == [query_cost(10)]
    # before this change the fragment had one connection: 100 requests, 1 point
    old_fragment = REPO_FIELDS.split("\n  isEmpty")[0]
    old = build_query(names).split("fragment R on Repository {")[0]
    assert fake_cost(old + "fragment R on Repository {\n  " + old_fragment + "\n}") == (1, 100)
    assert fake_cost(build_query(names)) == (3, 300)


def test_nested_connections_multiply_as_github_documents() -> None:
    # GitHub's own example: 100 repositories, 50 issues each, 60 labels each = 5,101 requests
    query = (
        "query { viewer { repositories(first: 100) { nodes { issues(first: 50) "
        "{ nodes { labels(first: 60) { nodes { name } } } } } } } }"
    )
    assert fake_cost(query) == (51, 1 + 100 + 5000)


@pytest.mark.shared
def test_every_query_sent_is_valid_against_githubs_real_schema(fake: FakeGitHub) -> None:
    graphql = pytest.importorskip("graphql")
    schema = graphql.build_schema(SCHEMA.read_text("utf-8"), assume_valid_sdl=True)
    schema._validation_errors = []  # the published SDL trips graphql-core's strict checks
    fake.add_repo("lab/soon")
    fake.placeholder("lab/soon")
    fetch(fake, ["lab/soon", "lab/gone-" + "x" * 3, "Lab/Other"])
    assert fake.graphql_queries
    for query in [*fake.graphql_queries, build_query(["a/b"] * 100)]:
        assert graphql.validate(schema, graphql.parse(query)) == []
    bad = build_query(["a/b"]).replace("isEmpty", "isEmptyy")
    assert graphql.validate(schema, graphql.parse(bad)) != []
