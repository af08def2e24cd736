"""``harvester harvest``: paper files (``harvest PATH...``), the arXiv API, the Hugging Face API;
arXiv OAI-PMH (``harvest arxiv-oai``) is in ``harvest_oai``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    SourcesArgument,
    ToOption,
    day,
    github_options,
)
from harvester.config import DEFAULT_DB, api_root

if TYPE_CHECKING:  # the library is imported in the command bodies, when they run
    from harvester.cli.progress import RichReporter
    from harvester.github.engine import EngineOptions
    from harvester.sources.live.arxiv_api import ArxivSource
    from harvester.sources.live.hf_api import HfSource
    from harvester.store import Store


@harvest_app.command("files", hidden=True)
@github_options(dry_run=True)
def harvest_files(
    sources: SourcesArgument,
    db: DbOption = Path(DEFAULT_DB),
    input_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "--input-format",
            help=f"Force the input format: {', '.join(defaults.INPUT_FORMATS)}.",
        ),
    ] = None,
    follow: FollowOption = None,
    *,
    github: GitHubOptions,
) -> None:
    """Harvest paper files (HF daily_papers JSON, JSON/JSONL/CSV records, arXiv Atom, listing
    text, plain text; .gz too) into the database, then fetch GitHub stats for their repos."""

    def body() -> None:
        from harvester import dry_run, harvest, worker
        from harvester.cli.progress import RichReporter, finish
        from harvester.sources.files import read_inputs

        channels = check_follow(follow)
        settings = github.settings()
        options = github.engine()
        store = open_store(db)
        papers = read_inputs(sources, input_format)
        if github.dry_run:
            typer.echo(f"dry run: {dry_run.harvest(store, papers, settings, options).describe()}")
            return
        # Large files are read in a worker process, beside the writes (harvester/worker.py).
        inputs = worker.ReaderProcess(sources, input_format) if worker.wanted(sources) else papers
        reporter = RichReporter()
        with reporter.running():
            summary = harvest.harvest(
                store,
                inputs,
                args=command_line(),
                github=settings,
                options=options,
                reporter=reporter,
            )
        follow_new(store, summary.run_id, channels)
        finish(summary)

    guard(body)


def _harvest_live(
    make_source: Callable[[RichReporter], ArxivSource | HfSource],
    store: Store,
    *,
    what: str,
    github: GitHubOptions,
    options: EngineOptions,
    follow: tuple[str, ...] | None = None,
    hf_url: str | None = None,
) -> None:
    """Run the source ``make_source`` builds (given the reporter for its waits and pages)
    through ``live.harvest_source``, which moves its ``--since-last`` cursor; then ``--follow``
    (through ``hf_url``, when the source is HF's)."""
    from harvester import live
    from harvester.cli.progress import RichReporter, finish

    reporter = RichReporter()
    with make_source(reporter) as source:
        settings = github.settings()
        with reporter.running():
            summary = live.harvest_source(
                store,
                source,
                what=what,
                args=command_line(),
                github=settings,
                options=options,
                reporter=reporter,
                note=reporter.note,
            )
    follow_new(store, summary.run_id, follow, hf_url=hf_url)
    finish(summary)


@harvest_app.command("arxiv")
@github_options()
def harvest_arxiv(
    query: Annotated[
        str,
        typer.Option(
            "--query",
            "-q",
            help="arXiv search query, e.g. 'cat:cs.LG AND abs:bottleneck'.",
            show_default=False,
        ),
    ],
    from_: FromOption = None,
    to: ToOption = None,
    since_last: SinceLastOption = False,
    max_results: Annotated[
        int | None,
        typer.Option(
            "--max",
            min=1,
            max=defaults.ARXIV_QUERY_CAP,
            help="Read at most N papers: the oldest N of a range with a start, else the newest N.",
        ),
    ] = None,
    page_size: Annotated[
        int,
        typer.Option(
            "--page-size", min=1, max=defaults.ARXIV_PAGE_MAX, help="Results per request."
        ),
    ] = defaults.ARXIV_PAGE_MAX,
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url",
            envvar="HARVESTER_ARXIV_URL",
            help="arXiv API root; requests go to ROOT/api/query.",
        ),
    ] = defaults.ARXIV_URL,
    contact: ContactOption = None,
    db: DbOption = Path(DEFAULT_DB),
    follow: FollowOption = None,
    *,
    github: GitHubOptions,
) -> None:
    """Harvest papers from the arXiv API (3 s between requests, as arXiv asks), then fetch
    GitHub stats for the repositories they link (abstracts and comments)."""

    def body() -> None:
        from harvester import live
        from harvester.sources.live import arxiv_api
        from harvester.sources.live.arxiv_api import ArxivQuery, ArxivSource

        root = api_root(api_url, "--api-url")
        options = github.engine()
        store = open_store(db)
        key = arxiv_api.normalize_query(query)
        what = f"arXiv query {key!r}"
        start = live.start_day(
            store,
            arxiv_api.SOURCE,
            key,
            since_last=since_last,
            first=day(from_),
            last=day(to),
            what=what,
            note=note,
        )
        wanted = ArxivQuery(query, start, day(to), limit=max_results, page_size=page_size)
        _harvest_live(
            lambda reporter: ArxivSource(
                wanted,
                api_url=root,
                on_wait=reporter.retry_wait,
                on_page=reporter.source_pages("arXiv"),
                contact=contact,
            ),
            store,
            what=what,
            github=github,
            options=options,
            follow=check_follow(follow),
        )

    guard(body)


