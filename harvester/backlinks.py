"""README back-links: which known papers a repository's README cites, and how many it cites.
Pure: no I/O.

A repository usually points back at its paper, so a README that cites a paper is strong
evidence that the repository is that paper's code; a README that cites hundreds of papers (an
awesome list) is evidence of nothing. ``scan`` reads one README against the papers it may cite:

* ``id``    the paper's arXiv id, any version (``2503.00329v2``), bare or as ``arXiv:ID``;
* ``link``  an arxiv.org ``abs``/``pdf``/``html`` link to it (``export.``/``www.`` hosts too);
* ``doi``   the paper's DOI (``10.1145/...``), or arXiv's own DOI (``10.48550/arXiv.ID``);
* ``title`` its exact title, compared normalised: case, whitespace, markdown/LaTeX leftovers and
  punctuation ignored; the title must end where a phrase ends in the README (a line end, ``.``,
  ``,``, ``)``, ``*``, ...), so "Video Action Differencing" is not read in "Video Action
  Differencing at Scale", and it must be at least ``MIN_TITLE_WORDS`` words long.

The strongest kind found is kept (link > id > doi > title). ``cited_total`` counts the distinct
arXiv ids and DOIs the README cites, whoever's they are: the number that tells a paper's own
README (1-3: the paper, its predecessors) from a list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from harvester.sources.ids import OLD_ARCHIVES

HOWS = ("link", "id", "doi", "title")  # strongest first
MIN_TITLE_WORDS = 3
MIN_TITLE_CHARS = 12

# A new-style id (YYMM.NNNNN) anywhere not inside a longer number; old-style ids only with an
# arXiv context, since "math/0601001"-like paths are common in code.
_NEW_ID = re.compile(r"(?<![\w.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\w]|\.\d)")
_LINKED = re.compile(
    r"arxiv\.org/(?:abs|pdf|html|format)/+"
    r"((?:\d{4}\.\d{4,5})|(?:[a-z]+(?:-[a-z]+)?(?:\.[a-z]{2})?/\d{7}))(?:v\d+)?",
    re.IGNORECASE,
)
_OLD_ID = re.compile(r"arxiv:\s*([a-z]+(?:-[a-z]+)?(?:\.[a-z]{2})?/\d{7})", re.IGNORECASE)
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>()\[\]{}|,;]+)")
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)

# Title normalisation: markup removed, then every character is a letter/digit (kept), a soft
# separator inside a phrase (space), or a hard one that ends a phrase (``|``).
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_TEX_CMD = re.compile(r"\\[a-zA-Z]+\*?\s*")
_TAGS = re.compile(r"<[^>\n]{0,300}>")
_HARD = frozenset('.,;!?()[]{}<>|*"`#\n\r\t\u201c\u201d\u00ab\u00bb')  # + curly quotes
_SOFT_INSIDE = frozenset(" -:'_/&+~=^%$@\\\u2013\u2014\u2019")  # + dashes, apostrophe


@dataclass(frozen=True, slots=True)
class KnownPaper:
    """A paper a README may cite."""

    paper_id: str
    arxiv_id: str | None = None
    doi: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    paper_id: str
    how: str  # link / id / doi / title


@dataclass(frozen=True, slots=True)
class ReadmeScan:
    citations: tuple[Citation, ...]
    cited_total: int  # distinct arXiv ids and DOIs cited, anyone's


def cited_arxiv_ids(readme: str) -> tuple[set[str], set[str]]:
    """The arXiv ids (no version) a README cites: (all of them, those in an arxiv.org link)."""
    linked = {_old_or_new(m.group(1)) for m in _LINKED.finditer(readme)}
    linked.discard(None)
    found: set[str] = {i for i in linked if i}
    for m in _NEW_ID.finditer(readme):
        if _valid_new(m.group(1)):
            found.add(m.group(1))
    for m in _OLD_ID.finditer(readme):
        old = _old_or_new(m.group(1))
        if old:
            found.add(old)
    return found, {i for i in linked if i}


def cited_dois(readme: str) -> set[str]:
    """DOIs in a README, lowercase, trailing punctuation removed (arXiv's own DOIs included)."""
    return {m.group(1).rstrip(".:").lower() for m in _DOI.finditer(readme)}


def scan(readme: str, papers: Iterable[KnownPaper]) -> ReadmeScan:
    """Which of ``papers`` the README cites, and how strongly; how many it cites in all."""
    ids, linked = cited_arxiv_ids(readme)
    dois = cited_dois(readme)
    for doi in dois:
        m = _ARXIV_DOI.fullmatch(doi)
        if m and _old_or_new(m.group(1)):
            ids.add(str(_old_or_new(m.group(1))))
    total = len(ids) + len({d for d in dois if not _ARXIV_DOI.fullmatch(d)})
    words: _Words | None = None  # normalised lazily: most READMEs are settled by ids
    citations: list[Citation] = []
    for paper in papers:
        how: str | None = None
        if paper.arxiv_id and paper.arxiv_id in linked:
            how = "link"
        elif paper.arxiv_id and paper.arxiv_id in ids:
            how = "id"
        elif paper.doi and paper.doi.lower() in dois:
            how = "doi"
        elif paper.title and _long_enough(title_key(paper.title)):
            if words is None:
                words = _Words.of(readme)
            if _title_in(title_key(paper.title), words):
                how = "title"
        if how is not None:
            citations.append(Citation(paper.paper_id, how))
    return ReadmeScan(tuple(citations), total)


def kinds(readme: str, paper: KnownPaper) -> set[str]:
    """Every way the README cites ``paper`` (not only the strongest): for measuring each kind."""
    ids, linked = cited_arxiv_ids(readme)
    found = set()
    if paper.arxiv_id and paper.arxiv_id in linked:
        found.add("link")
    if paper.arxiv_id and paper.arxiv_id in ids:
        found.add("id")
    if paper.doi and paper.doi.lower() in cited_dois(readme):
        found.add("doi")
    key = title_key(paper.title or "")
    if _long_enough(key) and _title_in(key, _Words.of(readme)):
        found.add("title")
    return found


def normalise(text: str) -> str:
    """Text reduced to words and phrase ends: casefolded, markdown links to their text, LaTeX
    commands and HTML tags dropped, soft punctuation to spaces, hard punctuation to `` | ``."""
    text = _MD_LINK.sub(r"\1 ", text)
    text = _TAGS.sub(" ", text)
    text = _TEX_CMD.sub(" ", text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    for ch in folded:
        if ch.isalnum():
            out.append(ch)
        elif ch in _HARD:
            out.append(" | ")
        elif ch in _SOFT_INSIDE or ch.isspace() or unicodedata.category(ch).startswith("P"):
            out.append(" ")
        else:
            out.append(" | ")  # symbols, emoji: a phrase ends here
    return " ".join("".join(out).split())


@dataclass(frozen=True, slots=True)
class _Words:
    """A normalised text as its words (`` w1 w2 ... ``, padded) and the offsets just after the
    words that end a phrase."""

    text: str
    ends: frozenset[int]

    @classmethod
    def of(cls, text: str) -> _Words:
        words: list[str] = []
        ends: set[int] = set()
        offset = 1
        for part in normalise(text).split():
            if part == "|":
                if words:
                    ends.add(offset - 1)
                continue
            words.append(part)
            offset += len(part) + 1
        ends.add(offset - 1)
        return cls(" " + " ".join(words) + " ", frozenset(ends))


def title_key(title: str) -> str:
    """A title as words only: its own punctuation (``,`` ``?`` ``.``) ignored."""
    return _Words.of(title).text.strip()


def _long_enough(key: str) -> bool:
    return len(key) >= MIN_TITLE_CHARS and key.count(" ") + 1 >= MIN_TITLE_WORDS


def _title_in(key: str, words: _Words) -> bool:
    """``key`` occurs in ``words`` from a word start to a phrase end."""
    needle = " " + key + " "
    start = words.text.find(needle)
    while start != -1:
        if start + 1 + len(key) in words.ends:
            return True
        start = words.text.find(needle, start + 1)
    return False


def _valid_new(value: str) -> bool:
    yymm, num = value.split(".")
    year, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12 or int(yymm) < 704:
        return False
    return len(num) == (4 if int(yymm) < 1501 else 5) and year <= 99


def _old_or_new(value: str) -> str | None:
    if "/" not in value:
        return value if _valid_new(value) else None
    archive = value.split("/", 1)[0].split(".", 1)[0].lower()
    return value if archive in OLD_ARCHIVES else None
