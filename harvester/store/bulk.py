"""Bulk writes: rows go through DuckDB's Appender into a temporary staging table, and then one
``INSERT ... SELECT`` (an upsert or an anti-join) moves them into place — no row-by-row
``executemany`` (2-8k rows/s; the staging path writes hundreds of thousands: benchmarks/store.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import duckdb


def stage(
    con: duckdb.DuckDBPyConnection,
    name: str,
    like: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Create a temp table ``name`` shaped like ``like``'s ``columns`` and bulk-append ``rows``."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {', '.join(columns)} FROM {like} LIMIT 0"
    )
    append(con, name, rows)


def append(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Sequence[Any]]) -> None:
    appender = con.appender(table)
    appender.append_rows(rows)
    appender.flush()
