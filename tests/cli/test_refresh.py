"""refresh, --dry-run and waiting for budgets, through the CLI against the fake GitHub."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harvester import errors
from harvester.cli import RichReporter
from tests.cli.conftest import Cli
from tests.fakegithub import FakeGitHub

PAPERS = "".join(
    f'{{"id": "2501.{i:05d}", "title": "Paper {i}", "abstract": "code at '
    f'https://github.com/lab{i % 7}/tool-{i}"}}\n'
    for i in range(30)
)


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl"
    path.write_text(PAPERS)
    return path


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits are recorded, never slept."""
    record: list[float] = []
    monkeypatch.setattr(RichReporter, "sleep", lambda self, seconds: record.append(seconds))
    return record


def test_stale_refresh_adds_one_snapshot_per_repo_and_new_stats(
    cli: Cli, fake: FakeGitHub, papers: Path
) -> None:
    assert cli("harvest", str(papers)).code == 0
    fake.touch("lab3/tool-3", stars=4242)
    fake.reset_counters()
    assert cli("refresh").code == 0  # nothing is stale yet: no request at all
    assert fake.requests == 0
    out = cli("refresh", "--stale-after", "0s")
    assert out.code == 0, out.stderr
    assert fake.graphql_requests == 1 and fake.rest_requests == 0  # 30 repos, one query
    assert cli.one("SELECT count(*) FROM repo_snapshots") == 60
    assert cli.rows(
        "SELECT s.stars FROM repo_snapshots s JOIN repos r USING (repo_id)"
        " WHERE r.full_name = 'lab3/tool-3' ORDER BY s.run_id"
    )[-1] == (4242,)
    assert cli.rows("SELECT command, status, repos_fetched FROM runs ORDER BY run_id") == [
        ("harvest", "ok", 30),
        ("refresh", "ok", 0),
        ("refresh", "ok", 30),
    ]


def test_refresh_limit_and_only_status(cli: Cli, fake: FakeGitHub, papers: Path) -> None:
    fake.add_repo("lab1/tool-1")
    fake.remove("lab1/tool-1")
    assert cli("harvest", str(papers)).code == 0
    assert cli.one("SELECT count(*) FROM repo_names WHERE status = 'not_found'") == 1
    fake.add_repo("lab1/tool-1")  # it came back
    fake.reset_counters()
    assert cli("refresh", "--only-status", "not_found").code == 0
    assert fake.graphql_requests == 1
    assert cli.one("SELECT status FROM repo_names WHERE repo_name = 'lab1/tool-1'") == "ok"
    fake.reset_counters()
    assert cli("refresh", "--stale-after", "0s", "--limit", "5", "--batch-size", "2").code == 0
    assert fake.graphql_requests == 3  # 5 names in batches of 2
    assert (
        cli.one(
            "SELECT max(n) FROM (SELECT count(*) n FROM repo_snapshots GROUP BY run_id"
            " HAVING min(run_id) > 1)"
        )
        == 5
    )


def test_rest_refresh_of_unchanged_repos_costs_no_rate_limit(
    cli: Cli, fake: FakeGitHub, papers: Path
) -> None:
    assert cli("harvest", str(papers), token=None).code == 0
    assert cli.one("SELECT count(*) FROM repos WHERE etag IS NOT NULL") == 30
    fake.touch("lab2/tool-2", stars=7)
    fake.reset_counters()
    out = cli("refresh", "--stale-after", "0s", token=None)
    assert out.code == 0, out.stderr
    assert fake.rest_requests == 30 and fake.not_modified == 29
    assert "29 unchanged" in out.stdout and "1 ok" in out.stdout
    assert cli.one("SELECT count(*) FROM repo_snapshots") == 60  # a 304 is still a snapshot
    # only the changed repository cost a request against the budget
    limits = cli("status").stdout  # (status never calls GitHub data endpoints)
    assert "names ok" in limits
    assert fake.graphql_requests == 0


def test_renames_seen_on_refresh_keep_every_old_name(
    cli: Cli, fake: FakeGitHub, papers: Path
) -> None:
    assert cli("harvest", str(papers)).code == 0
    repo_id = cli.one("SELECT repo_id FROM repo_names WHERE repo_name = 'lab0/tool-0'")
    fake.rename("lab0/tool-0", "lab0/Tool-Zero")
    assert cli("refresh", "--stale-after", "0s").code == 0
    fake.rename("lab0/Tool-Zero", "newlab/tool-zero-2")
    assert cli("refresh", "--stale-after", "0s").code == 0
    assert cli.rows("SELECT full_name FROM repos WHERE repo_id = ?", [repo_id]) == [
        ("newlab/tool-zero-2",)
    ]
    assert cli.rows(
        "SELECT repo_name, status, detail FROM repo_names WHERE repo_id = ? ORDER BY repo_name",
        [repo_id],
    ) == [
        ("lab0/tool-0", "renamed", "now newlab/tool-zero-2"),
        ("lab0/tool-zero", "renamed", "now newlab/tool-zero-2"),  # the alias nobody cited
    ]
    assert (
        cli.one("SELECT count(*) FROM repo_snapshots WHERE repo_id = ?".replace("?", str(repo_id)))
        == 3
    )


