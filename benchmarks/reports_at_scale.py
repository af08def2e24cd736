"""Every shipped report on a database of all of arXiv: 2.7M papers, 300k repositories, 3 snapshots.

Builds (once; reruns reuse it) a database in the store's real schema — created by the store's
own migrations (``Store.ensure``), then filled with DuckDB SQL, not through the CLI — shaped like
a harvest of the arXiv metadata snapshot followed by two ``refresh`` runs:

- papers: 2.7M, arXiv ids 0704.00000 .. 2512.xxxxx spread over the months, titles, abstracts of
  ~1 kB (each one distinct: a drawn pool of generated abstracts with a per-paper opening
  sentence), comments on 70%; about 3% of the abstracts announce code without linking it ("code
  will be released", "available on GitHub", "available at https://...") in the words real
  abstracts use;
- mentions: ~15% of the papers (as many as 300k repositories take) link a repository
  (abstract, comment, some also Hugging Face's githubRepo, which then names another repository
  for one in five of them), a fifth of those links going to ~5,000 popular repositories; 2%
  link only an ``owner.github.io`` page;
- repo_names: every cited name, 90% ok, 3% renamed, 4% not found, 1% blocked, 0.5% error, the
  rest pending; repos: the 300k repositories they resolve to, log-spread stars;
- repo_snapshots: 3 per repository (a harvest and two refreshes, 30 days apart), stars growing;
- categories on every paper (primary first, weighted as arXiv's: cs.CV and cs.LG lead, a long
  tail; 45% cross-listed); repositories with facts and verdicts (80% code, 6% of them arriving
  after a placeholder, so with ``code_arrived_at``; 10% placeholder, 5% empty, 5% unknown; 3%
  forks), the verdict history in the snapshots;
- ``follow`` output: full-text documents for 6% of the papers (a first-page link to the
  paper's own repository, third-party citations of popular ones in the body and references),
  project pages with a "Code" link for some github.io papers, README back-links for 30% of the
  resolved repositories (a few of them lists citing 120 papers).

The rows are written by SQL, not by the store, so the derived tables (schema 0009) are then
rebuilt from scratch, as for any file another program wrote: that is the "full rebuild" figure.
Each run then times the refresh a writing job pays: a 1-paper and a 1,000-paper harvest into
the big database (``--rebuild-derived`` times a full rebuild again).

Then times every report in ``queries/`` through the library's report runner (``Store.query``
on a read-only connection, every core, the rows fetched into Python: the median of 3 runs, wall
seconds, and the process CPU seconds beside them; each call opens a new DuckDB instance on the
file, as each ``harvester report`` does: the open is timed alone, and "warm" is the same query
on one reader held open), and then as a user runs it, through the CLI
door: ``python -m harvester report NAME --db F --format csv --output X`` in a new process
(start-up, import, query and writing the file included; wall seconds and the child's CPU
seconds, median of 3) — by default the three slowest reports and a typical one (the median by
library wall), every report with ``--cli-all``, none with ``--cli-none``.

    python benchmarks/reports_at_scale.py [--papers 2700000] [--repos 300000] [--cache DIR]
                                          [--rebuild] [--rebuild-derived] [--only NAME ...]
                                          [--cli-all | --cli-none]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from _common import ROOT, machine
from _corpus import Generator

from harvester import links, reports
from harvester.models import Paper
from harvester.store import Store, read

GOAL_S = 1.0
POOL = 20_000
POPULAR = 5_000
# primary categories, weighted roughly as arXiv's (cs.CV and cs.LG lead; a long tail)
CATEGORIES = [
    *["cs.CV"] * 8,
    *["cs.LG"] * 8,
    *["cs.CL"] * 5,
    *["cs.AI"] * 4,
    *["quant-ph"] * 3,
    *["cs.RO", "stat.ML", "hep-th", "hep-ph", "math.OC", "cond-mat.mtrl-sci"] * 2,
    *["eess.IV", "eess.SP", "math.PR", "math.AP", "math.CO", "math.NT", "hep-ex", "gr-qc"],
    *["astro-ph.GA", "astro-ph.CO", "astro-ph.SR", "astro-ph.HE", "cond-mat.str-el"],
    *["cond-mat.stat-mech", "physics.optics", "physics.flu-dyn", "q-bio.NC", "q-fin.ST"],
    *["econ.EM", "nucl-th", "math-ph", "cs.CR", "cs.DS", "cs.SE", "cs.NI", "cs.IR", "cs.HC"],
]
PROMISES = (
    " The code will be released upon acceptance.",
    " Our code and models will be made publicly available.",
    " We will release our code and the benchmark.",
    " The implementation is available on GitHub.",
    " Code is available at https://anonymous.4open.science/r/review-{k}.",
    " The source code is available at our project page https://example.org/p{k}.",
    " Code: github.com/lab{k}",
)


def _pool(seed: int = 5) -> list[tuple[int, str]]:
    """Generated abstracts (no links: links are written where the mentions say so)."""
    gen = Generator(seed, link_rate=0.0)
    rng = random.Random(seed)
    rows = []
    for k in range(POOL):
        text = gen.abstract(rng.randint(600, 1400))[0]
        if k % 33 == 0:  # ~3%: a promise of code without a repository link
            text += PROMISES[(k // 33) % len(PROMISES)].format(k=k)
        rows.append((k, text))
    return rows


BUILD = """
CREATE TEMP TABLE ids AS
SELECT i,
       -- 225 months from 2007-04 to 2025-12, 12,000 papers a month
       (DATE '2007-04-01' + to_months((i // 12000)::INTEGER))::DATE
           + (i % 28)::INTEGER AS published,
       strftime(DATE '2007-04-01' + to_months((i // 12000)::INTEGER), '%y%m')
           || '.' || lpad((i % 12000)::VARCHAR, 5, '0') AS paper_id,
       hash(i * 7919) % 1000 AS roll,
       $cats[1 + (hash(i * 11) % len($cats))::INTEGER] AS cat1,
       $cats[1 + (hash(i * 13) % len($cats))::INTEGER] AS cat2
FROM range($papers) r(i);

-- run ids from the sequence (1, 2, 3), as the store takes them
INSERT INTO runs (command, args, started_at, finished_at, status, papers)
VALUES ('harvest', 'arxiv-metadata-oai-snapshot.json', TIMESTAMPTZ '2026-01-01 00:00:00+00',
        TIMESTAMPTZ '2026-01-01 02:00:00+00', 'ok', $papers),
       ('refresh', '', TIMESTAMPTZ '2026-01-31 00:00:00+00',
        TIMESTAMPTZ '2026-01-31 01:00:00+00', 'ok', 0),
       ('refresh', '', TIMESTAMPTZ '2026-03-02 00:00:00+00',
        TIMESTAMPTZ '2026-03-02 01:00:00+00', 'ok', 0);

-- the linking papers (12%) and the name each links: a fifth go to the popular repositories
CREATE TEMP TABLE links AS
SELECT i, paper_id, roll,
       CASE WHEN hash(i * 31) % 5 = 0
            THEN ((hash(i * 131) % $popular) * (hash(i * 137) % $popular) // $popular)::BIGINT
            ELSE $popular + row_number() OVER (ORDER BY i) END AS name_no
FROM ids WHERE roll < $share;

CREATE TEMP TABLE names AS
SELECT name_no,
       'owner' || (name_no % 97000) || '/repo-' || name_no AS repo_name,
       CASE WHEN h < 900 THEN 'ok' WHEN h < 930 THEN 'renamed' WHEN h < 970 THEN 'not_found'
            WHEN h < 980 THEN 'blocked' WHEN h < 985 THEN 'error' ELSE 'pending' END AS status
FROM (SELECT DISTINCT name_no, hash(name_no * 17) % 1000 AS h FROM links);

INSERT INTO papers (paper_id, source, title, abstract, comment, published_at, url, first_run_id,
                    harvested_at, categories, primary_category)
SELECT d.paper_id, 'arxiv_snapshot',
       'On problem ' || d.i || ' of ' || split_part(p.abstract, ' ', 3) || ' learning',
       'We study case ' || d.i || '. ' || p.abstract
           || CASE WHEN l.name_no IS NOT NULL AND d.roll % 3 <> 0
                   THEN ' Code: https://github.com/' || n.repo_name || '.' ELSE '' END
           || CASE WHEN d.roll >= 980
                   THEN ' Project page: https://owner' || (d.i % 5000) || '.github.io/p' || d.i
                   ELSE '' END,
       CASE WHEN d.roll % 10 < 7 THEN (5 + d.roll % 30) || ' pages, ' || (d.roll % 12)
            || ' figures' || CASE WHEN l.name_no IS NOT NULL AND d.roll % 3 = 0
                                  THEN '. Code at https://github.com/' || n.repo_name
                                  ELSE '' END END,
       d.published, 'https://arxiv.org/abs/' || d.paper_id, 1, TIMESTAMPTZ '2026-01-01 01:00:00+00',
       -- primary first; 45% cross-listed in a second category
       CASE WHEN d.cat2 <> d.cat1 AND hash(d.i * 17) % 100 < 45 THEN [d.cat1, d.cat2]
            ELSE [d.cat1] END,
       d.cat1
FROM ids d
JOIN pool p ON p.k = hash(d.i) % $pool
LEFT JOIN links l ON l.i = d.i
LEFT JOIN names n ON n.name_no = l.name_no;

INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, first_run_id)
SELECT l.paper_id, n.repo_name, CASE WHEN l.roll % 3 = 0 THEN 'comment' ELSE 'abstract' END,
       'repo', n.repo_name, 'https://github.com/' || n.repo_name, 1
FROM links l JOIN names n USING (name_no);

-- Hugging Face githubRepo on a quarter of the linking papers; one in five names another repo
INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, first_run_id)
SELECT l.paper_id, n.repo_name, 'hf_github_repo', 'repo', n.repo_name,
       'https://github.com/' || n.repo_name, 1
FROM links l
JOIN names n ON n.name_no = CASE WHEN l.roll % 20 = 1 THEN (l.name_no * 7) % $popular
                                 ELSE l.name_no END
WHERE l.roll % 4 = 1;

INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, first_run_id)
SELECT paper_id, 'owner' || (i % 5000) || '/p' || i, 'abstract', 'pages',
       'owner' || (i % 5000) || '/p' || i, 'https://owner' || (i % 5000) || '.github.io/p' || i, 1
FROM ids WHERE roll >= 980;

-- repositories: every ok or renamed name resolves to one (a renamed one's current name differs
-- from the name as cited); the rest resolve to nothing
INSERT INTO repo_names (repo_name, repo_id, status, checked_at, detail, attempts, first_seen_at)
SELECT repo_name,
       CASE WHEN status IN ('ok', 'renamed') THEN 1000000 + name_no END,
       status,
       CASE WHEN status <> 'pending' THEN TIMESTAMPTZ '2026-03-02 00:30:00+00' END,
       CASE WHEN status = 'renamed' THEN 'now at another name'
            WHEN status = 'blocked' THEN 'DMCA' END,
       CASE WHEN status = 'pending' THEN 0 ELSE 1 END,
       TIMESTAMPTZ '2026-01-01 01:00:00+00'
FROM names;

INSERT INTO repos (repo_id, full_name, stars, forks, watchers, open_issues, language, license,
                   topics, description, homepage, created_at, pushed_at, updated_at, archived,
                   is_fork, etag, fetched_at, commits, readme_bytes, has_license_file, has_citation,
                   releases, has_runnable, verdict, verdict_reason, code_seen_at, code_arrived_at)
SELECT 1000000 + name_no,
       replace(repo_name, 'owner', 'Owner') || CASE WHEN status = 'renamed' THEN '-v2' ELSE '' END,
       s, s // 7, s // 20, s // 50,
       ['Python', 'C++', 'Jupyter Notebook', 'MATLAB', 'R', 'Julia', 'Rust', NULL][1 + h % 8],
       ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'GPL-3.0', NULL][1 + h % 5],
       ['deep-learning', 'pytorch'], 'A repository', NULL,
       TIMESTAMPTZ '2008-01-01 00:00:00+00' + to_days((h * 7 % 6500)::INTEGER),
       TIMESTAMPTZ '2026-03-01 00:00:00+00' - to_days((h % 1500)::INTEGER),
       TIMESTAMPTZ '2026-03-01 00:00:00+00', h % 20 = 0, h % 33 = 0, NULL,
       TIMESTAMPTZ '2026-03-02 00:30:00+00',
       CASE WHEN v < 90 THEN 1 + h % 400 ELSE 0 END, CASE WHEN v < 95 THEN 200 + h % 9000 END,
       h % 3 <> 0, h % 9 = 0, h % 4, v < 80 AND h % 2 = 0,
       -- 80% code (6% of them arrived after a placeholder), 10% placeholder, 5% empty, 5% unknown
       CASE WHEN v < 80 THEN 'code' WHEN v < 90 THEN 'placeholder' WHEN v < 95 THEN 'empty'
            ELSE 'unknown' END,
       CASE WHEN v < 80 THEN 'source files in the root' WHEN v < 90
            THEN '1 commit, README only, README says: code will be released soon'
            WHEN v < 95 THEN 'no commits' ELSE 'fetched before harvester read these facts' END,
       CASE WHEN v < 6 THEN TIMESTAMPTZ '2026-01-31 00:30:00+00'
            WHEN v < 80 THEN TIMESTAMPTZ '2026-01-01 01:30:00+00' END,
       CASE WHEN v < 6 THEN TIMESTAMPTZ '2026-01-31 00:30:00+00' END
FROM (SELECT name_no, repo_name, status, (hash(name_no * 3) % 1000000)::BIGINT AS h,
             hash(name_no * 19) % 100 AS v,
             floor(exp((hash(name_no * 5) % 10000) / 1000.0))::INTEGER AS s
      FROM names WHERE status IN ('ok', 'renamed'));

INSERT INTO repo_snapshots (repo_id, run_id, fetched_at, stars, forks, open_issues, pushed_at,
                            archived, commits, verdict, verdict_reason)
SELECT r.repo_id, k.run_id, k.taken, (r.stars * k.share)::INTEGER, r.forks, r.open_issues,
       r.pushed_at, r.archived, r.commits,
       CASE WHEN r.code_arrived_at IS NOT NULL AND k.run_id = 1 THEN 'placeholder'
            ELSE r.verdict END,
       CASE WHEN r.code_arrived_at IS NOT NULL AND k.run_id = 1 THEN '1 commit, README only'
            ELSE r.verdict_reason END
FROM repos r,
     (VALUES (1, TIMESTAMPTZ '2026-01-01 01:30:00+00', 0.8),
             (2, TIMESTAMPTZ '2026-01-31 00:30:00+00', 0.9),
             (3, TIMESTAMPTZ '2026-03-02 00:30:00+00', 1.0)) k(run_id, taken, share);

-- harvester follow: full text read for 6% of the papers (a document each); where a linking
-- paper's full text names its repository again (first page), and third-party citations of the
-- popular repositories in the references; project pages of a third of the github.io papers,
-- a quarter of those with a "Code" link to a repository
INSERT INTO documents (url, paper_id, channel, status, final_url, content_type, fetched_at, bytes,
                       mentions, run_id)
SELECT 'https://arxiv.org/pdf/' || paper_id, paper_id, 'fulltext', 200,
       'https://arxiv.org/pdf/' || paper_id, 'application/pdf',
       TIMESTAMPTZ '2026-01-02 00:00:00+00', 800000 + roll * 1000, 0, 1
FROM ids WHERE roll % 50 < 6 OR roll BETWEEN 980 AND 986;

INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, first_run_id, locus,
                      context)
SELECT l.paper_id, n.repo_name, 'fulltext', 'repo', n.repo_name,
       'https://github.com/' || n.repo_name, 1, 'first_page', 'Code: github.com/' || n.repo_name
FROM links l JOIN names n USING (name_no)
WHERE l.roll % 50 < 3;

INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, first_run_id, locus,
                      context)
SELECT d.paper_id, n.repo_name, 'fulltext', 'repo', n.repo_name,
       'https://github.com/' || n.repo_name, 1, CASE WHEN d.roll % 2 = 0 THEN 'references'
                                                      ELSE 'body' END, 'we build on it'
FROM ids d
JOIN names n ON n.name_no = hash(d.i * 23) % $popular
WHERE d.roll % 50 BETWEEN 3 AND 5;

INSERT INTO documents (url, paper_id, channel, status, final_url, content_type, fetched_at, bytes,
                       mentions, run_id)
SELECT 'https://owner' || (i % 5000) || '.github.io/p' || i, paper_id, 'pages', 200,
       'https://owner' || (i % 5000) || '.github.io/p' || i, 'text/html',
       TIMESTAMPTZ '2026-01-02 00:00:00+00', 30000, 1, 1
FROM ids WHERE roll BETWEEN 980 AND 986;

INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, first_run_id, locus,
                      context)
