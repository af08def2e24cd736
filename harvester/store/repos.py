"""Repository names and repositories: which names to fetch, and what a fetch learned.

Repositories are keyed by GitHub's numeric id; names (``repo_names``) point at ids, so a rename
keeps the history and every old name still resolves. Functions of an open connection; ``Store``
opens it (a reader for the questions, a write transaction for ``save_outcomes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb

from harvester.models import Outcome, RepoStats, Status
from harvester.store import bulk, derived, runs, statements

_SQL = statements.group("repos")

# Is the code there (schema 0005; harvester/placeholder.py): null when not read.
FACT_COLUMNS = (
    "disk_usage",
    "is_empty",
    "commits",
    "last_commit_at",
    "releases",
    "latest_release",
    "latest_release_at",
    "has_citation",
    "has_license_file",
    "has_runnable",
    "readme_bytes",
)
REPO_COLUMNS = (
    "repo_id",
    "full_name",
    "stars",
    "forks",
    "watchers",
    "open_issues",
    "language",
    "license",
    "topics",
    "description",
    "homepage",
    "created_at",
    "pushed_at",
    "updated_at",
    "archived",
    "is_fork",
    "etag",
    "fetched_at",
    *FACT_COLUMNS,
    "verdict",
    "verdict_reason",
)
# A fetch that could not judge (verdict `unknown`: REST reads only the size) keeps the facts and
# the verdict last read with a token, and updates what it did read; a fetch that judged replaces
# them all (a null there is a fact: no release, no commit). The snapshot records what each fetch
# saw (sql/repos.sql: snapshots), so the history stays honest.
_KEEP_KNOWN = {
    c: f"CASE WHEN EXCLUDED.verdict = 'unknown' THEN coalesce(EXCLUDED.{c}, repos.{c}) "
    f"ELSE EXCLUDED.{c} END"
    for c in FACT_COLUMNS
} | {
    c: f"CASE WHEN EXCLUDED.verdict = 'unknown' THEN repos.{c} ELSE EXCLUDED.{c} END"
    for c in ("verdict", "verdict_reason")
}
_UPSERT_REPOS = (
    f"INSERT INTO repos ({', '.join(REPO_COLUMNS)}) SELECT * FROM stage_repos "
    "ON CONFLICT (repo_id) DO UPDATE SET "
    + ", ".join(f"{c} = {_KEEP_KNOWN.get(c, f'EXCLUDED.{c}')}" for c in REPO_COLUMNS[1:])
)


def names_to_fetch(
    con: duckdb.DuckDBPyConnection,
    statuses: Iterable[str],
    stale_before: dt.datetime | None,
    limit: int | None,
) -> list[str]:
    """Lowercase names to (re)fetch: names in ``statuses``, plus the current names of
    repositories last fetched before ``stale_before``. Each repository appears once."""
    params = {
        "statuses": [str(s) for s in statuses],
        "stale_before": stale_before,
        "limit": None if limit is None else int(limit),
    }
    return [r[0] for r in con.execute(_SQL["names_to_fetch"], params).fetchall()]


def count_names(con: duckdb.DuckDBPyConnection, statuses: Iterable[str]) -> int:
    row = con.execute(_SQL["count_names"], {"statuses": [str(s) for s in statuses]}).fetchone()
    return int(row[0]) if row else 0


def settled_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names a harvest would not fetch again: neither pending nor failed."""
    return {r[0] for r in con.execute(_SQL["settled_names"]).fetchall()}


def etags_for(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> dict[str, str]:
    rows = con.execute(_SQL["etags"], {"names": list(names)}).fetchall()
    return {name: etag for name, etag in rows}


def save_outcomes(
    con: duckdb.DuckDBPyConnection,
    outcomes: Sequence[Outcome],
    run_id: int,
    requests: int,
    now: dt.datetime,
) -> int:
    """Store what the engine learned and add to the run's counts. Returns repos fetched."""
    found: dict[int, tuple[RepoStats, str | None]] = {}
    name_rows: list[tuple[str, int | None, str, str | None]] = []
    unchanged: list[str] = []
    for o in outcomes:
        if o.not_modified:
            unchanged.append(o.name)
        elif o.repo is not None and o.status in (Status.OK, Status.RENAMED):
            found[o.repo.repo_id] = (o.repo, o.etag)
            name_rows.append((o.name, o.repo.repo_id, str(o.status), o.detail))
        elif o.status != Status.PENDING:
            name_rows.append((o.name, None, str(o.status), o.detail))
    bulk.stage(
        con,
        "stage_repos",
        "repos",
        REPO_COLUMNS,
        (repo_row(repo, etag, now) for repo, etag in found.values()),
    )
    derived.mark_old_names(con)
    con.execute(_UPSERT_REPOS)
    con.execute(_SQL["stage_names"])
    bulk.append(con, "stage_names", name_rows)
    derived.mark_fetched(con)
    con.execute(_SQL["stage_unchanged"], {"names": unchanged})
    con.execute(_SQL["touch_unchanged"], {"now": now})
    derived.mark_unchanged(con)
    con.execute(_SQL["keep_aliases"], {"now": now})
    con.execute(_SQL["point_names"])
    con.execute(_SQL["mark_fetched_names"], {"now": now})
    con.execute(_SQL["mark_gone_names"], {"now": now})
    con.execute(_SQL["mark_failed_names"], {"now": now})
    con.execute(_SQL["snapshots"], {"run_id": run_id})
    con.execute(_SQL["code_dates"])
    fetched_row = con.execute(_SQL["count_fetched"]).fetchone()
    fetched = int(fetched_row[0]) if fetched_row else 0
    runs.add_counts(con, run_id, repos_fetched=fetched, requests=requests)
    derived.account(con)
    return fetched


def repo_row(repo: RepoStats, etag: str | None, now: dt.datetime) -> tuple[Any, ...]:
    """A ``repos`` row in ``REPO_COLUMNS`` order."""
    return (
        repo.repo_id,
        repo.full_name,
        repo.stars,
        repo.forks,
        repo.watchers,
        repo.open_issues,
        repo.language,
        repo.license,
        list(repo.topics),
        repo.description,
        repo.homepage,
        repo.created_at,
        repo.pushed_at,
        repo.updated_at,
        repo.archived,
        repo.is_fork,
        etag,
        now,
        *(getattr(repo, c) for c in FACT_COLUMNS),
        repo.verdict,
        repo.verdict_reason,
    )
