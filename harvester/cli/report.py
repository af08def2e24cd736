"""``harvester report`` (the shipped queries/*.sql) and ``harvester sql`` (ad-hoc, read-only)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from harvester import reports
from harvester.cli.app import app, guard, open_store, output_format, write
from harvester.cli.options import DbOption, OutputFormat
from harvester.config import DEFAULT_DB
from harvester.render import render


@app.command()
def report(
    name: Annotated[str | None, typer.Argument(help="Report to run; none lists them.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (repeatable).")
    ] = None,
    fmt: OutputFormat = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file.")] = None,
    describe: Annotated[
        bool,
        typer.Option("--describe", help="Show what the report answers and its parameters."),
    ] = False,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Run one of the shipped reports (queries/*.sql), or list them."""

    def body() -> None:
        output_format(fmt)
        if name is not None and describe:
            write(reports.describe(reports.find_report(name), fmt), output)
            return
        if name is None:
            rows = [
                (r.name, r.title, ", ".join(f"{p.name}={p.default_text}" for p in r.params) or "-")
                for r in reports.list_reports()
            ]
            write(render(["report", "title", "parameters (defaults)"], rows, fmt), output)
            return
        chosen = reports.find_report(name)
        values = chosen.bind(reports.parse_params(param or []))
        result = open_store(db).query([chosen.sql], values)
        write(render(result.columns, result.rows, fmt), output)

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
        sys.stdout.write(render(result.columns, result.rows, fmt))

    guard(body)