SELECT d.paper_id, n.repo_name, 'project_page', 'repo', n.repo_name,
       'https://github.com/' || n.repo_name, 1, 'code_link', 'Code'
FROM ids d
JOIN names n ON n.name_no = hash(d.i * 29) % $popular
WHERE d.roll BETWEEN 980 AND 981;

-- README back-links: 30% of the resolved repositories were checked; their README cites the
-- linking paper (a few are lists citing hundreds)
INSERT INTO readme_citations (repo_id, paper_id, how, cited_papers_total, checked_at)
SELECT DISTINCT ON (1000000 + l.name_no) 1000000 + l.name_no, l.paper_id,
       ['link', 'id', 'doi', 'title'][1 + (hash(l.i * 37) % 4)::INTEGER],
       CASE WHEN hash(l.i * 41) % 50 = 0 THEN 120 ELSE 1 END,
       TIMESTAMPTZ '2026-03-02 00:45:00+00'
FROM links l JOIN names n USING (name_no)
WHERE n.status IN ('ok', 'renamed') AND hash(l.name_no * 43) % 10 < 3;

INSERT INTO readme_checks (repo_id, checked_at, status, cited_papers_total)
SELECT repo_id, checked_at, 'ok', cited_papers_total FROM readme_citations;
"""


def build(path: Path, papers: int, repos: int) -> None:
    """The database, via the store's migrations, then filled in SQL (a few minutes for 2.7M)."""
    Store(path).ensure()  # the real schema: every migration the store ships
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE TEMP TABLE pool (k INTEGER, abstract VARCHAR)")
        appender = con.appender("pool")
        appender.append_rows(_pool())
        appender.flush()
        share = _link_share(papers, repos)
        values = {
            "papers": papers,
            "pool": POOL,
            "popular": POPULAR,
            "share": share,
            "cats": CATEGORIES,
        }
        for statement in duckdb.extract_statements(BUILD):
            con.execute(statement, {k: v for k, v in values.items() if f"${k}" in statement.query})
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _link_share(papers: int, repos: int) -> int:
    """Per mille of papers that link a repository, so that ~``repos`` of their names resolve."""
    return max(1, min(979, round((repos / 0.9 - POPULAR) / 0.8 / papers * 1000)))


