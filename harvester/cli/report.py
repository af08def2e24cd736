"""``harvester report`` (the shipped queries/*.sql) and ``harvester sql`` (ad-hoc, read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harvester import reports
from harvester.cli.app import app, guard, open_store, output_format
from harvester.cli.options import DbOption, ForceOption, OutputFormat
from harvester.cli.output import emit, refuse_database, write
from harvester.config import DEFAULT_DB, resolve_db_path
from harvester.render import render


@app.command()
def report(
    name: Annotated[str | None, typer.Argument(help="Report to run; none lists them.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (repeatable).")
    ] = None,
    fmt: OutputFormat = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to a file (an earlier output of the report is replaced; any other "
            "existing file only with --force; never the database).",
        ),
    ] = None,
    describe: Annotated[
        bool,
        typer.Option("--describe", help="Show what the report answers and its parameters."),
    ] = False,
    db: DbOption = Path(DEFAULT_DB),
    force: ForceOption = False,
) -> None:
    """Run one of the shipped reports (queries/*.sql), or list them."""

    def body() -> None:
        output_format(fmt)
        db_path = resolve_db_path(db)
        refuse_database(output, db_path)  # before the report runs, not after

        def out(columns: list[str], rows: list[tuple[object, ...]], text: str) -> None:
            write(text, output, fmt, db=db_path, force=force, columns=columns)

        if name is not None and describe:
            columns = ["parameter", "type", "default", "allowed", "help"]
            out(columns, [], reports.describe(reports.find_report(name), fmt))
            return
        if name is None:
            columns = ["report", "title", "parameters (defaults)"]
            rows: list[tuple[object, ...]] = [
                (r.name, r.title, ", ".join(f"{p.name}={p.default_text}" for p in r.params) or "-")
                for r in reports.list_reports()
            ]
            out(columns, rows, render(columns, rows, fmt))
            return
        chosen = reports.find_report(name)
        values = chosen.bind(reports.parse_params(param or []))
        store = open_store(db)
        if fmt == "csv":  # the database writes the lines: the same bytes, seconds sooner
            csv_columns, text = store.query_csv([chosen.sql], values)
            out(csv_columns, [], text)
            return
        result = store.query([chosen.sql], values)
        out(result.columns, result.rows, render(result.columns, result.rows, fmt))

    guard(body)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only).", show_default=False)],
    fmt: OutputFormat = "table",
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Run ad-hoc SQL against the database, read-only."""

    def body() -> None:
        output_format(fmt)
        result = open_store(db).query([query])
        emit(render(result.columns, result.rows, fmt), fmt)

    guard(body)
