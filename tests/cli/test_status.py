"""``harvester status`` at a glance: counts, names by status, runs, snapshot span and the
token's budget from GET /rate_limit — which must never make status fail."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from harvester.github.transport import Reply
from harvester.status import describe, placeholder_rows
from tests.cli.conftest import TOKEN, Cli
from tests.fakegithub import FakeGitHub


def _status(cli: Cli, *args: str, token: str | None = TOKEN) -> dict[str, str]:
    out = cli("status", "--format", "json", *args, token=token)
    assert out.code == 0, out.stderr
    return {row["item"]: row["value"] for row in json.loads(out.stdout)}


@pytest.mark.shared
def test_counts_runs_and_snapshot_span(history: Cli) -> None:
    rows = _status(history, "--offline")
    assert rows["papers"] == history.one("SELECT count(*) FROM papers")
    assert rows["mentions"] == history.one("SELECT count(*) FROM mentions")
    assert rows["repositories"] == history.one("SELECT count(*) FROM repos")
    names = dict(history.rows("SELECT status, count(*) FROM repo_names GROUP BY status"))
    for state in ("ok", "renamed", "not_found", "blocked", "error", "pending"):
        assert rows[f"names {state}"] == names.get(state, 0), state
    assert rows["first snapshot"] == "2025-03-11T12:00:00Z"
    assert rows["last snapshot"] == "2025-06-02T12:00:00Z"
    assert rows["snapshot span"] == "83.0 days"
    assert rows["run 3"].startswith("refresh ok, 2025-06-02 12:00 in ")
    assert rows["run 1"].startswith("harvest ok, 2025-03-11 12:00 in ")
    assert "149 papers read (149 new)" in rows["run 1"]  # the whole summary, not cut
    assert "to do" not in rows  # nothing pending
    assert rows["GitHub budget"] == "not checked (--offline)"


@pytest.mark.shared
def test_budget_is_read_from_rate_limit_without_spending_it(history: Cli) -> None:
    fake = history.fake
    headers = {"Authorization": f"token {TOKEN}"}
    before = httpx.get(f"{fake.url}/rate_limit", headers=headers).json()["resources"]
    rows = _status(history)
    after = httpx.get(f"{fake.url}/rate_limit", headers=headers).json()["resources"]
    for key, label in (("core", "REST"), ("graphql", "GraphQL")):
        # /rate_limit is free, and status sent nothing else (the fake's other resources
        # report a reset an hour from now, which moves with the clock: not compared)
        assert after[key] == before[key]
        budget = after[key]
        assert budget["remaining"] < budget["limit"] == 5000  # the harvest spent some
        reset = dt.datetime.fromtimestamp(budget["reset"], dt.UTC)
        assert rows[f"GitHub {label} budget"].startswith(
            f"{budget['remaining']:,} of 5,000 left, resets {reset:%H:%M} UTC (in "
        )
    assert TOKEN not in json.dumps(rows)


@pytest.mark.shared
def test_budget_problems_are_a_row_not_a_failure(history: Cli) -> None:
    assert _status(history, token=None)["GitHub budget"].startswith("no token set")
    refused = _status(history, token="ghp_not-the-right-one")
    assert refused["GitHub budget"] == "unknown: GitHub rejected the token (401 Bad credentials)"
    closed = FakeGitHub().start()
    url = closed.url
    closed.stop()
    gone = _status(history, "--github-url", url)
    assert gone["GitHub budget"].startswith("unknown, GitHub did not answer: ")
    assert url in gone["GitHub budget"]
    assert gone["papers"] == history.one("SELECT count(*) FROM papers")


def test_pending_work_is_called_out(cli: Cli) -> None:
    papers = cli.db.parent / "p.jsonl"
    papers.write_text('{"id": "2501.00001", "title": "A", "abstract": "github.com/a/b"}\n')
    assert cli("harvest", str(papers), "--no-stats").code == 0
    rows = _status(cli, "--offline")
    assert rows["names pending"] == 1
    assert rows["to do"] == "1 names to fetch: run `harvester refresh`"
    assert rows["first snapshot"] is None and "snapshot span" not in rows


def test_describe_odd_answers() -> None:
    now = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    assert describe(Reply(500, {}, None), now) == [
        ("GitHub budget", "unknown: GitHub answered HTTP 500 to /rate_limit")
    ]
    reset = int(now.timestamp()) + 1800
    rows = describe(
        Reply(200, {}, {"resources": {"core": {"remaining": 12, "limit": 60, "reset": reset}}}),
        now,
    )
    assert rows == [("GitHub REST budget", "12 of 60 left, resets 12:30 UTC (in 30 min)")]


def test_placeholder_share_row() -> None:
    assert placeholder_rows({}) == []  # a database from before schema 5
    assert placeholder_rows({"code": 6, "placeholder": 1, "empty": 1, "unknown": 2}) == [
        (
            "placeholder share",
            "25.0% of 8 judged repositories hold no code yet: 1 placeholder, 1 empty; "
            "2 not judged (fetched without a token or before schema 5)",
        )
    ]
    assert placeholder_rows({"unknown": 3})[0][1].startswith("- of 0 judged repositories")
