"""Reading files in a worker process (harvester/worker.py): the same tables, counts, errors and
committed batches as reading them in the harvest's own process, and a worker that dies is one
line, not a hang. Batches are made small (``harvest.PAPER_BATCH``, which the parent hands the
worker) so that every path crosses several of them."""

from __future__ import annotations

import json
import os
import pickle
import signal
from pathlib import Path
from typing import Any

import pytest

from harvester import harvest, worker
from harvester.errors import HarvesterError, InputError
from harvester.models import Mention, Paper
from harvester.paper_batch import PaperBatch
from harvester.sources.files import read_inputs
from harvester.store import Store

DUMP = {
    "papers": "SELECT * EXCLUDE (harvested_at) FROM papers ORDER BY paper_id",
    "mentions": "SELECT * FROM mentions ORDER BY ALL",
    "repo_names": "SELECT * EXCLUDE (first_seen_at, checked_at) FROM repo_names ORDER BY ALL",
    "runs": "SELECT run_id, status, papers, new_papers, new_mentions, message FROM runs",
    "paper_code": "SELECT * FROM paper_code ORDER BY ALL",
}


def _line(i: int, **extra: Any) -> str:
    record = {
        "id": f"2401.{i:05d}",
        "title": f"Paper {i}",
        "abstract": f"We study {i}." + f" Code: https://github.com/lab{i % 3}/tool-{i}." * (i % 2),
        "authors": f"A. One{i} and B. Two",
        "categories": "cs.LG cs.CV" if i % 4 else "cs.CL",
        "doi": f"10.1/{i}" if i % 5 == 0 else None,
        **extra,
    }
    return json.dumps(record) + "\n"


def _inputs(tmp_path: Path) -> list[str]:
    """Two files, 24 lines of 22 papers: one twice in a batch with other values (the last
    wins), one again in the second file (stored already: merged)."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    lines = [_line(i) for i in range(15)]
    a.write_text("".join([*lines[:2], _line(1, title="Paper 1, again"), *lines[2:]]))
    b.write_text("".join(_line(i) for i in range(15, 22)) + _line(2, doi="10.9/two"))
    return [str(a), str(b)]


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {table: store.query([sql]).rows for table, sql in DUMP.items()}


class Counting:
    def __init__(self) -> None:
        self.read: list[int] = []

    def papers(self, read: int) -> None:
        self.read.append(read)

    def sleep(self, seconds: float) -> None:  # pragma: no cover - no waits without GitHub
        raise AssertionError

    def __getattr__(self, name: str) -> Any:  # pragma: no cover - the fetch reporter's hooks
        raise AssertionError(name)


def test_the_worker_gives_the_tables_and_counts_of_reading_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 4)  # 6 batches
    specs = _inputs(tmp_path)
    results = []
    for label, papers in (
        ("here", lambda: read_inputs(specs)),
        ("worker", lambda: worker.ReaderProcess(specs)),
    ):
        store = Store(tmp_path / f"{label}.duckdb")
        reporter = Counting()
        summary = harvest.harvest(store, papers(), args="t", github=None, reporter=reporter)  # type: ignore[arg-type]
        again = harvest.harvest(store, papers(), args="t", github=None)  # all stored: merged
        results.append(((summary, again), reporter.read, _tables(store)))
    (here, here_read, here_tables), (there, there_read, there_tables) = results
    assert there == here
    assert there_read == here_read == [3, 7, 11, 15, 19, 23]  # a paper twice in a batch: once
    assert there_tables == here_tables
    assert len(here_tables["papers"]) == 22 and len(here_tables["mentions"]) == 11
    assert here[0].new_mentions == 11 and here[1].new_papers == 0


def test_a_bad_line_stops_with_the_same_message_after_committing_the_batches_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 3)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(_line(i) for i in range(7)) + "{not json\n" + _line(8))
    failures = []
    for label, papers in (
        ("here", read_inputs([str(bad)])),
        ("worker", worker.ReaderProcess([str(bad)])),
    ):
        store = Store(tmp_path / f"{label}.duckdb")
        with pytest.raises(InputError) as raised:
            harvest.harvest(store, papers, args="t", github=None)  # type: ignore[arg-type]
        failures.append((type(raised.value), str(raised.value), _tables(store)))
    assert failures[1] == failures[0]
    _, message, tables = failures[1]
    assert message.startswith(f"{bad}: line 8") and "invalid JSON" in message
    assert len(tables["papers"]) == 6  # two whole batches; the 7th paper's batch never ended
    assert [row[1:4] for row in tables["runs"]] == [("failed", 6, 6)]


def test_a_worker_that_dies_is_one_line_and_the_batches_before_it_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)
    big = tmp_path / "big.jsonl"  # far more than the pipe holds: the worker is still reading
    big.write_text("".join(_line(i, abstract="x " * 2000) for i in range(3000)))
    reader = worker.ReaderProcess([str(big)])
    store = Store(tmp_path / "h.duckdb")
    save = store.save_batch
    killed: list[int] = []

    def save_then_kill(batch: PaperBatch, run_id: int) -> Any:
        if not killed:
            assert reader.process is not None and reader.process.poll() is None
            os.kill(reader.process.pid, signal.SIGKILL)
            killed.append(reader.process.pid)
        return save(batch, run_id)

    monkeypatch.setattr(store, "save_batch", save_then_kill)
    with pytest.raises(worker.ReaderDied) as raised:
        harvest.harvest(store, reader, args="t", github=None)
    message = str(raised.value)
    assert "\n" not in message
    assert "the process reading the inputs was killed by signal 9" in message
    assert "run the same command again" in message
    assert reader.process is None  # reaped
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)
    papers, status = store.query(["SELECT count(*), any_value(status) FROM papers, runs"]).rows[0]
    assert papers >= 2 and papers % 2 == 0 and status == "failed"


def test_the_worker_is_reaped_when_the_reading_stops_early(tmp_path: Path) -> None:
    """The parent stops asking (Ctrl-C, a failed write): the worker is killed and reaped."""
    big = tmp_path / "big.jsonl"
    big.write_text("".join(_line(i, abstract="y " * 2000) for i in range(3000)))
    reader = worker.ReaderProcess([str(big)])
    with reader.batches(5) as batches:
        first = next(batches)
        assert reader.process is not None
        pid = reader.process.pid
    assert first.paper_ids == [f"2401.{i:05d}" for i in range(5)]
    assert reader.process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_worker_imports_nothing_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A harvest run where a ``json.py`` (or any module named like the standard library's)
    lies: the worker reads with the real one, as the parent does."""
    data = tmp_path / "data.jsonl"
    data.write_text("".join(_line(i) for i in range(7)))
    here = tmp_path / "work"
    here.mkdir()
    (here / "json.py").write_text("raise SystemExit('the json.py of the working directory')\n")
    monkeypatch.chdir(here)
    reader = worker.ReaderProcess([str(data)])
    with reader.batches(5) as batches:
        ids = [paper_id for batch in batches for paper_id in batch.paper_ids]
    assert ids == [f"2401.{i:05d}" for i in range(7)]


