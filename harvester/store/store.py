"""The DuckDB store: the one class the rest of harvester uses.

``Store`` opens the connections (``connection.Database``: short write transactions, read-only
readers, schema migrations by writers only) and hands them to the module of each table group:

* ``runs``     runs and the cursors of the live sources
* ``papers``   papers and their mentions (the bulk path: ``bulk``)
* ``repos``    repository names, repositories and their snapshots
* ``read``     ``report``/``sql`` queries and the counts of ``status``
* ``documents`` documents fetched by ``follow`` (its checkpoint)

Their SQL lives in ``sql/<group>.sql`` beside the schema (``schema/NNNN_*.sql``). The clock is
here (``utcnow``), read once per operation, so a test can set it for a whole harvest.
Only this package imports duckdb.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import duckdb

from harvester.models import Mention, Outcome, Paper, Status
from harvester.paper_batch import PaperBatch
from harvester.store import derived, documents, read, repos, runs
from harvester.store.connection import WRITE_ROW_GROUP, WRITER_SETTINGS, Database
from harvester.store.papers import MENTION_COLUMNS, PAPER_COLUMNS, SaveCounts, insert_mentions
from harvester.store.papers import save_batch as _save_batch
from harvester.store.papers import save_papers as _save_papers
from harvester.store.read import QueryResult
from harvester.store.repos import REPO_COLUMNS
from harvester.store.runs import ResumePoint

__all__ = [
    "MENTION_COLUMNS",
    "PAPER_COLUMNS",
    "REPO_COLUMNS",
    "WRITER_SETTINGS",
    "WRITE_ROW_GROUP",
    "QueryResult",
    "ResumePoint",
    "SaveCounts",
    "Store",
    "insert_mentions",
    "utcnow",
]


T = TypeVar("T")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store(Database):
    """A harvester database file. Cheap to construct; connections are opened per operation."""

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, command: str, args: str) -> tuple[int, list[int]]:
        """Record a new run. Runs still marked ``running`` were left by a dead process (the
        caller holds the job lock, so no live job can own them): they become ``interrupted``.
        Returns the new run id and the ids of the runs recovered that way. A killed job's
        writes are refreshed first (its marks are stored)."""
        return self._refreshed(lambda con, now, done: runs.begin(con, command, args, now))

    def end_run(self, run_id: int, status: str, message: str | None = None) -> None:
        """Finish the run, with the derived tables brought up to date in the same transaction:
        a run recorded as ended never leaves them behind its writes."""
        self._refreshed(lambda con, now, done: runs.finish(con, run_id, status, message, now))

    def refresh_derived(self) -> derived.Refresh:
        """Bring the derived tables (paper_code, paper_facts, paper_promises) up to date now."""
        return self._refreshed(lambda con, now, done: done)

    def _refreshed(
        self, then: Callable[[duckdb.DuckDBPyConnection, dt.datetime, derived.Refresh], T]
    ) -> T:
        """``derived.refresh`` and then ``then``, in one transaction (``derived.refreshed``)."""
        return derived.refreshed(self, utcnow(), then)

    def add_run_counts(self, con: duckdb.DuckDBPyConnection, run_id: int, **counts: int) -> None:
        runs.add_counts(con, run_id, **counts)

    # -- cursors of the live sources ---------------------------------------------------------

    def cursor(self, source: str, query: str) -> dt.date | None:
        """The newest date already harvested for ``source`` and ``query`` (None: never).
        Read-only: it is asked before the job lock is taken, so it neither writes nor
        migrates (a file from before the cursors existed has none)."""
        if not self.path.exists():
            return None  # no database yet: nothing harvested, and nothing to create here
        with self.reader() as con:
            return runs.read_cursor(con, source, query)

    def advance_cursor(
        self,
        source: str,
        query: str,
        newest: dt.date,
        run_id: int,
        *,
        read_from: dt.date | None = None,
    ) -> dt.date:
        """Move the cursor to ``newest`` when that is forward and leaves no gap; returns the date
        now stored.

        ``read_from`` is the first day the run read (None: from the beginning). A run that began
        after the stored date did not read the days in between, so it leaves the cursor alone:
        ``--since-last`` must still read them. Call this only once the papers up to ``newest``
        are committed."""
        now = utcnow()
        with self.transaction() as con:
            return runs.advance_cursor(
                con, source, query, newest, run_id, read_from=read_from, now=now
            )

    def resume_point(self, source: str, query: str) -> ResumePoint | None:
        """Where an interrupted list of ``source`` and ``query`` continues (None: it does not).
        Read-only, like ``cursor``."""
        if not self.path.exists():
            return None
        with self.reader() as con:
            return runs.read_resume_point(con, source, query)

    def resume_points(self) -> list[tuple[str, str, ResumePoint, dt.datetime]]:
        """Every unfinished list: ``(source, query, point, when it was last saved)``."""
        with self.reader() as con:
            return runs.list_resume_points(con)

    def save_resume_point(self, source: str, query: str, point: ResumePoint | None) -> None:
        """Save ``point`` (replacing the one before), or with None forget it (the list is
        complete). Call it only once the papers before ``point.token`` are committed."""
        now = utcnow()
        with self.transaction() as con:
            if point is None:
                runs.clear_resume_point(con, source, query)
            else:
                runs.save_resume_point(con, source, query, point, now)

    # -- papers and mentions -------------------------------------------------------------------

    def save_papers(
        self, papers: Sequence[Paper], mentions: Sequence[Mention], run_id: int
    ) -> SaveCounts:
        """Store a batch of papers and their mentions in one transaction (idempotent)."""
        return self.save_batch(PaperBatch.of(papers, mentions), run_id)

    def save_batch(self, batch: PaperBatch, run_id: int) -> SaveCounts:
        """``save_papers`` of a batch prepared already (``PaperBatch.of``: by a worker)."""
        now = utcnow()
        with self.transaction() as con:
            counts = _save_batch(con, batch, run_id, now)
            derived.mark_papers(con, batch.paper_ids, (m[0] for m in batch.mentions))
            return counts

    # -- documents (harvester follow) ---------------------------------------------------------

    def papers_to_follow(
        self,
        *,
        everything: bool = False,
        since: dt.date | None = None,
        run_id: int | None = None,
        limit: int | None = None,
    ) -> list[documents.FollowPaper]:
        """Papers ``follow`` reads documents for: those without an author-declared repository
        (all with ``everything``), published on or after ``since``, first stored by ``run_id``."""
        if not self.path.exists():
            return []
        with self.reader() as con:
            return documents.papers_to_follow(
                con, everything=everything, since=since, run_id=run_id, limit=limit
            )

    def documents_done(
        self, paper_ids: Sequence[str], since: dt.datetime
    ) -> dict[tuple[str, str, str], documents.Done]:
        """(url, paper_id, channel) of the documents settled at or after ``since``."""
        if not paper_ids or not self.path.exists():
            return {}
        with self.reader() as con:
            return documents.done_since(con, paper_ids, since)

    def documents_to_revalidate(
        self, paper_ids: Sequence[str], since: dt.datetime
    ) -> dict[tuple[str, str, str], documents.Document]:
        """(url, paper_id, channel) -> the stored row of the documents read before ``since``
        with an ETag (a refetch sends ``If-None-Match``)."""
        if not paper_ids or not self.path.exists():
            return {}
        with self.reader() as con:
            return documents.revalidatable(con, paper_ids, since)

    def save_followed(
        self,
        papers: Sequence[Paper],
        mentions: Sequence[Mention],
        fetched: Sequence[documents.Document],
        run_id: int,
    ) -> SaveCounts:
        """A followed document, what it taught about its paper, and its mentions: one
        transaction, so the documents table never records a document whose mentions are lost."""
        now = utcnow()
        with self.transaction() as con:
            counts = _save_papers(con, papers, mentions, run_id, now) if papers else SaveCounts()
            if papers:
                derived.mark_papers(
                    con, (p.paper_id for p in papers), (m.paper_id for m in mentions)
                )
            documents.save(con, fetched, run_id, now)
            return counts

    # -- names to fetch ----------------------------------------------------------------------

    def names_to_fetch(
        self,
        statuses: Iterable[str] = (Status.PENDING, Status.ERROR),
        stale_before: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Lowercase names to (re)fetch: names in ``statuses``, plus the current names of
        repositories last fetched before ``stale_before``. Each repository appears once."""
        if not self.path.exists():
            return []
        with self.reader() as con:
            return repos.names_to_fetch(con, statuses, stale_before, limit)

    def count_names(self, statuses: Iterable[str]) -> int:
        """How many names are in ``statuses`` (a count: the list can be millions long)."""
        if not self.path.exists():
            return 0
        with self.reader() as con:
            return repos.count_names(con, statuses)

    def unsettled(self, names: Iterable[str]) -> list[str]:
        """Which of ``names`` a harvest would fetch: not stored yet, or pending/error.
        Read-only (for ``--dry-run``); a database that does not exist yet settles nothing."""
        wanted = sorted(set(names))
        if not self.path.exists():
            return wanted
        with self.reader() as con:
            settled = repos.settled_names(con)
        return [n for n in wanted if n not in settled]

    def etags_for(self, names: Sequence[str]) -> dict[str, str]:
        """Stored REST ETags of the repositories these names point at (for 304 refreshes)."""
        if not names or not self.path.exists():
            return {}
        with self.reader() as con:
            return repos.etags_for(con, names)

    # -- fetch outcomes ----------------------------------------------------------------------

    def save_outcomes(self, outcomes: Sequence[Outcome], run_id: int, requests: int = 0) -> int:
        """Store what the engine learned, in one transaction. Returns repos fetched."""
        now = utcnow()
        with self.transaction() as con:
            return repos.save_outcomes(con, outcomes, run_id, requests, now)

    # -- reading -----------------------------------------------------------------------------

    def query(
        self, statements: Sequence[str], variables: Sequence[tuple[str, Any]] = ()
    ) -> QueryResult:
        """Run SQL read-only: ``SET VARIABLE`` each (name, value) bound as a parameter, then the
        statements in order; the last statement's result is returned. The connection is
        sandboxed: no file but the database, no network, no extension installed or loaded."""
        with self.reader(sandboxed=True) as con:
            return read.run(con, statements, variables)

    def query_csv(
        self, statements: Sequence[str], variables: Sequence[tuple[str, Any]] = ()
    ) -> tuple[list[str], str]:
        """As ``query``, the result as the columns and ``render(..., "csv")`` text, which the
        database writes line by line where it can (``read.run_csv``): the same bytes, without
        turning every row into Python objects."""
        with self.reader(sandboxed=True) as con:
            return read.run_csv(con, statements, variables)

    def summary(self) -> dict[str, Any]:
        """Counts for ``harvester status``."""
        with self.reader() as con:
            counts = read.summary(con)
        return {"database": str(self.path), **counts}
