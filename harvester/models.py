"""The records that flow through the pipeline. Pure: no I/O, no third-party imports.

sources -> Paper -> links -> Mention -> store; github -> Outcome(RepoStats) -> store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Kind = Literal["repo", "pages"]

# Fields of a Paper that are scanned for links, in the order they are scanned. The names are the
# values of ``mentions.source_field``.
TEXT_FIELDS: tuple[str, ...] = ("title", "abstract", "comment", "text")


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper record, whatever source it came from.

    ``paper_id`` is the arXiv id (``2510.12586``, ``astro-ph/0601001``, no version suffix) when one
    is known; otherwise a stable id derived by the source (e.g. ``title:<hash>``).
    """

    paper_id: str
    source: str
    title: str | None = None
    abstract: str | None = None
    comment: str | None = None
    text: str | None = None  # free text with no better field (plain-text inputs)
    published_at: dt.date | None = None
    url: str | None = None
    # Hints some sources carry (Hugging Face): stored as given, used as link evidence.
    hf_github_repo: str | None = None
    hf_github_stars: int | None = None
    project_page: str | None = None
    upvotes: int | None = None
    organization: str | None = None
    listed_on: dt.date | None = None  # the day a listing (HF Daily Papers) showed it
    # Mentions a reader has already located (full texts, pages: links with locus and context);
    # ``links.mentions_for`` passes them through after those found in the text fields.
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A GitHub reference found in a piece of text (no paper attached yet).

    ``repo`` is ``owner/name`` with the case as written; ``url`` is the cleaned span that was
    matched. For ``kind == "pages"`` (``owner.github.io/project``) ``repo`` is the repository that
    would host the page (``owner/project``, or ``owner/owner.github.io`` for a user site).
    """

    repo: str
    url: str
    kind: Kind = "repo"

    @property
    def repo_name(self) -> str:
        return self.repo.lower()


@dataclass(frozen=True, slots=True)
class Mention:
    paper_id: str
    repo: str  # owner/name as written
    source_field: str
    url: str
    kind: Kind = "repo"
    # Where in the document (full texts and pages only): title, abstract, first_page, body,
    # references (a paper); code_link, body (a page). And the sentence or anchor text around it.
    locus: str | None = None
    context: str | None = None

    @property
    def repo_name(self) -> str:
        return self.repo.lower()


class Status(StrEnum):
    PENDING = "pending"
    OK = "ok"
    RENAMED = "renamed"
    NOT_FOUND = "not_found"
    BLOCKED = "blocked"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RepoStats:
    """A repository as GitHub describes it, keyed by its numeric id (``databaseId``)."""

    repo_id: int
    full_name: str  # current owner/name, GitHub's case
    stars: int
    forks: int
    watchers: int | None = None
    open_issues: int | None = None
    language: str | None = None
    license: str | None = None  # SPDX id when GitHub knows one, else the licence name
    topics: tuple[str, ...] = ()
    description: str | None = None
    homepage: str | None = None
    created_at: dt.datetime | None = None
    pushed_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    archived: bool = False
    is_fork: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the fetch engine learned about one requested name (lowercase ``owner/name``)."""

    name: str
    status: Status
    repo: RepoStats | None = None
    detail: str | None = None
    etag: str | None = None
    # True when a conditional request answered 304: the stored stats are current as they are.
    not_modified: bool = False
