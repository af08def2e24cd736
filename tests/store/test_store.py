"""The DuckDB store: idempotent writes, identity by repository id, history, locks, versions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from harvester.errors import QueryError, StoreError, StoreLockedError
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.store import JobLock, Store, migrate


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "h.duckdb", lock_wait=0.5)


def _repo(repo_id: int, name: str, stars: int = 10) -> RepoStats:
    return RepoStats(
        repo_id, name, stars, 1, topics=("a", "b"), pushed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )


def _rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    return store.query([sql]).rows


PAPERS = [
    Paper("2501.00001", "jsonl", title="One", abstract="x", published_at=dt.date(2025, 1, 1)),
    Paper("2501.00002", "jsonl", title="Two"),
]
MENTIONS = [
    Mention("2501.00001", "Owner/Repo", "abstract", "https://github.com/Owner/Repo"),
    Mention("2501.00001", "Owner/Repo", "hf_github_repo", "https://github.com/Owner/Repo"),
    Mention("2501.00002", "owner/repo", "title", "github.com/owner/repo"),
    Mention("2501.00002", "me/me.github.io", "abstract", "https://me.github.io", "pages"),
]


def test_same_batch_twice_adds_nothing(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    first = store.save_papers(PAPERS, MENTIONS, run)
    assert (first.new_papers, first.new_mentions, first.new_names) == (2, 4, 1)
    again = store.save_papers(PAPERS + PAPERS, MENTIONS + MENTIONS, run)
    assert (again.new_papers, again.new_mentions, again.new_names) == (0, 0, 0)
    assert _rows(store, "SELECT count(*) FROM papers") == [(2,)]
    # pages are mentions but never names to resolve
    assert _rows(store, "SELECT repo_name, status FROM repo_names") == [("owner/repo", "pending")]


def test_paper_upsert_keeps_first_description_and_takes_newest_hints(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([Paper("p1", "hf_daily", title="Old", hf_github_stars=3)], [], run)
    store.save_papers(
        [
            Paper(
                "p1",
                "jsonl",
                title="New",
                abstract="added",
                hf_github_repo="https://github.com/a/b",
                hf_github_stars=9,
            )
        ],
        [],
        run,
    )
    assert _rows(
        store, "SELECT source, title, abstract, hf_github_repo, hf_github_stars FROM papers"
    ) == [("hf_daily", "Old", "added", "https://github.com/a/b", 9)]


def test_outcomes_rename_keeps_old_name_pointing_at_the_same_id(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(PAPERS, MENTIONS, run)
    fetched = store.save_outcomes(
        [
            Outcome(
                "owner/repo",
                Status.RENAMED,
                _repo(42, "NewOwner/Repo"),
                "now NewOwner/Repo",
                etag='W/"1"',
            )
        ],
        run,
        requests=1,
    )
    assert fetched == 1
    assert _rows(store, "SELECT repo_name, repo_id, status, detail FROM repo_names") == [
        ("owner/repo", 42, "renamed", "now NewOwner/Repo")
    ]
    assert _rows(store, "SELECT repo_id, full_name, topics FROM repos") == [
        (42, "NewOwner/Repo", ["a", "b"])
    ]
    assert _rows(store, "SELECT repo_id, run_id, stars FROM repo_snapshots") == [(42, run, 10)]
    assert store.etags_for(["owner/repo", "newowner/repo", "x/y"]) == {
        "owner/repo": 'W/"1"',
        "newowner/repo": 'W/"1"',
    }


def test_each_fetch_adds_one_snapshot_per_run(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(PAPERS, MENTIONS, run)
    ok = Outcome("owner/repo", Status.OK, _repo(42, "Owner/Repo", stars=10))
    store.save_outcomes([ok, ok], run)
    store.save_outcomes([ok], run)  # the same repo again in the same run: no second snapshot
    run2, _ = store.begin_run("refresh", "t")
    store.save_outcomes([Outcome("owner/repo", Status.OK, _repo(42, "Owner/Repo", stars=15))], run2)
    run3, _ = store.begin_run("refresh", "t")
    store.save_outcomes([Outcome("owner/repo", Status.OK, not_modified=True)], run3)
    assert _rows(store, "SELECT run_id, stars FROM repo_snapshots ORDER BY run_id") == [
        (run, 10),
        (run2, 15),
        (run3, 15),
    ]
    assert _rows(store, "SELECT stars FROM repos") == [(15,)]


def test_gone_and_error_outcomes(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(PAPERS, [*MENTIONS, Mention("2501.00002", "x/y", "abstract", "u")], run)
    store.save_outcomes(
        [
            Outcome("owner/repo", Status.OK, _repo(42, "Owner/Repo")),
            Outcome("x/y", Status.ERROR, detail="HTTP 502 after 5 tries"),
        ],
        run,
    )
    # a failure on a name that resolved before keeps its repository and status
    store.save_outcomes([Outcome("owner/repo", Status.ERROR, detail="timeout")], run)
    assert _rows(store, "SELECT repo_name, repo_id, status, detail FROM repo_names ORDER BY 1") == [
        ("owner/repo", 42, "ok", "timeout"),
        ("x/y", None, "error", "HTTP 502 after 5 tries"),
    ]
    # deleted later, asked by its current name: every name of it becomes not_found, id cleared
    store.save_outcomes([Outcome("owner/repo", Status.NOT_FOUND, detail="404 Not Found")], run)
    assert _rows(
        store, "SELECT repo_id, status FROM repo_names WHERE repo_name = 'owner/repo'"
    ) == [(None, "not_found")]
    assert _rows(store, "SELECT count(*) FROM repos") == [(1,)]  # history is never deleted


def test_names_to_fetch_pending_errors_and_stale(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(PAPERS, [*MENTIONS, Mention("2501.00002", "x/y", "abstract", "u")], run)
    assert store.names_to_fetch() == ["owner/repo", "x/y"]
    store.save_outcomes([Outcome("owner/repo", Status.RENAMED, _repo(42, "New/Name"))], run)
    assert store.names_to_fetch() == ["x/y"]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert store.names_to_fetch(stale_before=future) == ["x/y", "new/name"]
    assert store.names_to_fetch(stale_before=future, limit=1) == ["x/y"]
    assert store.names_to_fetch(statuses=["renamed"]) == ["owner/repo"]


def test_query_binds_variables_and_is_read_only(store: Store) -> None:
    store.ensure()
    result = store.query(["SELECT getvariable('n') + 1 AS m"], [("n", 41)])
    assert result.columns == ["m"] and result.rows == [(42,)]
    with pytest.raises(QueryError, match="read-only"):
        store.query(["DELETE FROM papers"])
    with pytest.raises(QueryError, match="invalid parameter name"):
        store.query(["SELECT 1"], [("x; DROP TABLE papers", 1)])


def test_reader_refuses_missing_file_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        Store(tmp_path / "missing.duckdb").query(["SELECT 1"])
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 400)
    with pytest.raises(StoreError, match="not a DuckDB database"):
        Store(junk).query(["SELECT 1"])
    with pytest.raises(StoreError, match="not a DuckDB database"):
        Store(junk).ensure()
    assert junk.read_bytes() == b"this is not a database" * 400


def test_newer_schema_is_refused(store: Store) -> None:
    store.ensure()
    con = duckdb.connect(str(store.path))
    con.execute(
        "INSERT INTO schema_version (version, name) VALUES (?, 'future')", [migrate.LATEST + 1]
    )
    con.close()
    for attempt in (
        lambda: Store(store.path).ensure(),
        lambda: Store(store.path).query(["SELECT 1"]),
    ):
        with pytest.raises(StoreError, match="newer than this harvester"):
            attempt()


def test_locked_by_another_process_names_the_pid(store: Store) -> None:
    store.ensure()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(store.path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match=f"PID {holder.pid}"):
            store.query(["SELECT 1"])
    finally:
        holder.communicate("\n", timeout=10)


def test_job_lock_refuses_a_second_job(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from harvester.store import JobLock
        with JobLock(Path({str(db)!r})):
            print("held", flush=True)
            sys.stdin.readline()
    """)
    holder = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLockedError, match=f"PID {holder.pid}"), JobLock(db):
            pass
    finally:
        holder.communicate("\n", timeout=10)
    with JobLock(db):  # released when the holder exits
        pass


