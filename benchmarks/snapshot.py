"""The file path on the arXiv metadata snapshot: ``extract`` and ``harvest --no-stats`` against
the ``json.loads`` floor, side by side in one run.

Generates a snapshot in the real format (one JSON object a line: ``id``, ``submitter``,
``authors``, ``title`` and ``abstract`` hard-wrapped as arXiv stores them, ``comments``,
``journal-ref``, ``doi``, ``report-no``, ``categories``, ``license``, ``versions`` with RFC 2822
dates, ``update_date``, ``authors_parsed``), abstracts from ``_corpus.Generator`` with about 5%
citing a GitHub repository, then measures, each as a separate process so peak RSS is its own:

- floor: ``for line in file: json.loads(line)`` (the least any reader of this file costs);
- ``harvester extract FILE`` through the CLI, output to /dev/null;
- ``harvester harvest FILE --no-stats --db TMP`` into a new database.

Prints CPU seconds (user + system: the machine may be shared, and then wall time measures the
neighbours; wall seconds are printed too), MB/s, each one's share of the floor's speed and its
peak RSS.

    python benchmarks/snapshot.py [--lines 1000000] [--keep PATH] [--skip-harvest]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine
from _corpus import Generator, paper_id

GOAL_EXTRACT = 0.40
GOAL_HARVEST = 0.25
GOAL_RSS_MB = 250.0
POOL = 20_000

SURNAMES = ("Wang", "Li", "Zhang", "Smith", "Müller", "García", "Nguyen", "Kim", "Rossi",
            "Ivanov", "Dubois", "Kowalski", "Yamamoto", "Schmidt", "Okafor", "Silva")  # fmt: skip
INITIALS = ("A.", "B. C.", "J.", "M.-L.", "P. M.", "S.", "Y.", "X.", "Ö.", "R. J.", "T.")
CATEGORIES = ("cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "math.OC", "hep-ph", "quant-ph",
              "astro-ph.GA", "cond-mat.mes-hall", "eess.IV", "cs.RO", "physics.optics")  # fmt: skip
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _wrap(text: str, width: int = 80) -> str:
    """Hard line breaks as in arXiv's stored titles and abstracts."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _rfc2822(rng: random.Random, year: int, month: int) -> str:
    day = rng.randint(1, 28)
    return (
        f"{DAYS[rng.randrange(7)]}, {day} {MONTHS[month - 1]} {year} "
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} GMT"
    )


def write_snapshot(path: Path, lines: int, seed: int = 14) -> int:
    gen = Generator(seed, link_rate=0.05)
    rng = random.Random(seed)
    # Abstracts and titles drawn from pools: generating each line afresh took ~9 min per 1M.
    abstracts = ["  " + _wrap(gen.abstract(rng.randint(600, 1400))[0]) + "\n" for _ in range(POOL)]
    titles = [_wrap(gen.title(), 70) for _ in range(POOL)]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(lines):
            arxiv_id = paper_id(i)
            year, month = 2000 + int(arxiv_id[:2]), int(arxiv_id[2:4])
            parsed = [
                [rng.choice(SURNAMES), rng.choice(INITIALS), ""] for _ in range(rng.randint(1, 8))
            ]
            authors = ", ".join(f"{first} {last}" for last, first, _ in parsed)
            cats = rng.sample(CATEGORIES, rng.randint(1, 3))
            versions = [{"version": "v1", "created": _rfc2822(rng, year, month)}]
            if rng.random() < 0.4:
                versions.append({"version": "v2", "created": _rfc2822(rng, year, month)})
            record = {
                "id": arxiv_id,
                "submitter": f"{parsed[0][1]} {parsed[0][0]}",
                "authors": authors,
                "title": titles[rng.randrange(POOL)],
                "comments": f"{rng.randint(5, 40)} pages, {rng.randint(1, 12)} figures"
                if rng.random() < 0.7
                else None,
                "journal-ref": "Phys.Rev.D76:013009,2007" if rng.random() < 0.2 else None,
                "doi": f"10.1103/PhysRevD.{i % 100}.{i:06d}" if rng.random() < 0.3 else None,
                "report-no": None,
                "categories": " ".join(cats),
                "license": "http://creativecommons.org/licenses/by/4.0/"
                if rng.random() < 0.5
                else None,
                "abstract": abstracts[rng.randrange(POOL)],
                "versions": versions,
                "update_date": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
                "authors_parsed": parsed,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


FLOOR = """
import json, resource, sys, time
t = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    for line in f:
        json.loads(line)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of a child process.

    The ratios use CPU seconds: on a shared machine wall time mostly measures the neighbours."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert p.stderr is not None
    err = p.stderr.read()
    _pid, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if p.returncode not in (0, 6):
        sys.exit(f"{' '.join(argv[:4])} failed ({p.returncode}): {err.decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write (or reuse) the snapshot here")
    parser.add_argument("--skip-harvest", action="store_true")
    args = parser.parse_args()
    print(machine())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="harvester-snapshot-") as tmp:
        path = args.keep or Path(tmp) / "arxiv-metadata-snapshot.json"
        if path.exists():
            size = path.stat().st_size
            print(f"snapshot: reusing {path} ({size / 1e6:.0f} MB)")
        else:
            started = time.perf_counter()
            size = write_snapshot(path, args.lines)
            took = time.perf_counter() - started
            print(f"snapshot: {args.lines:,} lines, {size / 1e6:.0f} MB (made in {took:.0f} s)")
        mb = size / 1e6
        # The floor is run twice and the faster run kept: the ratios are not flattered by a
        # slow floor.
        floor_runs = [_child([sys.executable, "-c", FLOOR, str(path)], env) for _ in range(2)]
        floor_wall, floor, floor_rss = min(floor_runs, key=lambda run: run[1])
        print(f"{'':<30}{'CPU s':>8}{'MB/s':>8}{'of floor':>10}{'peak RSS':>10}{'wall s':>8}")
        print(f"{'json.loads floor':<30}{floor:8.1f}{mb / floor:8.1f}{1:10.0%}"
              f"{floor_rss:7.0f} MB{'':>8}")  # fmt: skip
        cli = [sys.executable, "-m", "harvester"]
        runs = [("harvester extract", [*cli, "extract", str(path)], GOAL_EXTRACT)]
        if not args.skip_harvest:
            db = Path(tmp) / "bench.duckdb"
            harvest = [*cli, "harvest", str(path), "--no-stats", "--db", str(db)]
            runs.append(("harvester harvest --no-stats", harvest, GOAL_HARVEST))
        for label, argv, goal in runs:
            wall, cpu, rss = _child(argv, env)
            ratio = floor / cpu
            verdict = "ok" if ratio >= goal and rss < GOAL_RSS_MB else "MISSED"
            print(f"{label:<30}{cpu:8.1f}{mb / cpu:8.1f}{ratio:10.0%}{rss:7.0f} MB{wall:8.1f}"
                  f" ({floor_wall / wall:.0%} of the floor's wall time)"
                  f"   goal >= {goal:.0%} and < {GOAL_RSS_MB:.0f} MB: {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
