"""``harvester harvest arxiv-oai``: all of an arXiv set through OAI-PMH, resumable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from harvester.cli import defaults
from harvester.cli.app import command_line, guard, harvest_app, note, open_store
from harvester.cli.follow import FollowOption, check_follow, follow_new
from harvester.cli.options import (
    DAY,
    ContactOption,
    DbOption,
    FromOption,
    GitHubOptions,
    SinceLastOption,
    day,
    github_options,
)
from harvester.config import DEFAULT_DB, api_root


@harvest_app.command("arxiv-oai")
@github_options()
def harvest_arxiv_oai(
    set_: Annotated[
        str | None,
        typer.Option(
            "--set",
            help="arXiv set: cs, math, stat, physics, physics:hep-th, ... Default: all of arXiv.",
            show_default=False,
        ),
    ] = None,
    from_: FromOption = None,
    until: Annotated[
        dt.datetime | None,
        typer.Option(
            "--until",
            formats=DAY,
            help="Last datestamp day, included (UTC, YYYY-MM-DD). Default: up to now.",
            show_default=False,
        ),
    ] = None,
    since_last: SinceLastOption = False,
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url",
            envvar="HARVESTER_ARXIV_OAI_URL",
            help="The OAI-PMH endpoint itself (requests go to exactly this URL).",
        ),
    ] = defaults.OAI_URL,
    contact: ContactOption = None,
    db: DbOption = Path(DEFAULT_DB),
    follow: FollowOption = None,
    *,
    github: GitHubOptions,
) -> None:
    """Harvest every paper of an arXiv set through OAI-PMH (metadataPrefix=arXiv: comments,
    categories, authors, DOI), 3 s between requests, then fetch GitHub stats.

    --from/--until select by datestamp, the day a record's metadata last changed, not its
    submission date (docs/live-sources.md). An interrupted run resumes from its last committed
    page when run again with the same --set, --from and --until (or --since-last)."""

    def body() -> None:
        from harvester import live
        from harvester.cli.progress import RichReporter, finish
        from harvester.sources.live import oai
        from harvester.sources.live.oai import OaiQuery, OaiSource

        channels = check_follow(follow)
        root = api_root(api_url, "--api-url")
        options = github.engine()
        store = open_store(db)
        key = set_ or ""
        what = f"arXiv OAI-PMH set {set_!r}" if set_ else "arXiv OAI-PMH (all sets)"
        first, last = day(from_), day(until)
        start = live.start_day(
            store,
            oai.SOURCE,
            key,
            since_last=since_last,
            first=first,
            last=last,
            what=what,
            note=note,
        )
        query = OaiQuery(set_, start, last)
        saved = live.resume_point(store, query, what=what, note=note)
        reporter = RichReporter()
        with OaiSource(
            query,
            api_url=root,
            resume_from=saved.token if saved is not None else None,
            on_wait=reporter.retry_wait,
            on_page=reporter.source_pages("arXiv OAI"),
            contact=contact,
        ) as source:
            settings = github.settings()
            with reporter.running():
                summary = live.harvest_list(
                    store,
                    source,
                    saved,
                    what=what,
                    args=command_line(),
                    github=settings,
                    options=options,
                    reporter=reporter,
                    note=reporter.note,
                )
        follow_new(store, summary.run_id, channels)
        finish(summary)

    guard(body)
