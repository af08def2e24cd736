"""Paper identifiers: arXiv ids in every common spelling, and synthetic ids from titles.

``normalize_arxiv_id`` accepts a bare id (``2510.12586``, ``2510.12586v2``, ``astro-ph/0601001``,
``math.GT/0309136``), an ``arXiv:`` prefix, an arxiv.org ``abs``/``pdf``/``html`` URL (with or
without scheme, ``www.``/``export.``, ``.pdf``, query or fragment) or a Hugging Face papers URL
(``hf.co/papers/...``, ``huggingface.co/papers/...``) and returns the id without its version, or
None. Ids are validated against arXiv's schemes: new style ``YYMM.NNNN`` (2007-04 .. 2014-12) or
``YYMM.NNNNN`` (2015 on) with a real month; old style ``archive[.SC]/YYMMNNN`` with a known
archive. ``0000.0000`` and ``0808.05394`` are therefore not ids.

``find_arxiv_id`` returns the first id *mentioned* in free text: it needs context (``arXiv:``,
``arXiv 2401.04887``, an arxiv.org or HF papers URL); a bare ``2401.04887`` is not taken, because
numbers of that shape are common in prose and tables.

``title_id`` gives papers without an arXiv id a stable id from their title.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Old-style (before 2007-04) archives; the id is archive[.SUBJECT]/YYMMNNN.
OLD_ARCHIVES = frozenset(
    {
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an",
        "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an",
        "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin",
        "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "q-fin",
        "quant-ph", "solv-int", "stat", "supr-con",
    }
)  # fmt: skip

_BODY = (
    r"(?:(?P<new>(?P<yymm>\d{4})\.(?P<num>\d{4,5}))"
    r"|(?P<old>(?P<arch>[a-z]+(?:-[a-z]+)?)(?P<sc>\.[a-z]{2})?/(?P<oyymm>\d{4})\d{3}))"
)
_FULL = re.compile(
    r"\s*(?:arxiv:\s*"
    r"|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    r"|(?:https?://)?(?:www\.)?(?:hf\.co|huggingface\.co)/papers/)?"
    rf"{_BODY}(?:v\d+)?(?:\.pdf)?/?(?:[?#]\S*)?\s*",
    re.IGNORECASE,
)
_FIND = re.compile(
    r"(?:arxiv(?::\s*|\s+)|arxiv\.org/(?:abs|pdf|html)/|(?:hf\.co|huggingface\.co)/papers/)"
    rf"{_BODY}(?!\d)",
    re.IGNORECASE,
)


def _valid(m: re.Match[str]) -> str | None:
    if m["new"]:
        yymm = int(m["yymm"])
        if not 1 <= yymm % 100 <= 12 or yymm < 704:
            return None
        if len(m["num"]) != (4 if yymm < 1501 else 5):
            return None
        return str(m["new"])
    archive = m["arch"].lower()
    yy, mm = int(m["oyymm"][:2]), int(m["oyymm"][2:])
    if archive not in OLD_ARCHIVES or not 1 <= mm <= 12 or 8 <= yy <= 90:
        return None
    subject = m["sc"].upper() if m["sc"] else ""
    return f"{archive}{subject}/{m['old'].split('/', 1)[1]}"


# Months of the new scheme (2007-04 on, YYMM) and the digits of their numbers (5 from 2015).
NEW_STYLE_DIGITS = {
    f"{yymm:04d}": 4 if yymm < 1501 else 5 for yymm in range(704, 10_000) if 1 <= yymm % 100 <= 12
}


def normalize_arxiv_id(value: str) -> str | None:
    """The arXiv id (no version) that ``value`` spells, or None if it is not one."""
    if len(value) in (9, 10) and value[4] == "." and value.isascii():
        # The usual spelling, a bare new-style id (every id field of the arXiv snapshot since
        # 2007): checked without the regex, which cost as much as building the paper, and the
        # month looked up rather than computed.
        yymm, num = value[:4], value[5:]
        if num.isdigit():
            digits = NEW_STYLE_DIGITS.get(yymm)
            if digits is not None:
                return value if len(num) == digits else None
            if yymm.isdigit():
                return None  # not a month of the new scheme
    m = _FULL.fullmatch(value)
    return _valid(m) if m else None


def find_arxiv_id(text: str) -> str | None:
    """The first valid arXiv id mentioned in ``text`` with an arXiv/HF context, or None."""
    for m in _FIND.finditer(text):
        found = _valid(m)
        if found:
            return found
    return None


def normalize_title(title: str) -> str:
    """Casefolded, punctuation removed, whitespace collapsed: the key ``title_id`` hashes."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    kept = "".join(ch for ch in folded if not unicodedata.category(ch).startswith("P"))
    return " ".join(kept.split())


def title_id(title: str) -> str:
    """``title:`` + the first 16 hex digits of sha256 of the normalised title."""
    digest = hashlib.sha256(normalize_title(title).encode("utf-8")).hexdigest()
    return f"title:{digest[:16]}"


def first_arxiv_id(*candidates: str | None) -> str | None:
    """The first arXiv id among ``candidates`` (id fields, URLs), normalised."""
    for value in candidates:
        arxiv_id = normalize_arxiv_id(value) if value else None
        if arxiv_id:
            return arxiv_id
    return None


def choose_paper_id(
    arxiv_id: str | None, title: str | None, raw_id: str | None, prefix: str
) -> str | None:
    """The id a paper is stored under: its arXiv id, else ``title_id(title)``, else
    ``prefix:raw_id``; None when there is nothing to go by."""
    if arxiv_id:
        return arxiv_id
    if title:
        return title_id(title)
    if raw_id:
        return f"{prefix}:{raw_id}"
    return None
