"""Connections to the database file: short write transactions, read-only readers, lock waits
and DuckDB's errors translated into one-line ``StoreError``s.

* **Short write transactions.** DuckDB lets one process hold a database file at a time, so a
  harvest opens a connection per batch, writes it in one transaction and closes it. Between
  batches ``report``, ``sql`` and ``status`` can read the file (they wait briefly and retry
  while a batch is being written) and never see half a batch.
* **Only writers migrate.** The schema is brought up to date by the first write transaction of
  a ``Database``; a reader never writes, and refuses a file newer than this harvester.
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
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from harvester.errors import StoreError, StoreLockedError
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


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def interrupted(exc: BaseException) -> bool:
    """DuckDB turns Ctrl-C during a query into RuntimeError('Query interrupted')."""
    return isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()


class Database:
    """A database file. Cheap to construct; connections are opened per operation."""

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
            # DuckDB draws a progress bar on standard output, a file or a pipe included, for
            # any statement over 2 s (a migration or refresh of a big file, a long query): it
            # would land in a redirected CSV report or harvest log. Off for every connection.
            con.execute("SET enable_progress_bar_print = false")
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
            return StoreError(f"cannot open {self.path}: {first_line(exc)}")
        if "serialization" in lowered and "version" in lowered:
            return StoreError(f"{self.path} was written by an incompatible DuckDB version")
        return StoreError(f"database {self.path}: {first_line(exc)}")

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
                if interrupted(exc):
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


# ``sql`` and reports run arbitrary SQL: with these, it reads the database file and nothing else
# (no COPY TO / EXPORT / ATTACH / read_text of other files, no INSTALL, no extension download or
# load), and ``lock_configuration`` (set in ``Database._open`` once the time zone is set: ICU's
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
