"""``harvester refresh``: fetch names still to settle and re-fetch stale repositories."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harvester import errors
from harvester.cli.app import app, command_line, guard, open_store
from harvester.cli.options import DbOption, GitHubOptions, github_options
from harvester.config import DEFAULT_DB


@app.command()
@github_options(no_stats=False, dry_run=True)
def refresh(
    db: DbOption = Path(DEFAULT_DB),
    stale_after: Annotated[
        str, typer.Option("--stale-after", help="Re-fetch repositories older than this.")
    ] = "7d",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N names.")] = None,
    only_status: Annotated[
        list[str] | None,
        typer.Option(
            "--only-status",
            help="Only names in this status (repeatable): pending, "
            "error, not_found, blocked. Stale repositories are skipped when given.",
        ),
    ] = None,
    *,
    github: GitHubOptions,
) -> None:
    """Fetch names still pending (or in error) and re-fetch stale repositories."""

    def body() -> None:
        from harvester import dry_run, harvest
        from harvester.cli.progress import RichReporter, finish

        statuses, stale = harvest.refresh_scope(stale_after, only_status)
        settings = github.settings()
        assert settings is not None  # refresh has no --no-stats
        store = open_store(db)
        if not store.path.exists():
            raise errors.StoreError(f"no database at {store.path}; run `harvester harvest` first")
        options = github.engine()
        if github.dry_run:
            estimate = dry_run.refresh(
                store, settings, options, stale_after=stale, statuses=statuses, limit=limit
            )
            typer.echo(f"dry run: {estimate.describe()}")
            return
        reporter = RichReporter()
        with reporter.running():
            summary = harvest.refresh(
                store,
                args=command_line(),
                github=settings,
                stale_after=stale,
                statuses=statuses,
                limit=limit,
                options=options,
                reporter=reporter,
            )
        finish(summary)

    guard(body)
