"""The command line: the only module that imports typer and rich.

Every command runs inside ``_guard``: a ``HarvesterError`` becomes one line on stderr and its
exit code (see ``errors``); anything else is an internal error, still one line, with the
traceback only when ``HARVESTER_DEBUG=1``. The token is redacted from every message.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import signal
import sys
import textwrap
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from typer.core import TyperGroup

from harvester import __version__, dashboard, errors, harvest, links, reports
from harvester.config import (
    DEFAULT_DB,
    DEFAULT_GITHUB_URL,
    api_root,
    api_urls,
    parse_duration,
    read_storage_version,
    read_token,
    redact,
    resolve_db_path,
)
from harvester.github.client import GitHubSettings
from harvester.github.engine import EngineOptions
from harvester.models import Status
from harvester.render import FORMATS, render
from harvester.sources.files import FORMATS as INPUT_FORMATS
from harvester.sources.files import read_inputs
from harvester.sources.live import arxiv_api, hf_api
from harvester.sources.live.arxiv_api import ArxivQuery, ArxivSource
from harvester.sources.live.hf_api import HfQuery, HfSource
from harvester.status import github_budget
from harvester.store import Store, export

T = TypeVar("T")
STATUS_CELL = 160  # status rows carry whole run summaries: cut them later than report cells
stderr = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line


class _DefaultToFiles(TyperGroup):
    """``harvester harvest PATH...`` runs the hidden ``files`` subcommand; live sources are
    named subcommands (``harvester harvest arxiv ...``). ``harvester harvest --help`` is the
    group's own help, so the live sources can be discovered."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args[:1] in (["--help"], ["-h"]):
            return super().parse_args(ctx, args)
        if not args or args[0] not in self.commands:
            args = ["files", *args]
        return super().parse_args(ctx, args)


