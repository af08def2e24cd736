"""Every shipped report, run through the CLI on a real harvest with a history (real papers, the
fake GitHub, three fetches weeks apart: see ``history.py``), checked against answers worked out
here from the inputs and the fake server's own records rather than from the database."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pytest

from harvester import links
from harvester.models import Mention, Paper
from harvester.render import render
from harvester.reports import list_reports
from harvester.sources.files import read_inputs
from harvester.store import Store
from tests.cli import history as h
from tests.cli.conftest import Cli

pytestmark = pytest.mark.shared


def run(cli: Cli, name: str, *params: str) -> list[dict[str, Any]]:
    args = ["report", name, "--format", "json"]
    for param in params:
        args += ["--param", param]
    out = cli(*args)
    assert out.code == 0, out.stderr
    rows: list[dict[str, Any]] = json.loads(out.stdout)
    return rows


@cache
def papers() -> dict[str, Paper]:
    return {p.paper_id: p for p in read_inputs(h.inputs())}


@cache
def mentions() -> list[Mention]:
    return [m for p in papers().values() for m in links.mentions_for(p)]


def day(paper: Paper) -> dt.date | None:
    return paper.published_at or paper.listed_on


def live(cli: Cli) -> dict[int, dict[str, Any]]:
    """The fake server's records of the repositories the database resolved, by id."""
    ids = {int(str(r[0])) for r in cli.rows("SELECT repo_id FROM repos")}
    return {rec["id"]: rec for rec in cli.fake.repos.values() if rec["id"] in ids}


