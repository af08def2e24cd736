"""Schema 4: repos.full_name_lower (the one home of the lowercase-name rule) and the
repo_mentions view (paper -> mention -> name -> repository) that the reports share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from harvester.errors import QueryError
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.reports import find_report
from harvester.store import Store, migrate
from tests.store.schemas import at_version, version_of

T = dt.datetime(2025, 1, 5, 12, tzinfo=dt.UTC)


def test_version_3_repos_keep_every_row_and_column_and_gain_the_lowercase_name(
    tmp_path: Path,
) -> None:
    db = tmp_path / "h.duckdb"
    con = at_version(db, 3)
    con.execute(
        "INSERT INTO repos VALUES (42, 'Owner/Repo', 5, 1, 2, 3, 'Python', 'MIT', ['a'], 'd',"
        " 'https://h', ?, ?, ?, false, true, 'W/\"1\"', ?)",
        [T, T, T, T],
    )
    before_columns = con.execute("SELECT column_name, column_type FROM (DESCRIBE repos)").fetchall()
    before_rows = con.execute("SELECT * FROM repos").fetchall()
    con.close()
    store = Store(db)
    assert store.ensure() == migrate.LATEST >= 4
    con = duckdb.connect(str(db), read_only=True)
    try:
        after = con.execute("SELECT column_name, column_type FROM (DESCRIBE repos)").fetchall()
        # later versions append more columns (0005: the placeholder facts)
        assert after[: len(before_columns) + 1] == [*before_columns, ("full_name_lower", "VARCHAR")]
        kept = ", ".join(name for name, _ in before_columns)
        assert con.execute(f"SELECT {kept} FROM repos").fetchall() == before_rows
        assert con.execute("SELECT full_name_lower FROM repos").fetchall() == [("owner/repo",)]
    finally:
        con.close()
    # the primary key survived the rebuild: an upsert by id updates the row in place
    run, _ = store.begin_run("refresh", "t")
    store.save_outcomes([Outcome("owner/repo", Status.OK, RepoStats(42, "Owner/Repo2", 9, 1))], run)
    assert store.query(["SELECT repo_id, full_name_lower, stars FROM repos"]).rows == [
        (42, "owner/repo2", 9)
    ]


def _world(store: Store) -> int:
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(
        [
            Paper("p1", "jsonl", published_at=dt.date(2025, 1, 1), listed_on=dt.date(2025, 1, 3)),
            Paper("p2", "hf_daily", listed_on=dt.date(2025, 2, 2)),
        ],
        [
            Mention("p1", "Owner/Repo", "abstract", "https://github.com/Owner/Repo"),
            Mention("p1", "Owner/Repo", "hf_github_repo", "https://github.com/Owner/Repo"),
            Mention("p1", "Old/Name", "comment", "github.com/Old/Name"),
            Mention("p2", "owner/repo", "title", "github.com/owner/repo"),
            Mention("p2", "me/me.github.io", "abstract", "https://me.github.io", "pages"),
            Mention("p2", "x/Gone", "abstract", "github.com/x/Gone"),
            Mention("p2", "not/asked", "abstract", "github.com/not/asked"),
        ],
        run,
    )
    repo = RepoStats(42, "Owner/Repo", 7, 1, language="Python")
    store.save_outcomes(
        [
            Outcome("owner/repo", Status.OK, repo),
            Outcome("old/name", Status.RENAMED, repo, "now Owner/Repo"),
            Outcome("x/gone", Status.NOT_FOUND, detail="404"),
        ],
        run,
    )
    store.refresh_derived()  # repo_mentions is a derived table (schema 0009): as a job's end does
    return run


def test_repo_mentions_is_one_row_per_repository_mention_resolved_by_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    _world(store)
    rows = store.query(
        [
            "SELECT paper_id, published, repo_name, repo_as_written, source_field, status,"
            " repo_id, full_name, full_name_lower, stars, language FROM repo_mentions"
            " ORDER BY paper_id, repo_name, source_field"
        ]
    ).rows
    p1, p2 = dt.date(2025, 1, 1), dt.date(2025, 2, 2)  # p2 has only its listing date
    ok = (42, "Owner/Repo", "owner/repo", 7, "Python")
    gone = (None, None, None, None, None)
    assert rows == [
        ("p1", p1, "old/name", "Old/Name", "comment", "renamed", *ok),
        ("p1", p1, "owner/repo", "Owner/Repo", "abstract", "ok", *ok),
        ("p1", p1, "owner/repo", "Owner/Repo", "hf_github_repo", "ok", *ok),
        ("p2", p2, "not/asked", "not/asked", "abstract", "pending", *gone),
        ("p2", p2, "owner/repo", "owner/repo", "title", "ok", *ok),
        ("p2", p2, "x/gone", "x/Gone", "abstract", "not_found", *gone),
    ]  # the github.io page is a mention, not a repository


def test_a_renamed_repository_is_matched_by_its_current_name_in_any_case(tmp_path: Path) -> None:
    """304 refreshes and stale re-fetches ask by the current name (lowercase): the store finds
    the repository through full_name_lower."""
    store = Store(tmp_path / "h.duckdb")
    run = _world(store)
    store.save_outcomes([Outcome("owner/repo", Status.OK, not_modified=True, etag=None)], run)
    assert store.query(["SELECT count(*) FROM repo_snapshots WHERE repo_id = 42"]).rows == [(1,)]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert store.names_to_fetch(statuses=[], stale_before=future) == ["owner/repo"]


def test_a_report_on_an_older_file_says_how_to_upgrade_it_and_changes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "h.duckdb"
    at_version(db, 3).close()
    before = db.read_bytes()
    store = Store(db)
    with pytest.raises(QueryError, match=r"schema version 3, older .*`harvester refresh`"):
        store.query([find_report("top_repos").sql])
    assert store.query(["SELECT count(*) FROM papers"]).rows == [(0,)]  # the old tables read
    assert db.read_bytes() == before and version_of(db) == 3
    # on a current file a mistake is only the mistake
    store.ensure()
    with pytest.raises(QueryError) as caught:
        store.query(["SELECT nope FROM repo_mentions"])
    assert "schema version" not in str(caught.value)
