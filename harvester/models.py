"""The records that flow through the pipeline. Pure: no I/O, no third-party imports.

sources -> Paper -> links -> Mention -> store; github -> Outcome(RepoStats) -> store.

``RepoName`` is the one definition of a repository name: GitHub's rules for it (``parse``) and
the lowercase form names are stored, looked up and compared by (``name_key``): GitHub treats
names case-insensitively, so ``Owner/Repo`` and ``owner/repo`` are the same row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from enum import StrEnum
from itertools import chain, filterfalse
from operator import attrgetter
from typing import Any, Literal

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
    # Bibliographic fields, where a source has them (arXiv API/OAI, the arXiv snapshot, HF).
    authors: tuple[str, ...] = ()  # display names, in the paper's order ("Forenames Keyname")
    categories: tuple[str, ...] = ()  # arXiv categories, primary first when the source says so
    primary_category: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    license: str | None = None  # the licence URL arXiv records
    # Mentions a reader has already located (full texts, pages: links with locus and context);
    # ``links.mentions_for`` passes them through after those found in the text fields.
    mentions: tuple[Mention, ...] = ()

    def __post_init__(self) -> None:
        _repair_text(self)


def _repair_text(paper: Paper) -> None:
    """Repair lone surrogates in a Paper's text fields, in place.

    A lone surrogate (JSON's "\\ud800" decodes to one) is not text: UTF-8 cannot encode it, so
    the store would fail on it, batch after batch. Every source builds a Paper (through its
    constructor or ``new_paper``), so this is where such text is repaired, for every text field
    a source fills, the tuples of text (authors, categories) among them.

    The usual paper has none, and proving it is all this costs: every text (the tuples' items
    among them) is checked in C loops, ASCII by its flag, the rest by one UTF-8 encoding of them
    all (joining keeps each lone surrogate: Python never pairs two across strings). Only a paper
    that fails it is walked field by field. (Still ~9k instructions a paper, mostly getting the
    16 fields: the snapshot's usual line proves its own text clean and skips this.)"""
    texts = chain(filter(None, _TEXTS(paper)), *_TEXT_TUPLES(paper))
    try:
        "".join(filterfalse(str.isascii, texts)).encode("utf-8")  # ASCII: by its flag
        return  # the usual case
    except UnicodeEncodeError:
        pass
    for name, value in zip(_PAPER_STR_FIELDS, _STR_VALUES(paper), strict=True):
        if not value:
            continue
        text = value if value.__class__ is str else "".join(value)
        if text.isascii():
            continue
        try:
            text.encode("utf-8")
            continue
        except UnicodeEncodeError:
            pass
        repaired = (
            _SURROGATE.sub(REPLACEMENT, value)
            if isinstance(value, str)
            else tuple(_SURROGATE.sub(REPLACEMENT, item) for item in value)
        )
        object.__setattr__(paper, name, repaired)


_PAPER_STR_FIELDS = tuple(f.name for f in fields(Paper) if "str" in str(f.type))
_STR_VALUES = attrgetter(*_PAPER_STR_FIELDS)
# The same fields, split: plain strings (or None) and tuples of strings (two or more of each).
_TEXTS = attrgetter(
    *[f.name for f in fields(Paper) if "str" in str(f.type) and "tuple" not in str(f.type)]
)
_TEXT_TUPLES = attrgetter(*[f.name for f in fields(Paper) if "tuple[str" in str(f.type)])
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fast_constructor(cls: type[Paper], *, repair: bool = True) -> Callable[..., Paper]:
    """A function that builds a ``cls`` about 4x faster than calling it: same arguments
    (positional or keyword, same defaults), same object, same surrogate repair.

    ``repair=False`` leaves the surrogate repair out, for a caller that has proven there is
    nothing to repair.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (~0.3 us a
    field, 7 us a Paper: as much as decoding its snapshot line's JSON). This allocates the object
    as an instance of a plain class with the same slots, stores each field in the one generated
    function (a plain attribute store, ~20 ns; no second frame for an ``__init__``), re-labels
    it (``__class__`` assignment is allowed between classes of identical slot layout) and then
    runs ``__post_init__``'s repair. The result is an ordinary ``cls``: equality, hash, repr,
    immutability, ``dataclasses.replace`` and pickling are the class's own, and the class itself
    is untouched. Generated from ``fields(cls)``, so a field added later is picked up; a field
    with a ``default_factory`` would need the class's own ``__init__``."""
    found = fields(cls)
    if any(f.default_factory is not MISSING for f in found):  # pragma: no cover - none today
        return cls
    names = [f.name for f in found]
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_d_{f.name}" for f in found)
    stores = "\n".join(f"    self.{n} = {n}" for n in names)
    source = (
        f"def _make(_cls, _draft, _alloc, _repair, {', '.join(f'_d_{n}' for n in names)}):\n"
        f"  def new({params}):\n"
        "    self = _alloc(_draft)\n"
        f"{stores}\n"
        "    self.__class__ = _cls\n"
        f"    {'_repair(self)' if repair else 'pass'}\n"
        "    return self\n"
        "  return new\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{cls.__name__} fast constructor>", "exec"), namespace)  # noqa: S102
    defaults = [None if f.default is MISSING else f.default for f in found]
    draft = type("_Draft", (), {"__slots__": cls.__slots__})
    make = namespace["_make"]
    new: Callable[..., Paper] = make(cls, draft, object.__new__, _repair_text, *defaults)
    return new


# ``new_paper(...)`` is ``Paper(...)`` for the hot readers (the arXiv snapshot: millions of lines).
new_paper = _fast_constructor(Paper)
# The same without the surrogate repair, for a reader that has proven its text holds no lone
# surrogate (the snapshot's usual line); anything else must use ``new_paper``.
new_paper_no_repair = _fast_constructor(Paper, repair=False)


_OWNER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
_REPO_RE = re.compile(r"[A-Za-z0-9._-]{1,100}")


def is_valid_owner(owner: str) -> bool:
    """GitHub user/organisation name: 1-39 of ``[A-Za-z0-9-]``, not starting with ``-``."""
    return _OWNER_RE.fullmatch(owner) is not None


def is_valid_repo(name: str) -> bool:
    """GitHub repository name: 1-100 of ``[A-Za-z0-9._-]``, not ``.``/``..``, no ``.git`` ending."""
    return (
        _REPO_RE.fullmatch(name) is not None
        and name not in {".", ".."}
        and not name.lower().endswith(".git")
    )


def name_key(full_name: str) -> str:
    """The form an ``owner/name`` is stored and compared by: lowercase."""
    return full_name.lower()


@dataclass(frozen=True, slots=True)
class RepoName:
    """A valid ``owner/name``, case as written."""

    owner: str
    name: str

    @classmethod
    def parse(cls, value: str) -> RepoName | None:
        """``"Owner/Name"`` (surrounding whitespace allowed), or None when GitHub would refuse
        it as a repository name."""
        owner, sep, name = value.strip().partition("/")
        if sep and is_valid_owner(owner) and is_valid_repo(name):
            return cls(owner, name)
        return None

    @property
    def full(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def key(self) -> str:
        return name_key(self.full)

    def __str__(self) -> str:
        return self.full


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
        return name_key(self.repo)


@dataclass(frozen=True, slots=True)
class Mention:
    paper_id: str
    repo: str  # owner/name as written
    source_field: str
    url: str
    kind: Kind = "repo"
    # Where in the document: title, abstract, first_page, body,
    # references (a paper); code_link, body (a page). And the sentence or anchor text around it.
    locus: str | None = None
    context: str | None = None

    @property
    def repo_name(self) -> str:
        return name_key(self.repo)


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
    # Is the code there (issue 13; see harvester/placeholder.py). None: not known, e.g. the REST
    # path, which reads no root listing, commits or releases.
    disk_usage: int | None = None  # kilobytes, as GitHub reports it
    is_empty: bool | None = None  # no commits at all
    commits: int | None = None  # on the default branch
    last_commit_at: dt.datetime | None = None  # committed date of the default branch's head
    releases: int | None = None
    latest_release: str | None = None  # tag of the newest release
    latest_release_at: dt.datetime | None = None  # published (or created, for a draft)
    has_citation: bool | None = None  # CITATION.cff in the root
    has_license_file: bool | None = None  # LICENSE*, LICENCE*, COPYING* in the root
    has_runnable: bool | None = None  # requirements.txt, pyproject.toml, environment.yml, setup.py
    readme_bytes: int | None = None  # size of the root README, whatever its name
    verdict: str = "unknown"  # code / placeholder / empty / unknown
    verdict_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the fetch engine learned about one requested name (``name_key`` of ``owner/name``)."""

    name: str
    status: Status
    repo: RepoStats | None = None
    detail: str | None = None
    etag: str | None = None
    # True when a conditional request answered 304: the stored stats are current as they are.
    not_modified: bool = False
