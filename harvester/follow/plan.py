"""``harvester follow --dry-run``: how many documents per host a run would fetch, and how long
the courtesy spacing alone makes it. Read-only, no network.

Known before fetching: one HF record and one full text (the HTML paper; its PDF too when there is
no HTML) per paper, and the project pages already known (HF ``projectPage``, github.io links,
homepage links in the text). Pages found while following (in an HF record or a full text) add
to it, so the pages figure is a floor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from harvester.follow import fulltext, hf, pages
from harvester.follow.options import FollowOptions, is_arxiv, selected
from harvester.store import Store


@dataclass(slots=True)
class Plan:
    papers: int = 0
    # "host (channel)" -> documents: each channel spaces its requests to a host on its own
    per_host: Counter[str] = field(default_factory=Counter)
    spacing: dict[str, float] = field(default_factory=dict)  # seconds between two requests
    extra: Counter[str] = field(default_factory=Counter)  # requests besides documents (robots)
    skipped: int = 0

    def seconds(self, host: str) -> float:
        return (self.per_host[host] + self.extra[host]) * self.spacing.get(host, 0.0)

    def describe(self) -> str:
        if not self.per_host:
            return f"{self.papers} papers to follow; nothing to fetch"
        hosts = sorted(self.per_host, key=lambda h: (-self.seconds(h), h))
        shown = [
            f"{h}: {self.per_host[h]} documents (~{_duration(self.seconds(h))})" for h in hosts[:8]
        ]
        if len(hosts) > 8:
            rest = sum(self.per_host[h] for h in hosts[8:])
            shown.append(f"{len(hosts) - 8} more hosts: {rest} documents")
        longest = max(self.seconds(h) for h in hosts)
        skipped = f"; {self.skipped} fetched recently, skipped" if self.skipped else ""
        return (
            f"{self.papers} papers to follow, {sum(self.per_host.values())} documents at least "
            f"(more project pages may be found on the way){skipped}: {'; '.join(shown)}. "
            f"The courtesy spacing alone takes ~{_duration(longest)} (hosts are spaced apart, "
            "not one after another)"
        )


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower() or url


def plan(store: Store, options: FollowOptions) -> Plan:
    wanted, fresh_after = selected(store, options)
    result = Plan(papers=len(wanted))
    settled = store.documents_done([p.paper_id for p in wanted], fresh_after)

    def add(url: str, paper_id: str, channel: str, interval: float) -> None:
        if (url, paper_id, channel) in settled:
            result.skipped += 1
            return
        host = f"{_host(url)} ({channel})"
        result.per_host[host] += 1
        result.spacing[host] = interval
        if channel == pages.CHANNEL:
            result.extra[host] = 1  # its robots.txt

    for paper in wanted:
        channels = options.channels
        if "hf" in channels and hf.wanted(paper) and is_arxiv(paper):
            url = hf.url_for(options.hf_url, paper.paper_id)
            add(url, paper.paper_id, hf.CHANNEL, hf.POLICY.min_interval)
        if "fulltext" in channels and is_arxiv(paper):
            url = fulltext.urls_for(options.fulltext_url, paper.paper_id)[0]
            add(url, paper.paper_id, fulltext.CHANNEL, fulltext.POLICY.min_interval)
        if "pages" in channels:
            for url in pages.targets(paper):
                add(url, paper.paper_id, pages.CHANNEL, pages.POLICY.min_interval)
    return result
