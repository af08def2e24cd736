"""The derived tables (schema 0009: paper_code, repo_mentions, paper_facts, paper_promises;
0011: paper_official) equal a computation from scratch whenever no job is running: after jobs
that end ok, fail or are interrupted, after a job killed with SIGKILL (the next job repairs them
first), after rows written by another program (the next job rebuilds them), on random stores,
and in a file from before version 9."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harvester import harvest, status
from harvester.backlinks import Citation, ReadmeScan
from harvester.errors import HarvesterError
from harvester.harvest import Summary
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.store import Store
from harvester.store.roles import ReadmeResult, save_readmes, save_search
from tests.store.schemas import at_version

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DERIVED = {
    "paper_code": "paper_code_rules",
    "paper_official": "paper_official_rules",
    "repo_mentions": "repo_mentions_rules",
    "paper_facts": "paper_facts_rules",
    "paper_promises": "paper_promises_rules",
}
TEXTS = [
    "We study a problem.",
    "The code will be released upon acceptance.",
    "Our implementation is available on GitHub.",
    "Code is available at https://example.org/p1 for all.",
    "We will release our code and models.",
]
FIELDS = [
    ("title", None),
    ("abstract", None),
    ("comment", None),
    ("hf_github_repo", None),
    ("fulltext", "first_page"),
    ("fulltext", "references"),
    ("project_page", "code_link"),
    ("project_page", "body"),
]


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return sorted(store.query([sql]).rows, key=repr)


def assert_current(store: Store) -> None:
    """Each derived table holds exactly what its rules compute from every paper now (on one
    reader: a new DuckDB instance per query was half of this file's time)."""
    with store.reader() as con:
        for table, rules in DERIVED.items():
            stored = sorted(con.execute(f"FROM {table}").fetchall(), key=repr)
            assert stored == sorted(con.execute(f"FROM {rules}(true)").fetchall(), key=repr), table
    assert store.summary()["derived_stale"] is None


def paper(rng: random.Random, k: int) -> Paper:
    cats = rng.sample(["cs.CV", "cs.LG", "math.OC", "hep-th"], rng.randint(0, 2))
    return Paper(
        f"2501.{k:05d}",
        "test",
        title=rng.choice([None, f"Paper {k}"]),
        abstract=rng.choice([None, *TEXTS]),
        comment=rng.choice([None, None, *TEXTS]),
        published_at=rng.choice([None, dt.date(2025, 1 + k % 12, 1)]),
        categories=tuple(cats),
        primary_category=cats[0] if cats else None,
    )


def mention(rng: random.Random, paper_id: str) -> Mention:
    field, locus = rng.choice(FIELDS)
    name = f"o{rng.randrange(8)}/r{rng.randrange(8)}"
    kind = "pages" if rng.random() < 0.15 else "repo"
    return Mention(paper_id, name, field, f"https://github.com/{name}", kind, locus)


def outcome(rng: random.Random, name: str) -> Outcome:
    roll = rng.random()
    if roll < 0.2:
        return Outcome(name, Status.NOT_FOUND)
    repo_id = 100 + rng.randrange(10)  # several names may meet at one repository
    renamed = roll < 0.4
    full = f"new{repo_id}/r" if renamed else name
    stars = rng.randrange(50)  # a refetch changes them: paper_official and repo_mentions follow
    stats = RepoStats(repo_id, full, stars=stars, forks=0, is_fork=rng.random() < 0.25)
    return Outcome(name, Status.RENAMED if renamed else Status.OK, stats)


def random_job(store: Store, rng: random.Random) -> None:
    """One job of random writes: papers with mentions, fetches, README checks, a search."""

    def body(run_id: int, summary: Summary) -> None:
        for _ in range(rng.randint(1, 3)):
            what = rng.random()
            if what < 0.5:
                papers = [paper(rng, rng.randrange(20)) for _ in range(rng.randint(1, 6))]
                mentions = [
                    mention(rng, p.paper_id) for p in papers for _ in range(rng.randint(0, 3))
                ]
                store.save_papers(papers, mentions, run_id)
            elif what < 0.75:
                names = store.query(["SELECT repo_name FROM repo_names"]).rows
                picked = rng.sample([n for (n,) in names], min(len(names), rng.randint(1, 6)))
                store.save_outcomes([outcome(rng, n) for n in picked], run_id)
            elif what < 0.9:
                ids = [r for (r,) in store.query(["SELECT repo_id FROM repos"]).rows]
                known = [p for (p,) in store.query(["SELECT paper_id FROM papers"]).rows]
                if ids and known:
                    results = [
                        ReadmeResult(
                            repo_id,
                            "ok",
                            ReadmeScan(
                                tuple(Citation(p, "link") for p in rng.sample(known, 1)),
                                rng.choice([1, 60]),
                            ),
                        )
                        for repo_id in rng.sample(ids, min(len(ids), 2))
                    ]
                    save_readmes(store, results, NOW)
            else:
                known = [p for (p,) in store.query(["SELECT paper_id FROM papers"]).rows]
                if known:
                    name = f"s{rng.randrange(3)}/found"
                    found = Outcome(name, Status.OK, RepoStats(200 + rng.randrange(3), name, 1, 0))
                    target = rng.choice(known)
                    scan = ReadmeScan((Citation(target, "id"),), 1)
                    readme = ReadmeResult(found.repo.repo_id, "ok", scan)  # type: ignore[union-attr]
                    save_search(store, target, 1, [(found, readme)], run_id=run_id, now=NOW)

    harvest.run_job(store, "harvest", "random", body)


@pytest.mark.parametrize("seed", range(5))
def test_random_stores_keep_derived_tables_equal_to_a_computation_from_scratch(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    store = Store(tmp_path / "h.duckdb")
    for _ in range(6):
        random_job(store, rng)
        assert_current(store)


def test_a_failed_or_interrupted_job_leaves_them_current(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    rng = random.Random(1)
    papers = [paper(rng, k) for k in range(5)]
    link = Mention(papers[0].paper_id, "a/b", "abstract", "https://github.com/a/b")

    def fails(run_id: int, summary: Summary) -> None:
        store.save_papers(papers, [link], run_id)
        raise HarvesterError("the source broke")

    def interrupted(run_id: int, summary: Summary) -> None:
        store.save_papers([paper(rng, 9)], [], run_id)
        raise KeyboardInterrupt

    with pytest.raises(HarvesterError):
        harvest.run_job(store, "harvest", "t", fails)
    assert_current(store)
    assert rows(store, "SELECT paper_id, links_repo FROM paper_facts WHERE links_repo") == [
        (papers[0].paper_id, True)
    ]
    with pytest.raises(harvest.Interrupted):
        harvest.run_job(store, "harvest", "t", interrupted)
    assert_current(store)
    assert len(rows(store, "FROM paper_facts")) == 6


KILLED = """
import os, signal, sys
from harvester.models import Mention, Paper
from harvester.store import Store
store = Store(sys.argv[1])
run, _ = store.begin_run("harvest", "killed")
store.save_papers(
    [Paper("2502.00001", "t", abstract="We will release our code soon.")],
    [Mention("2502.00001", "k/one", "abstract", "https://github.com/k/one")],
    run,
)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_job_killed_with_sigkill_is_repaired_by_the_next_job(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    store = Store(db)
    store.ensure()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run(
        [sys.executable, "-c", KILLED, str(db)], env=env, check=False, capture_output=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    # the papers are stored, the derived tables are behind, and status says so
    assert rows(store, "SELECT paper_id FROM papers") == [("2502.00001",)]
    assert rows(store, "FROM paper_facts") == []
    stale = store.summary()["derived_stale"]
    assert stale is not None and "next harvester job" in stale
    assert ("derived tables", stale) in status.database_rows(store.summary())
    # the next job repairs them before it writes anything
    run, recovered = store.begin_run("refresh", "t")
    assert recovered
    assert_current(store)
    assert rows(store, "SELECT paper_id, signal FROM paper_promises") == [
        ("2502.00001", "will release")
    ]
    store.end_run(run, "ok")


def test_rows_written_by_another_program_are_seen_and_rebuilt(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([Paper("2503.00001", "t", abstract="Plain.")], [], run)
    store.end_run(run, "ok")
    assert_current(store)
    with store.transaction() as con:  # as any DuckDB client would
        con.execute(
            "INSERT INTO papers (paper_id, source, abstract) "
            "VALUES ('2503.00002', 'x', 'The code will be released.')"
        )
    stale = store.summary()["derived_stale"]
    assert stale is not None and "another program" in stale
    run, _ = store.begin_run("harvest", "t")
    assert_current(store)
    assert [r[0] for r in rows(store, "SELECT paper_id FROM paper_promises")] == ["2503.00002"]
    # a change in place keeps the counts: the documented 'all' mark asks for a rebuild
    with store.transaction() as con:
        con.execute(
            "UPDATE papers SET abstract = 'We will release our code.' WHERE abstract = 'Plain.'"
        )
        con.execute("INSERT INTO derived_dirty VALUES ('all', '')")
    assert store.refresh_derived().mode == "full"
    assert_current(store)
    assert len(rows(store, "FROM paper_promises")) == 2
    store.end_run(run, "ok")


def test_a_one_paper_job_refreshes_only_what_it_touched(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    rng = random.Random(3)
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([paper(rng, k) for k in range(30)], [], run)
    store.end_run(run, "ok")
    run, _ = store.begin_run("harvest", "t")
    new = Paper("2504.00001", "t", abstract="Code: github.com/z/z")
    store.save_papers([new], [Mention(new.paper_id, "z/z", "abstract", "")], run)
    done = store.refresh_derived()
    assert (done.mode, done.papers, done.texts) == ("incremental", 1, 1)
    store.save_outcomes([Outcome("z/z", Status.OK, RepoStats(7, "z/z", 1, 0))], run)
    done = store.refresh_derived()
    assert (done.mode, done.papers, done.texts) == ("incremental", 1, 0)  # no regex rerun
    assert store.refresh_derived().mode == "none"
    store.end_run(run, "ok")
    assert_current(store)


def test_a_file_from_before_version_9_gets_them_filled(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    con = at_version(db, 8)
    con.execute(
        "INSERT INTO papers (paper_id, source, abstract, published_at) VALUES "
        "('2401.00001', 't', 'Code: github.com/a/b', DATE '2024-01-05'), "
        "('2401.00002', 't', 'The code will be released soon.', DATE '2024-01-06')"
    )
    con.execute(
        "INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo) "
        "VALUES ('2401.00001', 'a/b', 'abstract', 'repo', 'a/b')"
    )
    con.close()
    store = Store(db)
    store.ensure()
    assert_current(store)
    assert rows(store, "SELECT paper_id, role FROM paper_code") == [("2401.00001", "official")]
    promised = (
        "SELECT paper_id FROM paper_promises JOIN paper_facts USING (paper_id) WHERE NOT links_repo"
    )
    assert rows(store, promised) == [("2401.00002",)]


def test_the_refresh_gives_back_the_memory_limit_it_lowered_for_the_texts(tmp_path: Path) -> None:
    from harvester.store import derived

    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "test")
    paper = Paper("2501.00001", "test", title="T", abstract="The code will be released soon.")
    store.save_papers([paper], [], run)
    with store.transaction() as con:
        before = con.execute("SELECT current_setting('memory_limit')").fetchone()
        done = derived.refresh(con, NOW)
        after = con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert done.texts == 1
    assert after == before
    assert rows(store, "SELECT paper_id, signal FROM paper_promises") == [
        ("2501.00001", "will release")
    ]


@pytest.mark.parametrize("seed", range(2))
def test_a_refresh_in_chunks_of_one_paper_gives_the_same_tables(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvester.store import derived

    monkeypatch.setattr(derived, "CHUNK", 1)  # every paper a chunk of its own
    rng = random.Random(100 + seed)
    store = Store(tmp_path / "h.duckdb")
    for _ in range(4):
        random_job(store, rng)
        assert_current(store)
    with store.transaction() as con:
        con.execute("INSERT INTO derived_dirty VALUES ('all', '')")
    assert store.refresh_derived().mode == "full"
    assert_current(store)


def test_a_work_list_of_every_paper_is_rebuilt_in_one_pass_and_a_part_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvester.store import derived

    paths: list[str] = []
    for name in ("_rebuild", "_in_chunks"):
        real = getattr(derived, name)
        monkeypatch.setattr(
            derived, name, lambda con, real=real, name=name: (paths.append(name), real(con))[1]
        )
    rng = random.Random(5)
    store = Store(tmp_path / "h.duckdb")
    first = [paper(rng, k) for k in range(30)]
    run, _ = store.begin_run("harvest", "t")
    store.save_papers(first, [mention(rng, p.paper_id) for p in first[:10]], run)
    with store.transaction() as con:
        threads = con.execute("SELECT current_setting('threads')").fetchone()
        assert derived.refresh(con, NOW).papers == 30
        assert con.execute("SELECT current_setting('threads')").fetchone() == threads
    store.end_run(run, "ok")
    assert paths == ["_rebuild"]  # the first harvest into a new file: every paper
    assert_current(store)
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([paper(rng, 30)], [], run)
    store.end_run(run, "ok")
    assert paths == ["_rebuild", "_in_chunks"]  # one paper of 31
    assert_current(store)
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([paper(rng, k) for k in range(31)], [], run)  # all of them again
    store.end_run(run, "ok")
    assert paths == ["_rebuild", "_in_chunks", "_rebuild"]
    assert_current(store)


def test_chunks_hold_consecutive_papers_and_at_most_chunk_papers_plus_mentions(
    tmp_path: Path,
) -> None:
    from harvester.store.statements import group

    sql = group("derived")
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "t")
    papers = [Paper(f"2501.{k:05d}", "t") for k in range(12)]
    heavy = [Mention(papers[4].paper_id, f"o/r{i}", "abstract", "") for i in range(6)]
    light = [Mention(papers[k].paper_id, "o/x", "abstract", "") for k in (0, 1, 9)]
    store.save_papers(papers, heavy + light, run)
    with store.transaction() as con:
        con.execute(sql["todo"])
        con.execute(sql["number_chunks"], {"chunk": 4})
        chunks = con.execute(
            "SELECT list(paper_id ORDER BY paper_id) FROM derived_chunks "
            "GROUP BY chunk ORDER BY chunk"
        ).fetchall()
        con.execute("ROLLBACK")  # derived_todo stays empty between refreshes
        con.execute("BEGIN TRANSACTION")
    weight = {p.paper_id: 1 for p in papers}
    for m in heavy + light:
        weight[m.paper_id] += 1
    members = [list(c) for (c,) in chunks]
    assert [p for c in members for p in c] == sorted(weight)  # each once, in id order
    for chunk in members:  # at most 4, but for the weight of its last paper
        assert sum(weight[p] for p in chunk[:-1]) < 4
    alone = next(c for c in members if papers[4].paper_id in c)  # weight 7: nothing after it
    assert alone[-1] == papers[4].paper_id
    assert len(members) >= 5
    store.end_run(run, "ok")


def test_the_refresh_spills_beside_the_database_not_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvester.store import derived

    monkeypatch.chdir(tmp_path)
    store = Store(tmp_path / "db" / "h.duckdb")
    (tmp_path / "db").mkdir()
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([Paper("2501.00001", "t", abstract="Code: github.com/a/b")], [], run)
    with store.transaction() as con:
        derived.refresh(con, NOW)
        spill = con.execute("SELECT current_setting('temp_directory')").fetchone()
    assert spill == (str(tmp_path / "db" / "h.duckdb.tmp"),)
    store.end_run(run, "ok")
    assert not (tmp_path / ".tmp").exists()


def test_a_refresh_that_runs_out_of_memory_runs_again_without_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvester.store import derived

    tries: list[bool] = []
    refresh = derived.refresh

    def spy(con: Any, now: dt.datetime, *, limited: bool = True) -> derived.Refresh:
        tries.append(limited)
        return refresh(con, now, limited=limited)

    monkeypatch.setattr(derived, "refresh", spy)
    monkeypatch.setattr(derived, "REFRESH_MEMORY", 0)  # nothing fits: DuckDB runs out
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "t")
    rng = random.Random(5)
    papers = [paper(rng, k) for k in range(20)]
    store.save_papers(papers, [mention(rng, p.paper_id) for p in papers], run)
    tries.clear()
    store.end_run(run, "ok")
    assert tries == [True, False]  # the limited refresh failed, the run ended all the same
    assert_current(store)
    assert rows(store, "SELECT status FROM runs") == [("ok",)]
