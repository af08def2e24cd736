"""store/papers.py's write path: new papers inserted, stored ones merged, in one batch; only
the columns a batch fills are staged, and a column null throughout a batch changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from harvester.models import Mention, Paper
from harvester.paper_batch import PaperBatch
from harvester.store import Store
from harvester.store.papers import PAPER_COLUMNS

ROW = "SELECT paper_id, source, title, doi, categories, hf_github_stars, first_run_id FROM papers"


def test_a_batch_of_new_and_stored_papers_inserts_and_merges(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "")
    stored = Paper("2501.00001", "hf_daily", title="First", doi="10.1/a", hf_github_stars=4)
    store.save_papers([stored], [], run)
    later, _ = store.begin_run("harvest", "")
    batch = [
        Paper("2501.00001", "arxiv", title="Second", categories=("cs.LG",)),  # stored: merged
        Paper("2501.00002", "arxiv", title="New"),  # new: inserted; doi, stars null in the batch
    ]
    mentions = [
        Mention("2501.00002", "a/b", "title", "https://github.com/a/b"),
        Mention("2501.00001", "c/d", "title", "https://github.com/c/d"),
    ]
    counts = store.save_papers(batch, mentions, later)
    assert (counts.papers, counts.new_papers, counts.new_mentions) == (2, 1, 2)
    assert store.query([f"{ROW} ORDER BY 1"]).rows == [
        ("2501.00001", "hf_daily", "First", "10.1/a", ["cs.LG"], 4, run),
        ("2501.00002", "arxiv", "New", None, None, None, later),
    ]
    again = store.save_papers(batch, mentions, later)  # all stored now: nothing new
    assert (again.new_papers, again.new_mentions) == (0, 0)
    assert store.query(["SELECT count(*) FROM mentions"]).rows == [(2,)]
    with store.reader() as con:
        stamped = con.execute("SELECT count(*) FROM papers WHERE harvested_at IS NULL").fetchone()
    assert stamped == (0,)


def test_a_mention_of_a_stored_paper_not_in_the_batch_is_not_stored_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "")
    mention = Mention("2501.00001", "a/b", "abstract", "https://github.com/a/b")
    store.save_papers([Paper("2501.00001", "jsonl")], [mention], run)
    counts = store.save_papers([Paper("2501.00009", "jsonl")], [mention], run)
    assert counts.new_mentions == 0
    assert store.query(["SELECT count(*) FROM mentions"]).rows == [(1,)]


def test_staged_columns_are_those_the_batch_fills() -> None:
    papers = [
        Paper("1", "s", title="T", authors=("A B", "C"), published_at=dt.date(2025, 1, 2)),
        Paper("2", "s", upvotes=0, authors=()),  # 0 is a value; () is null
    ]
    batch = PaperBatch.of(papers, [])
    columns, rows = batch.columns, batch.rows()
    assert columns == ("paper_id", "source", "title", "published_at", "upvotes", "authors")
    assert list(rows) == [
        ("1", "s", "T", dt.date(2025, 1, 2), None, "A B\x1fC"),
        ("2", "s", None, None, 0, None),
    ]
    empty = PaperBatch.of([], [])
    empty_columns, empty_rows = empty.columns, empty.rows()
    assert set(empty_columns) <= set(PAPER_COLUMNS) and list(empty_rows) == []
