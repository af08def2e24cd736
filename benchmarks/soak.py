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

from tests.cli.conftest import TOKEN
from tests.cli.test_crash import _dataset, _spawn, _wait_for_repos
from tests.cli.test_soak import _tables, soak
from tests.fakegithub import FakeGitHub


def report(tmp: Path, n: int, token: str | None, extra: list[str]) -> None:
    run = soak(tmp, n, token, extra)
    statuses = dict(run.faulty.rows("SELECT status, count(*) FROM repo_names GROUP BY ALL"))
    equal = _tables(run.faulty.db) == _tables(run.reference.db)
    path = "GraphQL" if token else "REST"
    print(f"{path}: {n} repositories; exit {run.out.code}; statuses {statuses}")
    print(f"  fault-free reference (GraphQL): {run.requests[0]} requests, {run.seconds[0]:.1f} s")
    print(
        f"  faulty: {run.requests[1]} requests, {run.seconds[1]:.1f} s (hangs time out after"
        f" 1 s); faults injected {dict(sorted(run.faults.items()))}"
    )
    print(
        f"  waits recorded instead of slept: {len(run.waits)}, totalling "
        f"{sum(run.waits):,.0f} s (backoff, retry-after, rate-limit resets)"
    )
    print(f"  tables equal to the fault-free run: {equal}\n")


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
        report(Path(tmp), args.n, TOKEN, ["--batch-size", "20"])
        report(Path(tmp), args.rest_n, None, [])
        interrupt(Path(tmp), args.trials)


if __name__ == "__main__":
    main()