class _OneLineErrors(TyperGroup):
    """Usage errors (bad option values, unknown commands) as one line on stderr, exit 2,
    like every other error, instead of typer's multi-line panel."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except typer.Abort:
            stderr.print("harvester: interrupted", markup=False)
            sys.exit(errors.EXIT_INTERRUPTED)
        except typer.TyperException as exc:
            format_message = getattr(exc, "format_message", None)
            message = format_message() if callable(format_message) else str(exc)
            if message:  # (empty after a help page shown for missing arguments)
                ctx = getattr(exc, "ctx", None)
                where = getattr(ctx, "command_path", None) or "harvester"
                stderr.print(f"harvester: error: {message} (see `{where} --help`)", markup=False)
            sys.exit(int(getattr(exc, "exit_code", errors.EXIT_USAGE)))
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="harvester",
    help="Turn research papers into a queryable map of their code, in one DuckDB file.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
harvest_app = typer.Typer(
    cls=_DefaultToFiles,
    help="Read papers into the database and fetch repository stats. `harvester harvest PATH...` "
    "reads files, directories, globs or - (its options: `harvester harvest files --help`); the "
    "commands below read live sources.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(harvest_app, name="harvest")

# -- shared options ----------------------------------------------------------------------------

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="HARVESTER_DB", help="Database file.", show_default=True),
]
GitHubUrlOption = Annotated[
    str,
    typer.Option(
        "--github-url",
        envvar="HARVESTER_GITHUB_URL",
        help="GitHub API root; GitHub Enterprise: https://HOST/api/v3.",
    ),
]
OutputFormat = Annotated[
    str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")
]
BatchOption = Annotated[
    int, typer.Option("--batch-size", min=1, max=100, help="Repositories per GraphQL request.")
]
ConcurrencyOption = Annotated[
    int,
    typer.Option(
        "--concurrency",
        min=1,
        max=16,
        help="Requests in flight at once. 1 (serial) is what GitHub asks of clients; more is "
        "faster but risks secondary rate limits.",
    ),
]
MaxWaitOption = Annotated[
    str,
    typer.Option("--max-wait", help="Longest wait for a rate-limit reset before stopping."),
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=1, help="Seconds per GitHub request.")
]
NoStatsOption = Annotated[bool, typer.Option("--no-stats", help="Skip GitHub; names stay pending.")]
DAY = ["%Y-%m-%d"]
FromOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--from",
        formats=DAY,
        help="First day to read (UTC, YYYY-MM-DD). With --since-last: where the first run starts.",
        show_default=False,
    ),
]
ToOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--to",
        formats=DAY,
        help="Last day to read, included (UTC, YYYY-MM-DD). Default: today.",
        show_default=False,
    ),
]
SinceLastOption = Annotated[
    bool,
    typer.Option(
        "--since-last",
        help="Continue from the newest date already harvested for this source and query "
        "(that day is read again; nothing is stored twice). For a daily cron job.",
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Print the names to fetch, the requests and rate-limit points they cost and the "
        "expected time at the current budget; write nothing, fetch no repository data.",
    ),
]


# -- error handling and progress ---------------------------------------------------------------


def _fail(message: str, code: int) -> typer.Exit:
    stderr.print(f"harvester: {redact(message, read_token())}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def _guard(body: Callable[[], T]) -> T:
    try:
        return body()
    except errors.HarvesterError as exc:
        raise _fail(f"error: {exc}", exc.exit_code) from None
    except KeyboardInterrupt:
        raise _fail("interrupted", errors.EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # an unexpected failure is a bug: still one line, no traceback
        if os.environ.get("HARVESTER_DEBUG"):
            traceback.print_exc()
        raise _fail(
            f"internal error: {type(exc).__name__}: {exc} "
            "(a bug; set HARVESTER_DEBUG=1 for the traceback and please report it)",
            errors.EXIT_INTERNAL,
        ) from None


class RichReporter:
    """Progress bars on a terminal; plain log lines (waits, notes) otherwise."""

    def __init__(self, console: Console = stderr) -> None:
        self.console = console
        self.live = console.is_terminal
        self._progress: Progress | None = None
        self._papers: TaskID | None = None
        self._names: TaskID | None = None

    @contextmanager
    def running(self) -> Iterator[RichReporter]:
        if not self.live:
            yield self
            return
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        with self._progress:
            yield self
        self._progress = None

    def papers(self, read: int) -> None:
        if self._progress is None:
            return
        if self._papers is None:
            self._papers = self._progress.add_task("papers", total=None)
        self._progress.update(self._papers, completed=read)

    def progress(self, done: int, total: int) -> None:
        if self._progress is None:
            return
        if self._names is None:
            self._names = self._progress.add_task("repositories", total=total)
        self._progress.update(self._names, completed=done, total=total)

    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None:
        self.console.print(
            f"harvester: {reason}: waiting {seconds:.0f}s, until {until:%H:%M:%S} UTC",
            markup=False,
        )

    def note(self, message: str) -> None:
        self.console.print(f"harvester: {message}", markup=False)

    def sleep(self, seconds: float) -> None:
        """The engine's waits: a countdown bar on a terminal for anything noticeable."""
        if self._progress is None or seconds < 3:
            time.sleep(seconds)
            return
        task = self._progress.add_task("waiting for GitHub", total=seconds)
        end = time.monotonic() + seconds
        try:
            while (left := end - time.monotonic()) > 0:
                time.sleep(min(0.5, left))
                self._progress.update(task, completed=seconds - max(0.0, end - time.monotonic()))
        finally:
            self._progress.remove_task(task)

    def retry_wait(self, seconds: float, why: str) -> None:
        """A live source waits before retrying: say why and until when."""
        self.waiting(seconds, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds), why)

    def source_pages(self, label: str) -> Callable[[int, int | None], None]:
        """A progress hook for a live source: papers received so far, of ``total`` if known."""
        task: list[TaskID] = []

        def update(read: int, total: int | None) -> None:
            if self._progress is None:
                return
            if not task:
                task.append(self._progress.add_task(label, total=total))
            self._progress.update(task[0], completed=read, total=total)

        return update


def _store(db: Path) -> Store:
    return Store(resolve_db_path(db), storage_version=read_storage_version())


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _args() -> str:
    return shlex.join(["harvester", *sys.argv[1:]])


def _engine_options(batch_size: int, concurrency: int, max_wait: str) -> EngineOptions:
    return EngineOptions(
        batch_size=batch_size,
        concurrency=concurrency,
        max_wait=parse_duration(max_wait, "--max-wait"),
    )


def _finish(summary: harvest.Summary) -> None:
    for run_id in summary.recovered_runs:
        stderr.print(
            f"harvester: run {run_id} had been left 'running' by a process that died; "
            "marked interrupted (its work up to then is kept)",
            markup=False,
        )
    typer.echo(harvest.describe(summary))
    if summary.status != "ok":
        raise typer.Exit(errors.EXIT_RESUMABLE)


# -- commands ----------------------------------------------------------------------------------


