"""Crashes, Ctrl-C, two jobs on one file, and readers during a long harvest — with real
processes (the installed entry point in a subprocess) against the fake GitHub."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from harvester.store import Store
from tests.cli.conftest import TOKEN
from tests.fakegithub import FakeGitHub

PAPERS = 8000
REPOS = 3000
LATENCY = 0.03  # per GitHub request: fetching REPOS names takes 30 requests, ~1.5 s

# Columns that must match an uninterrupted run exactly (run ids and clock times differ).
STABLE = {
    "papers": "paper_id, source, title, abstract, comment, published_at, url",
    "mentions": "paper_id, repo_name, source_field, kind, repo, url",
    "repo_names": "repo_name, repo_id, status, detail, attempts",
    "repos": "repo_id, full_name, stars, forks, watchers, open_issues, language, license,"
    " topics, description, homepage, created_at, pushed_at, archived, is_fork",
    "repo_snapshots": "repo_id, stars, forks, open_issues, pushed_at, archived",
}


def _dataset(path: Path) -> Path:
    with path.open("w") as out:
        for i in range(PAPERS):
            repo = f"lab{i % REPOS % 40}/tool-{i % REPOS}"
            out.write(
                f'{{"id": "2401.{i:05d}", "title": "Paper {i}", "abstract": "We study {i}. '
                f'Code: https://github.com/{repo}.", "published": "2024-01-{1 + i % 28:02d}"}}\n'
            )
    return path


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall()
            for table, cols in STABLE.items()
        }
    finally:
        con.close()


def _spawn(fake: FakeGitHub, db: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HARVESTER_GITHUB_URL": fake.url,
        "HARVESTER_DB": str(db),
        "GITHUB_TOKEN": TOKEN,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "harvester", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # The child gets SIGINT at its default disposition, as from a terminal: a test run
        # started from a background script inherits SIGINT as *ignored*, and Python then
        # installs no KeyboardInterrupt handler, so Ctrl-C would do nothing. The function
        # only calls signal(2), which is safe between fork and exec even with threads.
        preexec_fn=_default_sigint,  # noqa: PLW1509
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_repos(db: Path, proc: subprocess.Popen[str], at_least: int) -> None:
    """Return once the running harvest has committed ``at_least`` repositories: signals are
    sent at a known point of the work, not after a guessed delay."""
    store = Store(db, lock_wait=10)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if store.query(["SELECT count(*) FROM repos"]).rows[0][0] >= at_least:
                return
        except (errors.StoreError, errors.QueryError):
            pass  # not created yet
        time.sleep(0.05)
    raise AssertionError(f"the harvest ended before {at_least} repositories were stored")


def _finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeGitHub, Path]]:
    with FakeGitHub(token=TOKEN, latency=LATENCY, seed=11) as fake:
        fake.add_repo("lab1/tool-1")
        fake.rename("lab1/tool-1", "lab1/tool-one")
        fake.add_repo("lab2/tool-2")
        fake.remove("lab2/tool-2")
        yield fake, _dataset(tmp_path_factory.mktemp("data") / "papers.jsonl")


@pytest.fixture(scope="module")
def baseline(
    world: tuple[FakeGitHub, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, object], float]:
    fake, data = world
    db = tmp_path_factory.mktemp("baseline") / "h.duckdb"
    code, _, err = _finish(_spawn(fake, db, "harvest", str(data)))
    assert code == 0, err
    return _tables(db)  # type: ignore[return-value]


@pytest.mark.parametrize("trial", range(4))
def test_sigkill_then_rerun_equals_an_uninterrupted_run(
    world: tuple[FakeGitHub, Path],
    baseline: dict[str, object],
    tmp_path: Path,
    trial: int,
) -> None:
    fake, data = world
    expected = baseline
    db = tmp_path / "h.duckdb"
    rng = random.Random(trial)
    proc = _spawn(fake, db, "harvest", str(data))
    if trial < 2:  # early: starting up, creating the schema, storing papers
        time.sleep(rng.uniform(0.2, 0.8))
    else:  # in the GitHub phase, after a random number of repositories were stored
        _wait_for_repos(db, proc, rng.randint(1, REPOS // 2))
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    code, _, err = _finish(_spawn(fake, db, "harvest", str(data)))
    assert code == 0, err
    assert _tables(db) == expected
    con = duckdb.connect(str(db), read_only=True)
    statuses = [r[0] for r in con.execute("SELECT status FROM runs ORDER BY run_id").fetchall()]
    con.close()
    assert statuses[-1] == "ok"
    if len(statuses) == 2:  # the killed run had started its row: it is recognised as dead
        assert statuses[0] == "interrupted"
        assert "left 'running' by a process that died" in err


def test_ctrl_c_stops_fast_keeps_the_work_and_says_how_to_resume(
    world: tuple[FakeGitHub, Path], baseline: dict[str, object], tmp_path: Path
) -> None:
    fake, data = world
    expected = baseline
    db = tmp_path / "h.duckdb"
    proc = _spawn(fake, db, "harvest", str(data))
    _wait_for_repos(db, proc, 500)  # well into the GitHub phase
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    code, _, err = _finish(proc)
    stopped_in = time.monotonic() - sent
    assert code == errors.EXIT_INTERRUPTED, err
    assert stopped_in < 5  # "within a second or two"; generous here to stay robust under load
    assert "interrupted" in err and "run the same command again to continue" in err
    assert "Traceback" not in err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    fetched = con.execute("SELECT count(*) FROM repos").fetchone()
    con.close()
    assert fetched is not None and fetched[0] > 0  # what was fetched before Ctrl-C is kept
    assert _finish(_spawn(fake, db, "harvest", str(data)))[0] == 0
    assert _tables(db) == expected


def test_sigterm_is_handled_like_ctrl_c(
    world: tuple[FakeGitHub, Path], baseline: dict[str, object], tmp_path: Path
) -> None:
    fake, data = world
    db = tmp_path / "h.duckdb"
    proc = _spawn(fake, db, "harvest", str(data))
    _wait_for_repos(db, proc, 1)
    proc.send_signal(signal.SIGTERM)
    code, _, err = _finish(proc)
    assert code == errors.EXIT_INTERRUPTED, err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    con.close()


def test_a_second_harvest_on_the_same_file_is_refused(
    world: tuple[FakeGitHub, Path], tmp_path: Path
) -> None:
    fake, data = world
    db = tmp_path / "h.duckdb"
    first = _spawn(fake, db, "harvest", str(data))
    lock = db.with_name(db.name + ".lock")
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.02)
    code, _, err = _finish(_spawn(fake, db, "harvest", str(data)))
    assert code == errors.EXIT_STORE
    assert err.strip() == (
        f"harvester: error: another harvester job (PID {first.pid}) is writing {db}; "
        "wait for it to finish or use another --db"
    )
    assert _finish(first)[0] == 0


INVARIANTS = """
SELECT
    (SELECT count(*) FROM papers) AS papers,
    (SELECT count(DISTINCT paper_id) FROM mentions) AS papers_with_mentions,
    (SELECT count(*) FROM repos) AS repos,
    (SELECT count(DISTINCT repo_id) FROM repo_snapshots) AS repos_with_snapshots,
    (SELECT count(*) FROM repo_names n WHERE n.status IN ('ok', 'renamed')
        AND n.repo_id NOT IN (SELECT repo_id FROM repos)) AS dangling_names
"""


def test_readers_work_during_a_long_harvest_and_never_see_half_a_batch(
    world: tuple[FakeGitHub, Path], tmp_path: Path
) -> None:
    fake, data = world
    db = tmp_path / "h.duckdb"
    proc = _spawn(fake, db, "harvest", str(data))
    store = Store(db, lock_wait=15)
    seen = []
    try:
        while proc.poll() is None:
            if db.exists():
                try:
                    rows = store.query([INVARIANTS]).rows
                except (errors.StoreError, errors.QueryError):
                    continue  # the file exists but its schema is not committed yet
                papers, with_mentions, repos, with_snapshots, dangling = rows[0]
                # every paper cites one repository: papers and mentions land together;
                # a repository and its snapshot land together; names never point nowhere
                assert papers == with_mentions
                assert repos == with_snapshots
                assert dangling == 0
                seen.append((papers, repos))
            time.sleep(0.05)
    finally:
        code, _, err = _finish(proc)
    assert code == 0, err
    assert len(seen) >= 5  # readers got in many times while the harvest ran
    assert seen[-1][0] == PAPERS
