"""Schema 0011: paper_official holds official_code's rows (paper_code's official rank-1 rows
with the repository's current name and stars, the channel lists as text), filled in a file from
version 10, kept current by the refresh when a repository is fetched again, and the report
reading it answers exactly what its former query over paper_code and repos answered, in the same
order, on random stores."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from harvester import reports
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.store import Store
from tests.store.schemas import at_version
from tests.store.test_derived import random_job

# official_code as it was up to schema 10: paper_code joined with repos on every run
FORMER = """
SELECT c.paper_id, c.published, c.title, coalesce(r.full_name, c.repo_name) AS repository,
       c.confidence, array_to_string(c.official_channels, ', ') AS evidence,
       array_to_string(c.channels, ', ') AS channels, c.conflict, r.stars
FROM paper_code c
LEFT JOIN repos r ON r.repo_id = c.repo_id
WHERE c.role = 'official' AND c.rank = 1
  AND c.confidence >= getvariable('min_confidence')::DOUBLE
  AND coalesce(c.published, DATE '9999-12-31') >= getvariable('since')::DATE
ORDER BY c.published DESC NULLS LAST, c.paper_id
"""
PARAMS = [{}, {"since": "2025-06-01"}, {"min_confidence": "0.85"}]


def official_code() -> reports.Report:
    return next(r for r in reports.list_reports() if r.name == "official_code")


def answers(store: Store, given: dict[str, str]) -> tuple[Any, Any]:
    """The report's result and the former query's, with the same parameters bound."""
    report = official_code()
    now = store.query([report.sql], report.bind(given))
    former = store.query([report.sql.rsplit(";", 2)[0] + ";", FORMER], report.bind(given))
    return now, former


def current(store: Store) -> list[tuple[Any, ...]]:
    return sorted(store.query(["FROM paper_official"]).rows, key=repr)


@pytest.mark.parametrize("seed", range(2))
def test_the_report_answers_what_its_former_query_did_on_random_stores(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(1000 + seed)
    store = Store(tmp_path / "h.duckdb")
    seen = 0
    for _ in range(5):
        random_job(store, rng)
        assert current(store) == sorted(
            store.query(["FROM paper_official_rules(true)"]).rows, key=repr
        )
        for given in PARAMS:
            now, former = answers(store, given)
            assert now.columns == former.columns
            assert now.rows == former.rows  # the same rows in the same order
            seen += len(now.rows)
    assert seen > 0  # the stores had official repositories to answer


def test_a_repository_fetched_again_reaches_paper_official(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(
        [Paper("2501.00001", "t", title="T", abstract="Code: github.com/a/b")],
        [Mention("2501.00001", "a/b", "abstract", "https://github.com/a/b")],
        run,
    )
    store.save_outcomes([Outcome("a/b", Status.OK, RepoStats(7, "a/b", 5, 0))], run)
    store.end_run(run, "ok")
    pick = "SELECT paper_id, repository, stars, evidence, channels, repo_id FROM paper_official"
    assert store.query([pick]).rows == [("2501.00001", "a/b", 5, "abstract", "abstract", 7)]
    run, _ = store.begin_run("refresh", "t")  # renamed, and more stars: no paper saved
    store.save_outcomes([Outcome("a/b", Status.RENAMED, RepoStats(7, "New/B", 9, 0))], run)
    done = store.refresh_derived()
    assert (done.mode, done.papers, done.texts) == ("incremental", 1, 0)
    store.end_run(run, "ok")
    assert store.query([pick]).rows == [("2501.00001", "New/B", 9, "abstract", "abstract", 7)]
    now, former = answers(store, {})
    assert now.rows == former.rows and len(now.rows) == 1


def test_a_version_10_file_gets_paper_official_filled(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    con = at_version(db, 10)
    con.execute(
        "INSERT INTO papers (paper_id, source, title, abstract, published_at) VALUES "
        "('2401.00001', 't', 'First', 'Code: github.com/a/b', DATE '2024-01-05'), "
        "('2401.00002', 't', 'Second', 'Code: github.com/c/d', NULL), "
        "('2401.00003', 't', 'Third', 'Nothing linked', DATE '2024-01-07')"
    )
    con.execute(
        "INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo) VALUES "
        "('2401.00001', 'a/b', 'abstract', 'repo', 'a/b'), "
        "('2401.00001', 'a/b', 'hf_github_repo', 'repo', 'a/b'), "
        "('2401.00002', 'c/d', 'comment', 'repo', 'c/d')"
    )
    con.execute("INSERT INTO repo_names (repo_name, repo_id, status) VALUES ('a/b', 1, 'ok')")
    con.execute(
        "INSERT INTO repos (repo_id, full_name, stars, fetched_at) VALUES (1, 'A/B', 42, now())"
    )
    con.execute("INSERT INTO paper_code SELECT * FROM paper_code_rules(true)")
    con.close()

    store = Store(db)
    store.ensure()
    both = "abstract, declared"
    assert store.query(["FROM paper_official ORDER BY paper_id"]).rows == [
        ("2401.00001", dt.date(2024, 1, 5), "First", "A/B", 0.98, both, both, False, 42, 1),
        ("2401.00002", None, "Second", "c/d", 0.85, "comment", "comment", False, None, None),
    ]
    assert current(store) == sorted(store.query(["FROM paper_official_rules(true)"]).rows, key=repr)
    now, former = answers(store, {})
    assert [r[0] for r in now.rows] == ["2401.00001", "2401.00002"]  # no date: last
    assert now.rows == former.rows
