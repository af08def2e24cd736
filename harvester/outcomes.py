"""Where the fetch engine's outcomes go: committed in small batches on a writer thread.

The README texts the stats batch reads (GraphQL ``object(expression:)``, issue 13) travel with
the outcomes and are checked for back-links to the papers (``readmes.record_readmes``) right after
their repositories are stored, so the readme channel needs no request for them.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from harvester import readmes
from harvester.github.engine import Engine
from harvester.models import Outcome, RepoStats
from harvester.store import Store

if TYPE_CHECKING:
    from harvester.harvest import Summary

FLUSH_OUTCOMES = 500
FLUSH_SECONDS = 1.0


class OutcomeSink:
    """Commits outcomes every ``FLUSH_OUTCOMES`` or ``FLUSH_SECONDS``, on a writer thread.

    The write (a DuckDB transaction, ~100 ms with opening and closing the file) overlaps the
    next requests instead of stalling them; one write is in flight at a time, and ``close``
    writes the rest and waits, also on Ctrl-C, so nothing fetched is dropped.
    """

    def __init__(self, store: Store, run_id: int, engine: Engine, summary: Summary) -> None:
        self.store = store
        self.run_id = run_id
        self.engine = engine
        self.summary = summary
        self.buffer: list[Outcome] = []
        self.last = time.monotonic()
        self.requests_handed = 0
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="harvester-store")
        self._pending: Future[None] | None = None
        self.readmes: list[tuple[int, str | None]] = []  # (repo_id, text) from the stats batch
        self._readmes_lock = threading.Lock()  # the hook may fire on several fetch threads

    def readme(self, repo: RepoStats, text: str) -> None:
        """The engine's ``readme_hook``: keep the text until its repository is stored."""
        with self._readmes_lock:
            self.readmes.append((repo.repo_id, text))

    def __call__(self, outcomes: list[Outcome]) -> None:
        self.buffer.extend(outcomes)
        if len(self.buffer) >= FLUSH_OUTCOMES or time.monotonic() - self.last >= FLUSH_SECONDS:
            self._hand_off()

    def _hand_off(self) -> None:
        batch, self.buffer = self.buffer, []
        with self._readmes_lock:
            texts, self.readmes = self.readmes, []
        requests = self.engine.requests - self.requests_handed
        self.requests_handed += requests
        self._wait()  # the previous write first: its error surfaces here
        if batch or requests or texts:
            self._pending = self._writer.submit(self._write, batch, requests, texts)
        self.last = time.monotonic()

    def _write(
        self, batch: list[Outcome], requests: int, texts: list[tuple[int, str | None]]
    ) -> None:
        fetched = self.store.save_outcomes(batch, self.run_id, requests)
        if texts:  # after the outcomes: a README's papers are found through its repository
            readmes.record_readmes(self.store, texts)
        self.summary.fetched += fetched
        self.summary.outcomes.update(
            "unchanged" if o.not_modified else str(o.status) for o in batch
        )

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Write what is buffered and wait for it (also when unwinding from an error)."""
        try:
            self._hand_off()
            self._wait()
        finally:
            self._writer.shutdown(wait=True)
