"""Database files as an older harvester left them: the first ``version`` migrations applied."""

from __future__ import annotations

from pathlib import Path

import duckdb

from harvester.store import migrate


def at_version(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """Create ``path`` at schema ``version`` and return an open connection to fill it."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR,"
        " applied_at TIMESTAMPTZ DEFAULT now())"
    )
    for m in migrate.migrations():
        if m.version <= version:
            con.execute(m.sql)
            con.execute(
                "INSERT INTO schema_version (version, name) VALUES (?, ?)", [m.version, m.name]
            )
    return con


def version_of(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return migrate.current_version(con)
    finally:
        con.close()
