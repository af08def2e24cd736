"""A live source (arXiv API, Hugging Face API, arXiv OAI-PMH) through the harvest, with its
``--since-last`` cursor: where a run starts, and where the next one will.

The cursor of a source and query (``store.cursor``) is the newest date a run read and committed.
``--since-last`` starts there (that day is read again; nothing is stored twice), or at ``--from``
on the first run. The cursor moves only once every paper read is committed, so a run that fails
while reading leaves it where it was; and it never jumps over days no run has read.

An OAI-PMH list (``harvest_list``) is long (all of ``cs`` is ~700 pages) and paged by resumption
tokens, so it also keeps a *resume point* (``store.resume_point``): after each committed batch,
the token of the first page not yet committed. A rerun of the same list (same set and datestamp
range) continues from that token; the point is forgotten once the list is complete, and only then
does the cursor move, to the newest datestamp read over all the runs of the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Protocol
from urllib.parse import urlencode

from harvester import harvest
from harvester.errors import SourceError, UsageError
from harvester.github.client import GitHubSettings
from harvester.github.engine import EngineOptions
from harvester.models import Paper
from harvester.sources.live.oai import OaiQuery, OaiSource
from harvester.store import ResumePoint, Store

Note = Callable[[str], None]


class LiveSource(Protocol):
    """What ``ArxivSource``, ``HfSource`` and ``OaiSource`` offer the harvest."""

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
        _advance(store, source, source.cursor_date(), run_id, what=what, note=note)

    return harvest.harvest(
        store,
        source.papers(),
        args=args,
        github=github,
        options=options,
        reporter=reporter,
        papers_committed=committed,
    )


def _advance(
    store: Store,
    source: LiveSource,
    newest: dt.date | None,
    run_id: int,
    *,
    what: str,
    note: Note,
) -> None:
    """Move ``source``'s cursor to ``newest`` (see ``Store.advance_cursor``) and say so."""
    key, first = source.cursor_key, source.first_day
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


def list_request(query: OaiQuery) -> str:
    """The first request of an OAI-PMH list, URL-encoded: which list a resume point belongs to."""
    return urlencode(query.params())


def resume_point(store: Store, query: OaiQuery, *, what: str, note: Note) -> ResumePoint | None:
    """The saved resume point of an interrupted run of the same list, if there is one."""
    saved = store.resume_point(OaiSource.source, query.key)
    if saved is None:
        return None
    if saved.list_request != list_request(query):
        note(
            f"{what}: an interrupted run of another list ({saved.list_request}) left a resume "
            "point; this list starts from its beginning"
        )
        return None
    at = "" if saved.list_cursor is None else f" at record {saved.list_cursor:,}"
    of = "" if saved.complete_list_size is None else f" of {saved.complete_list_size:,}"
    note(f"{what}: resuming the interrupted list{at}{of}")
    return saved


class _Checkpointing:
    """The harvest's reporter, which also saves the OAI source's resume point each time a batch
    of papers is committed (``papers(n)`` is called then, with the running total)."""

    def __init__(self, inner: harvest.HarvestReporter, save: Callable[[int], None]) -> None:
        self.inner = inner
        self.save = save

    def papers(self, read: int) -> None:
        self.save(read)
        self.inner.papers(read)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)

    def progress(self, done: int, total: int) -> None:
        self.inner.progress(done, total)

    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None:
        self.inner.waiting(seconds, until, reason)

    def note(self, message: str) -> None:
        self.inner.note(message)


def harvest_list(
    store: Store,
    source: OaiSource,
    saved: ResumePoint | None,
    *,
    what: str,
    args: str,
    github: GitHubSettings | None,
    options: EngineOptions,
    reporter: harvest.HarvestReporter,
    note: Note,
) -> harvest.Summary:
    """``harvest_source`` for an OAI-PMH list read from its start or, with ``saved`` (passed to
    ``source`` as ``resume_from`` as well), from a resume point: the resume point is saved after
    each committed batch and forgotten when the list is complete; the cursor then moves to the
    newest datestamp read by this run and the runs before it.

    A resumed run whose saved token is refused (arXiv's tokens expire: ``badResumptionToken``)
    reads the list again from its start (``OaiSource``, which says so through ``note``); if that
    run then fails before its first commit, the dead resume point is forgotten. Any other
    failure keeps the resume point for the next run. Papers already stored stay."""
    key, request = source.cursor_key, list_request(source.query)
    before = saved.newest_datestamp if saved is not None else None
    if source.on_restart is None:
        source.on_restart = lambda message: note(f"{what}: {message}")

    def newest() -> dt.date | None:
        dates = [d for d in (before, source.newest_datestamp) if d is not None]
        return max(dates) if dates else None

    def save(committed: int) -> None:
        point = source.checkpoint(committed)
        if point is None:
            return
        size = point.complete_list_size
        store.save_resume_point(
            source.source, key, ResumePoint(request, point.token, point.cursor, size, newest())
        )

    def committed(run_id: int) -> None:
        source.close()
        store.save_resume_point(source.source, key, None)
        _advance(store, source, newest() if source.complete else None, run_id, what=what, note=note)

    try:
        return harvest.harvest(
            store,
            source.papers(),
            args=args,
            github=github,
            options=options,
            reporter=_Checkpointing(reporter, save),
            papers_committed=committed,
        )
    except SourceError:
        if source.restarted and source.seen == 0:
            store.save_resume_point(source.source, key, None)
            note(f"{what}: the saved resume point is forgotten; the next run starts the list again")
        raise
