"""The DuckDB store (only the ``store`` package -- this, ``migrate``, ``export`` -- imports duckdb).

Design notes:

* **Short write transactions.** DuckDB lets one process hold a database file at a time, so a
  harvest opens a connection per batch, writes it in one transaction and closes it. Between
  batches ``report``, ``sql`` and ``status`` can read the file (they wait briefly and retry
  while a batch is being written) and never see half a batch.
* **One job at a time.** A harvest/refresh also holds an advisory lock on ``<db>.lock`` for its
  whole life, so a second job on the same file is refused up front and told which PID runs.
* **Bulk writes.** Rows go through DuckDB's Appender into a temporary staging table and then
  one ``INSERT ... SELECT ... ON CONFLICT`` moves them into place — no row-by-row executemany.
* **Flat memory, flat cost per batch.** Closing the last connection checkpoints the file, and a
  checkpoint rewrites every row group a batch appended to (and merges small neighbours). With
  DuckDB's default row groups (122,880 rows, ~130 MB of abstracts in ``papers``) each batch
  rewrote a growing row group: on a generated corpus, peak RSS was 385 MB at 100k papers and
  736 MB at 300k, and closing took 7.7 of 17 s at 100k. Writers therefore attach the file with
  ``ROW_GROUP_SIZE`` ``WRITE_ROW_GROUP`` and harvests commit papers in batches of the same size
  (``harvest.PAPER_BATCH``): a batch of new papers fills whole row groups and its checkpoint
  rewrites nothing older (close: 3.8 s -> 0.5 s per 100k papers; peak RSS ~225 MB, flat from 100k
  to 1M). ``WRITER_SETTINGS``: one DuckDB thread (a batch is small, and the other core is parsing
  the next one) and no insertion order to keep. No ``memory_limit``: memory stays flat because
  every batch closes its connection, and a cap low enough to matter (128 MB) made a 16k-paper
  batch fail with "Out of Memory". The ART indexes behind the primary keys are not the cost: a
  batch touches 1-3 MB of them even at 1M papers. Readers open the file plainly, every core.
* **Identity.** Repositories are keyed by GitHub's numeric id; names (``repo_names``) point at
  ids, so a rename keeps the history and every old name still resolves.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from harvester.errors import QueryError, StoreError, StoreLockedError
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.store import migrate

# Row group size of writer connections (see the module docstring); it is an attach option, not
# stored in the file, so every writer sets it. A multiple of DuckDB's vector size (2,048).
WRITE_ROW_GROUP = 8192
# DuckDB settings of writer connections (see the module docstring); insertion order is not a
# contract of any table.
WRITER_SETTINGS: dict[str, str | bool | int | float | list[str]] = {
    "threads": 1,
    "preserve_insertion_order": False,
}
_ALIAS = "harvest"  # catalog name of the attached file in writer connections

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")

PAPER_COLUMNS = (
    "paper_id",
    "source",
    "title",
    "abstract",
    "comment",
    "published_at",
    "url",
    "hf_github_repo",
    "hf_github_stars",
    "project_page",
    "upvotes",
    "organization",
    "listed_on",
)
# Descriptive fields keep the first non-null value seen; hint fields that change over time on
# Hugging Face (stars, upvotes, the githubRepo its authors may add later) take the newest.
_KEEP_FIRST = ("title", "abstract", "comment", "published_at", "url", "listed_on")
_TAKE_NEWEST = ("hf_github_repo", "hf_github_stars", "project_page", "upvotes", "organization")

REPO_COLUMNS = (
    "repo_id",
    "full_name",
    "stars",
    "forks",
    "watchers",
    "open_issues",
    "language",
    "license",
    "topics",
    "description",
    "homepage",
    "created_at",
    "pushed_at",
    "updated_at",
    "archived",
    "is_fork",
    "etag",
    "fetched_at",
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class SaveCounts:
    papers: int = 0
    new_papers: int = 0
    new_mentions: int = 0
    new_names: int = 0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class Store:
    """A harvester database file. Cheap to construct; connections are opened per operation."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lock_wait: float = 15.0,
        storage_version: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.lock_wait = lock_wait
        # DuckDB storage format for a file this store creates (e.g. "v1.4.0", readable by DuckDB
        # 1.4+ clients); None: this DuckDB's own. An existing file keeps its format.
        self.storage_version = storage_version
        self._migrated = False

    # -- connections -------------------------------------------------------------------------

    def _open(self, read_only: bool, sandboxed: bool = False) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_wait
        delay = 0.02
        while True:
            try:
                con = (
                    _connect_reader(self.path, sandboxed)
                    if read_only
                    else _connect_writer(self.path, self.storage_version)
                )
            except duckdb.IOException as exc:
                message = str(exc)
                holder = _LOCK_HOLDER.search(message)
                if holder:
                    if time.monotonic() < deadline:
                        time.sleep(delay)
                        delay = min(delay * 2, 0.1)  # batches leave short gaps: look often
                        continue
                    raise StoreLockedError(
                        f"{self.path} is locked by another process "
                        f"(PID {holder['pid']}, {Path(holder['exe']).name}); "
                        "close it or wait for it to finish"
                    ) from None
                raise self._translate(exc) from None
            except duckdb.Error as exc:
                raise self._translate(exc) from None
            con.execute("SET TimeZone = 'UTC'")
            if sandboxed:  # from here on no statement can switch the sandbox off again
                con.execute("SET lock_configuration = true")
            return con

    def _translate(self, exc: BaseException) -> StoreError:
        message = str(exc)
        lowered = message.lower()
        if (
            "not a valid duckdb database" in lowered
            or "is not a duckdb" in lowered
            or ("invalid" in lowered and "header" in lowered)
        ):
            return StoreError(f"{self.path} is not a DuckDB database (or is damaged)")
        if "permission denied" in lowered or "read-only file system" in lowered:
            return StoreError(f"cannot write {self.path}: permission denied")
        if "no such file or directory" in lowered or "cannot open file" in lowered:
            return StoreError(f"cannot open {self.path}: {_first_line(exc)}")
        if "serialization" in lowered and "version" in lowered:
            return StoreError(f"{self.path} was written by an incompatible DuckDB version")
        return StoreError(f"database {self.path}: {_first_line(exc)}")

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection with one open transaction, committed on success."""
        parent = self.path.parent
        if not parent.exists():
            raise StoreError(f"cannot create {self.path}: directory {parent} does not exist")
        con = self._open(read_only=False)
        try:
            if not self._migrated:
                try:
                    migrate.migrate(con, str(self.path))
                except duckdb.Error as exc:
                    raise self._translate(exc) from None
                self._migrated = True
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException as exc:
                with suppress(duckdb.Error, RuntimeError):  # already aborted is fine
                    con.execute("ROLLBACK")
                if _interrupted(exc):
                    raise KeyboardInterrupt from None
                raise
            try:
                con.execute("COMMIT")
            except duckdb.Error as exc:
                raise self._translate(exc) from None
        finally:
            con.close()

    @contextmanager
    def reader(self, *, sandboxed: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection. Refuses a missing file instead of creating an empty one.
        ``sandboxed``: nothing beyond the database either (``SANDBOX_SETTINGS``)."""
        if not self.path.exists():
            raise StoreError(f"no database at {self.path}; run `harvester harvest` first")
        con = self._open(read_only=True, sandboxed=sandboxed)
        try:
            try:
                version = migrate.current_version(con)
                migrate.check_version(version, str(self.path))
                if version == 0:
                    raise migrate.not_ours(str(self.path))
            except duckdb.Error as exc:
                raise self._translate(exc) from None
            yield con
        finally:
            con.close()

    def ensure(self) -> int:
        """Create or upgrade the schema; returns the schema version."""
        with self.transaction() as con:
            return migrate.current_version(con)

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, command: str, args: str) -> tuple[int, list[int]]:
        """Record a new run. Runs still marked ``running`` were left by a dead process (the
        caller holds the job lock, so no live job can own them): they become ``interrupted``.
        Returns the new run id and the ids of the runs recovered that way."""
        now = utcnow()
        with self.transaction() as con:
            stale = [
                r[0]
                for r in con.execute(
                    "SELECT run_id FROM runs WHERE status = 'running' ORDER BY run_id"
                ).fetchall()
            ]
            if stale:
                con.execute(
                    "UPDATE runs SET status = 'interrupted', message = coalesce(message || ' ', '')"
                    " || '(process ended without finishing: killed or crashed)'"
                    " WHERE status = 'running'"
                )
            row = con.execute(
                "INSERT INTO runs (command, args, started_at, status, pid, hostname)"
                " VALUES (?, ?, ?, 'running', ?, ?) RETURNING run_id",
                [command, args, now, os.getpid(), socket.gethostname()],
            ).fetchone()
            assert row is not None
            return int(row[0]), stale

    def end_run(self, run_id: int, status: str, message: str | None = None) -> None:
        with self.transaction() as con:
            con.execute(
                "UPDATE runs SET status = ?, message = ?, finished_at = ? WHERE run_id = ?",
                [status, message, utcnow(), run_id],
            )

    def add_run_counts(self, con: duckdb.DuckDBPyConnection, run_id: int, **counts: int) -> None:
        allowed = {"papers", "new_papers", "new_mentions", "repos_fetched", "requests"}
        sets = [f"{k} = {k} + ?" for k in counts if k in allowed]
        if sets:
            values = [v for k, v in counts.items() if k in allowed]
            con.execute(f"UPDATE runs SET {', '.join(sets)} WHERE run_id = ?", [*values, run_id])

    # -- papers and mentions -------------------------------------------------------------------

    def save_papers(
        self, papers: Sequence[Paper], mentions: Sequence[Mention], run_id: int
    ) -> SaveCounts:
        """Store a batch of papers and their mentions in one transaction (idempotent)."""
        latest: dict[str, Paper] = {}
        for paper in papers:
            latest[paper.paper_id] = paper
        seen: dict[tuple[str, str, str, str], Mention] = {}
        for m in mentions:
            seen.setdefault((m.paper_id, m.repo_name, m.source_field, m.kind), m)
        now = utcnow()
        with self.transaction() as con:
            before = _counts(con)
            _stage(
                con,
                "stage_papers",
                "papers",
                (*PAPER_COLUMNS, "first_run_id", "harvested_at"),
                ((*(getattr(p, c) for c in PAPER_COLUMNS), run_id, now) for p in latest.values()),
            )
            # before the papers: which of them were stored already is what it checks
            insert_mentions(
                con,
                (
                    (m.paper_id, m.repo_name, m.source_field, m.kind, m.repo, m.url, run_id)
                    for m in seen.values()
                ),
            )
            updates = [f"{c} = coalesce(papers.{c}, EXCLUDED.{c})" for c in _KEEP_FIRST] + [
                f"{c} = coalesce(EXCLUDED.{c}, papers.{c})" for c in _TAKE_NEWEST
            ]
            con.execute(
                "INSERT INTO papers SELECT * FROM stage_papers"
                " ON CONFLICT (paper_id) DO UPDATE SET " + ", ".join(updates)
            )
            con.execute(
                "INSERT INTO repo_names (repo_name, status, first_seen_at)"
                " SELECT DISTINCT repo_name, 'pending', ? FROM stage_mentions WHERE kind = 'repo'"
                " ON CONFLICT DO NOTHING",
                [now],
            )
            after = _counts(con)
            counts = SaveCounts(
                papers=len(latest),
                new_papers=after[0] - before[0],
                new_mentions=after[1] - before[1],
                new_names=after[2] - before[2],
            )
            self.add_run_counts(
                con,
                run_id,
                papers=len(latest),
                new_papers=counts.new_papers,
                new_mentions=counts.new_mentions,
            )
            return counts

    # -- cursors of the live sources ---------------------------------------------------------

    def cursor(self, source: str, query: str) -> dt.date | None:
        """The newest date already harvested for ``source`` and ``query`` (None: never)."""
        if not self.path.exists():
            return None  # no database yet: nothing harvested, and nothing to create here
        with self.transaction() as con:
            row = con.execute(
                "SELECT newest_date FROM source_cursors WHERE source = ? AND query = ?",
                [source, query],
            ).fetchone()
        newest: dt.date | None = row[0] if row else None
        return newest

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
        with self.transaction() as con:
            row = con.execute(
                "SELECT newest_date FROM source_cursors WHERE source = ? AND query = ?",
                [source, query],
            ).fetchone()
            current: dt.date | None = row[0] if row else None
            if current is not None and (
                newest <= current or (read_from is not None and read_from > current)
            ):
                return current
            con.execute(
                "INSERT OR REPLACE INTO source_cursors"
                " (source, query, newest_date, updated_at, run_id) VALUES (?, ?, ?, ?, ?)",
                [source, query, newest, utcnow(), run_id],
            )
        return newest

    # -- names to fetch ----------------------------------------------------------------------

    def names_to_fetch(
        self,
        statuses: Iterable[str] = (Status.PENDING, Status.ERROR),
        stale_before: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """Lowercase names to (re)fetch: names in ``statuses``, plus the current names of
        repositories last fetched before ``stale_before``. Each repository appears once."""
        wanted = [str(s) for s in statuses]
        sql = [
            "SELECT repo_name AS name, 0 AS pri, first_seen_at AS t FROM repo_names"
            " WHERE status IN (SELECT unnest(?::VARCHAR[]))"
        ]
        params: list[Any] = [wanted]
        if stale_before is not None:
            sql.append(
                "UNION ALL SELECT lower(r.full_name), 1, r.fetched_at FROM repos r"
                " WHERE r.fetched_at < ? AND EXISTS (SELECT 1 FROM repo_names n"
                " WHERE n.repo_id = r.repo_id AND n.status IN ('ok', 'renamed'))"
            )
            params.append(stale_before)
        query = (
            "SELECT name FROM (" + " ".join(sql) + ") GROUP BY name"
            " ORDER BY min(pri), min(t) NULLS FIRST, name"
        )
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        if not self.path.exists():
            return []
        with self.reader() as con:
            return [r[0] for r in con.execute(query, params).fetchall()]

    def count_names(self, statuses: Iterable[str]) -> int:
        """How many names are in ``statuses`` (a count: the list can be millions long)."""
        if not self.path.exists():
            return 0
        with self.reader() as con:
            row = con.execute(
                "SELECT count(*) FROM repo_names WHERE status IN (SELECT unnest(?::VARCHAR[]))",
                [[str(s) for s in statuses]],
            ).fetchone()
        return int(row[0]) if row else 0

    def unsettled(self, names: Iterable[str]) -> list[str]:
        """Which of ``names`` a harvest would fetch: not stored yet, or pending/error.
        Read-only (for ``--dry-run``); a database that does not exist yet settles nothing."""
        wanted = sorted(set(names))
        if not self.path.exists():
            return wanted
        with self.reader() as con:
            settled = {
                r[0]
                for r in con.execute(
                    "SELECT repo_name FROM repo_names WHERE status NOT IN ('pending', 'error')"
                ).fetchall()
            }
        return [n for n in wanted if n not in settled]

    def etags_for(self, names: Sequence[str]) -> dict[str, str]:
        """Stored REST ETags of the repositories these names point at (for 304 refreshes)."""
        if not names or not self.path.exists():
            return {}
        with self.reader() as con:
            rows = con.execute(
                "SELECT q.name, r.etag FROM (SELECT unnest(?::VARCHAR[]) AS name) q"
                " LEFT JOIN repo_names n ON n.repo_name = q.name"
                " JOIN repos r ON r.repo_id = n.repo_id OR lower(r.full_name) = q.name"
                " WHERE r.etag IS NOT NULL",
                [list(names)],
            ).fetchall()
        return {name: etag for name, etag in rows}

    # -- fetch outcomes ----------------------------------------------------------------------

    def save_outcomes(self, outcomes: Sequence[Outcome], run_id: int, requests: int = 0) -> int:
        """Store what the engine learned, in one transaction. Returns repos fetched."""
        now = utcnow()
        found: dict[int, tuple[RepoStats, str | None]] = {}
        name_rows: list[tuple[str, int | None, str, str | None]] = []
        unchanged: list[str] = []
        for o in outcomes:
            if o.not_modified:
                unchanged.append(o.name)
            elif o.repo is not None and o.status in (Status.OK, Status.RENAMED):
                found[o.repo.repo_id] = (o.repo, o.etag)
                name_rows.append((o.name, o.repo.repo_id, str(o.status), o.detail))
            elif o.status != Status.PENDING:
                name_rows.append((o.name, None, str(o.status), o.detail))
        with self.transaction() as con:
            _stage(
                con,
                "stage_repos",
                "repos",
                REPO_COLUMNS,
                (_repo_row(repo, etag, now) for repo, etag in found.values()),
            )
            con.execute(
                "INSERT INTO repos SELECT * FROM stage_repos ON CONFLICT (repo_id) DO UPDATE SET "
                + ", ".join(f"{c} = EXCLUDED.{c}" for c in REPO_COLUMNS[1:])
            )
            con.execute(
                "CREATE OR REPLACE TEMP TABLE stage_names"
                " (name VARCHAR, repo_id BIGINT, status VARCHAR, detail VARCHAR)"
            )
            _append(con, "stage_names", name_rows)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE stage_unchanged AS"
                " SELECT DISTINCT r.repo_id FROM (SELECT unnest(?::VARCHAR[]) AS name) q"
                " LEFT JOIN repo_names n ON n.repo_name = q.name"
                " JOIN repos r ON r.repo_id = n.repo_id OR lower(r.full_name) = q.name",
                [unchanged],
            )
            con.execute(
                "UPDATE repos SET fetched_at = ?"
                " WHERE repo_id IN (SELECT repo_id FROM stage_unchanged)",
                [now],
            )
            # A rename seen under a name nobody cited (a refresh asks by the current name) is
            # kept as an alias of the same repository id, so it resolves if cited later.
            con.execute(
                "INSERT INTO repo_names (repo_name, repo_id, status, detail, first_seen_at)"
                " SELECT name, repo_id, 'renamed', detail, ? FROM stage_names"
                " WHERE status = 'renamed' ON CONFLICT DO NOTHING",
                [now],
            )
            # Names that resolved: point them at their repository.
            con.execute(
                "UPDATE repo_names SET repo_id = s.repo_id, attempts = attempts + 1"
                " FROM stage_names s WHERE repo_names.repo_name = s.name AND s.repo_id IS NOT NULL"
            )
            # Every name of a fetched repository: ok when it is the current name, else renamed.
            con.execute(
                "UPDATE repo_names SET"
                " status = CASE WHEN repo_names.repo_name = lower(r.full_name)"
                "   THEN 'ok' ELSE 'renamed' END,"
                " detail = CASE WHEN repo_names.repo_name = lower(r.full_name)"
                "   THEN NULL ELSE 'now ' || r.full_name END,"
                " checked_at = ?"
                " FROM repos r WHERE repo_names.repo_id = r.repo_id AND r.repo_id IN"
                " (SELECT repo_id FROM stage_repos UNION SELECT repo_id FROM stage_unchanged)",
                [now],
            )
            # Names that are gone (not_found / blocked), also when asked by a repo's current name.
            con.execute(
                "UPDATE repo_names SET status = s.status, detail = s.detail, repo_id = NULL,"
                " checked_at = ?, attempts = attempts + 1"
                " FROM stage_names s WHERE s.status IN ('not_found', 'blocked') AND"
                " (repo_names.repo_name = s.name OR repo_names.repo_id IN"
                "  (SELECT repo_id FROM repos WHERE lower(full_name) = s.name))",
                [now],
            )
            # Failures: a name that never resolved becomes 'error'; one that did keeps its
            # status and repository, with the failure noted.
            con.execute(
                "UPDATE repo_names SET"
                " status = CASE WHEN repo_names.status IN ('ok', 'renamed')"
                "   THEN repo_names.status ELSE 'error' END,"
                " detail = s.detail, checked_at = ?, attempts = attempts + 1"
                " FROM stage_names s WHERE s.status = 'error' AND repo_names.repo_name = s.name",
                [now],
            )
            # One snapshot per repository fetched in this run.
            con.execute(
                "INSERT INTO repo_snapshots SELECT repo_id, ?, fetched_at, stars, forks,"
                " open_issues, pushed_at, archived FROM repos WHERE repo_id IN"
                " (SELECT repo_id FROM stage_repos UNION SELECT repo_id FROM stage_unchanged)"
                " AND repo_id NOT IN (SELECT repo_id FROM repo_snapshots WHERE run_id = ?)",
                [run_id, run_id],
            )
            fetched_row = con.execute(
                "SELECT count(*) FROM (SELECT repo_id FROM stage_repos"
                " UNION SELECT repo_id FROM stage_unchanged)"
            ).fetchone()
            fetched = int(fetched_row[0]) if fetched_row else 0
            self.add_run_counts(con, run_id, repos_fetched=fetched, requests=requests)
            return fetched

    # -- reading -----------------------------------------------------------------------------

    def query(
        self, statements: Sequence[str], variables: Sequence[tuple[str, Any]] = ()
    ) -> QueryResult:
        """Run SQL read-only: ``SET VARIABLE`` each (name, value) bound as a parameter, then the
        statements in order; the last statement's result is returned. The connection is
        sandboxed: no file but the database, no network, no extension installed or loaded."""
        with self.reader(sandboxed=True) as con:
            try:
                for name, value in variables:
                    con.execute(f"SET VARIABLE {_identifier(name)} = ?", [value])
                result = None
                for statement in statements:
                    result = con.execute(statement)
                if result is None or result.description is None:
                    return QueryResult([], [])
                columns = [d[0] for d in result.description]
                return QueryResult(columns, result.fetchall())
            except duckdb.Error as exc:
                raise QueryError(_first_line(exc)) from None
            except RuntimeError as exc:
                if _interrupted(exc):
                    raise KeyboardInterrupt from None
                raise

    def summary(self) -> dict[str, Any]:
        """Counts for ``harvester status``."""
        with self.reader() as con:
            papers, with_repo, mentions, repos = _one(
                con,
                "SELECT count(*), count(*) FILTER (WHERE paper_id IN"
                " (SELECT paper_id FROM mentions WHERE kind = 'repo')),"
                " (SELECT count(*) FROM mentions), (SELECT count(*) FROM repos) FROM papers",
            )
            snap = _one(
                con, "SELECT count(*), min(fetched_at), max(fetched_at) FROM repo_snapshots"
            )
            by_status = dict(
                con.execute(
                    "SELECT status, count(*) FROM repo_names GROUP BY status ORDER BY status"
                ).fetchall()
            )
            runs = con.execute(
                "SELECT run_id, command, status, started_at, finished_at, papers, new_papers,"
                " new_mentions, repos_fetched, requests, message, pid, hostname FROM runs"
                " ORDER BY run_id DESC LIMIT 5"
            ).fetchall()
            version = migrate.current_version(con)
            cursors = (
                con.execute(
                    "SELECT source, query, newest_date FROM source_cursors ORDER BY source, query"
                ).fetchall()
                if version >= 2
                else []
            )
        return {
            "database": str(self.path),
            "schema_version": version,
            "papers": papers,
            "papers_with_repo": with_repo,
            "mentions": mentions,
            "repos": repos,
            "names": by_status,
            "snapshots": snap[0],
            "snapshot_span": (snap[1], snap[2]),
            "runs": runs,
            "cursors": cursors,
        }


