"""The readme channel and reverse search against the fake GitHub, with decoys; paper_code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester import harvest
from harvester.config import ApiUrls, Secret
from harvester.github.client import GitHubSettings
from harvester.github.engine import EngineOptions
from harvester.models import Paper
from harvester.readmes import follow_readmes, plan_text, record_readmes, reverse_search
from harvester.reports import find_report
from harvester.store import Store
from tests.fakegithub import FakeGitHub

ABC = "ABC: Achieving Better Control of Multimodal Embeddings using VLMs"
LIST = "\n".join(f"- https://arxiv.org/abs/2401.{i:05d}" for i in range(1, 130))


class Recorder:
    def __init__(self, gh: FakeGitHub) -> None:
        self.gh = gh
        self.waits: list[tuple[float, str]] = []

    def progress(self, done: int, total: int) -> None:
        pass

    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None:
        self.waits.append((seconds, reason))

    def note(self, message: str) -> None:
        pass

    def sleep(self, seconds: float) -> None:
        self.gh.refill()  # the window passes instantly


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        fake.add_repo("tiger/abc", fork=False)
        fake.add_repo("fan/abc", fork=True)
        fake.add_repo("list/awesome", fork=False)
        fake.add_repo("other/abc-llm", fork=False)
        fake.add_repo("third/p3code", fork=False)
        fake.add_repo("crowd/papers", fork=False)
        fake.set_readme("tiger/abc", f"# {ABC}\n[paper](https://arxiv.org/abs/2503.00329v2)")
        fake.set_readme("fan/abc", f"# {ABC}\n[paper](https://arxiv.org/abs/2503.00329v2)")
        fake.set_readme(
            "list/awesome", f"# Awesome\n- [{ABC}](https://arxiv.org/abs/2503.00329)\n{LIST}"
        )
        fake.set_readme(
            "other/abc-llm", "# ABC: Achieving Better Control of Multimodal Embeddings using LLMs\n"
        )
        fake.set_readme("third/p3code", "Code of arXiv:2505.22222 (ICML)")
        fake.set_readme("crowd/papers", f"2505.22222 2503.00329\n{LIST}")
        yield fake


def settings(gh: FakeGitHub) -> GitHubSettings:
    return GitHubSettings(ApiUrls(gh.url, gh.graphql_url), Secret("test-token"))


def rest_only(gh: FakeGitHub) -> GitHubSettings:
    """No token: the stats come over REST, which reads no README, so the readme channel is what
    these tests exercise (a token's GraphQL batch reads README.md itself: see
    tests/cli/test_follow_github.py)."""
    return GitHubSettings(ApiUrls(gh.url, gh.graphql_url), None)


def papers() -> list[Paper]:
    return [
        Paper(
            "2503.00329",
            "test",
            title=ABC,
            hf_github_repo="https://github.com/tiger/abc",
            text="see github.com/fan/abc github.com/list/awesome github.com/other/abc-llm",
        ),
        Paper("2505.22222", "test", title="Some Paper Without Links At All"),
    ]


def roles(store: Store) -> dict[tuple[str, str], tuple[Any, ...]]:
    rows = store.query(
        ["SELECT paper_id, repo_name, role, conflict, channels, rank FROM paper_code"]
    ).rows
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def test_readmes_and_reverse_search_give_roles(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    harvest.harvest(store, papers(), args="test", github=rest_only(gh))
    report = follow_readmes(store, settings(gh), options=EngineOptions(max_wait=5))
    assert report.checked == 4 and report.stopped is None
    got = roles(store)
    assert got[("2503.00329", "tiger/abc")][:2] == ("official", False)
    assert "readme" in got[("2503.00329", "tiger/abc")][2]
    assert got[("2503.00329", "fan/abc")][0] == "third_party"  # a fork
    assert got[("2503.00329", "list/awesome")][0] == "unknown"  # cites 130 papers
    assert got[("2503.00329", "other/abc-llm")][0] == "unknown"  # a similar title only
    cites = store.query(
        [
            "SELECT r.full_name, c.how, c.cited_papers_total FROM readme_citations c "
            "JOIN repos r USING (repo_id) ORDER BY 1"
        ]
    ).rows
    assert cites == [
        ("fan/abc", "link", 1),
        ("list/awesome", "link", 130),
        ("tiger/abc", "link", 1),
    ]

    run_id, _ = store.begin_run("follow", "test")
    found = reverse_search(store, settings(gh), run_id=run_id)
    assert found.searched == 1 and found.found == 1  # 2503.00329 already has official code
    got = roles(store)
    assert got[("2505.22222", "third/p3code")][0] == "official"
    assert ("2505.22222", "crowd/papers") not in got  # a list: a hit, but not confirmed
    assert gh.requests_by_path["/search/repositories"] == 1
    again = reverse_search(store, settings(gh), run_id=run_id)
    assert again.searched == 0  # searched papers are not searched again


def test_the_search_budget_makes_visible_waits(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    many = [Paper(f"2506.{i:05d}", "test", title=f"Paper {i}") for i in range(1, 6)]
    # (no README cites them: every search comes back empty)
    harvest.harvest(store, many, args="test", github=settings(gh))
    gh.search_limit = 2
    recorder = Recorder(gh)
    run_id, _ = store.begin_run("follow", "test")
    report = reverse_search(
        store, settings(gh), run_id=run_id, reporter=recorder, sleep=recorder.sleep
    )
    assert report.searched == 5 and report.stopped is None
    assert [reason for _, reason in recorder.waits] == ["search rate limit"] * 2
    assert gh.requests_by_path["/search/repositories"] == 5  # the budget was never overdrawn


def test_a_search_budget_beyond_max_wait_stops_cleanly(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    many = [Paper(f"2506.{i:05d}", "test", title=f"Paper {i}") for i in range(1, 6)]
    harvest.harvest(store, many, args="test", github=settings(gh))
    gh.search_limit = 2
    gh.search_reset_after = 3600
    run_id, _ = store.begin_run("follow", "test")
    report = reverse_search(store, settings(gh), run_id=run_id, options=EngineOptions(max_wait=5))
    assert report.searched == 2 and report.stopped and "search budget" in report.stopped
    assert store.query(["SELECT count(*) FROM readme_searches"]).rows == [(2,)]


def test_readmes_without_a_token_and_missing_readmes(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    gh.set_readme("tiger/abc", None)
    harvest.harvest(store, papers(), args="test", github=rest_only(gh))
    anonymous = GitHubSettings(ApiUrls(gh.url, gh.graphql_url), None)
    report = follow_readmes(store, anonymous)
    assert report.missing == 1 and report.checked == 4
    assert roles(store)[("2503.00329", "tiger/abc")][0] == "official"  # declared still counts
    assert follow_readmes(store, anonymous).checked == 0  # checked ones are not asked again


def test_dry_run_counts_readmes_and_searches(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    harvest.harvest(store, papers(), args="test", github=rest_only(gh))
    before = gh.requests
    lines = plan_text(store, settings(gh), search=True)
    assert lines[0].startswith("readme: 4 READMEs to read")
    assert (
        # (2503.00329 has official code already, its declared repository: 2505.22222 is left)
        "reverse search: 1 paper, one search request each" in lines[1]
        and "/30 a minute" in lines[1]
    )
    assert gh.requests - before == 2  # two free /rate_limit probes, nothing else
    assert gh.requests_by_path["/search/repositories"] == 0


def test_a_readme_citing_only_the_title_is_found_by_title(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    gh.add_repo("title/only", fork=False)
    gh.add_repo("title/longer", fork=False)
    gh.set_readme("title/only", "<h1>Scaling Laws <br>for Tiny Robots</h1>\nBy A. Author")
    gh.set_readme("title/longer", "# Scaling Laws for Tiny Robots and Large Ones\n")
    paper = Paper("2507.33333", "test", title="Scaling Laws for\n  Tiny Robots")
    harvest.harvest(store, [paper], args="test", github=settings(gh))
    run_id, _ = store.begin_run("follow", "test")
    report = reverse_search(store, settings(gh), run_id=run_id)
    assert report.found == 1 and gh.requests_by_path["/search/repositories"] == 2
    got = roles(store)
    assert got[("2507.33333", "title/only")][0] == "official"
    assert ("2507.33333", "title/longer") not in got  # a hit the back-link rule refused
    how = store.query(["SELECT how FROM readme_citations"]).rows
    assert how == [("title",)]


def report_rows(store: Store, name: str, **params: str) -> list[dict[str, Any]]:
    report = find_report(name)
    values = report.bind({**{p.name: str(p.default) for p in report.params}, **params})
    result = store.query([report.sql], values)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_reports_show_official_code_channels_and_conflicts(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    gh.add_repo("auth/old", fork=False)
    gh.add_repo("auth/new", fork=False)
    gh.set_readme("auth/new", "[arXiv](https://arxiv.org/abs/2508.44444)")
    moved = Paper(
        "2508.44444",
        "test",
        title="A Paper Whose Code Moved",
        abstract="Code: https://github.com/auth/new.",
        hf_github_repo="https://github.com/auth/old",
        published_at=dt.date(2025, 8, 1),
    )
    harvest.harvest(store, [*papers(), moved], args="test", github=settings(gh))
    follow_readmes(store, settings(gh))
    official = {r["paper_id"]: r for r in report_rows(store, "official_code")}
    assert official["2503.00329"]["repository"] == "tiger/abc"
    assert official["2508.44444"]["repository"] == "auth/new"
    assert official["2508.44444"]["conflict"] is True
    channels = {r["channel"]: r for r in report_rows(store, "code_channels")}
    assert channels["readme"]["papers"] == 2 and channels["declared"]["papers"] == 2
    assert channels["abstract"]["alone"] == 0  # auth/new also has its README
    conflicts = report_rows(store, "code_conflicts")
    assert {(r["repository"], r["declared"]) for r in conflicts} == {
        ("auth/old", True),
        ("auth/new", False),
    }
    (year,) = report_rows(store, "code_availability", grain="year")  # dated papers only
    assert (year["with_official_code"], year["pct_official"], year["pct_abstract_only"]) == (
        1,
        100.0,
        100.0,
    )


def test_readme_texts_from_elsewhere_are_recorded(gh: FakeGitHub, tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    harvest.harvest(store, papers(), args="test", github=rest_only(gh))
    ids = dict(store.query(["SELECT full_name_lower, repo_id FROM repos"]).rows)
    before = gh.requests
    report = record_readmes(
        store, [(ids["tiger/abc"], "see arXiv:2503.00329v1"), (ids["fan/abc"], None)]
    )
    assert (report.checked, report.citing, report.missing) == (2, 1, 1)
    assert gh.requests == before  # nothing asked of GitHub
    follow = follow_readmes(store, settings(gh))
    assert follow.checked == 2  # only the two READMEs not recorded yet
