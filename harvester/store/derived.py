"""The derived tables (schema 0009): ``paper_code``, ``repo_mentions``, ``paper_facts`` and
``paper_promises``, and ``paper_official`` (0011: official_code's rows), ordinary tables that
the reports read instead of recomputing every paper each time.

How they stay current (docs/architecture.md, "Derived tables"):

* every write the store makes **marks** what it touched in ``derived_dirty`` (papers saved,
  repositories fetched, names resolved, READMEs checked), in the same transaction as the write,
  and accounts for its rows in ``derived_state`` (the inputs' row counts);
* every job **refreshes** them when it ends (ok, partial, failed or interrupted) and before it
  starts (a job killed with SIGKILL left its marks: the next one repairs them first): only the
  papers the marks reach are recomputed, and the promise regexes run only over papers saved
  again (their text may have changed);
* input row counts that differ from ``derived_state`` mean another program wrote to the file:
  the next refresh rebuilds everything (so does a mark of kind ``all``, which a user who
  changed rows in place with another tool inserts: ``INSERT INTO derived_dirty VALUES
  ('all', '')``): the tables are emptied and every paper is recomputed as a refresh would.

Memory. A refresh runs in the transaction that ends the job, so what it reads, builds and
writes stays in the process until the commit: at the end of a 1M-line first harvest (1M papers
to recompute at once) that was 277 MB on top of the writer's 131 MB (DuckDB's cache of the
table blocks read, 150 MB; the hash tables of 1M paper ids; the uncommitted rows). So:

* the work list is cut into **chunks** of consecutive paper ids, of about ``CHUNK`` papers
  plus their mentions each (a paper with more is a chunk of its own), and each chunk in turn
  is the macros' ``derived_todo``: hash tables hold one chunk's ids, and a chunk's scans skip
  the other papers' row groups (DuckDB's zonemaps). A chunk costs ~1 s of CPU at 1M papers
  beyond its papers' own work (it reads whole row groups), hence chunks this large;
* the whole refresh runs under a DuckDB **memory limit** (``REFRESH_MEMORY``, one thread) with
  spilling to ``<database>.tmp`` (removed when the connection closes): the cache is evicted
  and the uncommitted rows are written there instead of growing with the refresh. Measured
  at 1M papers: a 250k chunk runs in 64 MB but not in 40 (100k: 40 but not 24; two threads
  need more). A limit can still be too low for a chunk of unusually heavy papers, and an
  "Out of Memory" at the end of a long job would be far worse than its memory: the store
  (``Store._refreshed``) then rolls the transaction back and runs it again with
  ``limited=False``, DuckDB's default limit;
* when the work list is **every paper** (a rebuild; the first harvest into a new file) each
  table is instead filled from its rules over every paper in one pass, on every core: that
  streams the papers past small hash tables, with no hash table of their ids, and no row group
  read once per chunk (``_rebuild``);
* measured: peak RSS of a 1M-line harvest 409 -> 215 MB, of a 200k-line one 219 -> 199
  MB; the refresh of 1M new papers 13.9 -> 19.6 s of CPU (benchmarks/README.md).

Functions of an open write connection (``Store`` opens it), but ``staleness``, which reads.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from harvester.store import bulk, migrate, statements
from harvester.store.connection import Database

_SQL = statements.group("derived")
SINCE = 9  # the schema version that added the derived tables
# The refresh works through its papers in chunks of about CHUNK papers plus their mentions,
# under a DuckDB memory limit of REFRESH_MEMORY MB (module docstring: measured at 1M papers, a
# 250k chunk needs 40-64 MB; the rest is cache that DuckDB evicts or spills)
CHUNK = 250_000
REFRESH_MEMORY = 64
_STEPS = (  # a chunk's papers: their rows replaced (paper_code first: the next two read it)
    _SQL["forget_paper_code"],
    _SQL["update_paper_code"],
    _SQL["forget_paper_official"],
    _SQL["update_paper_official"],
    _SQL["forget_repo_mentions"],
    _SQL["update_repo_mentions"],
    _SQL["forget_paper_facts"],
    _SQL["update_paper_facts"],
    _SQL["forget_paper_promises"],
    _SQL["update_paper_promises"],
)
_EMPTY = (
    _SQL["empty_paper_code"],
    _SQL["empty_paper_official"],
    _SQL["empty_repo_mentions"],
    _SQL["empty_paper_facts"],
    _SQL["empty_paper_promises"],
)
_REBUILD = (
    _SQL["rebuild_paper_code"],
    _SQL["rebuild_paper_official"],
    _SQL["rebuild_repo_mentions"],
    _SQL["rebuild_paper_facts"],
    _SQL["rebuild_paper_promises"],
)
_COUNTED = ("papers", "mentions", "repo_names", "repos", "readme_checks", "readme_citations")


@dataclass(frozen=True, slots=True)
class Refresh:
    """What a refresh did: ``mode`` none / incremental / full, and how many papers."""

    mode: str
    papers: int = 0
    texts: int = 0


def _ready(con: duckdb.DuckDBPyConnection) -> bool:
    return migrate.current_version(con) >= SINCE


def mark_papers(
    con: duckdb.DuckDBPyConnection, text: Iterable[str], mentions: Iterable[str] = ()
) -> None:
    """Mark papers saved (``text``: their text may have changed) and papers that gained
    mentions only; then account for the rows written."""
    saved = set(text)
    rows = [("paper", p) for p in saved]
    rows += [("mentions", p) for p in set(mentions) - saved]
    if rows:
        bulk.append(con, "derived_dirty", rows)
    account(con)


def mark_old_names(con: duckdb.DuckDBPyConnection) -> None:
    """Before a fetch batch's upsert (``stage_repos``): the names its repositories had."""
    con.execute(_SQL["mark_old_names"])