def _time_refresh(path: Path) -> None:
    """What the derived tables cost a writing job: the refresh after a one-paper harvest (one
    linking paper, text with a promise) and after a 1,000-paper one, each as a real job."""
    store = Store(path)
    for size in (1, 1000):
        papers = [
            Paper(
                f"2599.{k:05d}",
                "bench",
                title=f"Refresh probe {k}",
                abstract=f"We study probe {k}. Code: https://github.com/probe{k % 7}/repo-{k}. "
                "The code will be released upon acceptance.",
                published_at=dt.date(2025, 12, 1),
            )
            for k in range(size)
        ]
        mentions = [m for p in papers for m in links.mentions_for(p)]
        started = time.perf_counter()
        run, _ = store.begin_run("harvest", "benchmark refresh probe")
        store.save_papers(papers, mentions, run)
        saved = time.perf_counter()
        cpu = time.process_time()
        done = store.refresh_derived()
        refresh_wall, refresh_cpu = time.perf_counter() - saved, time.process_time() - cpu
        store.end_run(run, "ok")
        print(
            f"refresh after a {size:,}-paper harvest: {refresh_wall:.2f} s wall, "
            f"{refresh_cpu:.2f} s CPU ({done.mode}: {done.papers} papers, {done.texts} texts); "
            f"the whole job {time.perf_counter() - started:.2f} s"
        )


