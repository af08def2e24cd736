"""The ``readme`` channel and reverse search: repositories pointing back at their papers.

* ``follow_readmes``: the README of every resolved repository (not checked yet, or older than
  ``stale_before``) is read against the papers that mention it and the papers whose arXiv ids
  it contains (``backlinks.scan``); what it cites is stored, not the README.
* ``reverse_search``: for papers with an arXiv id and still no official repository, GitHub's
  repository search for ``"ID" in:readme``, then for ``"TITLE" in:readme`` when the id found
  nothing confirmed (its own budget: 30 a minute with a token, 10 without); each hit's README
  is read and the hit is kept only when the back-link rule confirms it (the README cites the
  paper and is not a list). Kept hits become mentions with ``source_field`` ``readme_search``.
* ``record_readmes``: the same for README texts fetched elsewhere (the GraphQL stats batch).
* ``plan_text``: what both would cost, for ``--dry-run``.

Both report what ``paper_code`` (a view: always current) holds at the end, and both stop cleanly
when a budget is spent beyond ``max_wait``: what was read is stored, and a rerun continues.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from harvester.backlinks import MIN_TITLE_WORDS, KnownPaper, cited_arxiv_ids, scan, title_key
from harvester.github.budget import Reporter, SilentReporter, StopFetching, plan, utcnow
from harvester.github.client import GitHubSettings, probe_budget, rest_client
from harvester.github.engine import EngineOptions
from harvester.github.search import Readme, ReadmeClient, search_plan
from harvester.models import Outcome, Status, name_key
from harvester.roles import LIST_LIMIT
from harvester.store import roles as store_roles
from harvester.store.connection import Database
from harvester.store.roles import PaperCodeCounts, ReadmeResult

BATCH = 50  # READMEs read per store round trip
SEARCH_HITS = 5  # READMEs read per search: GitHub ranks the paper's own repository first
MAX_PHRASE = 200  # characters of a title searched for (GitHub caps a query at 256)


@dataclass(slots=True)
class ReadmeReport:
    checked: int = 0  # READMEs asked for
    citing: int = 0  # of them, READMEs that cite at least one known paper
    missing: int = 0  # repositories without a README
    errors: int = 0
    citations: int = 0
    searched: int = 0  # papers searched for
    found: int = 0  # repositories found by search and confirmed by their README
    requests: int = 0
    stopped: str | None = None
    paper_code: PaperCodeCounts | None = None


def _client(
    github: GitHubSettings,
    options: EngineOptions,
    reporter: Reporter | None,
    sleep: Callable[[float], None],
) -> ReadmeClient:
    return ReadmeClient(rest_client(github), None, options, reporter=reporter, sleep=sleep)


def follow_readmes(
    store: Database,
    github: GitHubSettings,
    *,
    options: EngineOptions | None = None,
    reporter: Reporter | None = None,
    sleep: Callable[[float], None] = time.sleep,
    stale_before: dt.datetime | None = None,
    limit: int | None = None,
    now: Callable[[], dt.datetime] = utcnow,
) -> ReadmeReport:
    """Read the README of every resolved repository not checked yet (or checked before
    ``stale_before``) and store which known papers each cites."""
    report = ReadmeReport()
    targets = store_roles.repos_to_check(store, stale_before, limit)
    client = _client(github, options or EngineOptions(), reporter, sleep)
    progress = reporter or SilentReporter()
    try:
        for batch in _chunks(targets, BATCH):
            read: list[tuple[int, Readme]] = []
            try:
                for repo_id, full_name in batch:
                    read.append((repo_id, client.readme(full_name)))
            except StopFetching as stop:
                report.stopped = str(stop)
            _store_readmes(store, read, report, now())
            progress.progress(report.checked, len(targets))
            if report.stopped:
                break
    finally:
        report.requests = client.requests
        client.close()
    report.paper_code = store_roles.paper_code_counts(store)
    return report


def record_readmes(
    store: Database,
    texts: Sequence[tuple[int, str | None]],
    *,
    now: Callable[[], dt.datetime] = utcnow,
) -> ReadmeReport:
    """Store what READMEs fetched elsewhere cite: (repo_id, text or None when the repository
    has no README). The seam for the GraphQL stats batch, which can ask for
    ``object(expression: "HEAD:README.md") { ... on Blob { text } }`` beside the stats, so the
    readme channel needs no second request."""
    report = ReadmeReport()
    read = [(r, Readme("ok", t) if t is not None else Readme("missing")) for r, t in texts]
    _store_readmes(store, read, report, now())
    return report


def _store_readmes(
    store: Database, read: Sequence[tuple[int, Readme]], report: ReadmeReport, at: dt.datetime
) -> list[ReadmeResult]:
    results = _scan_all(store, read)
    report.checked += len(results)
    report.missing += sum(r.status == "missing" for r in results)
    report.errors += sum(r.status == "error" for r in results)
    report.citing += sum(bool(r.scan and r.scan.citations) for r in results)
    report.citations += store_roles.save_readmes(store, results, at) if results else 0
    return results


def _scan_all(
    store: Database, read: Sequence[tuple[int, Readme]], extra: str | None = None
) -> list[ReadmeResult]:
    """Each README against its candidates: the papers that mention the repository, the known
    papers whose ids it contains, and ``extra`` (the paper searched for)."""
    if not read:
        return []
    ids = {repo_id: cited_arxiv_ids(r.text)[0] for repo_id, r in read if r.text is not None}
    if extra is not None:
        ids = {repo_id: {*found, extra} for repo_id, found in ids.items()}
    mentioning, known = store_roles.candidates(
        store, [repo_id for repo_id, _ in read], set().union(*ids.values()) if ids else set()
    )
    results: list[ReadmeResult] = []
    for repo_id, readme in read:
        if readme.status != "ok" or readme.text is None:
            results.append(ReadmeResult(repo_id, readme.status, detail=readme.detail))
            continue
        wanted = mentioning.get(repo_id, set()) | ids.get(repo_id, set())
        papers: list[KnownPaper] = [known[p] for p in sorted(wanted) if p in known]
        results.append(ReadmeResult(repo_id, "ok", scan(readme.text, papers)))
    return results


def reverse_search(
    store: Database,
    github: GitHubSettings,
    *,
    run_id: int,
    options: EngineOptions | None = None,
    reporter: Reporter | None = None,
    sleep: Callable[[float], None] = time.sleep,
    limit: int | None = None,
    now: Callable[[], dt.datetime] = utcnow,
) -> ReadmeReport:
    """Search GitHub for the READMEs that cite each paper still without official code."""
    report = ReadmeReport()
    targets = store_roles.papers_to_search(store, limit)
    client = _client(github, options or EngineOptions(), reporter, sleep)
    progress = reporter or SilentReporter()
    try:
        for paper_id, title in targets:
            if not _search_one(
                store, client, paper_id, title, run_id=run_id, report=report, now=now
            ):
                continue  # the search failed: not recorded, so a rerun asks again
            report.searched += 1
            progress.progress(report.searched, len(targets))
    except StopFetching as stop:
        report.stopped = str(stop)
    finally:
        report.requests = client.requests
        client.close()
    report.paper_code = store_roles.paper_code_counts(store)
    return report


def search_phrases(paper_id: str, title: str | None) -> list[str]:
    """What to search READMEs for: the arXiv id, then the title (quotes removed, whitespace
    collapsed) when it is long enough to be the back-link rule's title and fits a query."""
    phrases = [paper_id]
    key = " ".join((title or "").replace('"', " ").split())
    if title_key(key).count(" ") + 1 >= MIN_TITLE_WORDS and len(key) <= MAX_PHRASE:
        phrases.append(key)
    return phrases