def test_usage_errors_in_the_worker_come_back_as_themselves(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(_line(1))
    with (
        pytest.raises(HarvesterError, match="unknown format 'nope'") as raised,
        worker.ReaderProcess([str(tmp_path / "a.jsonl")], "nope").batches(5) as batches,
    ):
        next(batches)
    assert raised.value.exit_code == 2


def test_which_inputs_go_through_a_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    small.write_text(_line(1))
    large.write_text(_line(2) * 50)
    monkeypatch.setenv(worker.MIN_BYTES_ENV, str(large.stat().st_size))
    assert worker.wanted([str(large)])
    assert not worker.wanted([str(small)])
    assert worker.wanted([str(small), str(large)])
    assert worker.wanted([str(tmp_path)])  # a directory: its files
    assert not worker.wanted([str(large), "-"])  # stdin: never
    monkeypatch.delenv(worker.MIN_BYTES_ENV)
    assert large.stat().st_size < worker.MIN_BYTES
    assert not worker.wanted([str(large)])
    with pytest.raises(InputError, match="no such file"):
        worker.wanted([str(tmp_path / "missing.jsonl")])


def test_a_batch_counts_a_repeated_paper_and_mention_once_and_pickles() -> None:
    first = Paper("2", "s", title="First", authors=("A", "B"))
    batch = PaperBatch.of(
        [first, Paper("1", "s", upvotes=0), Paper("2", "s", title="Last", categories=("x",))],
        [Mention("2", "a/b", "title", "u1"), Mention("2", "a/b", "title", "u2")],
    )
    assert batch.columns == ("paper_id", "source", "title", "upvotes", "categories")
    assert list(batch.rows()) == [("2", "s", "Last", None, "x"), ("1", "s", None, 0, None)]
    assert batch.mentions == [("2", "a/b", "title", "repo", "a/b", "u1", None, None)]
    assert pickle.loads(pickle.dumps(batch)) == batch


def test_an_exception_that_does_not_pickle_is_sent_as_its_name_and_message() -> None:
    class Odd(Exception):
        def __init__(self, a: int, b: int) -> None:
            super().__init__(f"{a}+{b}")

    sent = worker._portable(Odd(1, 2))
    assert type(sent) is RuntimeError and str(sent) == "Odd: 1+2"
    kept = worker._portable(ValueError("bad value"))
    assert type(kept) is ValueError and str(kept) == "bad value"
    assert "in the worker process" in "".join(kept.__notes__)  # the traceback, not the message
    error = worker._portable(InputError("x.jsonl: line 2: bad"))
    assert str(error) == "x.jsonl: line 2: bad" and not getattr(error, "__notes__", None)


def test_the_command_line_says_the_same_and_exits_the_same_for_a_bad_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from harvester.cli import app

    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(_line(i) for i in range(5)) + "{not json\n")
    said = []
    for threshold in (str(1 << 62), "0"):  # in this process; through the worker
        monkeypatch.setenv(worker.MIN_BYTES_ENV, threshold)
        db = tmp_path / f"{threshold}.duckdb"
        result = CliRunner().invoke(app, ["harvest", str(bad), "--no-stats", "--db", str(db)])
        said.append((result.exit_code, result.stderr))
    assert said[0] == said[1]
    assert said[1][0] == 3
    assert said[1][1].strip() == f"harvester: error: {bad}: line 6, column 2: invalid JSON: " + (
        "Expecting property name enclosed in double quotes"
    )
