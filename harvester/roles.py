"""A role for every paper x repository, from the evidence of every channel. Pure: no I/O.

This module states the rules; the store applies the same rules in SQL (the ``paper_code_rules``
macro that fills the ``paper_code`` table, ``store/schema/0009_derived_tables.sql``) so that they
scale to every paper, and
``tests/store/test_paper_code.py`` checks that both give the same rows. Change both together.

The rules (docs/roles.md says why):

1. **Official evidence**: a link in the paper's title, abstract or arXiv comment; on the first
   page of its full text (``first_page``, or the full text's own title/abstract); on a project
   page's Code button (``code_link``); the author-declared repository (HF ``githubRepo``); or
   the repository's README citing the paper (``readme``, by arXiv id, arXiv link, DOI or title).
2. **A list is no back-link**: a README that cites more than ``LIST_LIMIT`` papers (an awesome
   list) gives no README evidence to any of them.
3. **Third-party evidence**: a link in the full text's references (and nowhere that counts as
   official evidence).
4. A link only in a body (full text or page) is ``unknown``: it may be anything.
5. **A fork is not official**: a fork with official evidence is ``third_party`` when the paper
   has an official repository that is not a fork, else ``unknown``.
6. **Conflict**: the paper's declared repository has none of the paper's own-text or back-link
   evidence while another repository does; both rows are marked and their confidence lowered.

Confidence: official rows combine their evidence as independent signals (1 - prod(1 - w)).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

LIST_LIMIT = 50  # a README citing more papers than this is a list, not one paper's code
CONFLICT_FACTOR = 0.8
FORK_CONFIDENCE = 0.3
THIRD_PARTY_CONFIDENCE = 0.6
UNKNOWN_CONFIDENCE = 0.2

# (channel, locus) -> weight of official evidence. ``None`` locus: any.
_OFFICIAL: dict[tuple[str, str | None], float] = {
    ("abstract", "title"): 0.9,
    ("abstract", "abstract"): 0.9,
    ("abstract", None): 0.9,
    ("comment", None): 0.85,
    ("fulltext", "title"): 0.85,
    ("fulltext", "abstract"): 0.85,
    ("fulltext", "first_page"): 0.85,
    ("pages", "code_link"): 0.8,
    ("declared", None): 0.8,
    ("readme", "link"): 0.9,
    ("readme", "id"): 0.9,
    ("readme", "doi"): 0.9,
    ("readme", "title"): 0.75,
}
_OWN_TEXT = frozenset({"abstract", "comment", "fulltext", "pages", "readme"})
# the source_field a mention was stored under -> its channel
CHANNEL_OF_FIELD = {
    "title": "abstract",
    "abstract": "abstract",
    "comment": "comment",
    "hf_github_repo": "declared",
    "fulltext": "fulltext",
    "project_page": "pages",
    "readme_search": "search",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence that ``repo`` is code of ``paper_id``.

    ``channel``: abstract / comment / declared / fulltext / pages / readme / search / text.
    ``locus``: where in the document (title, abstract, first_page, body, references,
    code_link) or, for ``readme``, how the README cites the paper (link, id, doi, title).
    ``cited_total``: for ``readme``, how many papers the README cites in all."""

    paper_id: str
    repo: str  # the repository's key: its current lowercase name, or the name as cited
    channel: str
    locus: str | None = None
    cited_total: int = 0


@dataclass(slots=True)
class Role:
    paper_id: str
    repo: str
    role: str  # official / third_party / unknown
    confidence: float
    channels: list[str] = field(default_factory=list)  # the channels with any evidence
    official_channels: list[str] = field(default_factory=list)
    conflict: bool = False


def channel_of(source_field: str) -> str:
    return CHANNEL_OF_FIELD.get(source_field, "text")


def weight(item: Evidence) -> float:
    """The weight of ``item`` as official evidence (0: none)."""
    if item.channel == "readme" and item.cited_total > LIST_LIMIT:
        return 0.0
    exact = _OFFICIAL.get((item.channel, item.locus))
    if exact is not None:
        return exact
    if item.channel in ("fulltext", "pages", "readme"):
        return 0.0  # body / references: not the paper's own claim
    return _OFFICIAL.get((item.channel, None), 0.0)


def assign(evidence: Iterable[Evidence], forks: frozenset[str] = frozenset()) -> list[Role]:
    """One ``Role`` per (paper, repository) in ``evidence``; ``forks`` are repository keys
    GitHub reports as forks. Rows come out sorted by paper, then confidence (highest first)."""
    by_pair: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_pair[(item.paper_id, item.repo)].append(item)
    by_paper: dict[str, list[Role]] = defaultdict(list)
    own: dict[tuple[str, str], bool] = {}
    declared: dict[str, set[str]] = defaultdict(set)
    for (paper, repo), items in by_pair.items():
        by_paper[paper].append(_role(paper, repo, items))
        own[(paper, repo)] = any(i.channel in _OWN_TEXT and weight(i) > 0 for i in items)
        if any(i.channel == "declared" for i in items):
            declared[paper].add(repo)
    out: list[Role] = []
    for paper in sorted(by_paper):
        roles = by_paper[paper]
        _demote_forks(roles, forks)
        supported = {r.repo for r in roles if own[(paper, r.repo)] and r.repo not in forks}
        unsupported = declared.get(paper, set()) - supported
        if supported and unsupported:
            for row in roles:
                if row.repo in supported or row.repo in unsupported:
                    row.conflict = True
                    row.confidence = round(row.confidence * CONFLICT_FACTOR, 3)
        roles.sort(key=lambda r: (_RANK[r.role], -r.confidence, r.repo))
        out.extend(roles)
    return out


_RANK = {"official": 0, "third_party": 1, "unknown": 2}


def _role(paper: str, repo: str, items: list[Evidence]) -> Role:
    channels = sorted({i.channel for i in items})
    weights = {i.channel: 0.0 for i in items}
    for item in items:
        weights[item.channel] = max(weights[item.channel], weight(item))
    official = sorted(c for c, w in weights.items() if w > 0)
    if official:
        missing = 1.0
        for w in weights.values():
            missing *= 1.0 - w
        return Role(paper, repo, "official", round(1.0 - missing, 3), channels, official)
    if any(i.channel == "fulltext" and i.locus == "references" for i in items):
        return Role(paper, repo, "third_party", THIRD_PARTY_CONFIDENCE, channels)
    return Role(paper, repo, "unknown", UNKNOWN_CONFIDENCE, channels)


def _demote_forks(roles: list[Role], forks: frozenset[str]) -> None:
    has_original = any(r.role == "official" and r.repo not in forks for r in roles)
    for row in roles:
        if row.role == "official" and row.repo in forks:
            row.role = "third_party" if has_original else "unknown"
            row.confidence = FORK_CONFIDENCE
