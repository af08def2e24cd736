"""Runs (one row per harvest/refresh job) and the cursors of the live sources (where
``--since-last`` continues from). Functions of an open connection; ``Store`` opens it."""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

import duckdb

from harvester.fsnames import shown
from harvester.store import migrate, statements

_SQL = statements.group("runs")
_COUNTERS = ("papers", "new_papers", "new_mentions", "repos_fetched", "requests")
CURSORS_SINCE = 2  # the schema version that added source_cursors
RESUME_SINCE = 6  # the schema version that added source_resume


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """Where an interrupted paged list (OAI-PMH ``ListRecords``) continues: ``token`` fetches
    the first page not yet committed of the list that ``list_request`` started."""

    list_request: str
    token: str
    list_cursor: int | None = None  # records before that page, as the server counts them
    complete_list_size: int | None = None
    newest_datestamp: dt.date | None = None  # newest datestamp read so far, over every run


def begin(
    con: duckdb.DuckDBPyConnection, command: str, args: str, now: dt.datetime
) -> tuple[int, list[int]]:
    """Record a new run; runs left ``running`` by a dead process become ``interrupted``.
    Returns the new run id and the ids of the runs recovered that way."""
    stale = [int(r[0]) for r in con.execute(_SQL["running"]).fetchall()]
    if stale:
        con.execute(_SQL["mark_interrupted"])
    row = con.execute(
        _SQL["start"],
        {
            "command": command,
            "args": shown(args),  # (a file name that is not UTF-8: DuckDB refuses it raw)
            "now": now,
            "pid": os.getpid(),
            "hostname": socket.gethostname(),
        },
    ).fetchone()
    assert row is not None
    return int(row[0]), stale


def finish(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    status: str,
    message: str | None,
    now: dt.datetime,
) -> None:
    if message is not None:
        message = shown(message)  # an error naming a file that is not UTF-8 must still be kept
    con.execute(
        _SQL["finish"], {"status": status, "message": message, "now": now, "run_id": run_id}
    )


def add_counts(con: duckdb.DuckDBPyConnection, run_id: int, **counts: int) -> None:
    """Add to the run's counters (unknown names are ignored)."""
    sets = [f"{k} = {k} + ?" for k in counts if k in _COUNTERS]
    if sets:
        values = [v for k, v in counts.items() if k in _COUNTERS]
        con.execute(f"UPDATE runs SET {', '.join(sets)} WHERE run_id = ?", [*values, run_id])


def read_cursor(con: duckdb.DuckDBPyConnection, source: str, query: str) -> dt.date | None:
    """The newest date harvested for ``source`` and ``query`` (None: never). Works on a
    read-only connection and on a file from before the cursors existed."""
    if migrate.current_version(con) < CURSORS_SINCE:
        return None
    row = con.execute(_SQL["cursor"], {"source": source, "query": query}).fetchone()
    newest: dt.date | None = row[0] if row else None
    return newest


def advance_cursor(
    con: duckdb.DuckDBPyConnection,
    source: str,
    query: str,
    newest: dt.date,
    run_id: int,
    *,
    read_from: dt.date | None,
    now: dt.datetime,
) -> dt.date:
    """Move the cursor to ``newest`` when that is forward and leaves no gap (see
    ``Store.advance_cursor``); returns the date now stored."""
    current = read_cursor(con, source, query)
    if current is not None and (
        newest <= current or (read_from is not None and read_from > current)
    ):
        return current
    con.execute(
        _SQL["set_cursor"],
        {"source": source, "query": query, "newest": newest, "now": now, "run_id": run_id},
    )
    return newest


def read_resume_point(
    con: duckdb.DuckDBPyConnection, source: str, query: str
) -> ResumePoint | None:
    """The saved resume point of ``source`` and ``query`` (read-only; None on older files)."""
    if migrate.current_version(con) < RESUME_SINCE:
        return None
    row = con.execute(_SQL["resume_point"], {"source": source, "query": query}).fetchone()
    return ResumePoint(*row) if row else None


def list_resume_points(
    con: duckdb.DuckDBPyConnection,
) -> list[tuple[str, str, ResumePoint, dt.datetime]]:
    """Every saved resume point (an unfinished list) as ``(source, query, point, updated_at)``,
    for ``status`` (read-only; none on older files)."""
    if migrate.current_version(con) < RESUME_SINCE:
        return []
    rows = con.execute(_SQL["resume_points"]).fetchall()
    return [(source, query, ResumePoint(*point), moved) for source, query, *point, moved in rows]


def save_resume_point(
    con: duckdb.DuckDBPyConnection,
    source: str,
    query: str,
    point: ResumePoint,
    now: dt.datetime,
) -> None:
    con.execute(
        _SQL["save_resume_point"],
        {
            "source": source,
            "query": query,
            "list_request": point.list_request,
            "token": point.token,
            "list_cursor": point.list_cursor,
            "complete_list_size": point.complete_list_size,
            "newest_datestamp": point.newest_datestamp,
            "now": now,
        },
    )


def clear_resume_point(con: duckdb.DuckDBPyConnection, source: str, query: str) -> None:
    con.execute(_SQL["clear_resume_point"], {"source": source, "query": query})