@harvest_app.command("files", hidden=True)
def harvest_files(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, directories, globs, or - (stdin).", show_default=False),
    ],
    db: DbOption = Path(DEFAULT_DB),
    input_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "--input-format",
            help=f"Force the input format: {', '.join(INPUT_FORMATS)}.",
        ),
    ] = None,
    no_stats: NoStatsOption = False,
    github_url: GitHubUrlOption = DEFAULT_GITHUB_URL,
    batch_size: BatchOption = 100,
    concurrency: ConcurrencyOption = 1,
    max_wait: MaxWaitOption = "15m",
    timeout: TimeoutOption = 30.0,
    dry_run: DryRunOption = False,
) -> None:
    """Harvest paper files (HF daily_papers JSON, JSON/JSONL/CSV records, arXiv Atom, listing
    text, plain text; .gz too) into the database, then fetch GitHub stats for their repos."""

    def body() -> None:
        settings = None
        if not no_stats:
            settings = GitHubSettings(api_urls(github_url), read_token(), timeout)
        options = _engine_options(batch_size, concurrency, max_wait)
        store = _store(db)
        papers = read_inputs(sources, input_format)
        if dry_run:
            github = GitHubSettings(api_urls(github_url), read_token(), timeout)
            count, estimate = harvest.dry_run_harvest(store, papers, github, options)
            typer.echo(f"dry run: {count} papers read; {estimate.describe()}")
            return
        reporter = RichReporter()
        with reporter.running():
            summary = harvest.harvest(
                store,
                papers,
                args=_args(),
                github=settings,
                options=options,
                reporter=reporter,
            )
        _finish(summary)

    _guard(body)


def _start_day(
    store: Store,
    source: str,
    key: str,
    since_last: bool,
    first: dt.datetime | None,
    last: dt.datetime | None,
    what: str,
) -> dt.date | None:
    """The first day to read: ``--from``; with ``--since-last`` the stored cursor, or ``--from``
    for the first run of this source and query."""
    start = first.date() if first is not None else None
    if not since_last:
        return start
    cursor = store.cursor(source, key)
    if cursor is not None:
        if last is not None and cursor > last.date():
            raise errors.UsageError(
                f"--since-last: {what} continues from {cursor}, after --to {last.date()}"
            )
        stderr.print(f"harvester: --since-last: {what} continues from {cursor}", markup=False)
        return cursor
    if start is None:
        raise errors.UsageError(
            f"--since-last: nothing harvested yet for {what} in {store.path}; "
            "give --from DATE for the first run"
        )
    return start


def _harvest_live(
    make_source: Callable[[RichReporter], ArxivSource | HfSource],
    store: Store,
    *,
    what: str,
    no_stats: bool,
    github_url: str,
    timeout: float,
    options: EngineOptions,
) -> None:
    """Run the source ``make_source`` builds (given the reporter for its waits and pages)
    through ``harvest.harvest``; once its papers are committed, move its ``--since-last``
    cursor to the newest date read. Closes the source's connection."""
    reporter = RichReporter()
    source = make_source(reporter)

    def committed(run_id: int) -> None:
        source.close()  # every page is read: no need to hold the connection during GitHub work
        key, newest, first = source.cursor_key, source.cursor_date(), source.first_day
        if key is None or newest is None:
            return
        stored = store.advance_cursor(source.source, key, newest, run_id, read_from=first)
        if stored < newest:
            reporter.note(
                f"{what}: this run began on {first}, after the newest date harvested before "
                f"({stored}); --since-last still continues from {stored}, to fill the gap"
            )
        else:
            reporter.note(f"{what}: harvested up to {stored}; --since-last continues from there")

    with source:
        settings = None
        if not no_stats:
            settings = GitHubSettings(api_urls(github_url), read_token(), timeout)
        with reporter.running():
            summary = harvest.harvest(
                store,
                source.papers(),
                args=_args(),
                github=settings,
                options=options,
                reporter=reporter,
                papers_committed=committed,
            )
    _finish(summary)