def test_begin_run_recovers_runs_left_running(store: Store) -> None:
    dead, _ = store.begin_run("harvest", "t")  # never ended: as if killed
    run, recovered = store.begin_run("harvest", "t")
    assert recovered == [dead] and run == dead + 1
    assert _rows(store, f"SELECT status FROM runs WHERE run_id = {dead}") == [("interrupted",)]


def test_cursor_starts_empty_without_creating_a_database(store: Store) -> None:
    assert store.cursor("arxiv", "cat:cs.LG") is None
    assert not store.path.exists()


def test_cursor_moves_forward_without_gaps_per_source_and_query(store: Store) -> None:
    run, _ = store.begin_run("harvest", "t")
    day = dt.date(2025, 11, 3)
    assert store.advance_cursor("arxiv", "cat:cs.LG", day, run) == day
    # an older range harvested later (a backfill) does not pull the cursor back
    assert store.advance_cursor("arxiv", "cat:cs.LG", day - dt.timedelta(days=30), run + 1) == day
    assert store.advance_cursor("hf_daily", "", day + dt.timedelta(days=1), run) == dt.date(
        2025, 11, 4
    )
    # a run that began after the cursor left days unread in between: the cursor stays
    later = dt.date(2025, 11, 10)
    assert store.advance_cursor("arxiv", "cat:cs.LG", later, run + 2, read_from=later) == day
    # one that began on or before it reads on without a gap
    assert store.advance_cursor("arxiv", "cat:cs.LG", later, run + 3, read_from=day) == later
    assert store.cursor("arxiv", "cat:cs.LG") == later
    assert store.cursor("arxiv", "cat:cs.CV") is None
    assert store.cursor("hf_daily", "") == dt.date(2025, 11, 4)
    assert _rows(store, "SELECT run_id FROM source_cursors WHERE source = 'arxiv'") == [(run + 3,)]
    assert [c[:2] for c in store.summary()["cursors"]] == [("arxiv", "cat:cs.LG"), ("hf_daily", "")]


