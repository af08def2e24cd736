"""Flat memory: peak RSS of `harvester harvest --no-stats` as the input grows.

Generates a JSONL corpus of paper records (~1.2 KB each, about half citing a repository, see
_corpus.py) in a temporary directory, then harvests its first 100k, 300k and 1M papers, and
the 1M file gzipped, each into a fresh database in a fresh subprocess (`python -m harvester`),
reading the child's own peak RSS (ru_maxrss from wait4). Also measured: the floor, a child that
only imports harvester and opens a DuckDB connection. The corpus is deleted afterwards.

Peak RSS that does not grow with the input is the point; papers/s is printed for scale (one run
per size: a 1M harvest takes about a minute).

    python benchmarks/memory.py [--sizes 100000,300000,1000000] [--no-gzip] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine
from _corpus import copy_prefix, gzip_copy, write_papers_jsonl

GOAL_MB = 250.0
FLOOR = "import duckdb, harvester.cli; duckdb.connect().execute('SELECT 1').fetchall()"


def child_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HARVESTER_") and k not in ("GITHUB_TOKEN", "GH_TOKEN")
    }
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_child(argv: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=child_env(), text=True
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): {' '.join(argv)}\n{output}")
    return wall, usage.ru_maxrss / 1024, output.strip()


def harvest(path: Path, db: Path) -> tuple[float, float, str]:
    argv = [sys.executable, "-m", "harvester", "harvest", "--db", str(db), str(path)]
    return run_child([*argv, "--no-stats"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="papers, comma-separated")
    parser.add_argument("--no-gzip", action="store_true", help="skip the gzipped largest size")
    parser.add_argument("--quick", action="store_true", help="sizes 30k,100k,300k (~1 min)")
    parser.add_argument("--tmp", default=None, help="directory for the corpus (default: system)")
    args = parser.parse_args()
    spec = "30000,100000,300000" if args.quick else args.sizes
    sizes = sorted({int(s) for s in spec.split(",")})
    largest = sizes[-1]

    print(machine())
    print(
        "harvester harvest --no-stats into a fresh database, one child process per input; "
        "peak RSS = the child's ru_maxrss; one run each\n"
    )
    with tempfile.TemporaryDirectory(prefix="harvester-memory-", dir=args.tmp) as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        full = work / f"papers-{largest}.jsonl"
        offsets = write_papers_jsonl(full, largest, marks=sizes[:-1])
        inputs: list[tuple[str, int, Path, int]] = []
        for n in sizes[:-1]:
            part = work / f"papers-{n}.jsonl"
            copy_prefix(full, part, offsets[n])
            inputs.append(("jsonl", n, part, offsets[n]))
        inputs.append(("jsonl", largest, full, offsets[largest]))
        if not args.no_gzip:
            gz = work / f"papers-{largest}.jsonl.gz"
            gzip_copy(full, gz)
            inputs.append(("jsonl.gz", largest, gz, gz.stat().st_size))
        print(
            f"corpus: {largest:,} papers, {offsets[largest] / 1e9:.2f} GB of JSONL, generated "
            f"in {time.perf_counter() - started:.0f} s in {work} (deleted afterwards)\n"
        )

        _, floor, _ = run_child([sys.executable, "-c", FLOOR])
        print(f"floor (python + harvester + duckdb imported, one query): {floor:6.0f} MB\n")
        print(f"{'input':>9} {'papers':>10} {'on disk':>9} {'wall':>7} {'papers/s':>9} "
              f"{'MB/s':>6} {'peak RSS':>9} {'db size':>8}")  # fmt: skip
        results: list[tuple[str, int, float]] = []
        for kind, n, path, size in inputs:
            db = work / f"h-{kind}-{n}.duckdb"
            wall, rss, output = harvest(path, db)
            if f"{n} papers read ({n} new)" not in output:
                raise SystemExit(f"unexpected summary: {output}")
            results.append((kind, n, rss))
            plain = offsets[n]
            print(
                f"{kind:>9} {n:>10,} {size / 1e6:>7.0f}MB {wall:>6.1f}s {n / wall:>9,.0f} "
                f"{plain / 1e6 / wall:>6.1f} {rss:>7.0f}MB {db.stat().st_size / 1e6:>6.0f}MB"
            )
            db.unlink()

    plain = [(n, rss) for kind, n, rss in results if kind == "jsonl"]
    (n0, rss0), (n1, rss1) = plain[0], plain[-1]
    peak = max(rss for _, _, rss in results)
    print(
        f"\npeak RSS at {n1:,} / {n0:,} papers: {rss1 / rss0:.2f}x for {n1 / n0:.0f}x the input "
        f"(+{rss1 - rss0:.0f} MB); above the floor: {rss1 - floor:.0f} MB"
    )
    flat = rss1 / rss0 < 1.15
    print(
        f"goals: peak RSS < {GOAL_MB:.0f} MB on every input -> "
        f"{'met' if peak < GOAL_MB else 'MISSED'} (max {peak:.0f} MB); "
        f"flat with input size (< 15% growth) -> {'met' if flat else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