@harvest_app.command("arxiv")
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
            max=arxiv_api.QUERY_CAP,
            help="Read at most N papers: the oldest N of a range with a start, else the newest N.",
        ),
    ] = None,
    page_size: Annotated[
        int,
        typer.Option("--page-size", min=1, max=arxiv_api.PAGE_MAX, help="Results per request."),
    ] = arxiv_api.PAGE_MAX,
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url",
            envvar="HARVESTER_ARXIV_URL",
            help="arXiv API root; requests go to ROOT/api/query.",
        ),
    ] = arxiv_api.DEFAULT_URL,
    db: DbOption = Path(DEFAULT_DB),
    no_stats: NoStatsOption = False,
    github_url: GitHubUrlOption = DEFAULT_GITHUB_URL,
    batch_size: BatchOption = 100,
    concurrency: ConcurrencyOption = 1,
    max_wait: MaxWaitOption = "15m",
    timeout: TimeoutOption = 30.0,
) -> None:
    """Harvest papers from the arXiv API (3 s between requests, as arXiv asks), then fetch
    GitHub stats for the repositories they link (abstracts and comments)."""

    def body() -> None:
        root = api_root(api_url, "--api-url")
        options = _engine_options(batch_size, concurrency, max_wait)
        store = _store(db)
        key = arxiv_api.normalize_query(query)
        what = f"arXiv query {key!r}"
        start = _start_day(store, arxiv_api.SOURCE, key, since_last, from_, to, what)
        end = to.date() if to is not None else None
        wanted = ArxivQuery(query, start, end, limit=max_results, page_size=page_size)
        _harvest_live(
            lambda reporter: ArxivSource(
                wanted,
                api_url=root,
                on_wait=reporter.retry_wait,
                on_page=reporter.source_pages("arXiv"),
            ),
            store,
            what=what,
            no_stats=no_stats,
            github_url=github_url,
            timeout=timeout,
            options=options,
        )

    _guard(body)


@harvest_app.command("hf")
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
        int, typer.Option("--page-size", min=1, max=hf_api.PAGE_MAX, help="Items per request.")
    ] = hf_api.PAGE_MAX,
    api_url: Annotated[
        str,
        typer.Option(
            "--api-url",
            envvar="HARVESTER_HF_URL",
            help="Hugging Face root; requests go to ROOT/api/daily_papers, ROOT/api/papers/search.",
        ),
    ] = hf_api.DEFAULT_URL,
    db: DbOption = Path(DEFAULT_DB),
    no_stats: NoStatsOption = False,
    github_url: GitHubUrlOption = DEFAULT_GITHUB_URL,
    batch_size: BatchOption = 100,
    concurrency: ConcurrencyOption = 1,
    max_wait: MaxWaitOption = "15m",
    timeout: TimeoutOption = 30.0,
) -> None:
    """Harvest Hugging Face Daily Papers (a day, a range of days, a week, a month) or a paper
    search, with the githubRepo its authors gave, then fetch GitHub stats."""

    def body() -> None:
        given = {
            "--date": date,
            "--week": week,
            "--month": month,
            "--query": query,
            "--since-last": since_last,
        }
        modes = [flag for flag, value in given.items() if value]
        if from_ is not None or to is not None:
            modes.append("--from/--to")
        if len(modes) > 1 and set(modes) != {"--since-last", "--from/--to"}:
            raise errors.UsageError(
                f"{' and '.join(modes)} cannot be combined: give one of --date, --from/--to, "
                "--week, --month, --query (--since-last takes --from/--to)"
            )
        if not modes:
            raise errors.UsageError(
                "say what to read: --date, --from/--to, --week, --month, --query or --since-last"
            )
        if to is not None and from_ is None and not since_last:
            raise errors.UsageError("--to needs --from (or --since-last)")
        root = api_root(api_url, "--api-url")
        options = _engine_options(batch_size, concurrency, max_wait)
        store = _store(db)
        what = "Hugging Face daily listings"
        days: tuple[dt.date, dt.date | None] | None = None
        if date is not None:
            days = (date.date(), date.date())
        elif since_last or from_ is not None:
            start = _start_day(store, hf_api.SOURCE, hf_api.LISTINGS, since_last, from_, to, what)
            assert start is not None  # --from given, or --since-last found a cursor or refused
            days = (start, to.date() if to is not None else None)
        wanted = HfQuery(days=days, week=week, month=month, search=query, page_size=page_size)
        _harvest_live(
            lambda reporter: HfSource(
                wanted,
                api_url=root,
                on_wait=reporter.retry_wait,
                on_page=reporter.source_pages("Hugging Face"),
            ),
            store,
            what=what,
            no_stats=no_stats,
            github_url=github_url,
            timeout=timeout,
            options=options,
        )

    _guard(body)


