"""End to end: the real Hugging Face days through `harvester harvest` against a fake GitHub.

Runs the real CLI in a child process (`python -m harvester harvest DAYS`) into a fresh database,
with a token (so the GraphQL path) and HARVESTER_GITHUB_URL pointed at a FakeGitHub on
127.0.0.1 that this script serves with --latency seconds per request (default 50 ms). Prints
wall time, papers/s, repos/s, requests (counted by the fake server) and the child's peak RSS;
then, side by side, the same harvest with --no-stats (reading and storing alone) and a rerun of
the full harvest on the database it left (nothing new to store or fetch). Median of --runs runs,
each on a fresh database.

    python benchmarks/harvest.py [--latency 0.05] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, SHARED, machine, median

from tests.fakegithub import FakeGitHub

HF_DAYS = SHARED / "data" / "hf-daily-papers"
TOKEN = "bench-token"
GOAL_SECONDS = 15.0


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str, int]:
    """(wall seconds, peak RSS MB, output, exit code) of one harvester child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "harvester", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, output.strip(), os.waitstatus_to_exitcode(status)


def child_env(fake: FakeGitHub) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HARVESTER_") and k not in ("GITHUB_TOKEN", "GH_TOKEN")
    }
    env.update(PYTHONPATH=str(ROOT), GITHUB_TOKEN=TOKEN, HARVESTER_GITHUB_URL=fake.url)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(machine())
    if not HF_DAYS.is_dir():
        print(f"SKIPPED: real data not found at {HF_DAYS} (set HARVESTER_SHARED)")
        return
    days = sorted(HF_DAYS.glob("*.json*"))
    print(
        f"harvester harvest on {len(days)} real days ({HF_DAYS}), GraphQL with a token, fake "
        f"GitHub on 127.0.0.1 with {args.latency * 1000:.0f} ms latency per request; child "
        f"process per run, fresh database; median of {args.runs} runs\n"
    )
    full: list[tuple[float, float, int, int, int]] = []
    no_stats: list[tuple[float, float]] = []
    rerun: list[tuple[float, int]] = []
    papers = names = 0
    with (
        FakeGitHub(token=TOKEN, latency=args.latency) as fake,
        tempfile.TemporaryDirectory(prefix="harvester-e2e-") as tmp,
    ):
        env = child_env(fake)
        for i in range(args.runs):
            db = Path(tmp) / f"full-{i}.duckdb"
            fake.reset_counters()
            wall, rss, output, code = run(["harvest", "--db", str(db), str(HF_DAYS)], env)
            if code != 0:
                raise SystemExit(f"harvest failed ({code}): {output}")
            found = re.search(r"(\d+) papers read .*?(\d+) names to fetch: (\d+) ok", output)
            if found is None:
                raise SystemExit(f"unexpected summary: {output}")
            papers, names, ok = (int(g) for g in found.groups())
            full.append((wall, rss, fake.requests, fake.graphql_requests, ok))

            fake.reset_counters()
            again, _, output, code = run(["harvest", "--db", str(db), str(HF_DAYS)], env)
            if code != 0 or "(0 new)" not in output:
                raise SystemExit(f"rerun failed ({code}): {output}")
            rerun.append((again, fake.requests))

            db = Path(tmp) / f"nostats-{i}.duckdb"
            wall, rss, output, code = run(
                ["harvest", "--db", str(db), str(HF_DAYS), "--no-stats"], env
            )
            if code != 0:
                raise SystemExit(f"harvest --no-stats failed ({code}): {output}")
            no_stats.append((wall, rss))
        print(f"summary of the last run: {output}\n")

    wall = median([w for w, *_ in full])
    rss = max(r for _, r, *_ in full)
    requests, graphql, ok = full[0][2], full[0][3], full[0][4]
    ns_wall = median([w for w, _ in no_stats])
    print(
        f"full harvest:     {wall:6.2f} s wall; {papers:,} papers = {papers / wall:,.0f} papers/s; "
        f"{names:,} names ({ok:,} ok) = {names / wall:,.0f} repos/s; {requests} requests "
        f"({graphql} GraphQL); peak RSS {rss:.0f} MB"
    )
    print(
        f"  --no-stats:     {ns_wall:6.2f} s wall = {papers / ns_wall:,.0f} papers/s; peak RSS "
        f"{max(r for _, r in no_stats):.0f} MB  (reading, links and storing alone)"
    )
    print(
        f"  rerun, same db: {median([w for w, _ in rerun]):6.2f} s wall, "
        f"{rerun[0][1]} requests  (nothing new: every name already settled)"
    )
    network = requests * args.latency
    print(
        f"  GitHub share: {wall - ns_wall:.2f} s of the wall time beyond --no-stats, of which "
        f"{network:.2f} s is the fake server's latency ({requests} x {args.latency * 1000:.0f} ms)"
    )
    print(
        f"goal: <= {GOAL_SECONDS:.0f} s wall on this machine -> "
        f"{'met' if wall <= GOAL_SECONDS else 'MISSED'} ({wall:.2f} s)"
    )


if __name__ == "__main__":
    main()
