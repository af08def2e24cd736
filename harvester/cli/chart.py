"""``harvester chart`` (one HTML page of charts) and ``harvester export`` (files per table)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from harvester import reports
from harvester.cli.app import app, guard, note, open_store
from harvester.cli.defaults import EXPORT_FORMATS
from harvester.cli.options import DbOption, ForceOption
from harvester.cli.output import refuse_database, write
from harvester.config import DEFAULT_DB
from harvester.render import render


@app.command()
def chart(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="HTML file to write (a page an earlier chart wrote is replaced; any other "
            "existing file only with --force; never the database).",
        ),
    ] = Path("harvest-report.html"),
    grain: Annotated[
        str,
        typer.Option("--grain", help="Period of the availability chart: day, week, month, year."),
    ] = "month",
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=1,
            help="Repositories in the top chart (the star history draws at most 8 of them).",
        ),
    ] = 15,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only papers published on or after this date (YYYY-MM-DD)."),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    force: ForceOption = False,
) -> None:
    """Write one self-contained HTML page of charts (code availability over time, star
    distribution, link health, top repositories, star history from the snapshots, stars 7/30/90
    days after publication, languages). Opens offline: inline SVG, no scripts."""

    def body() -> None:
        from harvester import dashboard  # imported when the command runs (cli/app.py)

        store = open_store(db)
        refuse_database(output, store.path)  # before the page is built, not after
        html = dashboard.build(
            store, grain=grain, top=top, since=since, now=dt.datetime.now(dt.UTC)
        )
        write(html, output, "html", db=store.path, force=force)

    guard(body)


@app.command("export")
def export_command(
    directory: Annotated[
        Path, typer.Argument(help="Directory to write into (created if missing).")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"{' or '.join(EXPORT_FORMATS)}.")
    ] = "parquet",
    with_reports: Annotated[
        bool,
        typer.Option("--reports", help="Also write every report (defaults) to DIR/reports/."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files a previous export left there.")
    ] = False,
    safe_csv: Annotated[
        bool,
        typer.Option(
            "--safe-csv",
            help="CSV for spreadsheets: prefix ' to text cells starting with = + - @ tab or "
            "carriage return, so a title cannot run as a formula (changes those values).",
        ),
    ] = False,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Write every table (and with --reports every report) as Parquet or CSV files, one per
    table, for pandas, polars, Spark and other engines. Existing files are never overwritten
    without --force."""

    def body() -> None:
        from harvester.store import export

        queries = (
            [export.ReportQuery(r.name, r.sql) for r in reports.list_reports()]
            if with_reports
            else []
        )
        written = export.export(
            open_store(db), directory, fmt, reports=queries, force=force, safe_csv=safe_csv
        )
        rows = [(str(w.path.relative_to(directory)), w.rows) for w in written]
        sys.stdout.write(render(["file", "rows"], rows, "table"))
        note(f"wrote {len(written)} files to {directory}")

    guard(body)