@app.command()
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
    github_url: GitHubUrlOption = DEFAULT_GITHUB_URL,
    batch_size: BatchOption = 100,
    concurrency: ConcurrencyOption = 1,
    max_wait: MaxWaitOption = "15m",
    timeout: TimeoutOption = 30.0,
    dry_run: DryRunOption = False,
) -> None:
    """Fetch names still pending (or in error) and re-fetch stale repositories."""

    def body() -> None:
        valid = {s.value for s in Status}
        statuses: list[str] = [Status.PENDING, Status.ERROR]
        stale: dt.timedelta | None = dt.timedelta(
            seconds=parse_duration(stale_after, "--stale-after")
        )
        if only_status:
            bad = [s for s in only_status if s not in valid]
            if bad:
                raise errors.UsageError(
                    f"--only-status {bad[0]!r} is not a status ({', '.join(sorted(valid))})"
                )
            statuses, stale = list(only_status), None
        settings = GitHubSettings(api_urls(github_url), read_token(), timeout)
        store = _store(db)
        if not store.path.exists():
            raise errors.StoreError(f"no database at {store.path}; run `harvester harvest` first")
        options = _engine_options(batch_size, concurrency, max_wait)
        if dry_run:
            estimate = harvest.dry_run_refresh(
                store, settings, options, stale_after=stale, statuses=statuses, limit=limit
            )
            typer.echo(f"dry run: {estimate.describe()}")
            return
        reporter = RichReporter()
        with reporter.running():
            summary = harvest.refresh(
                store,
                args=_args(),
                github=settings,
                stale_after=stale,
                statuses=statuses,
                limit=limit,
                options=options,
                reporter=reporter,
            )
        _finish(summary)

    _guard(body)


@app.command()
def extract(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, directories, globs, or - (stdin).", show_default=False),
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or table.")] = "jsonl",
    input_format: Annotated[
        str | None,
        typer.Option("--input-format", help=f"Force: {', '.join(INPUT_FORMATS)}."),
    ] = None,
) -> None:
    """Print the GitHub links found in papers, one JSON object per mention. No database, no
    network."""

    def body() -> None:
        if fmt not in ("jsonl", "table", "json", "csv", "md"):
            raise errors.UsageError(f"extract --format takes jsonl or table, got {fmt!r}")
        columns = ["paper_id", "repo", "source_field", "url", "kind"]
        rows: list[tuple[Any, ...]] = []
        out = sys.stdout
        for paper in read_inputs(sources, input_format):
            found = [
                (m.paper_id, m.repo, m.source_field, m.url, m.kind)
                for m in links.mentions_for(paper)
            ]
            if fmt == "jsonl":
                out.write(render(columns, found, "jsonl"))
            else:
                rows.extend(found)
        if fmt != "jsonl":
            out.write(render(columns, rows, fmt))
        out.flush()

    _guard(body)


