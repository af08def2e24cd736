"""What a follow run is asked to do, checked once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from harvester.errors import UsageError
from harvester.follow import fulltext, hf
from harvester.follow.guard import Resolver
from harvester.github.client import GitHubSettings
from harvester.github.engine import EngineOptions
from harvester.sources.ids import normalize_arxiv_id
from harvester.store import Store
from harvester.store.documents import FollowPaper

CHANNELS = ("hf", "fulltext", "pages", "readme", "search")
# The web channels run by default; ``readme`` (read the README of every resolved repository for
# back-links) and ``search`` (GitHub repository search for papers still without official code)
# spend GitHub budget and run when asked for.
DEFAULT_CHANNELS = ("hf", "fulltext", "pages")
GITHUB_CHANNELS = frozenset({"readme", "search"})
DEFAULT_REFETCH = "30d"


def parse_channels(text: str) -> tuple[str, ...]:
    """``hf,fulltext,pages,readme,search`` (any subset, any order) -> the channels in their
    running order."""
    given = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(given - set(CHANNELS))
    if unknown or not given:
        raise UsageError(
            f"--channel takes a comma-separated list of {', '.join(CHANNELS)}; got {text!r}"
        )
    return tuple(c for c in CHANNELS if c in given)


def is_arxiv(paper: FollowPaper) -> bool:
    """Only arXiv papers have an HF record and an arXiv full text to ask for."""
    return normalize_arxiv_id(paper.paper_id) == paper.paper_id


@dataclass(frozen=True, slots=True)
class FollowOptions:
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    everything: bool = False  # --all: also papers with an author-declared repository
    since: dt.date | None = None
    limit: int | None = None
    refetch_after: dt.timedelta = dt.timedelta(days=30)
    keep_documents: Path | None = None
    allow_private: bool = False
    fulltext_url: str = fulltext.DEFAULT_URL
    hf_url: str = hf.DEFAULT_URL
    run_id: int | None = None  # only the papers this run stored first (harvest --follow)
    resolver: Resolver | None = None  # host -> addresses (tests: no DNS)
    contact: str | None = None
    github: GitHubSettings | None = None  # for the readme and search channels
    engine: EngineOptions | None = None


def selected(store: Store, options: FollowOptions) -> tuple[list[FollowPaper], dt.datetime]:
    """The papers ``options`` select, and the time before which a document is fetched again
    (``--refetch-after``): what both a run and its dry run start from."""
    wanted = store.papers_to_follow(
        everything=options.everything,
        since=options.since,
        run_id=options.run_id,
        limit=options.limit,
    )
    return wanted, dt.datetime.now(dt.UTC) - options.refetch_after
