"""Reading: SQL given by ``report``/``sql`` (read-only, parameters bound as variables) and the
counts ``status`` shows. Functions of an open read-only connection; ``Store`` opens it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb

from harvester import render
from harvester.errors import QueryError
from harvester.store import derived, migrate, statements
from harvester.store.connection import first_line, interrupted
from harvester.store.runs import CURSORS_SINCE

_SQL = statements.group("read")
VERDICTS_SINCE = 5  # schema 0005_repo_facts: repos.verdict


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run(
    con: duckdb.DuckDBPyConnection,
    sql: Sequence[str],
    variables: Sequence[tuple[str, Any]] = (),
) -> QueryResult:
    """``SET VARIABLE`` each (name, value) bound as a parameter, then the statements in order;
    the last statement's result is returned."""
    with _errors_translated(con):
        _bind(con, variables)
        result = None
        for statement in sql:
            result = con.execute(statement)
        if result is None or result.description is None:
            return QueryResult([], [])
        columns = [d[0] for d in result.description]
        return QueryResult(columns, result.fetchall())


def run_csv(
    con: duckdb.DuckDBPyConnection,
    sql: Sequence[str],
    variables: Sequence[tuple[str, Any]] = (),
) -> tuple[list[str], str]:
    """As ``run``, but the last statement's result as ``render(..., "csv")`` text: built line by
    line by the database when ``render.csv_lines_sql`` can say how (the rows never become Python
    objects), else rendered in Python. Returns the columns and the text."""
    with _errors_translated(con):
        _bind(con, variables)
        statements = [s.query for text in sql for s in duckdb.extract_statements(text)]
        if not statements:
            return [], render.render([], [], "csv")
        for statement in statements[:-1]:
            con.execute(statement)
        last = statements[-1].rstrip().removesuffix(";")
        try:
            described = con.execute(f"DESCRIBE {last}").fetchall()
        except duckdb.ParserException:  # not a query (a SET, a PRAGMA): as ``run`` does
            result = run(con, [last])
            return result.columns, render.render(result.columns, result.rows, "csv")
        columns = [str(r[0]) for r in described]
        lines = render.csv_lines_sql([(str(r[0]), str(r[1])) for r in described])
        if lines is not None:
            try:
                body = con.execute(f"SELECT {lines} FROM ({last}\n)").fetchall()
                # one join, the header and a final line feed in it: each ``+`` of the text
                # copied it again (official_code's 50 MB: 0.22 -> 0.11 s)
                header = render.csv_header(columns).removesuffix("\n")
                return columns, "\n".join([header, *[r[0] for r in body], ""])
            except duckdb.InvalidInputException as exc:
                if render.CSV_REFUSED not in str(exc):
                    raise
        return columns, render.render(columns, con.execute(last).fetchall(), "csv")


def _bind(con: duckdb.DuckDBPyConnection, variables: Sequence[tuple[str, Any]]) -> None:
    """``SET VARIABLE`` each (name, value), the value a bound parameter."""
    for name, value in variables:
        con.execute(f"SET VARIABLE {_identifier(name)} = ?", [value])


@contextmanager
def _errors_translated(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's errors as one-line ``QueryError``s (with the upgrade hint), Ctrl-C as itself."""
    try:
        yield
    except duckdb.Error as exc:
        raise QueryError(first_line(exc) + _upgrade_hint(con, exc)) from None
    except RuntimeError as exc:
        if interrupted(exc):
            raise KeyboardInterrupt from None
        raise


def _upgrade_hint(con: duckdb.DuckDBPyConnection, exc: duckdb.Error) -> str:
    """A missing table, view or column in a file older than this harvester is explained: the
    reports use what later schema versions add (readers never migrate; writers do)."""
    if not isinstance(exc, duckdb.CatalogException | duckdb.BinderException):
        return ""
    version = migrate.current_version(con)
    if version >= migrate.LATEST:
        return ""
    return (
        f" (this database has schema version {version}, older than this harvester's "
        f"{migrate.LATEST}: any `harvester harvest` or `harvester refresh` upgrades it)"
    )


def summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Counts for ``harvester status`` (without the database's path)."""
    papers, with_repo, mentions, repos = _one(con, _SQL["overview"])
    snap = _one(con, _SQL["snapshots"])
    by_status = dict(con.execute(_SQL["names_by_status"]).fetchall())
    last_runs = con.execute(_SQL["last_runs"]).fetchall()
    version = migrate.current_version(con)
    cursors = con.execute(_SQL["cursors"]).fetchall() if version >= CURSORS_SINCE else []
    verdicts = dict(con.execute(_SQL["verdicts"]).fetchall()) if version >= VERDICTS_SINCE else {}
    return {
        "schema_version": version,
        "papers": papers,
        "papers_with_repo": with_repo,
        "mentions": mentions,
        "repos": repos,
        "names": by_status,
        "snapshots": snap[0],
        "snapshot_span": (snap[1], snap[2]),
        "runs": last_runs,
        "cursors": cursors,
        "verdicts": verdicts,
        "derived_stale": derived.staleness(con),
    }


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise QueryError(f"invalid parameter name {name!r}")
    return name


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None  # aggregate queries always return one row
    return tuple(row)