def test_dry_run_estimates_and_writes_nothing(cli: Cli, fake: FakeGitHub, papers: Path) -> None:
    out = cli("harvest", str(papers), "--dry-run")
    assert out.code == 0, out.stderr
    assert out.stdout.startswith("dry run: 30 papers read; 30 names to fetch: 1 GraphQL queries")
    assert "budget 5000/5000 now" in out.stdout
    assert not cli.db.exists()
    assert fake.graphql_requests == 0 and fake.requests_by_path["/rate_limit"] == 1
    assert fake.rest_requests == 1  # only GET /rate_limit, which is free

    assert cli("harvest", str(papers), "--no-stats").code == 0
    out = cli("refresh", "--dry-run", token=None)
    assert (
        "30 names to fetch: 30 REST requests costing about 30 core points; budget 60/60"
        in out.stdout
    )
    assert cli.rows("SELECT DISTINCT status FROM repo_names") == [("pending",)]
    assert "nothing to fetch" in cli("refresh", "--dry-run", "--only-status", "blocked").stdout


def test_dry_run_without_stats_asks_github_nothing(
    cli: Cli, fake: FakeGitHub, papers: Path
) -> None:
    out = cli("harvest", str(papers), "--no-stats", "--dry-run")
    assert out.code == 0, out.stderr
    assert out.stdout == (
        "dry run: 30 papers read; 30 names would stay pending (--no-stats: GitHub not asked)\n"
    )
    assert fake.requests == 0  # not even the free GET /rate_limit
    assert not cli.db.exists()


def test_dry_run_over_budget_says_when(cli: Cli, fake: FakeGitHub, papers: Path) -> None:
    fake.stop()
    with FakeGitHub(token=None, rest_limit=10, reset_after=1800) as small:
        cli.fake = small
        out = cli("harvest", str(papers), "--dry-run", token=None)
    assert re.search(r"budget 10/10 now, resets \d\d:\d\d UTC; expected time 90m", out.stdout)
    # 10 now, 10 after the reset in 30 minutes, the last 10 an hour later (GitHub windows are
    # hourly)


def test_offline_dry_run_assumes_default_budget(cli: Cli, papers: Path) -> None:
    dead = FakeGitHub().start()
    url = dead.url
    dead.stop()
    out = cli("harvest", str(papers), "--dry-run", "--github-url", url, token=None)
    assert out.code == 0
    assert "budget 60/60 assumed (GitHub not reachable)" in out.stdout


def test_waits_for_the_reset_visibly_then_finishes(
    cli: Cli, fake: FakeGitHub, papers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.stop()
    slept: list[float] = []
    with FakeGitHub(token=None, rest_limit=10, reset_after=300) as small:

        def sleep(reporter: RichReporter, seconds: float) -> None:
            slept.append(seconds)
            small.refill()  # the window ends while we "sleep"

        monkeypatch.setattr(RichReporter, "sleep", sleep)
        cli.fake = small
        out = cli("harvest", str(papers), token=None)
        assert out.code == 0, out.stderr
        assert small.rest_requests == 30
    waits = [line for line in out.stderr.splitlines() if "rate limit: waiting" in line]
    assert len(waits) == 2  # 10 per window: two resets for 30 names
    assert re.fullmatch(
        r"harvester: core rate limit: waiting \d+s, until \d\d:\d\d:\d\d UTC", waits[0]
    )
    assert len(slept) == 2 and all(250 < s <= 302 for s in slept)


def test_stops_cleanly_past_max_wait_and_resumes(
    cli: Cli, fake: FakeGitHub, papers: Path, slept: list[float]
) -> None:
    fake.stop()
    with FakeGitHub(token=None, rest_limit=10, reset_after=3600) as small:
        cli.fake = small
        out = cli("harvest", str(papers), token=None, env={})
        assert out.code == errors.EXIT_RESUMABLE
        assert "longer than --max-wait 15m; rerun after" in out.stdout
        assert "20 names still pending" in out.stdout
        assert slept == []
        assert cli.one("SELECT count(*) FROM repo_names WHERE status = 'ok'") == 10
        small.reset_after = 0.0  # the hour is over
        assert cli("refresh", token=None).code == 0
    assert cli.one("SELECT count(*) FROM repo_names WHERE status = 'ok'") == 30
