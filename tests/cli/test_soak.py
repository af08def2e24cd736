"""Fault soak: a harvest of thousands of repositories against a GitHub that fails in every way
we know of ends with the same tables as a fault-free run — nothing lost, nothing duplicated.

Waits (backoff, retry-after, rate-limit resets) are recorded instead of slept; a wait ends the
fake's rate-limit window, as a real wait would.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import duckdb
import pytest

from harvester.cli import RichReporter
from tests.cli.conftest import TOKEN, Cli, Outcome
from tests.fakegithub import FakeGitHub

N = 2400
STABLE = {
    "papers": "paper_id, title, abstract",
    "mentions": "paper_id, repo_name, source_field, kind",
    "repo_names": "repo_name, repo_id, status, detail",
    "repos": "repo_id, full_name, stars, forks, watchers, open_issues, language, license,"
    " topics, created_at, pushed_at, archived, is_fork",
    "repo_snapshots": "repo_id, stars, forks, open_issues, pushed_at, archived",
}


def _papers(path: Path, n: int) -> Path:
    with path.open("w") as out:
        for i in range(n):
            out.write(
                f'{{"id": "2402.{i:05d}", "title": "Paper {i}", '
                f'"abstract": "Code: https://github.com/org{i % 50}/proj-{i}."}}\n'
            )
    return path


def _world(fake: FakeGitHub, n: int) -> None:
    for i in range(0, n, 97):
        fake.add_repo(f"org{i % 50}/proj-{i}")
        fake.rename(f"org{i % 50}/proj-{i}", f"org{i % 50}/project-{i}")
    for i in range(13, n, 101):
        fake.add_repo(f"org{i % 50}/proj-{i}")
        fake.remove(f"org{i % 50}/proj-{i}")
    for i in range(29, n, 211):
        fake.add_repo(f"org{i % 50}/proj-{i}")
        fake.block(f"org{i % 50}/proj-{i}", "dmca" if i % 2 else "tos")


def _faulty(fake: FakeGitHub) -> None:
    fake.fail_rate = 0.10  # 500/502/503
    fake.hang_rate = 0.01  # answer after hang_seconds: the client times out
    fake.hang_seconds = 2.0
    fake.reset_rate = 0.01  # connection closed without an answer
    fake.truncate_rate = 0.02  # body cut short
    fake.secondary_every = 50  # 403 secondary limit with retry-after
    fake.secondary_retry_after = 1


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()
            for t, cols in STABLE.items()
        }
    finally:
        con.close()


@dataclass
class Soak:
    """One soak: a fault-free reference harvest and the same harvest against failing GitHub."""

    reference: Cli
    faulty: Cli
    out: Outcome  # of the faulty harvest
    faults: dict[str, int]  # injected by the fake, by kind
    waits: list[float]  # recorded instead of slept
    requests: tuple[int, int]  # (reference, faulty)
    seconds: tuple[float, float]  # (reference, faulty)


def soak(tmp: Path, n: int, token: str | None, extra: list[str]) -> Soak:
    """Also run at scale by benchmarks/soak.py."""
    data = _papers(tmp / f"papers-{n}.jsonl", n)
    # fault-free reference (GraphQL: the REST and GraphQL paths must store the same tables)
    with FakeGitHub(token=TOKEN, seed=5) as clean:
        _world(clean, n)
        reference = Cli(tmp / f"clean-{n}-{token}.duckdb", clean)
        started = time.perf_counter()
        assert reference("harvest", str(data)).code == 0
        clean_seconds = time.perf_counter() - started
        clean_requests = clean.requests
    # the same world, failing, with a small rate-limit window
    with FakeGitHub(
        token=TOKEN, seed=5, rest_limit=40, graphql_limit=15, reset_after=600
    ) as broken:
        _world(broken, n)
        _faulty(broken)
        waits: list[float] = []

        def sleep(reporter: RichReporter, seconds: float) -> None:
            waits.append(seconds)
            broken.refill()

        faulty = Cli(tmp / f"faulty-{n}-{token}.duckdb", broken)
        with patch.object(RichReporter, "sleep", sleep):
            started = time.perf_counter()
            out = faulty("harvest", str(data), *extra, "--timeout", "1", token=token)
            seconds = time.perf_counter() - started
    return Soak(
        reference,
        faulty,
        out,
        dict(broken.faults),
        waits,
        (clean_requests, broken.requests),
        (clean_seconds, seconds),
    )


@pytest.mark.parametrize(
    ("token", "n", "extra"),
    [
        (TOKEN, N, ["--batch-size", "20"]),  # GraphQL: 120 batches + REST probes
        (None, 300, []),  # REST only, one request per name
    ],
    ids=["graphql", "rest"],
)
def test_fault_soak_equals_a_fault_free_run(
    tmp_path: Path, token: str | None, n: int, extra: list[str]
) -> None:
    run = soak(tmp_path, n, token, extra)
    assert run.out.code == 0, run.out.stdout + run.out.stderr
    cli = run.faulty
    statuses = dict(cli.rows("SELECT status, count(*) FROM repo_names GROUP BY ALL"))
    assert set(statuses) <= {"ok", "renamed", "not_found", "blocked"}, statuses
    assert sum(statuses.values()) == n
    assert _tables(cli.db) == _tables(run.reference.db)  # nothing lost, nothing duplicated
    assert cli.rows("SELECT count(*) = count(DISTINCT repo_id) FROM repo_snapshots") == [(True,)]
    # the faults really happened (the seed fixes which requests fail) and were waited out
    assert {"500", "502", "503", "hang", "secondary", "truncate"} <= set(run.faults), run.faults
    assert len(run.waits) > 5
    assert "rate limit: waiting" in run.out.stderr
