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

Prints CPU seconds (user + system, worker processes included: the machine may be shared, and
then wall time measures the neighbours), MB/s, each one's share of the floor's speed by CPU and
by wall time (the goal's measure, on a quiet machine), and peak RSS: the peak of the sum over
the process tree (sampled every 20 ms: ``harvest`` reads a large file in a worker process), and
the largest single process's ``ru_maxrss``.

    python benchmarks/snapshot.py [--lines 1000000] [--keep PATH] [--skip-harvest]

``--check REF`` (e.g. ``--check main``) then proves that speed changed no answer: on a few
thousand generated lines plus odd ones (old-style ids, non-ASCII and odd whitespace, lone
surrogates, ids that are not arXiv ids, link spellings), the code of git ref REF and this
checkout each run ``extract`` and three ``harvest --no-stats`` into a database (new papers;
half new and half stored with other values; all stored, the same again; this checkout twice:
reading in its own process, and through a worker process): the extract output bytes and every
table's rows (but the clock's columns) must be identical. (It runs last: a
child's peak RSS counts its parent's memory at the fork, and the check's database reads would
inflate it.)
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

from _common import ROOT, TreeRss, machine
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


# Lines the generator never writes, for --check: each exercises a rule of the snapshot reader.
ODD_LINES = [
    {
        "id": "hep-th/9901001v2",
        "title": "Old  style\n  id",
        "abstract": "\tTabs\x0band \u00a0nbsp, Zürich: github.com/Old/Repo.git.",
        "versions": [{"created": "Fri, 1 Jan 1999 10:00:00 GMT"}],
        "authors": "A. One, B. Two and C. Three",
        "categories": "hep-th",
    },
    {
        "id": "2501.00001",
        "title": "bad \ud800 title",
        "abstract": "\udfff github.com/x/z \ud83d",
        "comments": "see https://www.GitHub.com/a-b/c_d/tree/main/src and x.github.io/p",
        "versions": [],
        "authors_parsed": [["Keyname", "", ""], ["K", "F.", "Jr"]],
    },
    {
        "id": "not-an-id",
        "title": "A title to hash",
        "abstract": None,
        "comments": "",
        "versions": [{"created": "Mon, 2 Apr 2007 19:18:42 +0200"}],
        "update_date": "2007-04-02",
        "doi": "  10.1/x  ",
        "journal-ref": "",
        "license": None,
        "categories": "",
    },
    {
        "id": "0704.0001",
        "title": "emoji \ud83d\ude00 and \u2003em space",
        "abstract": "  line\r\nbreaks  and   runs\n of\u3000spaces github.com/\nWrapped/Name",
        "versions": [{"created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
        "authors_parsed": [],
    },
    {  # a usual line (new-style id, ASCII texts) with lone surrogates in every other text field
        "id": "2501.00002",
        "title": "Plain title",
        "abstract": "Plain\nabstract at github.com/s/t.",
        "comments": "3 pages",
        "versions": [{"created": "Tue, 7 Jan 2025 10:00:00 GMT"}],
        "authors_parsed": [["K\ud800", "F", ""], ["Müller", "Ö.", ""]],
        "categories": "cs.\udfffL cs.CV",
        "doi": "10.1/\ud800x",
        "journal-ref": "J. \ud83d",
        "license": "http://x/\udc00",
    },
    {  # the same without surrogates: non-ASCII names only
        "id": "2501.00003",
        "title": "Plain title",
        "abstract": "Plain abstract",
        "versions": [{"created": "Tue, 7 Jan 2025 10:00:00 GMT"}],
        "authors": "B. Müller and Ö. García",
        "categories": "cs.CV",
        "doi": " 10.1/x ",
    },
]


def write_check_files(tmp: Path, lines: int) -> tuple[Path, Path]:
    """Two snapshots with the same ids and other values: the first half of ``a`` (plus the odd
    lines) is stored first, then ``b`` merges into it."""
    a, b, full = tmp / "a.json", tmp / "b.json", tmp / "full.json"
    write_snapshot(full, lines, seed=15)
    half = full.read_text(encoding="utf-8").splitlines(keepends=True)[: lines // 2]
    odd = [json.dumps(line) + "\n" for line in ODD_LINES]  # lone surrogates as JSON escapes
    odd.append(json.dumps(ODD_LINES[0], ensure_ascii=False) + "\n")  # raw UTF-8, a repeated id
    a.write_text("".join(half + odd), encoding="utf-8")
    write_snapshot(b, lines, seed=16)
    return a, b


DUMP = {  # every table a harvest writes, ordered, without the clock's columns
    "papers": "SELECT * EXCLUDE (harvested_at) FROM papers ORDER BY paper_id",
    "mentions": "SELECT * FROM mentions ORDER BY ALL",
    "repo_names": "SELECT * EXCLUDE (first_seen_at) FROM repo_names ORDER BY ALL",
    "runs": "SELECT run_id, command, status, papers, new_papers, new_mentions, message FROM runs",
}


def check(ref: str, lines: int) -> None:
    import duckdb  # (the benchmark itself needs no database module)

    answers = {}
    with tempfile.TemporaryDirectory(prefix="harvester-check-") as name:
        tmp = Path(name)
        a, b = write_check_files(tmp, lines)
        old = tmp / "ref"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "harvester"],
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        worker = {"HARVESTER_WORKER_MIN_BYTES": "0"}  # every file through the worker process
        for label, root, extra in (
            (ref, old, {}),
            ("this checkout", ROOT, {"HARVESTER_WORKER_MIN_BYTES": str(1 << 62)}),
            ("this checkout, worker", ROOT, worker),
        ):
            env = {**os.environ, "PYTHONPATH": str(root), **extra}

            # cwd=root: ``python -m`` puts the working directory first on sys.path, before
            # PYTHONPATH (run from a checkout, both runs used to import that checkout's code).
            def cli(*argv: str, env: dict[str, str] = env, root: Path = root) -> bytes:
                done = subprocess.run([sys.executable, "-m", "harvester", *argv], cwd=root,
                                      env=env, capture_output=True, check=False)  # fmt: skip
                if done.returncode not in (0, 6):
                    sys.exit(f"check: {argv[0]} failed: {done.stderr.decode()[-300:]}")
                return done.stdout

            extracted = cli("extract", str(a)) + cli("extract", str(b))
            db = tmp / f"{len(answers)}.duckdb"
            for source in (a, b, b):
                cli("harvest", str(source), "--no-stats", "--db", str(db))
            with duckdb.connect(str(db), read_only=True) as con:
                tables = {t: con.execute(sql).fetchall() for t, sql in DUMP.items()}
            answers[label] = (extracted, tables)
    (old_out, old_db), *ours = answers.values()
    for label, (new_out, new_db) in zip(list(answers)[1:], ours, strict=True):
        differ = [t for t in DUMP if old_db[t] != new_db[t]]
        if old_out != new_out:
            differ.insert(0, "extract output")
        if differ:
            sys.exit(f"check against {ref}: {label}: DIFFERENT {', '.join(differ)}")
    rows = ", ".join(f"{len(new_db[t])} {t}" for t in DUMP)
    print(f"check against {ref}: identical extract output ({len(new_out)} bytes) and tables"
          f" ({rows}) on {lines:,} generated lines + {len(ODD_LINES)} odd ones, this checkout"
          " reading in its own process and through a worker process")  # fmt: skip


FLOOR = """
import json, resource, sys, time
t = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    for line in f:
        json.loads(line)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds (user + system, its worker processes' included), the peak of
    the process tree's summed RSS and the largest single process's peak RSS (``ru_maxrss``
    over the process and the children it waited for), both in MB.

    On a shared machine wall time mostly measures the neighbours: compare CPU there."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    sampler = TreeRss(p.pid)
    assert p.stderr is not None
    err = p.stderr.read()
    _pid, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    tree = sampler.stop()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 6):
        sys.exit(f"{' '.join(argv[:4])} failed ({p.returncode}): {err.decode()[-500:]}")
    largest = usage.ru_maxrss / 1024
    return wall, usage.ru_utime + usage.ru_stime, max(tree, largest), largest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write (or reuse) the snapshot here")
    parser.add_argument("--skip-harvest", action="store_true")
    parser.add_argument("--check", metavar="REF", help="first compare answers with git REF")
    parser.add_argument("--check-lines", type=int, default=4000)
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
        floor_wall, floor, floor_rss, _ = min(floor_runs, key=lambda run: run[1])
        print(f"{'':<30}{'CPU s':>8}{'MB/s':>8}{'of floor':>10}{'peak RSS':>10}{'wall s':>8}")
        print(f"{'json.loads floor':<30}{floor:8.1f}{mb / floor:8.1f}{1:10.0%}"
              f"{floor_rss:7.0f} MB{floor_wall:8.1f}")  # fmt: skip
        cli = [sys.executable, "-m", "harvester"]
        runs = [("harvester extract", [*cli, "extract", str(path)], GOAL_EXTRACT)]
        if not args.skip_harvest:
            db = Path(tmp) / "bench.duckdb"
            harvest = [*cli, "harvest", str(path), "--no-stats", "--db", str(db)]
            runs.append(("harvester harvest --no-stats", harvest, GOAL_HARVEST))
        for label, argv, goal in runs:
            wall, cpu, rss, largest = _child(argv, env)
            ratio, by_wall = floor / cpu, floor_wall / wall
            verdict = "ok" if by_wall >= goal and rss < GOAL_RSS_MB else "MISSED"
            print(f"{label:<30}{cpu:8.1f}{mb / cpu:8.1f}{ratio:10.0%}{rss:7.0f} MB{wall:8.1f}"
                  f" ({by_wall:.0%} of the floor's wall time; largest process {largest:.0f} MB)"
                  f"   goal >= {goal:.0%} (wall), < {GOAL_RSS_MB:.0f} MB: {verdict}")  # fmt: skip
    if args.check:
        check(args.check, args.check_lines)


if __name__ == "__main__":
    main()
