"""Export every table (and, if asked, every report's result) as Parquet or CSV files, so other
engines — pandas, polars, Spark, Trino, BigQuery — read the harvest without DuckDB.

* **DuckDB writes the files** (``COPY ... TO ?``): the path is a bound parameter, never pasted
  into the SQL text, so quotes, spaces or anything else in a path are just characters.
* **No clobbering.** Existing files are refused, all of them named up front before anything is
  written, unless ``force`` is given; other files in the directory are left alone.
* **No half-written files.** Each file is written under a hidden temporary name beside its
  target and renamed into place when complete, so an interrupted export leaves only whole
  files under real names.
* **``safe_csv`` (opt-in).** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return as a formula, and paper titles come from anyone. With
  ``safe_csv`` such text cells get a leading ``'`` (the usual defence); off by default because
  it changes the data (``-1 point`` becomes ``'-1 point``). Numbers are not text: untouched.
* **Any directory name.** DuckDB takes only UTF-8 file names; a directory whose name is not
  UTF-8 (Linux allows any bytes) is written through its descriptor (``/proc/self/fd/N``), so the
  files land under their real names all the same.
* **Read-only.** The database is opened read-only (a running harvest is waited for, like
  ``report``); each report runs on a fresh connection so that one report's variables never
  reach the next.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from harvester.errors import QueryError, UsageError
from harvester.fsnames import shown
from harvester.store.store import Store

FORMATS = ("parquet", "csv")
_OPTIONS = {"parquet": "(FORMAT parquet, COMPRESSION zstd)", "csv": "(FORMAT csv, HEADER true)"}
REPORTS_SUBDIR = "reports"


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """A report to export: its file's SQL and the variables to bind (defaults if empty)."""

    name: str
    sql: str
    variables: Sequence[tuple[str, Any]] = ()


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    rows: int


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def tables(store: Store) -> list[str]:
    """The database's tables, in name order, but for the refresh's own bookkeeping
    (``derived_dirty``, ``derived_todo``, ``derived_state``: what writes touched since the last
    refresh, not data; the derived tables themselves, ``paper_code`` and the others, are)."""
    with store.reader() as con:
        rows = con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
            " AND NOT starts_with(table_name, 'derived_') ORDER BY table_name"
        ).fetchall()
    return [str(r[0]) for r in rows]


def export(
    store: Store,
    directory: Path,
    fmt: str,
    *,
    reports: Sequence[ReportQuery] = (),
    force: bool = False,
    safe_csv: bool = False,
) -> list[Written]:
    """Write ``DIR/<table>.<fmt>`` for every table and ``DIR/reports/<name>.<fmt>`` for every
    report given. Returns what was written, in order."""
    if fmt not in FORMATS:
        raise UsageError(f"export --format takes {' or '.join(FORMATS)}, got {fmt!r}")
    if safe_csv and fmt != "csv":
        raise UsageError("--safe-csv applies to --format csv only")
    names = tables(store)
    table_targets = [(name, directory / f"{name}.{fmt}") for name in names]
    report_targets = [(r, directory / REPORTS_SUBDIR / f"{r.name}.{fmt}") for r in reports]
    _check_targets(
        [p for _, p in table_targets] + [p for _, p in report_targets], force, store.path
    )
    _make_dirs(directory, bool(reports))
    written: list[Written] = []
    with store.reader() as con:
        for name, path in table_targets:
            rows = _copy(con, f"SELECT * FROM {_quote(name)}", path, fmt, safe_csv)
            written.append(Written(path, rows))
    for report, path in report_targets:
        with store.reader() as con:
            written.append(Written(path, _copy_report(con, report, path, fmt, safe_csv)))
    return written


def _check_targets(targets: Sequence[Path], force: bool, db: Path) -> None:
    existing = [p for p in targets if p.exists() or p.is_symlink()]
    if not existing:
        return
    for path in existing:  # as for every --output: never the database, --force or not
        if path.exists() and db.exists() and os.path.samefile(path, db):
            raise UsageError(f"cannot write {path}: it is the database {db}")
    blocker = next((p for p in existing if p.is_dir()), None)
    if blocker is not None:
        raise UsageError(f"cannot write {blocker}: it is a directory")
    if not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise UsageError(
            f"{existing[0]} already exists{more}; export into a new directory, "
            "or add --force to overwrite"
        )


def _make_dirs(directory: Path, with_reports: bool) -> None:
    for path in (directory, directory / REPORTS_SUBDIR) if with_reports else (directory,):
        try:
            path.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise UsageError(f"cannot export into {path}: it is a file") from None
        except OSError as exc:
            raise UsageError(f"cannot create {path}: {exc.strerror or exc}") from None


def _defused(con: duckdb.DuckDBPyConnection, select: str) -> str:
    """``select`` with every text cell that a spreadsheet would run as a formula prefixed with
    ``'`` (see ``safe_csv``)."""
    described = con.execute(f"DESCRIBE {select}").fetchall()
    starts = "('=', '+', '-', '@', chr(9), chr(13))"
    cells = [
        f"CASE WHEN left({_quote(c)}, 1) IN {starts} THEN chr(39) || {_quote(c)} ELSE {_quote(c)}"
        f" END AS {_quote(c)}"
        if str(t) == "VARCHAR"
        else _quote(c)
        for c, t, *_ in described
    ]
    return f"SELECT {', '.join(cells)} FROM ({select}\n)"


def _copy(
    con: duckdb.DuckDBPyConnection, select: str, path: Path, fmt: str, safe_csv: bool = False
) -> int:
    """``COPY (select) TO path``, through a temporary file renamed into place."""
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        if safe_csv:
            select = _defused(con, select)
        with _duckdb_name(partial) as target:
            row = con.execute(f"COPY ({select}\n) TO ? {_OPTIONS[fmt]}", [target]).fetchone()
        os.replace(partial, path)
    except duckdb.IOException as exc:
        raise UsageError(f"cannot write {shown(str(path))}: {_first_line(exc)}") from None
    except duckdb.Error as exc:
        raise QueryError(f"exporting {path.name}: {_first_line(exc)}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {shown(str(path))}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return int(row[0]) if row else 0


@contextmanager
def _duckdb_name(path: Path) -> Iterator[str]:
    """A name DuckDB can open for ``path``: itself when it is UTF-8, else the same file reached
    through a descriptor of its directory (the file's own name, ours, is ASCII)."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        yield name
        return
    if not os.path.isdir("/proc/self/fd") or not path.name.isascii():
        raise UsageError(f"cannot write {shown(name)}: DuckDB takes only UTF-8 file names")
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


def _copy_report(
    con: duckdb.DuckDBPyConnection, report: ReportQuery, path: Path, fmt: str, safe_csv: bool
) -> int:
    """Run the report's leading statements (its SET VARIABLE defaults), then copy its final
    SELECT, wrapped in a temporary view so the file's own text is used unchanged."""
    try:
        statements = duckdb.extract_statements(report.sql)
        if not statements or statements[-1].type != duckdb.StatementType.SELECT:
            raise QueryError(f"report {report.name} does not end with a SELECT")
        for name, value in report.variables:
            con.execute(f"SET VARIABLE {_quote(name)} = ?", [value])
        for statement in statements[:-1]:
            con.execute(statement.query)
        con.execute("CREATE OR REPLACE TEMP VIEW harvester_export AS\n" + statements[-1].query)
    except duckdb.Error as exc:
        raise QueryError(f"report {report.name}: {_first_line(exc)}") from None
    return _copy(con, "SELECT * FROM harvester_export", path, fmt, safe_csv)