def _interrupted(exc: BaseException) -> bool:
    """DuckDB turns Ctrl-C during a query into RuntimeError('Query interrupted')."""
    return isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()


# ``sql`` and reports run arbitrary SQL: with these, it reads the database file and nothing else
# (no COPY TO / EXPORT / ATTACH / read_text of other files, no INSTALL, no extension download or
# load), and ``lock_configuration`` (set in ``Store._open`` once the time zone is set: ICU's
# ``TimeZone`` is not known at connect time) stops a statement from switching them back.
SANDBOX_SETTINGS: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def _connect_reader(path: Path, sandboxed: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=SANDBOX_SETTINGS if sandboxed else {})


def _connect_writer(path: Path, storage_version: str | None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the file attached as the default catalog: ``ATTACH`` is
    the only way to choose the row group size (``duckdb.connect`` has no such option)."""
    con = duckdb.connect(config=WRITER_SETTINGS)
    try:
        quoted = str(path).replace("'", "''")
        options = f"ROW_GROUP_SIZE {WRITE_ROW_GROUP}"
        if storage_version and not path.exists():  # a file keeps the format it was created in
            options += f", STORAGE_VERSION '{storage_version}'"
        con.execute(f"ATTACH '{quoted}' AS {_ALIAS} ({options})")
        con.execute(f"USE {_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise QueryError(f"invalid parameter name {name!r}")
    return name


MENTION_COLUMNS = ("paper_id", "repo_name", "source_field", "kind", "repo", "url", "first_run_id")


def insert_mentions(con: duckdb.DuckDBPyConnection, rows: Iterable[Sequence[Any]]) -> None:
    """The bulk path for mentions: Appender into a staging table, then INSERT of the rows not
    stored yet. ``rows`` must be unique by (paper_id, repo_name, source_field, kind); the table
    has no key (schema 0003), so this keeps it unique across batches, cheaply:

    mentions are only ever stored together with their paper, so a paper not in ``papers`` yet
    has none stored and its rows go in unchecked; only the rows of papers stored before are
    compared, with those papers' stored mentions. Every join builds on the batch's side, so
    memory does not grow with the table. Call it before the batch's papers are written.
    """
    _stage(con, "stage_mentions", "mentions", MENTION_COLUMNS, rows)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_known AS SELECT DISTINCT s.paper_id"
        " FROM stage_mentions s JOIN papers p ON p.paper_id = s.paper_id"
    )
    con.execute(
        "INSERT INTO mentions SELECT s.* FROM stage_mentions s"
        " WHERE s.paper_id NOT IN (SELECT paper_id FROM stage_known)"
    )
    known = con.execute("SELECT count(*) FROM stage_known").fetchone()
    if known and known[0]:
        con.execute(
            "INSERT INTO mentions SELECT s.* FROM stage_mentions s"
            " JOIN stage_known k ON k.paper_id = s.paper_id"
            " WHERE NOT EXISTS (SELECT 1 FROM ("
            "   SELECT m.paper_id, m.repo_name, m.source_field, m.kind FROM mentions m"
            "   JOIN stage_known k2 ON k2.paper_id = m.paper_id) e"
            " WHERE e.paper_id = s.paper_id AND e.repo_name = s.repo_name"
            " AND e.source_field = s.source_field AND e.kind = s.kind)"
        )


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None  # aggregate queries always return one row
    return tuple(row)


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM mentions),"
        " (SELECT count(*) FROM repo_names)"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def _stage(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    like: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Create a temp table shaped like ``like``'s ``columns`` and bulk-append ``rows``."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {stage} AS SELECT {', '.join(columns)} FROM {like} LIMIT 0"
    )
    _append(con, stage, rows)


def _append(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Sequence[Any]]) -> None:
    appender = con.appender(table)
    appender.append_rows(rows)
    appender.flush()


def _repo_row(repo: RepoStats, etag: str | None, now: dt.datetime) -> tuple[Any, ...]:
    return (
        repo.repo_id,
        repo.full_name,
        repo.stars,
        repo.forks,
        repo.watchers,
        repo.open_issues,
        repo.language,
        repo.license,
        list(repo.topics),
        repo.description,
        repo.homepage,
        repo.created_at,
        repo.pushed_at,
        repo.updated_at,
        repo.archived,
        repo.is_fork,
        etag,
        now,
    )
