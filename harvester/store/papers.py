"""Papers and their mentions: one batch per transaction, idempotent. Functions of an open
write connection; ``Store`` opens it. The Python side of a batch (its staging columns and rows)
is ``harvester.paper_batch``, pure, so that a worker process can prepare it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb

from harvester.models import Mention, Paper
from harvester.paper_batch import LIST_SEPARATORS, PAPER_COLUMNS, PaperBatch
from harvester.store import bulk, runs, statements

__all__ = [
    "MENTION_COLUMNS",
    "PAPER_COLUMNS",
    "PaperBatch",
    "SaveCounts",
    "insert_mentions",
    "save_batch",
    "save_papers",
]

_SQL = statements.group("papers")

_LIST_COLUMNS = tuple(LIST_SEPARATORS)
# Descriptive fields keep the first non-null value seen; hint fields that change over time on
# Hugging Face (stars, upvotes, the githubRepo its authors may add later) take the newest, and so
# do the bibliographic ones (arXiv adds a DOI or journal reference, reclassifies, in a later
# version). Either way a null never replaces a known value: a paper seen again from a poorer
# source (a listing without categories) keeps what a richer one gave it, and gains what it lacked.
_KEEP_FIRST = ("title", "abstract", "comment", "published_at", "url", "listed_on")
_TAKE_NEWEST = (
    *("hf_github_repo", "hf_github_stars", "project_page", "upvotes", "organization"),
    *_LIST_COLUMNS,
    *("primary_category", "doi", "journal_ref", "license"),
)


@cache
def _statements(columns: tuple[str, ...]) -> tuple[str, str, str]:
    """The staging table's shape, the upsert of stored papers and the insert of new ones, for a
    batch that stages ``columns`` (those of ``PAPER_COLUMNS`` not null in every paper of it).

    A column null throughout the batch is neither staged nor written: a new row gets null there
    anyway, and a stored one keeps its value (a null never replaces a known value). Nor are the
    run and the time, the same for the whole batch: they are parameters. (The Appender spends
    0.3-2 us a row on each column: the snapshot's papers leave 6 of the 19 null.) Papers stored
    before (``stage_known``) are merged into their rows; the others, all of a batch of a first
    harvest, are a plain insert: ON CONFLICT costs ~15 us a row even when nothing conflicts."""
    shape = [f"NULL::VARCHAR AS {c}" if c in LIST_SEPARATORS else c for c in columns]
    values = [
        f"string_split({c}, '{LIST_SEPARATORS[c]}')" if c in LIST_SEPARATORS else c for c in columns
    ]
    insert = (
        f"INSERT INTO papers ({', '.join(columns)}, first_run_id, harvested_at) "
        f"SELECT {', '.join(values)}, $run_id, $now FROM stage_papers "
    )
    merged = [f"{c} = coalesce(papers.{c}, EXCLUDED.{c})" for c in _KEEP_FIRST if c in columns]
    merged += [f"{c} = coalesce(EXCLUDED.{c}, papers.{c})" for c in _TAKE_NEWEST if c in columns]
    upsert = insert + "WHERE paper_id IN (SELECT paper_id FROM stage_known) ON CONFLICT (paper_id) "
    upsert += f"DO UPDATE SET {', '.join(merged)}" if merged else "DO NOTHING"
    new = insert + "WHERE paper_id NOT IN (SELECT paper_id FROM stage_known)"
    return ", ".join(shape), upsert, new


MENTION_COLUMNS = (
    "paper_id",
    "repo_name",
    "source_field",
    "kind",
    "repo",
    "url",
    "first_run_id",
    "locus",  # schema 0007: not part of the key; a reader lists the strongest occurrence first
    "context",
)


@dataclass(frozen=True, slots=True)
class SaveCounts:
    papers: int = 0
    new_papers: int = 0
    new_mentions: int = 0
    new_names: int = 0


def save_papers(
    con: duckdb.DuckDBPyConnection,
    papers: Sequence[Paper],
    mentions: Sequence[Mention],
    run_id: int,
    now: dt.datetime,
) -> SaveCounts:
    """Store a batch of papers and their mentions (idempotent) and add to the run's counts."""
    return save_batch(con, PaperBatch.of(papers, mentions), run_id, now)


def save_batch(
    con: duckdb.DuckDBPyConnection, batch: PaperBatch, run_id: int, now: dt.datetime
) -> SaveCounts:
    """Store a prepared batch (``PaperBatch.of``) and add to the run's counts."""
    before = _counts(con)
    shape, upsert, insert = _statements(batch.columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage_papers AS SELECT {shape} FROM papers LIMIT 0")
    bulk.append(con, "stage_papers", batch.rows())
    bulk.stage(
        con,
        "stage_mentions",
        "mentions",
        MENTION_COLUMNS,
        ((*m[:6], run_id, *m[6:]) for m in batch.mentions),
    )
    # One look at the stored papers for the whole batch, before anything of it is written: the
    # papers and the mentions' papers stored already (the rest are new, and so are their rows).
    con.execute(_SQL["known_papers_of_batch"])
    known = _count_known(con)
    _insert_staged_mentions(con, known)
    params = {"run_id": run_id, "now": now}
    if known:
        con.execute(upsert, params)
    con.execute(insert, params)
    con.execute(_SQL["pending_names"], {"now": now})
    after = _counts(con)
    papers = len(batch.paper_ids)
    counts = SaveCounts(
        papers=papers,
        new_papers=after[0] - before[0],
        new_mentions=after[1] - before[1],
        new_names=after[2] - before[2],
    )
    runs.add_counts(
        con, run_id, papers=papers, new_papers=counts.new_papers, new_mentions=counts.new_mentions
    )
    return counts


def insert_mentions(con: duckdb.DuckDBPyConnection, rows: Iterable[Sequence[Any]]) -> None:
    """The bulk path for mentions: Appender into a staging table, then INSERT of the rows not
    stored yet. ``rows`` must be unique by (paper_id, repo_name, source_field, kind); the table
    has no key (schema 0003), so this keeps it unique across batches, cheaply:

    mentions are only ever stored together with their paper, so a paper not in ``papers`` yet
    has none stored and its rows go in unchecked; only the rows of papers stored before are
    compared, with those papers' stored mentions. Every join builds on the batch's side, so
    memory does not grow with the table. Call it before the batch's papers are written.
    """
    bulk.stage(con, "stage_mentions", "mentions", MENTION_COLUMNS, rows)
    con.execute(_SQL["known_papers"])
    _insert_staged_mentions(con, _count_known(con))


def _insert_staged_mentions(con: duckdb.DuckDBPyConnection, known: int) -> None:
    """``stage_mentions`` into ``mentions``, given ``stage_known``: the stored papers among
    (at least) the staged mentions' papers, ``known`` of them."""
    con.execute(_SQL["insert_mentions_of_new_papers"])
    if known:
        con.execute(_SQL["insert_new_mentions_of_known_papers"])


def _count_known(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(_SQL["count_known"]).fetchone()
    return int(row[0]) if row else 0


def _counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    row = con.execute(_SQL["counts"]).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])
