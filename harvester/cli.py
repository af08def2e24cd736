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

from harvester import __version__, errors, harvest, links, reports
from harvester.config import (
    DEFAULT_DB,
    DEFAULT_GITHUB_URL,
    api_urls,
    parse_duration,
    read_token,
    redact,
    resolve_db_path,
)
from harvester.github.engine import EngineOptions
from harvester.models import Status
from harvester.render import FORMATS, render
from harvester.sources import FORMATS as INPUT_FORMATS
from harvester.sources import read_inputs
from harvester.store import Store

T = TypeVar("T")
stderr = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line


class _DefaultToFiles(TyperGroup):
    """``harvester harvest PATH...`` runs the hidden ``files`` subcommand; live sources are
    named subcommands (``harvester harvest arxiv ...``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["files", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    name="harvester",
    help="Turn research papers into a queryable map of their code, in one DuckDB file.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
harvest_app = typer.Typer(
    cls=_DefaultToFiles,
    help="Read papers (files, or live sources) into the database and fetch repository stats.",
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
TimeoutOption = Annotated[float, typer.Option("--timeout", min=1, help="Seconds per request.")]
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
    no_stats: Annotated[
        bool, typer.Option("--no-stats", help="Skip GitHub; names stay pending.")
    ] = False,
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
            settings = harvest.GitHubSettings(api_urls(github_url), read_token(), timeout)
        options = _engine_options(batch_size, concurrency, max_wait)
        store = Store(resolve_db_path(db))
        papers = read_inputs(sources, input_format)
        if dry_run:
            github = harvest.GitHubSettings(api_urls(github_url), read_token(), timeout)
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
        settings = harvest.GitHubSettings(api_urls(github_url), read_token(), timeout)
        store = Store(resolve_db_path(db))
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
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Run one of the shipped reports (queries/*.sql), or list them."""

    def body() -> None:
        if fmt not in FORMATS:
            raise errors.UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if name is None:
            rows = [
                (r.name, r.title, ", ".join(f"{p.name}={p.default}" for p in r.params) or "-")
                for r in reports.list_reports()
            ]
            _write(render(["report", "title", "parameters (defaults)"], rows, fmt), output)
            return
        chosen = reports.find_report(name)
        values = chosen.bind(reports.parse_params(param or []))
        result = Store(resolve_db_path(db)).query([chosen.sql], values)
        _write(render(result.columns, result.rows, fmt), output)

    _guard(body)


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
        result = Store(resolve_db_path(db)).query([query])
        sys.stdout.write(render(result.columns, result.rows, fmt))

    _guard(body)


@app.command()
def status(
    db: DbOption = Path(DEFAULT_DB),
    fmt: OutputFormat = "table",
) -> None:
    """Counts, pending work and the last runs."""

    def body() -> None:
        if fmt not in FORMATS:
            raise errors.UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        info = Store(resolve_db_path(db)).summary()
        names = info["names"]
        rows: list[tuple[str, Any]] = [
            ("database", info["database"]),
            ("schema version", info["schema_version"]),
            ("papers", info["papers"]),
            ("papers with a repository", info["papers_with_repo"]),
            ("mentions", info["mentions"]),
            ("repositories", info["repos"]),
            *[(f"names {s}", n) for s, n in sorted(names.items())],
            ("snapshots", info["snapshots"]),
            ("first snapshot", info["snapshot_span"][0]),
            ("last snapshot", info["snapshot_span"][1]),
        ]
        for run in info["runs"]:
            run_id, command, state, started, _finished, *_rest, message = run
            rows.append(
                (
                    f"run {run_id}",
                    f"{command} {state} {started:%Y-%m-%d %H:%M} {message or ''}".strip(),
                )
            )
        sys.stdout.write(render(["item", "value"], rows, fmt))

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
