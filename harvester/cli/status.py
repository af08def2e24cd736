"""``harvester status``: what the database holds, what is left to do, the GitHub budget."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harvester.cli.app import app, guard, open_store, output_format
from harvester.cli.options import DbOption, GitHubUrlOption, OutputFormat
from harvester.cli.output import emit
from harvester.config import DEFAULT_DB, DEFAULT_GITHUB_URL, api_urls, read_token
from harvester.errors import StoreLockedError
from harvester.render import render


@app.command()
def status(
    db: DbOption = Path(DEFAULT_DB),
    fmt: OutputFormat = "table",
    github_url: GitHubUrlOption = DEFAULT_GITHUB_URL,
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not ask GitHub for the token's budget.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for GitHub.")
    ] = 10.0,
) -> None:
    """Counts, names by status, pending work, the last runs, unfinished OAI-PMH lists, the job
    running now (PID, command) and the token's GitHub budget (GET /rate_limit, which costs
    nothing; skipped without a token or with --offline).

    During a harvest it reads between the job's batches; a database another process holds
    past that wait is reported as locked (by which PID), and status still succeeds."""

    def body() -> None:
        from harvester import status as status_rows  # imported when it runs (cli/app.py)
        from harvester.store.lock import JobLock

        output_format(fmt)
        urls = api_urls(github_url)
        store = open_store(db)
        try:
            rows = status_rows.database_rows(store.summary(), status_rows.process_gone)
            rows += status_rows.resume_rows(store.resume_points(), db=store.path)
        except StoreLockedError as exc:  # held past the wait: say by whom, still report the rest
            rows = [
                ("database", str(store.path)),
                ("database locked", f"{exc}; counts not read: try again"),
            ]
        rows += status_rows.job_rows(JobLock(store.path).holder())
        if offline:
            rows.append(("GitHub budget", "not checked (--offline)"))
        else:
            rows += status_rows.github_budget(urls, read_token(), timeout=timeout)
        emit(render(["item", "value"], rows, fmt, cell_width=status_rows.CELL_WIDTH), fmt)

    guard(body)
