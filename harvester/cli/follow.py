"""``harvester follow``: fetch the documents where papers name their code (HF record, full text,
project page); and ``harvest ... --follow CHANNELS``, which follows the papers a harvest stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from harvester.cli import defaults
from harvester.cli.app import app, command_line, guard, note
from harvester.cli.app import open_store as _open_store
from harvester.cli.options import DAY, DbOption, GitHubOptions, day, github_options
from harvester.config import DEFAULT_DB, api_root, parse_duration
from harvester.errors import StoreError

if TYPE_CHECKING:  # the library is imported in the function bodies, when they run
    from harvester.follow import FollowOptions
    from harvester.store import Store

FULLTEXT_URL = defaults.FULLTEXT_URL
HF_URL = defaults.HF_URL

FollowOption = Annotated[
    str | None,
    typer.Option(
        "--follow",
        help="After the harvest, follow the new papers through these channels "
        "(hf,fulltext,pages; see `harvester follow`).",
        show_default=False,
    ),
]


def run(store: Store, options: FollowOptions, dry_run: bool = False) -> None:
    from harvester import follow as following
    from harvester import readmes
    from harvester.cli.progress import FollowProgress
    from harvester.follow import github_channels

    if dry_run:
        typer.echo(f"dry run: {following.plan(store, options).describe()}")
        if options.github is not None and github_channels.wanted(options):
            for line in readmes.plan_text(
                store, options.github, search="search" in options.channels, limit=options.limit
            ):
                typer.echo(f"dry run: {line}")
        return
    reporter = FollowProgress()
    with reporter.running():
        summary = following.follow(
            store,
            options,
            args=command_line(),
            reporter=reporter,
            github_reporter=reporter,
            sleep=reporter.sleep,
        )
    for run_id in summary.job.recovered_runs:
        note(f"run {run_id} had been left 'running' by a process that died; marked interrupted")
    typer.echo(summary.describe())
    if summary.job.pending:
        note(f"{summary.job.pending} repository names pending: `harvester refresh` fetches them")


def check_follow(channels: str | None) -> tuple[str, ...] | None:
    """``--follow``'s channels, checked before a harvest starts."""
    from harvester.follow import parse_channels

    return parse_channels(channels) if channels is not None else None


def follow_new(
    store: Store, run_id: int, channels: tuple[str, ...] | None, *, hf_url: str | None = None
) -> None:
    """``harvest --follow``: follow the papers run ``run_id`` stored first, with the default
    options and the roots the environment names (``HARVESTER_HF_URL``, ``_FULLTEXT_URL``), or
    ``hf_url``: the root ``harvest hf --api-url`` just read, so that a run pointed at a mirror
    follows through that mirror too."""
    if channels:
        from harvester.follow import FollowOptions

        hf_root = hf_url or api_root(
            os.environ.get("HARVESTER_HF_URL") or HF_URL, "HARVESTER_HF_URL"
        )
        fulltext_url = os.environ.get("HARVESTER_FULLTEXT_URL") or FULLTEXT_URL
        options = FollowOptions(
            channels=channels,
            run_id=run_id,
            hf_url=hf_root,
            fulltext_url=api_root(fulltext_url, "HARVESTER_FULLTEXT_URL"),
        )
        run(store, options)


@app.command("follow")
@github_options(no_stats=False, dry_run=False)
def follow_command(
    db: DbOption = Path(DEFAULT_DB),
    channel: Annotated[
        str,
        typer.Option(
            "--channel",
            help="Channels, comma-separated: hf, fulltext, pages (the default); readme (the "
            "README back-links of resolved repositories) and search (GitHub repository search "
            "for papers still without official code) ask GitHub.",
        ),
    ] = ",".join(defaults.FOLLOW_CHANNELS),
    everything: Annotated[
        bool,
        typer.Option(
            "--all", help="Every paper, not only those without an author-declared repository."
        ),
    ] = False,
    since: Annotated[
        dt.datetime | None,
        typer.Option("--since", formats=DAY, help="Papers published on or after this day."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N papers.")] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Say what would be fetched, per host, and how long."),
    ] = False,
    refetch_after: Annotated[
        str,
        typer.Option("--refetch-after", help="Fetch a document again once it is this old."),
    ] = "30d",
    keep_documents: Annotated[
        Path | None,
        typer.Option("--keep-documents", help="Keep every fetched document under DIR."),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Fetch pages on loopback, private and link-local addresses (refused otherwise).",
        ),
    ] = False,
    fulltext_url: Annotated[
        str,
        typer.Option(
            "--fulltext-url",
            envvar="HARVESTER_FULLTEXT_URL",
            help="Full-text root; requests go to ROOT/html/ID, else ROOT/pdf/ID (3 s apart).",
        ),
    ] = FULLTEXT_URL,
    hf_url: Annotated[
        str,
        typer.Option(
            "--hf-url", envvar="HARVESTER_HF_URL", help="Hugging Face root (ROOT/api/papers/ID)."
        ),
    ] = HF_URL,
    *,
    github: GitHubOptions,
) -> None:
    """Follow stored papers to their HF records, full texts and project pages (and, asked for,
    the READMEs of their repositories and GitHub search); store the links.

    Each link keeps where it sits (locus) and its sentence or anchor text (context); every
    document is recorded in the documents table, so a rerun resumes and skips what it has."""

    def body() -> None:
        from harvester.follow import FollowOptions, github_channels, parse_channels

        options = FollowOptions(
            channels=parse_channels(channel),
            everything=everything,
            since=day(since),
            limit=limit,
            refetch_after=dt.timedelta(seconds=parse_duration(refetch_after, "--refetch-after")),
            keep_documents=keep_documents,
            allow_private=allow_private,
            fulltext_url=api_root(fulltext_url, "--fulltext-url"),
            hf_url=api_root(hf_url, "--hf-url"),
        )
        if github_channels.wanted(options):
            options = dataclasses.replace(options, github=github.settings(), engine=github.engine())
        store = _open_store(db)
        if not store.path.exists():
            raise StoreError(f"no database at {store.path}; run `harvester harvest` first")
        run(store, options, dry_run)

    guard(body)
