"""Progress display for jobs: bars on a terminal, plain log lines (waits, notes) otherwise;
and the summary a job ends with."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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

from harvester import errors, harvest
from harvester.cli.app import note, stderr
from harvester.render import escape_controls


class RichReporter:
    """The harvest's reporter (``harvest.HarvestReporter``) and a live source's wait and page
    hooks, drawn with rich on stderr."""

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


def finish(summary: harvest.Summary) -> None:
    """The end of a harvest or refresh: notes on recovered runs, the one-paragraph summary on
    stdout, and exit 6 (resumable) unless the run is complete."""
    for run_id in summary.recovered_runs:
        note(
            f"run {run_id} had been left 'running' by a process that died; "
            "marked interrupted (its work up to then is kept)"
        )
    # (its reasons can quote a server, e.g. a GitHub error message: no raw control characters)
    typer.echo(escape_controls(harvest.describe(summary), keep_lines=False))
    if summary.status != "ok":
        raise typer.Exit(errors.EXIT_RESUMABLE)


class FollowProgress(RichReporter):
    """RichReporter plus the papers-followed bar (``harvester follow``)."""

    def __init__(self) -> None:
        super().__init__()
        self._bar = self.source_pages("following papers")

    def followed(self, done: int, total: int) -> None:
        self._bar(done, total)
