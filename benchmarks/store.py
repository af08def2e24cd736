"""The store's bulk write path in rows/s, against row-by-row executemany.

(a) mentions through `Store.save_papers`, in harvest-sized batches (`harvest.PAPER_BATCH`
    papers, two mentions each, titles only so mention rows dominate): every batch is a
    connection, a transaction and a checkpoint, as in a harvest. Rows/s counts mention rows.
(b) the staging path alone, all rows in one transaction of the Store's writer connection:
    Appender into a temp table, then one `INSERT` of the rows not stored yet (an anti-join) —
    what (a) costs without papers, names, counts and a connection + checkpoint per batch; timed
    without and with the open, commit and checkpoint.
(c) row-by-row `executemany` of the same insert-if-absent, one row at a time, into the same
    table, on a sample (it runs at a few hundred rows/s).
(d) repository upserts through `Store.save_outcomes`, in the harvest's flush size
    (`harvest.FLUSH_OUTCOMES`): new repositories, then all of them again (a refresh: updates,
    one snapshot each); rows/s counts repositories.
(e) row-by-row `executemany` upserts of the same repository rows, on a sample.

Medians of --runs runs (executemany: --slow-runs), each on a fresh database in a temp dir.

    python benchmarks/store.py [--mentions 1000000] [--repos 100000] [--runs 2] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from _common import machine, median, peak_rss_mb

from harvester.harvest import FLUSH_OUTCOMES, PAPER_BATCH
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.store import Store
from harvester.store.papers import insert_mentions
from harvester.store.repos import REPO_COLUMNS, repo_row

GOAL_ROWS = 500_000
GOAL_RATIO = 100.0
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def paper_id(i: int) -> str:
    return f"{2001 + i // 99_999:04d}.{i % 99_999 + 1:05d}"


def mention_batches(n: int) -> list[tuple[list[Paper], list[Mention]]]:
    """``n`` mentions, two per paper, in batches of ``PAPER_BATCH`` papers."""
    batches = []
    papers_total = n // 2
    for start in range(0, papers_total, PAPER_BATCH):
        ids = [paper_id(i) for i in range(start, min(start + PAPER_BATCH, papers_total))]
        papers = [Paper(pid, "bench", title=f"Paper {pid}") for pid in ids]
        mentions = [
            Mention(pid, f"Owner{(i * 7 + k) % 50_000}/Repo-{start + i}-{k}", field, "https://x")
            for i, pid in enumerate(ids)
            for k, field in enumerate(("abstract", "comment"))
        ]
        batches.append((papers, mentions))
    return batches


def mention_rows(n: int) -> list[tuple[object, ...]]:
    return [
        (
            paper_id(i // 2),
            f"owner{i % 50_000}/repo-{i}",
            "abstract",
            "repo",
            "O/R",
            "https://x",
            1,
            "abstract",  # locus and context (schema 0007)
            None,
        )
        for i in range(n)
    ]


def repo(i: int, stars: int) -> RepoStats:
    return RepoStats(
        10_000_000 + i,
        f"Owner{i % 5000}/Repo-{i}",
        stars,
        i % 300,
        watchers=i % 90,
        open_issues=i % 40,
        language="Python",
        license="MIT",
        topics=("llm", "benchmark"),
        description="A repository of the benchmark",
        homepage=None,
        created_at=NOW,
        pushed_at=NOW,
        updated_at=NOW,
    )


def outcomes(n: int, stars: int) -> list[Outcome]:
    return [
        Outcome(f"owner{i % 5000}/repo-{i}", Status.OK, repo(i, stars), etag=None) for i in range(n)
    ]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def through_save_papers(tmp: Path, batches: list[tuple[list[Paper], list[Mention]]]) -> float:
    store = Store(tmp / f"a-{time.monotonic_ns()}.duckdb")
    run_id, _ = store.begin_run("bench", "store")

    def go() -> None:
        for papers, mentions in batches:
            store.save_papers(papers, mentions, run_id)

    return timed(go)


def fresh_connection(tmp: Path, tag: str) -> duckdb.DuckDBPyConnection:
    store = Store(tmp / f"{tag}-{time.monotonic_ns()}.duckdb")
    store.ensure()
    return duckdb.connect(str(store.path))


def staging_alone(tmp: Path, rows: list[tuple[object, ...]]) -> tuple[float, float]:
    """(seconds for Appender + INSERT, seconds for the whole transaction with open, commit and
    checkpoint), on the Store's own writer connection (its DuckDB settings)."""
    store = Store(tmp / f"b-{time.monotonic_ns()}.duckdb")
    store.ensure()
    started = time.perf_counter()
    with store.transaction() as con:
        inner = time.perf_counter()
        insert_mentions(con, rows)
        inner = time.perf_counter() - inner
    return inner, time.perf_counter() - started


def executemany(tmp: Path, table: str, sql: str, rows: list[tuple[object, ...]]) -> float:
    con = fresh_connection(tmp, "c")

    def go() -> None:
        con.execute("BEGIN TRANSACTION")
        con.executemany(sql, rows)
        con.execute("COMMIT")

    seconds = timed(go)
    count = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert count == (len(rows),), count
    con.close()
    return seconds


