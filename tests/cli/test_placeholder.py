"""Is the code there, on a database with a history (``history.py``): placeholder and empty
repositories at the harvest, some gaining code before the first or the second refresh. The
answers are worked out from the script of that history, not read back from the database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli import history as h
from tests.cli.conftest import Cli
from tests.cli.test_chart import _parse

pytestmark = pytest.mark.shared

PUBLISHED = {  # the citing paper of each scripted repository, and its publication date
    "red-search/qilin": ("2503.00501", dt.date(2025, 3, 1)),
    "lihy0529/speql": ("2503.00714", dt.date(2025, 3, 2)),
    "kailv69/duodecoding": ("2503.00784", dt.date(2025, 3, 2)),
    "histai/spider": ("2503.02876", dt.date(2025, 3, 4)),
    "hsm316/llm_wikipedia": ("2503.02879", dt.date(2025, 3, 4)),
}
NEVER = {n for n, when in {**h.PLACEHOLDERS, **h.EMPTY}.items() if when is None}
ARRIVED = {n: when for n, when in {**h.PLACEHOLDERS, **h.EMPTY}.items() if when is not None}


def run(cli: Cli, name: str, *params: str) -> list[dict[str, Any]]:
    args = ["report", name, "--format", "json"]
    for param in params:
        args += ["--param", param]
    out = cli(*args)
    assert out.code == 0, out.stderr
    rows: list[dict[str, Any]] = json.loads(out.stdout)
    return rows


def test_verdicts_and_code_dates_follow_the_history(history: Cli) -> None:
    got = {
        str(name): (verdict, seen, arrived)
        for name, verdict, seen, arrived in history.rows(
            "SELECT full_name, verdict, code_seen_at, code_arrived_at FROM repos"
        )
    }
    for name, when in ARRIVED.items():
        assert got[name] == ("code", when, when), name
    assert got["kailv69/duodecoding"][0] == "placeholder"
    assert got["hsm316/llm_wikipedia"][0] == "empty"
    for name in NEVER:
        assert got[name][1:] == (None, None)
    # the others had code from the first fetch: seen at T0, never observed arriving
    others = {n: v for n, v in got.items() if n not in PUBLISHED}
    assert others and all(v == ("code", h.T0, None) for v in others.values())
    # every snapshot records what its fetch saw
    snaps = history.rows(
        "SELECT s.fetched_at, s.verdict FROM repo_snapshots s JOIN repos USING (repo_id)"
        " WHERE full_name = 'red-search/qilin' ORDER BY s.fetched_at"
    )
    assert snaps == [(h.T0, "placeholder"), (h.T1, "placeholder"), (h.T2, "code")]


def test_placeholder_repos_lists_what_still_holds_no_code(history: Cli) -> None:
    rows = run(history, "placeholder_repos")
    assert [(r["repo"], r["verdict"]) for r in rows] == [
        ("kailv69/duodecoding", "placeholder"),
        ("hsm316/llm_wikipedia", "empty"),
    ]
    soon = rows[0]
    assert soon["reason"].startswith("1 commit, README only, README says: code will be released")
    assert soon["days_since_publication"] == (h.T2.date() - dt.date(2025, 3, 2)).days
    assert run(history, "placeholder_repos", "since=2025-03-03") == rows[1:]


@pytest.mark.parametrize("days", [30, 32, 33, 60, 100])
def test_still_placeholder_after_n_days(history: Cli, days: int) -> None:
    rows = run(history, "still_placeholder", f"days={days}")
    expected = []
    for name, (paper, published) in PUBLISHED.items():
        due = published + dt.timedelta(days=days)
        checked = next((t for t in (h.T0, h.T1, h.T2) if t.date() >= due), None)
        if checked is None:
            continue  # no fetch that late yet: not judged
        arrived = ARRIVED.get(name)
        if arrived is not None and arrived <= checked:
            continue  # code was there by then
        day = checked.date()
        expected.append((paper, name, day.isoformat(), (day - published).days))
    got = [(r["paper_id"], r["repo"], r["checked"], r["days_after"]) for r in rows]
    assert sorted(got) == sorted(expected)
    now = {r["repo"]: (r["verdict_now"], r["code_arrived"]) for r in rows}
    if "red-search/qilin" in now:
        assert now["red-search/qilin"] == ("code", h.T2.date().isoformat())


def test_days_to_code_by_month_and_by_owner(history: Cli) -> None:
    days = {n: (ARRIVED[n].date() - PUBLISHED[n][1]).days for n in ARRIVED}
    march = next(r for r in run(history, "days_to_code") if r["group"] == "2025-03")
    assert march["arrivals"] == len(days)
    assert (march["min_days"], march["max_days"]) == (min(days.values()), max(days.values()))
    assert march["median_days"] == sorted(days.values())[len(days) // 2]
    assert march["waiting"] == len(NEVER)
    by_owner = {r["group"]: r for r in run(history, "days_to_code", "per=owner")}
    for name, d in days.items():
        row = by_owner[name.split("/")[0]]
        assert (row["arrivals"], row["median_days"]) == (1, d)
    bad = history("report", "days_to_code", "--param", "per=year")
    assert bad.code != 0 and "per takes month or owner" in bad.stderr


def test_repo_practices_shares(history: Cli) -> None:
    rows = {r["period"]: r for r in run(history, "repo_practices")}
    march = rows["2025-03-01"]
    facts = history.rows(
        "SELECT DISTINCT r.repo_id, r.verdict, r.has_runnable, r.releases > 0, r.has_citation"
        " FROM repo_mentions v JOIN repos r USING (repo_id)"
        " WHERE v.published >= DATE '2025-03-01' AND v.published < DATE '2025-04-01'"
        " AND v.source_field IN ('title', 'abstract', 'comment', 'hf_github_repo')"
    )
    # repositories first cited in March: none of the scripted ones is cited earlier
    assert march["repos"] == len(facts)
    assert march["with_code"] == sum(1 for f in facts if f[1] == "code")
    assert march["with_code"] == march["repos"] - len(NEVER)
    assert march["pct_release"] == round(100 * sum(1 for f in facts if f[3]) / len(facts), 1)
    assert march["pct_citation"] == round(100 * sum(1 for f in facts if f[4]) / len(facts), 1)


def test_status_and_chart_show_the_placeholder_share(history: Cli, tmp_path: Path) -> None:
    out = history("status", "--format", "json", "--offline")
    rows = {r["item"]: r["value"] for r in json.loads(out.stdout)}
    total = int(str(history.one("SELECT count(*) FROM repos")))
    share = f"{100 * len(NEVER) / total:.1f}%"
    assert rows["placeholder share"] == (
        f"{share} of {total} judged repositories hold no code yet: 1 placeholder, 1 empty"
    )
    page = tmp_path / "chart.html"
    assert history("chart", "--output", str(page)).code == 0
    marks = _parse(page)
    drawn = {(s, label): v for s, label, v in marks.charts["code_there"]}
    practices = {r["period"]: r for r in run(history, "repo_practices")}
    for period, r in practices.items():
        assert drawn[("hold code", period)] == r["with_code"]
        assert drawn[("repositories", period)] == r["repos"]
    judged = sum(r["repos"] for r in practices.values())
    no_code = judged - sum(r["with_code"] for r in practices.values())
    assert marks.cards["linked repositories hold no code"] == f"{100 * no_code / judged:.0f}%"
