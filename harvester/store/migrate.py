"""Versioned schema migrations: numbered ``schema/NNNN_*.sql`` files applied in order, once.

The applied version lives in ``schema_version``. A database whose version is newer than the
newest file we ship was written by a newer harvester and is refused rather than misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from harvester.errors import StoreError

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    found = []
    for entry in resources.files("harvester.store").joinpath("schema").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    return found


LATEST = migrations()[-1].version


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_version' AND table_schema = 'main'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def check_version(version: int, path: str) -> None:
    if version > LATEST:
        raise StoreError(
            f"{path} has schema version {version}, newer than this harvester understands "
            f"({LATEST}); upgrade harvester to read it"
        )


def not_ours(path: str) -> StoreError:
    return StoreError(
        f"{path} is a DuckDB database but not a harvester database (it has no schema_version "
        "table); give another --db"
    )


def migrate(con: duckdb.DuckDBPyConnection, path: str) -> int:
    """Bring the schema up to date in one transaction; returns the version now in place.
    Refuses a file that holds tables but no harvester schema (another application's)."""
    version = current_version(con)
    check_version(version, path)
    if version == 0:
        tables = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = "
            "current_database()"
        ).fetchone()
        if tables and tables[0]:
            raise not_ours(path)
    pending = [m for m in migrations() if m.version > version]
    if not pending:
        return version
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMPTZ DEFAULT now())"
        )
        for migration in pending:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_version (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return pending[-1].version
