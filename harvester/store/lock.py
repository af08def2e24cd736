"""One harvest/refresh job per database file, enforced with an advisory lock on ``<db>.lock``.

DuckDB's own file lock is held only while a batch is written, so it cannot stop two jobs from
interleaving; this lock can. The kernel releases it when the process dies (even on SIGKILL), so
a crashed job never leaves the file locked.

The lock sits beside the database's *resolved* path (symlinks and ``..`` followed), so two
spellings of one file (``./a/../h.duckdb``, a symlink to it) share one lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from harvester.errors import StoreError, StoreLockedError


class JobLock:
    def __init__(self, db_path: Path) -> None:
        real = Path(os.path.realpath(db_path))
        self.path = real.with_name(real.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> JobLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot write beside the database: {self.path} (the job lock): {exc.strerror}"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StoreLockedError(
                f"another harvester job (PID {holder}) is writing {self.path.with_suffix('')}; "
                "wait for it to finish or use another --db"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd
        return self

    def holder(self) -> int | None:
        """The PID the lock file names: while a job holds the lock, that job's (a released lock
        is emptied). Only reads the file: taking the lock, even for a moment, could refuse a
        job starting then."""
        try:
            text = self.path.read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
