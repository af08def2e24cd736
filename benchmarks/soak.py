"""Fault soak at scale, and how fast Ctrl-C stops a harvest.

1. The scenario of tests/cli/test_soak.py with more repositories: a fault-free harvest and a
   harvest against a GitHub with 10% 5xx, 1% hangs, 1% resets, 2% truncated bodies, a secondary
   limit every 50 requests and a small rate-limit window (waits are recorded, not slept, and end
   the window). Prints the faults injected, the requests, the waits the engine would have slept,
   and whether the tables equal the fault-free run's.
2. Ctrl-C: a harvest in a subprocess (fake GitHub at 30 ms latency) gets SIGINT once it has
   stored some repositories; prints how long it took to stop, and what it kept.

    python benchmarks/soak.py [--n 10000] [--rest-n 1000] [--trials 5]
"""

from __future__ import annotations

import argparse
import signal
import tempfile
import time
from pathlib import Path

from _common import machine, median

from harvester.cli import RichReporter
from tests.cli.conftest import TOKEN, Cli
from tests.cli.test_crash import _dataset, _spawn, _wait_for_repos
from tests.cli.test_soak import _faulty, _papers, _tables, _world
from tests.fakegithub import FakeGitHub


def soak(tmp: Path, n: int, token: str | None, extra: list[str]) -> None:
    data = _papers(tmp / f"papers-{n}.jsonl", n)
    with FakeGitHub(token=TOKEN, seed=5) as clean:
        _world(clean, n)
        reference = Cli(tmp / f"clean-{n}-{token}.duckdb", clean)
        started = time.perf_counter()
        assert reference("harvest", str(data), *extra).code == 0
        clean_wall = time.perf_counter() - started
        clean_requests = clean.requests
    with FakeGitHub(
        token=TOKEN, seed=5, rest_limit=40, graphql_limit=15, reset_after=600
    ) as broken:
        _world(broken, n)
        _faulty(broken)
        waits: list[float] = []

        def sleep(reporter: RichReporter, seconds: float) -> None:
            waits.append(seconds)
            broken.refill()

        original = RichReporter.sleep
        RichReporter.sleep = sleep  # type: ignore[method-assign]
        try:
            cli = Cli(tmp / f"faulty-{n}-{token}.duckdb", broken)
            started = time.perf_counter()
            out = cli("harvest", str(data), *extra, "--timeout", "1", token=token)
            wall = time.perf_counter() - started
        finally:
            RichReporter.sleep = original  # type: ignore[method-assign]
    statuses = dict(cli.rows("SELECT status, count(*) FROM repo_names GROUP BY ALL"))
    path = "GraphQL" if token else "REST"
    print(f"{path}: {n} repositories; exit {out.code}; statuses {statuses}")
    print(f"  fault-free reference (GraphQL): {clean_requests} requests, {clean_wall:.1f} s")
    print(
        f"  faulty:     {broken.requests} requests, {wall:.1f} s (hangs time out after 1 s); "
        f"faults injected {dict(sorted(broken.faults.items()))}"
    )
    print(
        f"  waits recorded instead of slept: {len(waits)}, totalling {sum(waits):,.0f} s "
        "(backoff, retry-after, rate-limit resets)"
    )
    print(f"  tables equal to the fault-free run: {_tables(cli.db) == _tables(reference.db)}\n")


def interrupt(tmp: Path, trials: int) -> None:
    data = _dataset(tmp / "crash.jsonl")
    stops = []
    with FakeGitHub(token=TOKEN, latency=0.03, seed=11) as fake:
        for trial in range(trials):
            db = tmp / f"int-{trial}.duckdb"
            proc = _spawn(fake, db, "harvest", str(data))
            _wait_for_repos(db, proc, 300 + 300 * trial)
            proc.send_signal(signal.SIGINT)
            sent = time.monotonic()
            _, err = proc.communicate(timeout=60)
            stops.append(time.monotonic() - sent)
            print(f"  trial {trial}: exit {proc.returncode} after {stops[-1]:.2f} s: {err.strip()}")
    print(
        f"Ctrl-C to exit: median {median(stops):.2f} s, worst {max(stops):.2f} s "
        f"over {trials} trials"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--rest-n", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    print(machine(), "\n")
    with tempfile.TemporaryDirectory() as tmp:
        soak(Path(tmp), args.n, TOKEN, ["--batch-size", "20"])
        soak(Path(tmp), args.rest_n, None, [])
        interrupt(Path(tmp), args.trials)


if __name__ == "__main__":
    main()