def _write(output: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(output)
        return
    try:
        path.write_text(output, "utf-8")
    except OSError as exc:
        raise errors.UsageError(f"cannot write {path}: {exc.strerror}") from None
    stderr.print(f"harvester: wrote {path}", markup=False)


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
        if fmt not in FORMATS:
            raise errors.UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if name is not None and describe:
            _write(_describe(reports.find_report(name), fmt), output)
            return
        if name is None:
            rows = [
                (r.name, r.title, ", ".join(f"{p.name}={p.default_text}" for p in r.params) or "-")
                for r in reports.list_reports()
            ]
            _write(render(["report", "title", "parameters (defaults)"], rows, fmt), output)
            return
        chosen = reports.find_report(name)
        values = chosen.bind(reports.parse_params(param or []))
        result = _store(db).query([chosen.sql], values)
        _write(render(result.columns, result.rows, fmt), output)

    _guard(body)


def _describe(report: reports.Report, fmt: str) -> str:
    columns = ["parameter", "type", "default", "help"]
    rows = [(p.name, p.type_name, p.default_text, p.help) for p in report.params]
    table = render(columns, rows, fmt, cell_width=STATUS_CELL)
    if fmt != "table":
        return table
    text = textwrap.fill(report.description, width=100)
    usage = " ".join(f"--param {p.name}={p.default_text}" for p in report.params)
    return (
        f"{report.title} ({report.name})\n\n{text}\n\n"
        f"harvester report {report.name} {usage}".rstrip()
        + "\n\n"
        + (table if rows else "no parameters\n")
    )


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run (read-only).", show_default=False)],
    fmt: OutputFormat = "table",
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Run ad-hoc SQL against the database, read-only."""

    def body() -> None:
        if fmt not in FORMATS:
            raise errors.UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        result = _store(db).query([query])
        sys.stdout.write(render(result.columns, result.rows, fmt))

    _guard(body)


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
    """Counts, names by status, pending work, the last runs and the token's GitHub budget
    (GET /rate_limit, which costs nothing; skipped without a token or with --offline)."""

    def body() -> None:
        if fmt not in FORMATS:
            raise errors.UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        urls = api_urls(github_url)
        info = _store(db).summary()
        names = {str(s): 0 for s in Status} | info["names"]
        first, last = info["snapshot_span"]
        rows: list[tuple[str, Any]] = [
            ("database", info["database"]),
            ("schema version", info["schema_version"]),
            ("papers", info["papers"]),
            ("papers with a repository", info["papers_with_repo"]),
            ("mentions", info["mentions"]),
            ("repositories", info["repos"]),
            *[(f"names {s}", n) for s, n in names.items()],
            ("snapshots", info["snapshots"]),
            ("first snapshot", first),
            ("last snapshot", last),
        ]
        if first is not None and last is not None:
            rows.append(("snapshot span", f"{(last - first).total_seconds() / 86400:.1f} days"))
        for source, query, newest in info["cursors"]:
            rows.append(
                (f"--since-last {source} {query!r}" if query else f"--since-last {source}", newest)
            )
        for run in info["runs"]:
            run_id, command, state, started, finished, *_counts, message = run
            took = f" in {_took(finished - started)}" if finished is not None else ""
            when = f"{started:%Y-%m-%d %H:%M}"
            rows.append((f"run {run_id}", f"{command} {state}, {when}{took}: {message or '-'}"))
        pending = names.get(Status.PENDING, 0) + names.get(Status.ERROR, 0)
        if pending:
            rows.append(("to do", f"{pending} names to fetch: run `harvester refresh`"))
        if offline:
            rows.append(("GitHub budget", "not checked (--offline)"))
        else:
            rows += github_budget(urls, read_token(), timeout=timeout)
        sys.stdout.write(render(["item", "value"], rows, fmt, cell_width=STATUS_CELL))

    _guard(body)


def _took(delta: dt.timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


@app.command()
def chart(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="HTML file to write (replaced if present).")
    ] = Path("harvest-report.html"),
    grain: Annotated[
        str,
        typer.Option("--grain", help="Period of the availability chart: day, week, month, year."),
    ] = "month",
    top: Annotated[int, typer.Option("--top", min=1, help="Repositories in the top chart.")] = 15,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only papers published on or after this date (YYYY-MM-DD)."),
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Write one self-contained HTML page of charts (code availability over time, star
    distribution, link health, top repositories, languages). Opens offline: inline SVG, no
    scripts."""

    def body() -> None:
        store = _store(db)
        html = dashboard.build(
            store, grain=grain, top=top, since=since, now=dt.datetime.now(dt.UTC)
        )
        _write(html, output)

    _guard(body)


@app.command("export")
def export_command(
    directory: Annotated[
        Path, typer.Argument(help="Directory to write into (created if missing).")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet or csv.")] = "parquet",
    with_reports: Annotated[
        bool,
        typer.Option("--reports", help="Also write every report (defaults) to DIR/reports/."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files a previous export left there.")
    ] = False,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Write every table (and with --reports every report) as Parquet or CSV files, one per
    table, for pandas, polars, Spark and other engines. Existing files are never overwritten
    without --force."""

    def body() -> None:
        if fmt not in export.FORMATS:
            raise errors.UsageError(
                f"export --format takes {' or '.join(export.FORMATS)}, got {fmt!r}"
            )
        queries = (
            [export.ReportQuery(r.name, r.sql) for r in reports.list_reports()]
            if with_reports
            else []
        )
        store = _store(db)
        written = export.export(store, directory, fmt, reports=queries, force=force)
        rows = [(str(w.path.relative_to(directory)), w.rows) for w in written]
        sys.stdout.write(render(["file", "rows"], rows, "table"))
        stderr.print(f"harvester: wrote {len(written)} files to {directory}", markup=False)

    _guard(body)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"harvester {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """harvester: papers -> GitHub repositories -> stats, in one DuckDB file you query with SQL.

    The GitHub token is read from GITHUB_TOKEN or GH_TOKEN (never from the command line).
    """


def main() -> None:
    signal.signal(signal.SIGTERM, _on_sigterm)
    app()