def mark_fetched(con: duckdb.DuckDBPyConnection) -> None:
    """A fetch batch (``stage_repos``, ``stage_names``): its repositories and names."""
    con.execute(_SQL["mark_staged_repos"])


def mark_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    """Repositories of a fetch batch that answered 304 (``stage_unchanged``)."""
    con.execute(_SQL["mark_unchanged"])


def mark_checks(con: duckdb.DuckDBPyConnection) -> None:
    """README checks (``stage_checks``) about to replace their repositories' citations."""
    con.execute(_SQL["mark_checks"])


def account(con: duckdb.DuckDBPyConnection) -> None:
    """Record the inputs' row counts as the store's own (call after a marked write)."""
    row = con.execute(_SQL["counts"]).fetchone()
    assert row is not None
    con.execute(_SQL["account"], dict(zip(_COUNTED, row, strict=True)))


T = TypeVar("T")


def refreshed(
    db: Database,
    now: dt.datetime,
    then: Callable[[duckdb.DuckDBPyConnection, dt.datetime, Refresh], T],
) -> T:
    """``refresh`` and then ``then``, in one write transaction of ``db``. The refresh runs
    under its memory limit (``REFRESH_MEMORY``); should DuckDB run out of memory all the same
    (a chunk of unusually heavy papers), the whole transaction is rolled back and run again
    without the limit: a job never fails for the sake of a memory figure."""
    try:
        with db.transaction() as con:
            return then(con, now, refresh(con, now))
    except duckdb.OutOfMemoryException:
        pass
    with db.transaction() as con:
        return then(con, now, refresh(con, now, limited=False))


def refresh(con: duckdb.DuckDBPyConnection, now: dt.datetime, *, limited: bool = True) -> Refresh:
    """Bring the derived tables up to date: nothing to do, only the marked papers, or (rows
    written by another program, or an ``all`` mark) everything. Some papers are recomputed in
    chunks of about ``CHUNK`` papers and mentions; every paper (a rebuild, or marks that reach
    every paper) in one pass of each rule on every core (``_rebuild``); either under DuckDB's
    memory limit ``REFRESH_MEMORY`` unless not ``limited`` (see the module docstring)."""
    if not _ready(con):
        return Refresh("none")
    reason = _stale(con)
    if reason is None:
        return Refresh("none")
    _spill_beside_the_file(con)
    if limited:
        con.execute(f"SET memory_limit = '{REFRESH_MEMORY}MB'")
    try:
        con.execute(_SQL["todo"] if reason == "marks" else _SQL["todo_everything"])
        row = con.execute(_SQL["count_todo"]).fetchone()
        assert row is not None
        if reason != "marks" or _every_paper(con, int(row[0])):
            _rebuild(con)
        else:
            _in_chunks(con)
        mode = "incremental" if reason == "marks" else "full"
        done = Refresh(mode, int(row[0]), int(row[1]))
        con.execute(_SQL["clear_dirty"])
        account(con)
        con.execute(_SQL["refreshed"], {"now": now})
    finally:
        # after an error the transaction is aborted and its connection discarded: a failing
        # SET here would hide the error
        with suppress(duckdb.Error):
            con.execute("RESET memory_limit")  # writers keep DuckDB's default (connection.py)
    return done