def through_save_outcomes(tmp: Path, n: int) -> tuple[float, float]:
    """(seconds for n new repositories, seconds for the same n again) in FLUSH_OUTCOMES."""
    store = Store(tmp / f"d-{time.monotonic_ns()}.duckdb")
    names = [f"owner{i % 5000}/repo-{i}" for i in range(n)]
    run_id, _ = store.begin_run("bench", "store")
    mentions = [Mention("2501.00001", name, "abstract", "https://x") for name in names]
    store.save_papers([Paper("2501.00001", "bench")], mentions, run_id)

    def save(stars: int, run: int) -> None:
        everything = outcomes(n, stars)
        for start in range(0, n, FLUSH_OUTCOMES):
            store.save_outcomes(everything[start : start + FLUSH_OUTCOMES], run)

    first = timed(lambda: save(10, run_id))
    second_run, _ = store.begin_run("bench", "refresh")
    again = timed(lambda: save(11, second_run))
    snapshots = store.query(["SELECT count(*) FROM repo_snapshots"]).rows
    assert snapshots == [(2 * n,)], snapshots
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--repos", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for executemany")
    parser.add_argument("--runs", type=int, default=2, help="runs (2 keep the default ~2.5 min)")
    parser.add_argument("--slow-runs", type=int, default=1, help="runs of executemany")
    parser.add_argument("--quick", action="store_true", help="100k mentions, 20k repos, 1 run")
    args = parser.parse_args()
    if args.quick:
        args.mentions, args.repos, args.sample, args.runs = 100_000, 20_000, 1_000, 1

    print(machine())
    print(f"fresh database per run in a temp dir; median of {args.runs} runs\n")
    batches = mention_batches(args.mentions)
    n = sum(len(m) for _, m in batches)
    rows = mention_rows(args.mentions)
    sample = rows[: args.sample]
    repo_sample = [repo_row(repo(i, 10), None, NOW) for i in range(args.sample)]
    upsert = (
        f"INSERT INTO repos VALUES ({', '.join('?' * len(REPO_COLUMNS))}) "
        "ON CONFLICT (repo_id) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in REPO_COLUMNS[1:])
    )
    with tempfile.TemporaryDirectory(prefix="harvester-store-") as tmp:
        work = Path(tmp)
        a = median([through_save_papers(work, batches) for _ in range(args.runs)])
        staged = [staging_alone(work, rows) for _ in range(args.runs)]
        b = median([inner for inner, _ in staged])
        b_whole = median([whole for _, whole in staged])
        c = median(
            [
                executemany(
                    work,
                    "mentions",
                    "INSERT INTO mentions SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9"
                    " WHERE NOT EXISTS (SELECT 1 FROM mentions"
                    " WHERE paper_id = $1 AND repo_name = $2 AND source_field = $3 AND kind = $4)",
                    sample,
                )
                for _ in range(args.slow_runs)
            ]
        )
        de = [through_save_outcomes(work, args.repos) for _ in range(args.runs)]
        d_new = median([x for x, _ in de])
        d_again = median([y for _, y in de])
        e = median([executemany(work, "repos", upsert, repo_sample) for _ in range(args.slow_runs)])

    rate_a, rate_b, rate_c = n / a, len(rows) / b, len(sample) / c
    rate_d, rate_d2, rate_e = args.repos / d_new, args.repos / d_again, len(repo_sample) / e
    batches_n = len(batches)
    print(f"mentions ({n:,} rows; {n // 2:,} papers in {batches_n} batches of {PAPER_BATCH}):")
    print(
        f"  (a) Store.save_papers, a connection + checkpoint per batch: {a:6.2f} s = "
        f"{rate_a:>10,.0f} mention rows/s ({(n + n // 2) / a:,.0f} rows/s with papers)"
    )
    print(
        f"  (b) Appender + INSERT of rows not yet stored, one transaction: {b:6.2f} s = "
        f"{rate_b:>10,.0f} rows/s"
    )
    print(
        f"      the same with open, commit and checkpoint:              {b_whole:6.2f} s = "
        f"{len(rows) / b_whole:>10,.0f} rows/s"
    )
    print(
        f"  (c) executemany row by row, {len(sample):,}-row sample:         {c:6.2f} s = "
        f"{rate_c:>10,.0f} rows/s"
    )
    print(
        f"  ratios: (a)/(c) {rate_a / rate_c:,.0f}x, (b)/(c) {rate_b / rate_c:,.0f}x; "
        f"goals: >= {GOAL_ROWS:,} mention rows/s -> (a) "
        f"{'met' if rate_a >= GOAL_ROWS else 'MISSED'}, (b) "
        f"{'met' if rate_b >= GOAL_ROWS else 'MISSED'}; >= {GOAL_RATIO:.0f}x executemany -> (a) "
        f"{'met' if rate_a / rate_c >= GOAL_RATIO else 'MISSED'}, (b) "
        f"{'met' if rate_b / rate_c >= GOAL_RATIO else 'MISSED'}"
    )
    print(f"\nrepositories ({args.repos:,}; save_outcomes in flushes of {FLUSH_OUTCOMES}):")
    print(f"  (d) new, Store.save_outcomes:            {d_new:6.2f} s = {rate_d:>9,.0f} repos/s")
    print(
        f"      again (updates + snapshots):          {d_again:6.2f} s = {rate_d2:>9,.0f} repos/s"
    )
    print(
        f"  (e) executemany upsert, {len(repo_sample):,}-row sample:  {e:6.2f} s = "
        f"{rate_e:>9,.0f} rows/s"
    )
    print(f"  ratio (d)/(e): {rate_d / rate_e:,.1f}x")
    print(f"\npeak RSS of this process: {peak_rss_mb():.0f} MB (includes the prepared rows)")


if __name__ == "__main__":
    main()
