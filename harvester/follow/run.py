"""``harvester follow`` as a job: for each paper, its HF record, then its full text, then its
project pages; every document recorded (``documents``) together with its mentions, committed
every few seconds and when the run ends, also by Ctrl-C, so an interrupted run keeps what it read
and a rerun resumes where it stopped (documents settled within ``--refetch-after`` are skipped;
transport errors are tried again).

A bad document never stops the run: it is recorded with why, reported as a note, and the next
one is fetched. Only a problem with the database (or Ctrl-C) ends the job early.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol

from harvester import harvest
from harvester.follow import fulltext, github_channels, hf, pages
from harvester.follow.common import Fetched, keep
from harvester.follow.guard import AddressGuard, RobotsRules, both
from harvester.follow.options import FollowOptions, is_arxiv, selected
from harvester.github.budget import Reporter
from harvester.models import Paper
from harvester.store import Store
from harvester.store.documents import Document, Done, FollowPaper
from harvester.web import AddressPin, Policy, PoliteClient, WaitHook

BATCH = 200  # papers whose settled documents are looked up at once
# Documents are committed every FLUSH_DOCUMENTS or FLUSH_SECONDS (a transaction costs 0.2-0.3 s
# on a busy machine, as much as fetching a page), and when the run ends or is interrupted.
FLUSH_DOCUMENTS = 50
FLUSH_SECONDS = 5.0
PAGE_CACHE = 1024  # pages remembered per run, so a page several papers share is fetched once


class FollowReporter(Protocol):
    def followed(self, done: int, total: int) -> None:
        """Papers followed so far, of ``total``."""
        ...

    def note(self, message: str) -> None: ...

    def retry_wait(self, seconds: float, why: str) -> None: ...


@dataclass(slots=True)
class FollowSummary:
    job: harvest.Summary = field(default_factory=harvest.Summary)
    papers: int = 0
    documents: Counter[str] = field(default_factory=Counter)  # channel -> documents fetched
    skipped: int = 0  # settled by an earlier run within --refetch-after
    unchanged: int = 0  # refetched conditionally and answered 304: not read again
    problems: Counter[str] = field(default_factory=Counter)  # why -> documents not read
    github: str = ""  # what the readme/search channels did (github_channels.describe)

    def describe(self) -> str:
        fetched = ", ".join(f"{n} {c}" for c, n in sorted(self.documents.items()))
        parts = [f"{self.papers} papers followed: {sum(self.documents.values())} documents"]
        if fetched:
            parts[0] += f" ({fetched})"
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged since last fetched (not read again)")
        if self.skipped:
            parts.append(f"{self.skipped} fetched recently, skipped")
        if self.problems:
            why = ", ".join(f"{n} {w}" for w, n in sorted(self.problems.items()))
            parts.append(f"not read: {why}")
        parts.append(f"{self.job.new_mentions} new repository mentions")
        if self.github:
            parts.append(self.github)
        return "; ".join(parts)


@dataclass(slots=True)
class _Clients:
    hf: PoliteClient
    fulltext: PoliteClient
    pages: PoliteClient


@contextmanager
def _clients(options: FollowOptions, on_wait: WaitHook | None) -> Iterator[_Clients]:
    with ExitStack() as stack:

        def client(
            name: str, root: str, policy: Policy, pin: AddressPin | None = None
        ) -> PoliteClient:
            made = PoliteClient(
                name, root, policy, on_wait=on_wait, contact=options.contact, pin=pin
            )
            return stack.enter_context(made)

        # project pages come from untrusted papers: checked before each request and pinned to
        # the checked addresses when connecting (DNS rebinding); hf and fulltext are the
        # user's own roots
        guard = AddressGuard(allow_private=options.allow_private, resolver=options.resolver)
        page_client = client(pages.NAME, "", pages.POLICY, pin=guard)
        page_client.check_url = both(guard, RobotsRules(page_client))
        yield _Clients(
            hf=client(hf.NAME, options.hf_url, hf.POLICY),
            fulltext=client(fulltext.NAME, options.fulltext_url, fulltext.POLICY),
            pages=page_client,
        )


def _batches(papers: Sequence[FollowPaper], size: int) -> Iterator[list[FollowPaper]]:
    iterator = iter(papers)
    while batch := list(islice(iterator, size)):
        yield batch


class _Follower:
    """Follows one paper at a time through the channels, recording each document."""

    def __init__(
        self,
        store: Store,
        *,
        options: FollowOptions,
        clients: _Clients,
        run_id: int,
        summary: FollowSummary,
        note: Callable[[str], None],
    ) -> None:
        self.store = store
        self.options = options
        self.clients = clients
        self.run_id = run_id
        self.summary = summary
        self.note = note
        self.settled: dict[tuple[str, str, str], Done] = {}
        self.stored: dict[tuple[str, str, str], Document] = {}  # read before: refetched if changed
        self.pages_seen: OrderedDict[str, Fetched] = OrderedDict()
        self.buffer: list[Fetched] = []
        self.flushed = time.monotonic()

    def record(self, fetched: Fetched) -> None:
        document = fetched.document
        self.summary.documents[document.channel] += 1
        self.summary.unchanged += fetched.unchanged
        if document.why is not None:
            self.summary.problems[document.why.split(":", 1)[0]] += 1
        if fetched.message is not None:
            self.note(f"{document.channel}: {fetched.message}")
        if self.options.keep_documents is not None:
            keep(self.options.keep_documents, fetched)
        self.buffer.append(fetched)
        if len(self.buffer) >= FLUSH_DOCUMENTS or time.monotonic() - self.flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit the buffered documents with their mentions and paper updates (one transaction:
        a document is never recorded without what it gave)."""
        batch, self.buffer = self.buffer, []
        self.flushed = time.monotonic()
        if not batch:
            return
        papers: dict[str, Paper] = {}
        for fetched in batch:
            paper_id = fetched.document.paper_id
            if fetched.paper is not None:
                papers[paper_id] = fetched.paper
            elif fetched.mentions and paper_id not in papers:
                papers[paper_id] = Paper(paper_id=paper_id, source="follow")
        counts = self.store.save_followed(
            list(papers.values()),
            [m for f in batch for m in f.mentions],
            [f.document for f in batch],
            self.run_id,
        )
        self.summary.job.new_mentions += counts.new_mentions
        self.summary.job.new_names += counts.new_names

    def done(self, url: str, paper: FollowPaper, channel: str) -> Done | None:
        found = self.settled.get((url, paper.paper_id, channel))
        if found is not None:
            self.summary.skipped += 1
        return found

    def paper(self, paper: FollowPaper) -> None:
        channels = self.options.channels
        found_pages: list[str] = []
        if "hf" in channels and hf.wanted(paper) and is_arxiv(paper):
            url = hf.url_for(self.options.hf_url, paper.paper_id)
            if self.done(url, paper, hf.CHANNEL) is None:
                stored = self.stored.get((url, paper.paper_id, hf.CHANNEL))
                fetched = hf.follow(self.clients.hf, self.options.hf_url, paper, stored)
                self.record(fetched)
                if fetched.paper is not None:
                    paper = dataclasses.replace(
                        paper,
                        project_page=fetched.paper.project_page or paper.project_page,
                        hf_github_repo=fetched.paper.hf_github_repo or paper.hf_github_repo,
                    )
        if paper.hf_github_repo is not None and not self.options.everything:
            return  # the authors declared their repository: nothing more to look for
        if "fulltext" in channels and is_arxiv(paper):
            urls = fulltext.urls_for(self.options.fulltext_url, paper.paper_id)
            settled = {u: d for u in urls if (d := self.done(u, paper, fulltext.CHANNEL))}
            known = {
                u: k for u in urls if (k := self.stored.get((u, paper.paper_id, fulltext.CHANNEL)))
            }
            for fetched in fulltext.follow(
                self.clients.fulltext, self.options.fulltext_url, paper, settled, known
            ):
                self.record(fetched)
                found_pages += [m.url for m in fetched.mentions if m.kind == "pages"]
        if "pages" in channels:
            for url in pages.targets(paper, found_pages):
                if self.done(url, paper, pages.CHANNEL) is None:
                    self.record(self.page(url, paper))

    def page(self, url: str, paper: FollowPaper) -> Fetched:
        seen = self.pages_seen.get(url)
        if seen is not None:
            self.pages_seen.move_to_end(url)
            return seen.for_paper(paper.paper_id)
        fetched = pages.follow(
            self.clients.pages, url, paper, self.stored.get((url, paper.paper_id, pages.CHANNEL))
        )
        if fetched.unchanged:
            return fetched  # not shared: another paper's row may not hold what this one gave
        self.pages_seen[url] = fetched.for_paper(paper.paper_id)
        if len(self.pages_seen) > PAGE_CACHE:
            self.pages_seen.popitem(last=False)
        return fetched


