"""Runs and cursors: reading a cursor happens before the job lock is taken, so it must neither
write nor migrate the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harvester.store import Store
from tests.store.schemas import at_version, version_of

DAY = dt.date(2025, 11, 3)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_reading_a_cursor_of_an_older_file_neither_writes_nor_migrates(
    tmp_path: Path, version: int
) -> None:
    db = tmp_path / "h.duckdb"
    con = at_version(db, version)
    if version >= 2:
        con.execute("INSERT INTO source_cursors VALUES ('arxiv', 'cat:cs.LG', ?, now(), 1)", [DAY])
    con.close()
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    store = Store(db, lock_wait=0.5)
    # a file from before the cursors table (version 1) has no cursor
    assert store.cursor("arxiv", "cat:cs.LG") == (DAY if version >= 2 else None)
    assert store.cursor("arxiv", "cat:cs.CV") is None
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert version_of(db) == version
    # the first write is what upgrades it, and the cursor survives
    run, _ = store.begin_run("harvest", "t")
    assert version_of(db) > version
    assert store.advance_cursor("arxiv", "cat:cs.LG", DAY + dt.timedelta(days=1), run) == (
        DAY + dt.timedelta(days=1)
    )


def test_reading_a_cursor_of_a_current_file_leaves_it_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb", lock_wait=0.5)
    run, _ = store.begin_run("harvest", "t")
    store.advance_cursor("hf_daily", "", DAY, run)
    before = (store.path.read_bytes(), store.path.stat().st_mtime_ns)
    assert Store(store.path).cursor("hf_daily", "") == DAY
    assert (store.path.read_bytes(), store.path.stat().st_mtime_ns) == before