def test_version_1_database_is_upgraded_in_place(store: Store) -> None:
    first = migrate.migrations()[0]
    con = duckdb.connect(str(store.path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR,"
        " applied_at TIMESTAMPTZ DEFAULT now())"
    )
    con.execute(first.sql)
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, ?)", [first.name])
    con.execute("INSERT INTO papers (paper_id, source) VALUES ('2501.00001', 'jsonl')")
    con.execute(
        "INSERT INTO mentions VALUES ('2501.00001', 'a/b', 'abstract', 'repo', 'A/b',"
        " 'https://github.com/A/b', 1)"
    )
    con.close()
    assert Store(store.path).summary()["cursors"] == []  # readers do not need the new table
    assert store.cursor("arxiv", "x") is None
    assert store.ensure() == migrate.LATEST >= 2
    assert _rows(store, "SELECT paper_id FROM papers") == [("2501.00001",)]
    # schema 3 rebuilt mentions without its key, keeping every row
    assert _rows(store, "SELECT paper_id, repo, url FROM mentions") == [
        ("2501.00001", "A/b", "https://github.com/A/b")
    ]
    run, _ = store.begin_run("harvest", "t")
    again = store.save_papers(
        [Paper("2501.00001", "jsonl")],
        [Mention("2501.00001", "A/b", "abstract", "https://github.com/A/b")] * 2,
        run,
    )
    assert again.new_mentions == 0 and _rows(store, "SELECT count(*) FROM mentions") == [(1,)]