def follow(
    store: Store,
    options: FollowOptions,
    *,
    args: str,
    reporter: FollowReporter | None = None,
    github_reporter: Reporter | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FollowSummary:
    """Follow the papers ``options`` select, as a recorded job (runs row, job lock)."""
    summary = FollowSummary()
    note = reporter.note if reporter is not None else (lambda message: None)
    on_wait = reporter.retry_wait if reporter is not None else None

    def body(run_id: int, job: harvest.Summary) -> None:
        summary.job = job
        job.stats_skipped = True  # names found here are fetched by `refresh`
        wanted, fresh_after = selected(store, options)
        with _clients(options, on_wait) as clients:
            follower = _Follower(
                store,
                options=options,
                clients=clients,
                run_id=run_id,
                summary=summary,
                note=note,
            )
            try:
                for batch in _batches(wanted, BATCH):
                    ids = [p.paper_id for p in batch]
                    follower.settled = store.documents_done(ids, fresh_after)
                    follower.stored = store.documents_to_revalidate(ids, fresh_after)
                    for paper in batch:
                        follower.paper(paper)
                        summary.papers += 1
                        job.papers = summary.papers
                        if reporter is not None:
                            reporter.followed(summary.papers, len(wanted))
            finally:
                follower.flush()  # also on Ctrl-C: what was fetched is kept
                job.requests = sum(
                    c.requests for c in (clients.hf, clients.fulltext, clients.pages)
                )
        if github_channels.wanted(options):
            gh = github_channels.run(store, options, run_id, github_reporter, sleep)
            summary.github = github_channels.describe(gh)
            job.requests += gh.requests
            job.stopped = gh.stopped

    summary.job = harvest.run_job(store, "follow", args, body)
    return summary
