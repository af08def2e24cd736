"""The ``category`` parameter of the reports (prefix match on the papers' arXiv categories) and
``code_by_category``, through ``harvester report`` on a database of generated papers whose
categories, links and repository outcomes are known here."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

import pytest

from harvester import links
from harvester.models import Outcome, Paper, RepoStats, Status
from harvester.store import Store
from tests.cli.conftest import Cli

CATEGORY_SETS = [
    ("cs.CV", "cs.LG"),
    ("cs.CL",),
    ("cs.CV",),
    ("math.OC", "cs.SY"),
    ("math-ph",),
    ("hep-th", "cs.CV"),
    ("stat.ML", "cs.LG"),
    (),  # a source without categories
]


@dataclass(frozen=True)
class World:
    papers: list[Paper]
    live: set[str]  # names that resolved to a repository that exists


@pytest.fixture
def world(cli: Cli) -> World:
    rng = random.Random(14)
    papers = []
    for i in range(160):
        categories = CATEGORY_SETS[i % len(CATEGORY_SETS)]
        kind = rng.random()
        text = (
            f"Code: https://github.com/lab{i % 7}/repo{i}."
            if kind < 0.4
            else f"Project: https://lab{i}.github.io/p{i}"
            if kind < 0.5
            else "Code will be released."
        )
        papers.append(
            Paper(
                f"2501.{i:05d}",
                "arxiv_oai" if categories else "hf_daily",
                title=f"Paper {i}",
                abstract=text,
                published_at=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                categories=categories,
                primary_category=categories[0] if categories else None,
            )
        )
    store = Store(cli.db)
    run, _ = store.begin_run("harvest", "t")
    mentions = [m for p in papers for m in links.mentions_for(p)]
    store.save_papers(papers, mentions, run)
    names = sorted({m.repo_name for m in mentions if m.kind == "repo"})
    live = set(names[::2])
    outcomes = [
        Outcome(n, Status.OK, RepoStats(k, n, stars=k, forks=0, language=f"L{k % 3}"))
        if n in live
        else Outcome(n, Status.NOT_FOUND)
        for k, n in enumerate(names, start=1)
    ]
    store.save_outcomes(outcomes, run)
    store.end_run(run, "ok")
    return World(papers, live)


def run(cli: Cli, name: str, *params: str) -> list[dict[str, Any]]:
    args = ["report", name, "--format", "json"]
    for param in params:
        args += ["--param", param]
    out = cli(*args, github=False)
    assert out.code == 0, out.stderr
    rows: list[dict[str, Any]] = json.loads(out.stdout)
    return rows


def in_category(paper: Paper, category: str) -> bool:
    return any(c == category or c.startswith(category + ".") for c in paper.categories)


def repos_of(paper: Paper) -> set[str]:
    return {m.repo_name for m in links.mentions_for(paper) if m.kind == "repo"}


@pytest.mark.parametrize("category", ["", "cs", "cs.CV", "math", "math-ph", "hep-th", "cs.C"])
def test_code_availability_by_category_prefix(cli: Cli, world: World, category: str) -> None:
    chosen = [p for p in world.papers if not category or in_category(p, category)]
    rows = run(cli, "code_availability", "grain=year", f"category={category}")
    if not chosen:
        assert rows == [] or all(r["papers"] == 0 for r in rows)
        return
    assert sum(r["papers"] for r in rows) == len(chosen)
    assert sum(r["with_repo_link"] for r in rows) == sum(bool(repos_of(p)) for p in chosen)
    assert sum(r["with_live_repo"] for r in rows) == sum(
        bool(repos_of(p) & world.live) for p in chosen
    )


def test_category_is_case_insensitive_and_a_prefix_only_at_a_dot(cli: Cli, world: World) -> None:
    upper = run(cli, "code_availability", "grain=year", "category=CS.cv")
    lower = run(cli, "code_availability", "grain=year", "category=cs.CV")
    assert upper == lower and sum(r["papers"] for r in lower) == 60
    # "math" is not a prefix of "math-ph": only math.OC papers
    math = run(cli, "code_availability", "grain=year", "category=math")
    assert sum(r["papers"] for r in math) == 20


def test_code_by_category_counts_each_paper_under_its_primary_category(
    cli: Cli, world: World
) -> None:
    rows = {r["primary_category"]: r for r in run(cli, "code_by_category")}
    expected: dict[str, list[Paper]] = {}
    for p in world.papers:
        expected.setdefault(p.primary_category or "(none)", []).append(p)
    assert set(rows) == set(expected)
    for name, group in expected.items():
        linked = sum(bool(repos_of(p)) for p in group)
        live = sum(bool(repos_of(p) & world.live) for p in group)
        assert (rows[name]["papers"], rows[name]["with_repo_link"]) == (len(group), linked)
        assert rows[name]["with_live_repo"] == live
        assert rows[name]["pct_with_repo"] == round(100 * linked / len(group), 1)
    only_cs = run(cli, "code_by_category", "category=cs")
    assert [(r["primary_category"], r["papers"]) for r in only_cs] == [("cs.CV", 40), ("cs.CL", 20)]
    assert run(cli, "code_by_category", "category=CS.cv") == [rows["cs.CV"]]
    assert run(cli, "code_by_category", "min_category_papers=21") == [rows["cs.CV"]]
    assert run(cli, "code_by_category", "min_category_papers=41") == []


@pytest.mark.parametrize(
    ("report", "count"),
    [("top_repos", "papers"), ("languages", "citations")],
)
def test_repository_reports_count_only_papers_of_the_category(
    cli: Cli, world: World, report: str, count: str
) -> None:
    chosen = [p for p in world.papers if in_category(p, "cs.LG")]
    cited = sum(len(repos_of(p) & world.live) for p in chosen)
    rows = run(cli, report, "category=cs.LG", *(["top=1000"] if report == "top_repos" else []))
    assert sum(r[count] for r in rows) == cited > 0
    assert sum(r[count] for r in run(cli, report, "category=q-bio")) == 0


def test_promised_code_and_pages_only_take_the_category(cli: Cli, world: World) -> None:
    chosen = {p.paper_id for p in world.papers if in_category(p, "cs.CL")}
    promised = {r["paper_id"] for r in run(cli, "promised_code", "category=cs.CL")}
    pages = {r["paper_id"] for r in run(cli, "pages_only", "category=cs.CL")}
    assert promised and promised <= chosen
    assert pages and pages <= chosen
    everyone = {r["paper_id"] for r in run(cli, "promised_code")}
    assert promised == everyone & chosen