def test_a_path_with_a_quote_is_attached_for_writing(tmp_path: Path) -> None:
    store = Store(tmp_path / "it's here.duckdb")
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(PAPERS, MENTIONS, run)
    assert _rows(store, "SELECT count(*) FROM papers") == [(2,)]


def test_writer_connections_use_small_row_groups_and_one_thread(store: Store) -> None:
    """A batch appends whole small row groups (see harvester.store.connection): the file a writer
    leaves has row groups of WRITE_ROW_GROUP rows, not DuckDB's default 122,880."""
    from harvester.store.store import WRITE_ROW_GROUP

    run, _ = store.begin_run("harvest", "t")
    n = WRITE_ROW_GROUP + 10
    store.save_papers([Paper(f"id:{i}", "t", title=f"P{i}") for i in range(n)], [], run)
    with store.transaction() as con:
        threads = con.execute("SELECT current_setting('threads')").fetchone()
        groups = con.execute(
            "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('papers')"
        ).fetchone()
    assert threads == (1,)
    assert groups == (2,)


def test_count_names_counts_by_status(store: Store) -> None:
    assert store.count_names([Status.PENDING]) == 0  # no database yet: nothing, and no file
    assert not store.path.exists()
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(PAPERS, [*MENTIONS, Mention("2501.00002", "x/y", "title", "u")], run)
    store.save_outcomes([Outcome("x/y", Status.NOT_FOUND)], run)
    assert store.count_names([Status.PENDING]) == 1
    assert store.count_names([Status.PENDING, Status.NOT_FOUND]) == 2


def test_storage_format_is_chosen_at_creation_only(tmp_path: Path) -> None:
    compat = Store(tmp_path / "compat.duckdb", storage_version="v1.4.0")
    compat.ensure()
    native = Store(tmp_path / "native.duckdb")
    native.ensure()

    def version(path: Path) -> str:
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH '{path}' AS f (READ_ONLY)")
            row = con.execute(
                "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'f'"
            ).fetchone()
            return str(row[0]) if row else ""
        finally:
            con.close()

    assert version(compat.path).startswith("v1.4")
    assert not version(native.path).startswith("v1.4")
    # reopening with another choice keeps the file's own format (it cannot be lowered)
    Store(native.path, storage_version="v1.4.0").ensure()
    assert not version(native.path).startswith("v1.4")


def test_storage_setting_is_validated() -> None:
    from harvester.config import read_storage_version
    from harvester.errors import UsageError

    assert read_storage_version({}) is None
    assert read_storage_version({"HARVESTER_DUCKDB_STORAGE": "v1.4.0"}) == "v1.4.0"
    with pytest.raises(UsageError, match=r"such as v1\.4\.0"):
        read_storage_version({"HARVESTER_DUCKDB_STORAGE": "1.4; DROP"})


def test_duckdb_never_prints_its_progress_bar(
    store: Store, capfd: pytest.CaptureFixture[str]
) -> None:
    # DuckDB draws a progress bar on standard output (a file or a pipe too) for a statement
    # that runs over 2 s: a migration or the refresh of a big file, a long `sql`. It would land
    # in the middle of a CSV report or a harvest's redirected output. Every connection turns it
    # off, and a statement that asks for it at once (progress_bar_time = 0) cannot bring it back.
    slow = "SELECT count(*) FROM range(30000000) t(i) WHERE i % 7 = 3"
    with store.transaction() as con:
        con.execute("SET progress_bar_time = 0")
        assert con.execute(slow).fetchall() == [(30000000 // 7,)]
    assert capfd.readouterr().out == ""
    with store.reader() as con:  # (a sandboxed reader's settings are locked: `sql` can't ask)
        con.execute("SET progress_bar_time = 0")
        con.execute(slow).fetchall()
    assert capfd.readouterr().out == ""