def _search_one(
    store: Database,
    client: ReadmeClient,
    paper_id: str,
    title: str | None,
    *,
    run_id: int,
    report: ReadmeReport,
    now: Callable[[], dt.datetime],
) -> bool:
    """Search for one paper: by id, then by title while nothing is confirmed. False when a
    search failed (nothing is recorded then)."""
    hits_total = 0
    confirmed: list[tuple[Outcome, ReadmeResult]] = []
    for phrase in search_phrases(paper_id, title):
        result = client.search_readmes(phrase)
        if result.detail is not None:
            report.errors += 1
            return False
        hits_total += len(result.repos)
        hits = [r for r in result.repos if not r.is_fork][:SEARCH_HITS]
        read = [(repo.repo_id, client.readme(repo.full_name)) for repo in hits]
        report.checked += len(read)
        confirmed = [
            (Outcome(name_key(repo.full_name), Status.OK, repo), res)
            for repo, res in zip(hits, _scan_all(store, read, extra=paper_id), strict=True)
            if res.scan is not None
            and res.scan.cited_total <= LIST_LIMIT
            and any(c.paper_id == paper_id for c in res.scan.citations)
        ]
        if confirmed:
            break
    store_roles.save_search(store, paper_id, hits_total, confirmed, run_id=run_id, now=now())
    report.found += len(confirmed)
    return True


def plan_text(
    store: Database,
    github: GitHubSettings,
    *,
    search: bool,
    stale_before: dt.datetime | None = None,
    limit: int | None = None,
) -> list[str]:
    """The ``--dry-run`` lines: READMEs to read (core budget) and papers to search for (search
    budget), with the waits the budgets imply. Read-only; asks GitHub only for ``/rate_limit``
    (free)."""
    at = utcnow()
    readmes, papers = store_roles.plan_counts(store, stale_before)
    if limit is not None:
        readmes = min(readmes, limit)
    rate, latency = probe_budget(github, "core")
    estimate = plan(readmes, graphql=False, batch_size=1, rate=rate, latency=latency, now=at)
    lines = ["readme: " + estimate.describe().replace("names to fetch", "READMEs to read")]
    if not search:
        return lines
    if papers is None:
        lines.append("reverse search: counted once the database has the readme tables (0008)")
        return lines
    wanted = papers if limit is None else min(papers, limit)
    search_rate, latency = probe_budget(github, "search")
    authed = github.token is not None
    found = search_plan(wanted, authed=authed, rate=search_rate, latency=latency, now=at)
    lines.append(found.describe())
    return lines


def _chunks(items: Sequence[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
