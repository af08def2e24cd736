"""Orchestration hooks: ``papers_committed`` runs only once every paper is committed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester import harvest
from harvester.errors import SourceError, StoreError
from harvester.models import Paper
from harvester.store import Store


def test_papers_committed_runs_after_the_last_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)
    store = Store(tmp_path / "h.duckdb")
    seen: list[tuple[int, int]] = []

    def committed(run_id: int) -> None:
        seen.append((run_id, len(store.query(["SELECT * FROM papers"]).rows)))

    papers = [Paper(f"2501.0000{i}", "t", title=f"P{i}") for i in range(1, 6)]
    summary = harvest.harvest(store, papers, args="t", github=None, papers_committed=committed)
    assert seen == [(summary.run_id, 5)]


def test_papers_committed_is_skipped_when_reading_fails(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    called: list[int] = []

    def papers() -> Iterator[Paper]:
        yield Paper("2501.00001", "t", title="kept")
        raise SourceError("arXiv went away")

    with pytest.raises(SourceError):
        harvest.harvest(store, papers(), args="t", github=None, papers_committed=called.append)
    assert called == []
    assert store.query(["SELECT status FROM runs"]).rows == [("failed",)]


def test_batches_read_before_a_failure_are_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are written on a writer thread while the next is read; a failure while reading
    still lets every batch read before it land, as when batches were written in line."""
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)
    store = Store(tmp_path / "h.duckdb")

    def papers() -> Iterator[Paper]:
        for i in range(1, 6):
            yield Paper(f"2501.0000{i}", "t", title=f"P{i}")
        raise SourceError("arXiv went away")

    with pytest.raises(SourceError):
        harvest.harvest(store, papers(), args="t", github=None)
    rows = store.query(["SELECT paper_id FROM papers ORDER BY paper_id"]).rows
    assert rows == [(f"2501.0000{i}",) for i in range(1, 5)]  # the 5th was in an unfinished batch
    assert store.query(["SELECT status, new_papers FROM runs"]).rows == [("failed", 4)]


def test_a_failed_write_stops_the_harvest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)
    store = Store(tmp_path / "h.duckdb")
    calls: list[int] = []
    save = store.save_batch

    def failing_save(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise StoreError("disk full")
        return save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "save_batch", failing_save)
    papers = (Paper(f"2501.0000{i}", "t", title=f"P{i}") for i in range(1, 10))
    with pytest.raises(StoreError, match="disk full"):
        harvest.harvest(store, papers, args="t", github=None)
    assert len(calls) == 2  # nothing is written after the failed batch
    assert store.query(["SELECT count(*) FROM papers"]).rows == [(2,)]


def test_the_gil_switch_interval_is_short_while_papers_are_stored_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer thread waits for the GIL at the end of each statement for up to the switch
    interval: shortened while papers are stored, and given back, even when reading fails."""
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)
    store = Store(tmp_path / "h.duckdb")
    seen: list[float] = []
    save = store.save_batch

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(sys.getswitchinterval())
        return save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "save_batch", recording)
    before = sys.getswitchinterval()

    def papers() -> Iterator[Paper]:
        yield from (Paper(f"2501.0000{i}", "t", title=f"P{i}") for i in range(1, 6))
        raise SourceError("arXiv went away")

    with pytest.raises(SourceError):
        harvest.harvest(store, papers(), args="t", github=None)
    assert len(seen) == 2 and max(seen) < before
    assert sys.getswitchinterval() == before