@harvest_app.command("hf")
@github_options()
def harvest_hf(
    date: Annotated[
        dt.datetime | None,
        typer.Option(
            "--date", formats=DAY, help="One day's listing (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    from_: FromOption = None,
    to: ToOption = None,
    week: Annotated[
        str | None, typer.Option("--week", help="An ISO week's listings, e.g. 2025-W48.")
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="A month's listings, e.g. 2025-11.")
    ] = None,
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", help="Search papers by text instead of listings."),
    ] = None,
    since_last: SinceLastOption = False,
    page_size: Annotated[
        int, typer.Option("--page-size", min=1, max=defaults.HF_PAGE_MAX, help="Items per request.")
    ] = defaults.HF_PAGE_MAX,
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url",
            envvar="HARVESTER_HF_URL",
            help="Hugging Face root; requests go to ROOT/api/daily_papers, ROOT/api/papers/search.",
        ),
    ] = defaults.HF_URL,
    contact: ContactOption = None,
    db: DbOption = Path(DEFAULT_DB),
    follow: FollowOption = None,
    *,
    github: GitHubOptions,
) -> None:
    """Harvest Hugging Face Daily Papers (a day, a range of days, a week, a month) or a paper
    search, with the githubRepo its authors gave, then fetch GitHub stats."""

    def body() -> None:
        from harvester import live
        from harvester.sources.live import hf_api
        from harvester.sources.live.hf_api import HfQuery, HfSource

        first, last = day(from_), day(to)
        HfQuery.check_options(
            date=day(date),
            first=first,
            last=last,
            week=week,
            month=month,
            search=query,
            since_last=since_last,
        )
        root = api_root(api_url, "--api-url")
        options = github.engine()
        store = open_store(db)
        what = "Hugging Face daily listings"
        days = live.listing_days(
            store,
            hf_api.SOURCE,
            hf_api.LISTINGS,
            date=day(date),
            since_last=since_last,
            first=first,
            last=last,
            what=what,
            note=note,
        )
        wanted = HfQuery(days=days, week=week, month=month, search=query, page_size=page_size)
        _harvest_live(
            lambda reporter: HfSource(
                wanted,
                api_url=root,
                on_wait=reporter.retry_wait,
                on_page=reporter.source_pages("Hugging Face"),
                contact=contact,
            ),
            store,
            what=what,
            github=github,
            options=options,
            follow=check_follow(follow),
            hf_url=root,
        )

    guard(body)


# `harvest arxiv-oai` lives in its own module (this one would pass ~300 lines); importing it
# registers the command after these.
from harvester.cli import harvest_oai  # noqa: E402, F401