def _time_rebuild(store: Store) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    done = store.refresh_derived()
    print(
        f"derived tables {done.mode} rebuild: {time.perf_counter() - wall:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU"
    )


def _time_open(store: Store, runs: int = 10) -> float:
    """Wall seconds to open and close the reader every ``Store.query`` opens (a new DuckDB
    instance on the file: connect, settings, the schema version check), median of ``runs``."""
    walls = []
    for _ in range(runs):
        wall = time.perf_counter()
        with store.reader(sandboxed=True):
            pass
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls)


def _time_library(
    store: Store, report: reports.Report, runs: int
) -> tuple[float, float, int, float]:
    """``Store.query`` as ``harvester report`` runs it (a new reader each time, the rows
    fetched into Python): median wall and CPU seconds and the rows; then the median wall of the
    same query on one reader held open after a first run ("warm": DuckDB's cache already holds
    the blocks), so wall - warm is what a fresh instance costs the report. The previous run's
    rows are freed before the clock starts (freeing official_code's 405k rows takes ~0.1 s,
    which runs 2 and 3 used to count and run 1 did not)."""
    walls, cpus, rows = [], [], 0
    result = None
    for _ in range(runs):
        result = None
        wall, cpu = time.perf_counter(), time.process_time()
        result = store.query([report.sql], report.bind({}))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        rows = len(result.rows)
    result = None
    warm = []
    with store.reader(sandboxed=True) as con:
        read.run(con, [report.sql], report.bind({}))
        for _ in range(runs):
            wall = time.perf_counter()
            read.run(con, [report.sql], report.bind({}))
            warm.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), rows, statistics.median(warm)