def _every_paper(con: duckdb.DuckDBPyConnection, todo: int) -> bool:
    """Whether the work list (``todo`` ids) reaches every paper: the first harvest into a new
    file, a job that saved every paper again. (Only looked at when it can be true.)"""
    counts = con.execute(_SQL["counts"]).fetchone()
    if counts is None or todo < int(counts[0]):
        return False
    left = con.execute(_SQL["papers_left_out"]).fetchone()
    return left is not None and int(left[0]) == 0


def _rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Every paper recomputed: the tables emptied, then each filled from its rules over every
    paper in one pass on every core. Such a pass streams the papers past small hash tables (the
    mentions, the names), where chunks would hold a hash table of their ids and read every row
    group once per chunk: at the end of a 1M-line first harvest, 18.4 s on one thread in chunks
    against 10.9 s wall (20.7 CPU) on two cores, under the same memory limit."""
    con.execute(_SQL["clear_todo"])
    for statement in _EMPTY:
        con.execute(statement)
    threads = con.execute("SELECT current_setting('threads')").fetchone()
    con.execute(f"SET threads = {max(1, os.cpu_count() or 1)}")
    try:
        for statement in _REBUILD:
            con.execute(statement)
    finally:
        with suppress(duckdb.Error):  # (an aborted transaction refuses SET: keep its error)
            con.execute(f"SET threads = {int(threads[0]) if threads else 1}")


def _in_chunks(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the papers of ``derived_todo``: numbered into chunks of consecutive paper ids
    (at most ``CHUNK`` papers plus mentions each, or one paper that has more), then each chunk
    in turn becomes ``derived_todo`` and its rows are replaced (paper_code first: paper_facts
    reads it; the promise regexes only over papers whose text may have changed). Consecutive
    ids: a chunk's scans skip the row groups of the other papers (DuckDB's zonemaps)."""
    con.execute(_SQL["number_chunks"], {"chunk": CHUNK})
    con.execute(_SQL["clear_todo"])
    chunks = [int(k) for (k,) in con.execute(_SQL["chunks"]).fetchall()]
    for k in chunks:
        con.execute(_SQL["chunk_todo"], {"chunk": k})
        for statement in _STEPS:
            con.execute(statement)
        con.execute(_SQL["clear_todo"])
    con.execute(_SQL["drop_chunks"])


def _spill_beside_the_file(con: duckdb.DuckDBPyConnection) -> None:
    """Let the refresh spill to ``<database>.tmp`` (DuckDB removes it when the connection
    closes): the in-memory connection of a writer would spill to ``.tmp`` in the working
    directory."""
    row = con.execute(_SQL["path"]).fetchone()
    if row is None or not row[0]:
        return
    quoted = f"{row[0]}.tmp".replace("'", "''")
    con.execute(f"SET temp_directory = '{quoted}'")


def _stale(con: duckdb.DuckDBPyConnection) -> str | None:
    """None (current), ``marks`` (writes marked since the last refresh) or ``other`` (rows
    written by another program, or an ``all`` mark: only a rebuild is sure)."""
    counts = con.execute(_SQL["counts"]).fetchone()
    state = con.execute(_SQL["state"]).fetchone()
    assert counts is not None
    if state is None or tuple(state[:6]) != tuple(counts) or state[8]:
        return "other"
    return "marks" if state[7] else None


def staleness(con: duckdb.DuckDBPyConnection) -> str | None:
    """For ``harvester status``: None when the derived tables are current, else one line on
    why they are not and what makes them current. Works on a read-only connection."""
    if not _ready(con):
        return None
    reason = _stale(con)
    if reason == "marks":
        return (
            "behind the last writes (a job is running, or one was killed): "
            "the next harvester job brings them up to date"
        )
    if reason == "other":
        return (
            "rows were written by another program: the next harvester job rebuilds them "
            "(reports read them until then)"
        )
    return None
