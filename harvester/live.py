"""A live source (arXiv API, Hugging Face API) through the harvest, with its ``--since-last``
cursor: where a run starts, and where the next one will.

The cursor of a source and query (``store.cursor``) is the newest date a run read and committed.
``--since-last`` starts there (that day is read again; nothing is stored twice), or at ``--from``
on the first run. The cursor moves only once every paper read is committed, so a run that fails
while reading leaves it where it was; and it never jumps over days no run has read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Protocol

from harvester import harvest
from harvester.errors import UsageError
from harvester.github.client import GitHubSettings
from harvester.github.engine import EngineOptions
from harvester.models import Paper
from harvester.store import Store

Note = Callable[[str], None]


class LiveSource(Protocol):
    """What ``ArxivSource`` and ``HfSource`` offer the harvest."""

    @property
    def source(self) -> str: ...

    @property
    def cursor_key(self) -> str | None: ...

    @property
    def first_day(self) -> dt.date | None: ...

    def cursor_date(self) -> dt.date | None: ...

    def papers(self) -> Iterator[Paper]: ...

    def close(self) -> None: ...


def start_day(
    store: Store,
    source: str,
    key: str,
    *,
    since_last: bool,
    first: dt.date | None,
    last: dt.date | None,
    what: str,
    note: Note,
) -> dt.date | None:
    """The first day to read: ``first`` (``--from``); with ``since_last`` the stored cursor, or
    ``first`` for the first run of this source and query (which then must be given)."""
    if not since_last:
        return first
    cursor = store.cursor(source, key)
    if cursor is not None:
        if last is not None and cursor > last:
            raise UsageError(f"--since-last: {what} continues from {cursor}, after --to {last}")
        note(f"--since-last: {what} continues from {cursor}")
        return cursor
    if first is None:
        raise UsageError(
            f"--since-last: nothing harvested yet for {what} in {store.path}; "
            "give --from DATE for the first run"
        )
    return first


def listing_days(
    store: Store,
    source: str,
    key: str,
    *,
    date: dt.date | None,
    since_last: bool,
    first: dt.date | None,
    last: dt.date | None,
    what: str,
    note: Note,
) -> tuple[dt.date, dt.date | None] | None:
    """The listing days of a Hugging Face run: ``--date``; ``--from``/``--to`` (an open end is
    today); ``--since-last`` from the cursor; None when the run reads no range of days."""
    if date is not None:
        return (date, date)
    if not since_last and first is None:
        return None
    start = start_day(
        store, source, key, since_last=since_last, first=first, last=last, what=what, note=note
    )
    assert start is not None  # --from given, or --since-last found a cursor or refused
    return (start, last)


def harvest_source(
    store: Store,
    source: LiveSource,
    *,
    what: str,
    args: str,
    github: GitHubSettings | None,
    options: EngineOptions,
    reporter: harvest.HarvestReporter,
    note: Note,
) -> harvest.Summary:
    """``harvest.harvest`` over ``source``'s papers; once they are committed, close its
    connection (it is not needed during the GitHub work) and move its cursor to the newest date
    read, saying where the next ``--since-last`` run continues."""

    def committed(run_id: int) -> None:
        source.close()
        key, newest, first = source.cursor_key, source.cursor_date(), source.first_day
        if key is None or newest is None:
            return
        stored = store.advance_cursor(source.source, key, newest, run_id, read_from=first)
        if stored < newest:
            note(
                f"{what}: this run began on {first}, after the newest date harvested before "
                f"({stored}); --since-last still continues from {stored}, to fill the gap"
            )
        else:
            note(f"{what}: harvested up to {stored}; --since-last continues from there")

    return harvest.harvest(
        store,
        source.papers(),
        args=args,
        github=github,
        options=options,
        reporter=reporter,
        papers_committed=committed,
    )
