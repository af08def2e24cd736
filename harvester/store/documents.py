"""Documents fetched by ``harvester follow`` (schema 0007): the job's checkpoint. Functions of
an open connection; ``Store`` opens it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from harvester.store import bulk, statements

_SQL = statements.group("documents")

DOCUMENT_COLUMNS = (
    "url",
    "paper_id",
    "channel",
    "status",
    "why",
    "final_url",
    "content_type",
    "fetched_at",
    "etag",
    "bytes",
    "sha256",
    "mentions",
    "run_id",
)


@dataclass(frozen=True, slots=True)
class Document:
    """One fetch (or refusal) of ``url`` for ``paper_id`` through ``channel``."""

    url: str
    paper_id: str
    channel: str
    status: int | None = None  # HTTP status of the final answer; None: not fetched
    why: str | None = None  # why not fetched or not read; None: read
    final_url: str | None = None
    content_type: str | None = None
    etag: str | None = None
    bytes: int | None = None
    sha256: str | None = None
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class FollowPaper:
    """What following a paper starts from."""

    paper_id: str
    source: str
    title: str | None
    abstract: str | None
    comment: str | None
    project_page: str | None
    hf_github_repo: str | None
    page_links: tuple[str, ...]  # urls of its github.io mentions


@dataclass(frozen=True, slots=True)
class Done:
    """A document a rerun skips, and what it gave."""

    status: int | None
    why: str | None


def save(
    con: duckdb.DuckDBPyConnection,
    documents: Sequence[Document],
    run_id: int,
    now: dt.datetime,
) -> None:
    rows = []
    for d in documents:
        values = {**{c: getattr(d, c, None) for c in DOCUMENT_COLUMNS}, "fetched_at": now}
        rows.append([*(values[c] for c in DOCUMENT_COLUMNS[:-1]), run_id])
    bulk.stage(con, "stage_documents", "documents", DOCUMENT_COLUMNS, rows)
    con.execute(_SQL["upsert"])


def done_since(
    con: duckdb.DuckDBPyConnection, paper_ids: Sequence[str], since: dt.datetime
) -> dict[tuple[str, str, str], Done]:
    """(url, paper_id, channel) -> what it gave, for the documents a rerun skips. A file from
    before schema 0007 (read by a dry run, which does not migrate) has none."""
    exists = con.execute(_SQL["has_documents"]).fetchone()
    if not exists or not exists[0]:
        return {}
    rows = con.execute(_SQL["done_since"], {"papers": list(paper_ids), "since": since}).fetchall()
    return {(r[0], r[1], r[2]): Done(r[3], r[4]) for r in rows}


def revalidatable(
    con: duckdb.DuckDBPyConnection, paper_ids: Sequence[str], since: dt.datetime
) -> dict[tuple[str, str, str], Document]:
    """(url, paper_id, channel) -> the stored row, for the documents read before ``since``
    whose server gave an ETag: what a refetch asks ``If-None-Match`` and a 304 keeps."""
    exists = con.execute(_SQL["has_documents"]).fetchone()
    if not exists or not exists[0]:
        return {}
    rows = con.execute(_SQL["stored_since"], {"papers": list(paper_ids), "since": since})
    return {(r[0], r[1], r[2]): Document(*r) for r in rows.fetchall()}


def papers_to_follow(
    con: duckdb.DuckDBPyConnection,
    *,
    everything: bool,
    since: dt.date | None,
    run_id: int | None,
    limit: int | None,
) -> list[FollowPaper]:
    params = {"all": everything, "since": since, "run_id": run_id, "limit": limit}
    rows = con.execute(_SQL["papers_to_follow"], params).fetchall()
    return [
        FollowPaper(
            paper_id=r[0],
            source=r[1],
            title=r[2],
            abstract=r[3],
            comment=r[4],
            project_page=r[5],
            hf_github_repo=r[6],
            page_links=tuple(r[7] or ()),
        )
        for r in rows
    ]
