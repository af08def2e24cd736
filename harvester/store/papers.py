"""Papers and their mentions: one batch per transaction, idempotent. Functions of an open
write connection; ``Store`` opens it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

import duckdb

from harvester.models import Mention, Paper
from harvester.store import bulk, runs, statements

_SQL = statements.group("papers")

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
    "authors",
    "categories",
    "primary_category",
    "doi",
    "journal_ref",
    "license",
)
# Tuples on Paper, VARCHAR[] in papers, () stored as null. They are staged as one string each
# (joined by _LIST_SEPARATORS) and split by the upsert: the Appender takes a string ~6x faster
# than a list (80k rows of 6 authors and 2 categories: 1.3 s as lists, 0.2 s + 0.2 s to split).
# Categories never hold a space (arXiv writes them space-separated); names never hold U+001F.
_LIST_SEPARATORS = {"authors": "\x1f", "categories": " "}
_LIST_COLUMNS = tuple(_LIST_SEPARATORS)
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
    shape = [f"NULL::VARCHAR AS {c}" if c in _LIST_SEPARATORS else c for c in columns]
    values = [
        f"string_split({c}, '{_LIST_SEPARATORS[c]}')" if c in _LIST_SEPARATORS else c
        for c in columns
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
    latest: dict[str, Paper] = {}
    for paper in papers:
        latest[paper.paper_id] = paper
    seen: dict[tuple[str, str, str, str], Mention] = {}
    for m in mentions:
        seen.setdefault((m.paper_id, m.repo_name, m.source_field, m.kind), m)
    before = _counts(con)
    columns, rows = paper_columns(latest.values())
    shape, upsert, insert = _statements(columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE stage_papers AS SELECT {shape} FROM papers LIMIT 0")
    bulk.append(con, "stage_papers", rows)
    bulk.stage(
        con,
        "stage_mentions",
        "mentions",
        MENTION_COLUMNS,
        (
            (
                m.paper_id,
                m.repo_name,
                m.source_field,
                m.kind,
                m.repo,
                m.url,
                run_id,
                m.locus,
                m.context,
            )
            for m in seen.values()
        ),
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
    counts = SaveCounts(
        papers=len(latest),
        new_papers=after[0] - before[0],
        new_mentions=after[1] - before[1],
        new_names=after[2] - before[2],
    )
    runs.add_counts(
        con,
        run_id,
        papers=len(latest),
        new_papers=counts.new_papers,
        new_mentions=counts.new_mentions,
    )
    return counts


_PAPER_VALUES = attrgetter(*PAPER_COLUMNS)
_LIST_AT = tuple((PAPER_COLUMNS.index(c), sep) for c, sep in _LIST_SEPARATORS.items())


def paper_columns(papers: Iterable[Paper]) -> tuple[tuple[str, ...], Iterator[tuple[Any, ...]]]:
    """The staging table's columns for ``papers`` (the ``PAPER_COLUMNS`` not null in every one
    of them) and its rows: each paper's fields by name, the author and category lists joined
    into one string, an empty one as null (so that the upsert keeps a list stored before).
    Built column by column (``zip``), so that the per-paper work is done in C."""
    by_column = list(zip(*map(_PAPER_VALUES, papers), strict=True))
    if not by_column:
        return PAPER_COLUMNS[:1], iter(())
    for i, sep in _LIST_AT:
        by_column[i] = tuple([sep.join(v) if v else None for v in by_column[i]])
    size = len(by_column[0])
    kept = [i for i, values in enumerate(by_column) if values.count(None) != size or i == 0]
    return tuple(PAPER_COLUMNS[i] for i in kept), zip(*[by_column[i] for i in kept], strict=True)


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
