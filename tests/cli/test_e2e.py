"""End to end on real data: the seed listing and real HF days, through the CLI, into DuckDB,
against the fake GitHub over HTTP; then every report on the result."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import typer.main

from harvester import links
from harvester.cli import app
from harvester.render import FORMATS
from harvester.reports import list_reports
from harvester.sources.files import read_inputs
from tests.cli.conftest import TOKEN, Cli, seed_world
from tests.conftest import HF_DAYS, SEED, SEED_REPOS
from tests.fakegithub import FakeGitHub

pytestmark = pytest.mark.shared

# The reports that must answer from one harvest (the others need a history or rarer papers).
CORE_REPORTS = {
    "top_repos",
    "code_availability",
    "link_health",
    "languages",
    "licenses",
    "shared_repos",
}
# A Python-repr day, the wrapped day, days with githubRepo values, and 2025-09-17 where four
# papers cite one repository (for the shared-repositories report).
DAYS = ["2024-12-20", "2025-01-10", "2025-03-04", "2025-06-17", "2025-09-17"]


def _inputs() -> list[str]:
    return [str(SEED)] + [str(HF_DAYS / f"{d}.json.gz") for d in DAYS]


def _expected() -> tuple[set[str], set[tuple[str, str, str, str]], set[str]]:
    """What the pipeline should store, computed from the sources and links modules directly."""
    papers = list(read_inputs(_inputs()))
    mentions = {
        (m.paper_id, m.repo_name, m.source_field, m.kind)
        for p in papers
        for m in links.mentions_for(p)
    }
    names = {name for _, name, _, kind in mentions if kind == "repo"}
    return {p.paper_id for p in papers}, mentions, names


def test_harvest_seed_and_real_days_then_every_report(
    cli: Cli, fake: FakeGitHub, tmp_path: Path
) -> None:
    seed_world(fake)
    paper_ids, mentions, names = _expected()
    result = cli("harvest", *_inputs())
    assert result.code == 0, result.stderr
    assert f"{len(paper_ids)} papers read ({len(paper_ids)} new)" in result.stdout
    assert TOKEN not in result.stdout + result.stderr

    assert cli.one("SELECT count(*) FROM papers") == len(paper_ids)
    stored = set(cli.rows("SELECT paper_id, repo_name, source_field, kind FROM mentions"))
    assert stored == mentions
    assert {r[0] for r in cli.rows("SELECT repo_name FROM repo_names")} == names
    status = dict(cli.rows("SELECT repo_name, status FROM repo_names"))
    assert status["tyfeld/bottleneck-sampling"] == "renamed"
    assert status["ajwebdevs/chronicals"] == "not_found"
    assert status["xu-ji/information-bottleneck"] == "blocked"
    assert Counter(status.values())["ok"] == len(names) - 3
    # one repository row and one snapshot per resolved repository, keyed by GitHub's id
    resolved = cli.one("SELECT count(DISTINCT repo_id) FROM repo_names WHERE repo_id IS NOT NULL")
    assert cli.one("SELECT count(*) FROM repos") == resolved
    assert cli.one("SELECT count(*) FROM repo_snapshots") == resolved
    assert cli.rows(
        "SELECT full_name FROM repos r JOIN repo_names n USING (repo_id)"
        " WHERE n.repo_name = 'tyfeld/bottleneck-sampling'"
    ) == [("tyfeld/BottleneckSampling",)]
    # GraphQL in batches of 100, REST only to probe the two names GraphQL could not resolve
    assert fake.graphql_requests == -(-len(names) // 100)
    assert fake.rest_requests == 2
    assert cli.rows("SELECT status, requests FROM runs") == [
        ("ok", fake.graphql_requests + fake.rest_requests)
    ]
    # the token is nowhere in the database file
    assert TOKEN.encode() not in cli.db.read_bytes()

    # the core reports answer from a single harvest (test_report_answers runs every report
    # on a harvest with a history)
    for report in list_reports():
        if report.name not in CORE_REPORTS:
            continue
        out = cli("report", report.name, "--format", "json")
        assert out.code == 0, (report.name, out.stderr)
        assert json.loads(out.stdout), f"report {report.name} is empty on a real harvest"
    top = json.loads(cli("report", "top_repos", "--format", "json").stdout)
    assert top[0]["repo"] == "hkust-nlp/Vision4Chart" and top[0]["stars"] == 90_000
    health = json.loads(cli("report", "link_health", "--format", "json").stdout)
    assert {(r["status"], r["name_as_cited"]) for r in health} == {
        ("renamed", "tyfeld/bottleneck-sampling"),
        ("not_found", "ajwebdevs/chronicals"),
        ("blocked", "xu-ji/information-bottleneck"),
    }
    assert (
        next(r for r in health if r["status"] == "renamed")["now_at"] == "tyfeld/BottleneckSampling"
    )
    blocked = cli("report", "link_health", "--param", "status=blocked", "--format", "csv")
    assert blocked.stdout.splitlines()[1].startswith("blocked,xu-ji/information-bottleneck,")
    days = json.loads(
        cli("report", "code_availability", "--param", "grain=day", "--format", "json").stdout
    )
    assert sum(r["papers"] for r in days) == cli.one(
        "SELECT count(*) FROM papers WHERE coalesce(published_at, listed_on) IS NOT NULL"
    )

    # the same harvest again adds nothing and fetches nothing
    fake.reset_counters()
    again = cli("harvest", *_inputs())
    assert again.code == 0
    assert "(0 new), 0 new repository mentions" in again.stdout
    assert fake.requests == 0
    assert cli.one("SELECT count(*) FROM repo_snapshots") == resolved


def test_harvest_without_token_uses_rest(cli: Cli, fake: FakeGitHub) -> None:
    seed_world(fake)
    result = cli("harvest", str(SEED), token=None)
    assert result.code == 0, result.stderr
    assert "60 requests/hour" in result.stderr
    # one GET per name, plus the 301 -> /repositories/{id} hop for the renamed one
    assert fake.graphql_requests == 0 and fake.rest_requests == 11
    assert cli.one("SELECT count(*) FROM repo_names WHERE status = 'ok'") == 7


def test_offline_then_refresh_completes(cli: Cli, fake: FakeGitHub, tmp_path: Path) -> None:
    seed_world(fake)
    closed = FakeGitHub().start()
    dead_url = closed.url
    closed.stop()
    offline = cli("harvest", str(SEED), "--github-url", dead_url)
    assert offline.code == 6
    assert "cannot be reached" in offline.stdout
    assert "10 names still pending" in offline.stdout
    assert cli.one("SELECT count(*) FROM papers") == 41
    assert cli.rows("SELECT DISTINCT status FROM repo_names") == [("pending",)]
    assert cli.rows("SELECT status FROM runs") == [("partial",)]

    done = cli("refresh")
    assert done.code == 0, done.stdout + done.stderr
    assert cli.one("SELECT count(*) FROM repo_names WHERE status = 'pending'") == 0
    assert cli.rows("SELECT command, status FROM runs ORDER BY run_id") == [
        ("harvest", "partial"),
        ("refresh", "ok"),
    ]


def test_extract_seed_prints_exactly_its_ten_repositories(cli: Cli) -> None:
    out = cli("extract", str(SEED), "--format", "jsonl", db=False, github=False)
    assert out.code == 0
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 10
    keys = {"paper_id", "repo", "source_field", "url", "kind", "locus", "context"}
    assert all(set(o) == keys for o in lines)
    assert {(o["source_field"], o["locus"], o["context"]) for o in lines} == {
        ("abstract", "abstract", None)
    }
    assert {o["repo"] for o in lines} == SEED_REPOS
    assert not cli.db.exists()  # extract never touches a database


def test_extract_accepts_exactly_the_formats_its_help_names(cli: Cli) -> None:
    command: Any = typer.main.get_command(app)
    [option] = [p for p in command.commands["extract"].params if "--format" in p.opts]
    assert f"Output format: {', '.join(FORMATS)} " in option.help
    for fmt in FORMATS:
        out = cli("extract", str(SEED), "--format", fmt, db=False, github=False)
        assert out.code == 0, out.stderr
        assert "Vision4Chart" in out.stdout
    csv_rows = cli("extract", str(SEED), "--format", "csv", db=False, github=False).stdout
    assert len(csv_rows.splitlines()) == 1 + 10  # header + the ten mentions
