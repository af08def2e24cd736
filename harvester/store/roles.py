"""README back-links, reverse-search results and ``paper_code`` (schema 0008).

Functions of a ``Database`` (the ``Store``): each opens its own reader or write transaction, so
the channel in ``harvester/readmes.py`` stays free of SQL. What a README cites is stored
(``readme_citations``, ``readme_checks``), never the README. ``paper_code`` is a derived table
(schema 0009: the rules of ``harvester/roles.py`` in SQL, ``store/derived.py`` keeps it current);
what reads it here brings it up to date first, since a job reads it before the job ends.

``papers.doi`` (schema 0006, another branch) is read when the database has it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb

from harvester import roles
from harvester.backlinks import KnownPaper, ReadmeScan
from harvester.models import Mention, Outcome
from harvester.store import bulk, derived, papers, repos, statements
from harvester.store.connection import Database

_SQL = statements.group("roles")
SEARCH_FIELD = "readme_search"  # mentions.source_field of a repository found by reverse search


@dataclass(frozen=True, slots=True)
class ReadmeResult:
    """What one repository's README said (``scan``), or why there is none (``status``)."""

    repo_id: int
    status: str  # ok / missing / error
    scan: ReadmeScan | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class PaperCodeCounts:
    rows: int
    official: int
    papers_with_official: int
    conflicts: int


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    row = con.execute(_SQL["has_column"], {"table": table, "column": column}).fetchone()
    return bool(row and row[0])