def test_every_report_answers_and_runs_unchanged_in_the_duckdb_shell(history: Cli) -> None:
    """Each file, run as the duckdb shell would (no variables set, another time zone), gives
    exactly what ``harvester report`` gives with the defaults; and no report is empty."""
    reports = list_reports()
    assert len(reports) >= 12
    # the CLI first: its sandboxed connection (see Store.query) cannot share this process's
    # DuckDB instance with a differently configured connection held open
    answers = {}
    for report in reports:
        out = history("report", report.name, "--format", "csv")
        assert out.code == 0, (report.name, out.stderr)
        answers[report.name] = out.stdout.splitlines()
    con = duckdb.connect(str(history.db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Kolkata'")
        for report in reports:
            via_cli = answers[report.name]
            assert len(via_cli) > 1, f"{report.name} is empty on the history database"
            result = con.execute(report.sql)
            columns = [d[0] for d in result.description or []]
            assert via_cli[0].split(",") == columns, report.name
            assert len(via_cli) - 1 == len(result.fetchall()), report.name
    finally:
        con.close()


def test_top_repos_and_shared_repos(history: Cli) -> None:
    top = run(history, "top_repos", "top=3")
    assert top[0]["repo"] == "hkust-nlp/Vision4Chart"
    assert top[0]["stars"] == h.STARS["hkust-nlp/Vision4Chart"][2]
    assert len(top) == 3
    assert run(history, "top_repos", "min_stars=1000000") == []
    shared = run(history, "shared_repos")
    assert [(r["repo"], r["papers"]) for r in shared] == [("alibaba-nlp/deepresearch", 4)]
    assert shared[0]["paper_ids"] == "2509.13305, 2509.13310, 2509.13312, 2509.13313"


def test_code_availability_counts_match_the_inputs(history: Cli) -> None:
    linked = {m.paper_id for m in mentions() if m.kind == "repo"}
    march = [p for p in papers().values() if (d := day(p)) and (d.year, d.month) == (2025, 3)]
    rows = {r["period"]: r for r in run(history, "code_availability")}
    assert rows["2025-03-01"]["papers"] == len(march)
    assert rows["2025-03-01"]["with_repo_link"] == sum(p.paper_id in linked for p in march)
    since = run(history, "code_availability", "since=2025-06-01", "grain=year")
    late = Counter(
        f"{d.year}-01-01" for p in papers().values() if (d := day(p)) and d >= dt.date(2025, 6, 1)
    )
    assert {r["period"]: r["papers"] for r in since} == late
    assert late["2026-01-01"] == 5  # seed papers dated "Mar 16" (no year): this year


def test_link_status_and_link_health(history: Cli) -> None:
    names = {m.repo_name for m in mentions() if m.kind == "repo"}
    status = {r["status"]: r["names"] for r in run(history, "name_status")}
    assert status == {
        "ok": len(names) - 4,
        "renamed": 2,
        "not_found": 1,
        "blocked": 1,
        "error": 0,
        "pending": 0,
    }
    health = run(history, "link_health")
    assert {(r["status"], r["name_as_cited"], r["now_at"]) for r in health} == {
        ("blocked", "xu-ji/information-bottleneck", None),
        ("not_found", "ajwebdevs/chronicals", None),
        ("renamed", "sail-sg/zero-bubble", "sail-sg/zero-bubble-pipeline-parallelism"),
        ("renamed", "tyfeld/bottleneck-sampling", "tyfeld/BottleneckSampling"),
    }


def test_languages_and_licenses_match_the_fake_servers_records(history: Cli) -> None:
    repos = live(history)
    languages = Counter(rec["language"] or "(none)" for rec in repos.values())
    assert {r["language"]: r["repos"] for r in run(history, "languages")} == languages
    # GitHub's NOASSERTION (a license it cannot name) is stored under its name, "Other"
    names = {None: "(none detected)", "NOASSERTION": "Other"}
    licenses = Counter(names.get(rec["license"], rec["license"]) for rec in repos.values())
    assert {r["license"]: r["repos"] for r in run(history, "licenses")} == licenses


def test_star_growth_between_the_two_latest_snapshots(history: Cli) -> None:
    rows = run(history, "star_growth")
    assert [(r["repo"], r["stars_before"], r["stars_now"], r["growth"]) for r in rows] == [
        ("hkust-nlp/Vision4Chart", 90_500, 91_200, 700),
        ("sail-sg/VocabularyParallelism", 160, 400, 240),
        ("nnnth/UFO", 1548, 1600, 52),
        ("open-compass/ANAH", 25, 70, 45),
    ]
    vision = rows[0]
    assert vision["days"] == 60 and vision["since"] == "2025-04-03"
    assert vision["per_day"] == round(700 / 60, 2)
    assert rows[1]["pct_growth"] == 150.0
    # every repository has three snapshots; with no floor, all of them are listed
    everything = run(history, "star_growth", "min_growth=-1000000", "top=1000")
    assert len(everything) == len(live(history))
    assert {r["repo"]: r["growth"] for r in everything}["Andron00e/SparseCBM"] == 0


def test_star_growth_per_day_over_a_window(history: Cli) -> None:
    # 90 days back from the last snapshot (2025-06-02) is before the first fetch: measured
    # from the first snapshot (2025-03-11), 83 days
    wide = {r["repo"]: r for r in run(history, "star_growth_window", "days=90", "top=1000")}
    vision = wide["hkust-nlp/Vision4Chart"]
    assert (vision["stars_from"], vision["stars_to"], vision["days_measured"]) == (
        90_000,
        91_200,
        83,
    )
    assert vision["per_day"] == round(1200 / 83, 2)
    assert wide["Andron00e/SparseCBM"]["growth"] == -5
    # 30 days back falls between the second and third fetch: measured from 2025-04-03
    narrow = run(history, "star_growth_window", "days=30", "top=2")
    assert [(r["repo"], r["from"], r["growth"], r["per_day"]) for r in narrow] == [
        ("hkust-nlp/Vision4Chart", "2025-04-03", 700, round(700 / 60, 2)),
        ("sail-sg/VocabularyParallelism", "2025-04-03", 240, 4.0),
    ]


def test_stars_after_publication_use_close_enough_snapshots_only(history: Cli) -> None:
    rows = {(r["paper_id"], r["repo"]): r for r in run(history, "stars_after_publication")}
    # published 2025-03-04: the fetches fall half a day after 7, 30 and 90 days
    anah = rows[("2503.02846", "open-compass/ANAH")]
    assert (anah["stars_7d"], anah["stars_30d"], anah["stars_90d"]) == h.STARS["open-compass/ANAH"]
    # published 2025-03-03: 1.5 days off each horizon, too far at 7 days (±1), close enough
    # at 30 (±3) and 90 (±9)
    ufo = rows[("2503.01342", "nnnth/UFO")]
    assert (ufo["stars_7d"], ufo["stars_30d"], ufo["stars_90d"]) == (None, 1548, 1600)
    # a looser tolerance (25%: ±1.75 days at 7) reaches the first fetch too
    loose = run(history, "stars_after_publication", "tolerance=0.25", "since=2025-03-03")
    ufo = next(r for r in loose if r["repo"] == "nnnth/UFO")
    assert ufo["stars_7d"] == 1500
    assert all(r["published"] >= "2025-03-03" for r in loose)
    # papers from June on were published after every fetch: no value, so not listed ...
    assert all(r["published"] < "2025-06-01" for r in rows.values())
    # ... unless asked for
    every = run(history, "stars_after_publication", "only_known=false", "since=2025-09-01")
    assert every and all(
        r["stars_7d"] is None and r["stars_30d"] is None and r["stars_90d"] is None for r in every
    )


def test_repositories_created_before_or_after_their_paper(history: Cli) -> None:
    rows = {r["when"]: r for r in run(history, "repo_age_vs_paper")}
    assert rows["up to 30 days before"]["examples"] == "nnnth/UFO"
    assert rows["up to 30 days after"]["examples"] == "open-compass/ANAH"
    assert rows["1 to 12 months after"]["examples"] == "phenixace/TOMG-Bench"
    assert {r["created"] for r in rows.values() if "before" in r["when"]} == {"before"}
    # every (paper, repository) pair is counted once, in the group its dates put it in
    by_name = {rec["full_name"].lower(): rec for rec in live(history).values()}
    old_names = dict(history.rows("SELECT repo_name, lower(detail) FROM repo_names"))
    expected: Counter[str] = Counter()
    pairs = set()
    for m in mentions():
        name = m.repo_name
        rec = by_name.get(name) or by_name.get(str(old_names.get(name) or "").removeprefix("now "))
        published = day(papers()[m.paper_id])
        if m.kind != "repo" or rec is None or published is None:
            continue
        if (m.paper_id, rec["id"]) in pairs:
            continue
        pairs.add((m.paper_id, rec["id"]))
        created = dt.datetime.fromisoformat(rec["created_at"].replace("Z", "+00:00"))
        start = dt.datetime.combine(published, dt.time(), dt.UTC)
        expected["before" if created < start else "after"] += 1
    got: Counter[str] = Counter()
    for r in rows.values():
        got[r["created"]] += r["pairs"]
    assert got == expected


def test_hugging_face_repo_that_disagrees_with_the_text(history: Cli) -> None:
    # from the inputs alone: papers whose HF githubRepo name is not among their text links
    differ = set()
    for paper_id in papers():
        found = [m for m in mentions() if m.paper_id == paper_id and m.kind == "repo"]
        hf = {m.repo_name for m in found if m.source_field == "hf_github_repo"}
        text = {m.repo_name for m in found if m.source_field != "hf_github_repo"}
        if hf and text and not hf & text:
            differ.add(paper_id)
    assert differ == {"2503.01328", "2503.23135", "2506.01111"}
    rows = run(history, "hf_repo_mismatch")
    # 2503.01328's two names are one repository (renamed), so it agrees once resolved
    assert [(r["paper_id"], r["linked_in_text"], r["difference"]) for r in rows] == [
        ("2506.01111", "satsuki2486441738/fusionaudio", "different owner"),
        ("2503.23135", "jameslahm/lsnet", "different owner"),
    ]
    assert rows[1]["hf_github_repo"] == "thu-mig/lsnet"
    assert run(history, "hf_repo_mismatch", "since=2025-04-01") == rows[:1]


def test_renamed_repositories_and_their_old_names(history: Cli) -> None:
    rows = run(history, "renamed_repos")
    assert [
        (r["old_name"], r["now_at"], r["change"], r["papers_citing_old"], r["papers_citing_new"])
        for r in rows
    ] == [
        ("tyfeld/bottleneck-sampling", "tyfeld/BottleneckSampling", "renamed", 1, 0),
        ("sail-sg/zero-bubble", "sail-sg/zero-bubble-pipeline-parallelism", "renamed", 1, 1),
    ]
    assert rows[1]["paper_ids"] == "2503.01328"
    assert run(history, "renamed_repos", "min_citing=2") == []


@pytest.mark.parametrize("days", [365, 1000])
def test_stale_repositories(history: Cli, days: int) -> None:
    fetched = h.T2
    expected = {}
    for rec in live(history).values():
        pushed = dt.datetime.fromisoformat(rec["pushed_at"].replace("Z", "+00:00"))
        if rec["archived"] or fetched - pushed >= dt.timedelta(days=days):
            expected[rec["full_name"]] = "archived" if rec["archived"] else "no push"
    rows = run(history, "stale_repos", f"idle_days={days}")
    assert {r["repo"]: r["why"] for r in rows} == expected
    by_repo = {r["repo"]: r for r in rows}
    assert by_repo[h.ARCHIVED_AT_T1]["why"] == "archived"
    if days == 365:
        opt = by_repo[h.OLD_PUSH[0]]
        assert opt["days_without_push"] == (fetched - h.OLD_PUSH[1]).days == 869
        assert opt["last_push"] == "2023-01-15"
    else:
        assert h.OLD_PUSH[0] not in by_repo


def test_owners_with_the_most_cited_repositories(history: Cli) -> None:
    owners = Counter(rec["full_name"].split("/")[0].lower() for rec in live(history).values())
    rows = run(history, "top_owners", "top=1000")
    assert {r["owner"].lower(): r["repos"] for r in rows} == owners
    assert (rows[0]["owner"], rows[0]["repos"], rows[0]["papers"]) == ("sail-sg", 3, 3)
    assert rows[0]["top_repo"] == "sail-sg/VocabularyParallelism"
    assert [r["owner"] for r in run(history, "top_owners", "min_repos=2")] == [
        "sail-sg",
        "hashiru-ai",
    ]


def test_papers_that_promise_code_but_link_no_repository(history: Cli) -> None:
    rows = {r["paper_id"]: r for r in run(history, "promised_code")}
    linked = {m.paper_id for m in mentions() if m.kind == "repo"}
    assert not linked & set(rows)
    assert {pid: r["signal"] for pid, r in rows.items()} == {
        "2503.02268": "will release",
        "2412.14475": "will release",
        "2506.12915": "will release",
        "title:b3aa20270a39ac7a": "will release",
    }
    assert rows["2503.02268"]["evidence"] == "code will be open-sourced to support further research"
    assert all(not r["links_pages"] for r in rows.values())
    assert set(rows) >= {r["paper_id"] for r in run(history, "promised_code", "since=2025-03-01")}


def test_papers_linking_only_a_github_io_page(history: Cli) -> None:
    kinds: dict[str, set[str]] = {}
    for m in mentions():
        kinds.setdefault(m.paper_id, set()).add(m.kind)
    expected = {pid for pid, k in kinds.items() if k == {"pages"}}
    rows = run(history, "pages_only")
    assert {r["paper_id"] for r in rows} == expected
    assert expected == {"2504.01724", "2501.05453", "2412.15204", "2412.15214"}
    toto = next(r for r in rows if r["paper_id"] == "2501.05453")
    assert toto["pages"] == "https://brjathu.github.io/toto"
    since = run(history, "pages_only", "since=2025-01-01")
    assert [r["paper_id"] for r in since] == ["2504.01724", "2501.05453"]


def _bin(stars: int) -> int:
    if stars <= 0:
        return 0
    decade = int(math.log10(stars))
    return 1 + 2 * decade + (stars >= 3 * 10**decade)


def test_star_distribution_bins(history: Cli) -> None:
    counts = Counter(_bin(rec["stargazers_count"]) for rec in live(history).values())
    rows = run(history, "star_distribution")
    assert [r["repos"] for r in rows] == [counts[b] for b in range(max(counts) + 1)]
    assert [(r["stars_from"], r["stars_to"]) for r in rows[:6]] == [
        (0, 0),
        (1, 2),
        (3, 9),
        (10, 29),
        (30, 99),
        (100, 299),
    ]
    vision = h.STARS["hkust-nlp/Vision4Chart"][2]
    last = rows[-1]
    assert last["stars_from"] <= vision <= last["stars_to"] and last["repos"] == 1


def test_report_output_file(history: Cli, tmp_path: Path) -> None:
    target = tmp_path / "growth.md"
    out = history("report", "star_growth", "--format", "md", "--output", str(target))
    assert out.code == 0 and out.stdout == ""
    assert f"wrote {target}" in out.stderr
    text = target.read_text("utf-8")
    assert text.splitlines()[0].startswith("| repo | stars_before | stars_now | growth |")
    assert "| hkust-nlp/Vision4Chart | 90500 | 91200 | 700 |" in text
    missing = history("report", "star_growth", "--output", str(tmp_path / "no" / "x.csv"))
    assert missing.code == 2
    assert missing.stderr.count("\n") == 1 and "cannot write" in missing.stderr


def test_csv_the_database_writes_is_byte_for_byte_the_python_rendering(history: Cli) -> None:
    """``report --format csv`` has the database build each line (``Store.query_csv``); for
    every shipped report the bytes equal what ``render`` makes of the rows in Python."""
    store = Store(history.db)
    for report in list_reports():
        out = history("report", report.name, "--format", "csv")
        assert out.code == 0, (report.name, out.stderr)
        result = store.query([report.sql])
        assert out.stdout == render(result.columns, result.rows, "csv"), report.name
