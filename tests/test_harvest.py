"""Orchestration hooks: ``papers_committed`` runs only once every paper is committed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester import harvest
from harvester.errors import SourceError
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