def repos_to_check(
    store: Database, stale_before: dt.datetime | None = None, limit: int | None = None
) -> list[tuple[int, str]]:
    """(repo_id, full_name) of resolved repositories whose README is not checked (or stale)."""
    if not store.path.exists():
        return []
    params = {"stale_before": stale_before, "limit": limit}
    # a writer: an older file gains the 0008 tables first
    rows = derived.refreshed(
        store,
        dt.datetime.now(dt.UTC),
        lambda con, _now, _done: con.execute(_SQL["repos_to_check"], params).fetchall(),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def candidates(
    store: Database, repo_ids: Sequence[int], arxiv_ids: Iterable[str]
) -> tuple[dict[int, set[str]], dict[str, KnownPaper]]:
    """The papers the READMEs of ``repo_ids`` may cite: those that mention each repository,
    and those whose id is among ``arxiv_ids`` (found in the READMEs). Returns the mentioning
    paper ids per repository and every candidate as a ``KnownPaper``."""
    with store.reader() as con:
        mentioning: dict[int, set[str]] = {}
        rows = con.execute(_SQL["mentioning_papers"], {"repo_ids": list(repo_ids)}).fetchall()
        for repo_id, paper_id in rows:
            mentioning.setdefault(int(repo_id), set()).add(str(paper_id))
        wanted = sorted({p for ps in mentioning.values() for p in ps} | set(arxiv_ids))
        doi = "doi" if _has_column(con, "papers", "doi") else "NULL"
        known = con.execute(
            f"SELECT paper_id, {doi}, title FROM papers "
            "WHERE paper_id IN (SELECT unnest($ids::VARCHAR[]))",
            {"ids": wanted},
        ).fetchall()
    found = {str(p): KnownPaper(str(p), _arxiv(str(p)), d, t) for p, d, t in known}
    return mentioning, found


def _arxiv(paper_id: str) -> str | None:
    return None if paper_id.startswith(("title:", "hf:", "pdf:")) or ":" in paper_id else paper_id


def save_readmes(store: Database, results: Sequence[ReadmeResult], now: dt.datetime) -> int:
    """Store what each README cites (replacing what an earlier check stored). Returns the
    number of citations stored."""
    checks = [
        (r.repo_id, now, r.status, r.scan.cited_total if r.scan else None, r.detail)
        for r in results
    ]
    cites = [
        (r.repo_id, c.paper_id, c.how, r.scan.cited_total, now)
        for r in results
        if r.scan is not None
        for c in r.scan.citations
    ]
    with store.transaction() as con:
        bulk.stage(con, "stage_checks", "readme_checks", _CHECK_COLUMNS, checks)
        derived.mark_checks(con)  # its papers before and after: derived.py
        con.execute(_SQL["forget_citations"])
        con.execute(_SQL["upsert_checks"])
        bulk.stage(con, "stage_citations", "readme_citations", _CITE_COLUMNS, cites)
        con.execute(_SQL["insert_citations"])
        derived.account(con)
    return len(cites)


_CHECK_COLUMNS = ("repo_id", "checked_at", "status", "cited_papers_total", "detail")
_CITE_COLUMNS = ("repo_id", "paper_id", "how", "cited_papers_total", "checked_at")


def papers_to_search(store: Database, limit: int | None = None) -> list[tuple[str, str | None]]:
    """(paper_id, title) of papers with an arXiv id, no official repository, never searched."""
    if not store.path.exists():
        return []
    rows = derived.refreshed(  # current first: this job may have added code
        store,
        dt.datetime.now(dt.UTC),
        lambda con, _now, _done: con.execute(_SQL["papers_to_search"], {"limit": limit}).fetchall(),
    )
    return [(str(p), t) for p, t in rows]


def plan_counts(store: Database, stale_before: dt.datetime | None = None) -> tuple[int, int | None]:
    """(READMEs to read, papers to search) for ``--dry-run``: read-only, so it neither writes
    nor migrates. Papers is None for a file from before schema 0008 (it has no roles yet)."""
    if not store.path.exists():
        return 0, 0
    with store.reader() as con:
        row = con.execute(_SQL["has_table"], {"table": "readme_checks"}).fetchone()
        if not (row and row[0]):
            count = con.execute(_SQL["count_resolved_repos"]).fetchone()
            return (int(count[0]) if count else 0), None
        readmes = con.execute(
            _SQL["count_repos_to_check"], {"stale_before": stale_before}
        ).fetchone()
        papers = con.execute(_SQL["count_to_search"]).fetchone()
    return (int(readmes[0]) if readmes else 0), (int(papers[0]) if papers else 0)


def save_search(
    store: Database,
    paper_id: str,
    hits: int,
    found: Sequence[tuple[Outcome, ReadmeResult]],
    *,
    run_id: int,
    now: dt.datetime,
) -> None:
    """One reverse search: the repositories confirmed by their README (``found``) become
    mentions (``source_field`` ``readme_search``) with their stats and README citations; the
    search itself is recorded so a rerun does not repeat it."""
    with store.transaction() as con:
        if found:
            rows = []
            for outcome, _ in found:
                assert outcome.repo is not None
                mention = Mention(paper_id, outcome.repo.full_name, SEARCH_FIELD, "")
                values = {
                    "paper_id": paper_id,
                    "repo_name": mention.repo_name,
                    "source_field": SEARCH_FIELD,
                    "kind": "repo",
                    "repo": outcome.repo.full_name,
                    "url": f"https://github.com/{outcome.repo.full_name}",
                    "first_run_id": run_id,
                }
                rows.append(tuple(values.get(c) for c in papers.MENTION_COLUMNS))
            papers.insert_mentions(con, rows)
            con.execute(_SQL["pending_names"], {"now": now})
            derived.mark_papers(con, (), [paper_id])
            repos.save_outcomes(con, [o for o, _ in found], run_id, 0, now)
        con.execute(
            _SQL["upsert_search"],
            {"paper_id": paper_id, "now": now, "hits": hits, "confirmed": len(found)},
        )
        derived.account(con)
    if found:
        save_readmes(store, [r for _, r in found], now)


def paper_code_counts(store: Database) -> PaperCodeCounts:
    """How many rows ``paper_code`` has, how many official, for how many papers, in conflict."""
    row = derived.refreshed(  # current first: a job reads it before it ends
        store,
        dt.datetime.now(dt.UTC),
        lambda con, _now, _done: con.execute(_SQL["paper_code_counts"]).fetchone(),
    )
    assert row is not None
    return PaperCodeCounts(*(int(v) for v in row))


def evidence(store: Database) -> tuple[list[roles.Evidence], frozenset[str]]:
    """Every channel's evidence as ``roles.Evidence`` and the forks' names: the input of
    ``roles.assign``, the rules in Python that the ``paper_code`` view states in SQL (for
    checking one against the other, and for tools that want the rules outside the database)."""
    with store.reader() as con:
        rows = con.execute(_SQL["evidence_mentions"]).fetchall()
        items = [
            roles.Evidence(paper_id, repo, roles.channel_of(field), locus)
            for paper_id, repo, field, locus in rows
        ]
        for paper_id, repo, how, total in con.execute(_SQL["evidence_readmes"]).fetchall():
            items.append(roles.Evidence(paper_id, repo, "readme", how, int(total)))
        forks = frozenset(str(r[0]) for r in con.execute(_SQL["forks"]).fetchall())
    return items, forks