def _time_cli(path: Path, name: str, runs: int) -> tuple[float, float]:
    """``harvester report NAME --format csv --output X`` as a user runs it: wall and the child
    process's CPU seconds (user + system), medians of ``runs``."""
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.csv"  # new, then this command's own output: no --force needed
        for _ in range(runs):
            argv = [sys.executable, "-m", "harvester", "report", name, "--db", str(path)]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            argv += ["--format", "csv", "-o", str(out)]
            subprocess.run(argv, check=True, cwd=ROOT, capture_output=True)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def _cli_chosen(timed: list[tuple[float, str]], every: bool) -> list[str]:
    """The reports timed through the CLI: every one, or the three slowest and a typical one
    (the median by library wall)."""
    ranked = [name for _, name in sorted(timed, reverse=True)]
    if every:
        return ranked
    typical = ranked[len(ranked) // 2]
    return list(dict.fromkeys([*ranked[:3], typical]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=2_700_000)
    parser.add_argument("--repos", type=int, default=300_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="time only these reports")
    door = parser.add_mutually_exclusive_group()
    door.add_argument("--cli-all", action="store_true", help="time every report through the CLI")
    door.add_argument("--cli-none", action="store_true", help="time no report through the CLI")
    parser.add_argument(
        "--rebuild-derived", action="store_true", help="time a full rebuild of the derived tables"
    )
    args = parser.parse_args()
    print(machine())
    path = args.cache / f"harvester-reports-{args.papers}-{args.repos}.duckdb"
    if args.rebuild or not path.exists():
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".building")  # renamed once complete: never reuse a failed build
        partial.unlink(missing_ok=True)
        build(partial, args.papers, args.repos)
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
        _time_rebuild(Store(partial))  # rows written by SQL, not the store: a full rebuild
        partial.rename(path)
    else:
        print(f"reusing {path} (--rebuild to make it again)")
    store = Store(path)
    counts = store.query(
        [
            "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM mentions), "
            "(SELECT count(*) FROM repo_names), (SELECT count(*) FROM repos), "
            "(SELECT count(*) FROM repo_snapshots)"
        ]
    ).rows[0]
    print(
        f"{counts[0]:,} papers, {counts[1]:,} mentions, {counts[2]:,} names, {counts[3]:,} "
        f"repositories, {counts[4]:,} snapshots; file {path.stat().st_size / 1e9:.2f} GB"
    )
    if args.rebuild_derived:
        with store.transaction() as con:
            con.execute("INSERT INTO derived_dirty VALUES ('all', '')")
        _time_rebuild(store)
    _time_refresh(path)
    chosen = [r for r in reports.list_reports() if not args.only or r.name in args.only]
    print(
        f"each Store.query opens a new DuckDB instance on the file: opening and closing one "
        f"takes {_time_open(store) * 1000:.0f} ms wall (median of 10), in every figure below; "
        f"warm s: the same query on one reader held open (DuckDB's cache already filled)"
    )
    print(
        f"{'report':<26}{'wall s':>8}{'CPU s':>8}{'warm s':>8}{'rows':>9}   (median of {args.runs})"
    )
    timed = []
    for report in chosen:
        wall, cpu, rows, warm = _time_library(store, report, args.runs)
        timed.append((wall, report.name))
        verdict = "" if wall < GOAL_S else f"   over {GOAL_S:.0f} s"
        print(f"{report.name:<26}{wall:8.2f}{cpu:8.2f}{warm:8.2f}{rows:9,}{verdict}", flush=True)
    slowest_wall, slowest = max(timed)
    over = sum(1 for wall, _ in timed if wall >= GOAL_S)
    print(
        f"slowest: {slowest} {slowest_wall:.2f} s (library); "
        f"{len(timed) - over} of {len(timed)} under {GOAL_S:.0f} s"
    )
    if args.cli_none:
        return
    library = {name: wall for wall, name in timed}
    print(
        f"through the CLI door: harvester report NAME --format csv --output X "
        f"(a new process; median of {args.runs})"
    )
    print(f"{'report':<26}{'library s':>10}{'CLI wall s':>11}{'CLI CPU s':>10}")
    for name in _cli_chosen(timed, args.cli_all):
        wall, cpu = _time_cli(path, name, args.runs)
        verdict = "" if wall < GOAL_S else f"   over {GOAL_S:.0f} s"
        print(f"{name:<26}{library[name]:10.2f}{wall:11.2f}{cpu:10.2f}{verdict}", flush=True)


if __name__ == "__main__":
    main()
