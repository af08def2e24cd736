"""HTML documents -> one Paper with located mentions: arXiv's HTML papers (LaTeXML) and any other
page (a project page). Pure; stdlib ``html.parser`` (a linear tokenizer, no recursion, so 100k
nested elements or a 50 MB line cost only time proportional to their size).

arXiv HTML (LaTeXML, recognised by its ``ltx_`` classes or generator): ``source_field``
``fulltext``, loci from the element classes: ``ltx_title_document`` -> ``title``,
``ltx_abstract`` -> ``abstract``, ``ltx_authors``/``ltx_dates``, the notes inside them and
the title's notes (``\thanks``) -> ``first_page``, ``ltx_bibliography`` -> ``references``,
everything else ``body``.

Any other page: ``source_field`` ``project_page``; an anchor is a ``code_link`` when its text, its
attributes (``title``, ``aria-label``, ``class``, an icon's class or ``alt`` inside it) or the few
words before it say Code/GitHub/Repository/Source, unless it sits in a ``<footer>`` or its
sentence credits the page's template ("website", "template", "borrowed", "adapted"); everything
else (other anchors, URLs written in the text) is ``body``. Script and style contents are skipped.

Paper id: for arXiv HTML, the arXiv id of its canonical/base URL, else the file name (see
``naming``). For a page, the file or folder name when it spells an arXiv id (``pages/2503.00329/
project.html``), else the canonical URL's, else the first arxiv.org link's (the "Paper" button;
measured on 98 real pages: right on 80, another paper's on 4, none on 14), else ``html:<name>``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

from harvester.fulltext import Anchor, Block, locate, says_code
from harvester.models import Paper
from harvester.sources.files.naming import paper_id_from_name
from harvester.sources.ids import find_arxiv_id, normalize_arxiv_id

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BREAKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "figure",
        "figcaption",
        "blockquote",
        "pre",
        "dd",
        "dt",
    ]
)
_LTX_LOCI = (
    ("ltx_title_document", "title"),
    ("ltx_abstract", "abstract"),
    ("ltx_authors", "first_page"),
    ("ltx_dates", "first_page"),
    ("ltx_bibliography", "references"),
)
_CREDIT = re.compile(r"template|website|borrow|adapted|theme|inspired by|based on|credit", re.I)
_LABEL_ATTRS = ("title", "aria-label", "class", "alt", "id", "data-tooltip", "src")
_BEFORE_CHARS = 40


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.latexml = False
        self.stack: list[tuple[str, str]] = []  # (tag, locus) of open elements
        self.open_tags: Counter[str] = Counter()
        self.skip = 0  # inside script/style
        self.footer = 0
        self.blocks: list[Block] = []
        self.chunks: list[str] = []
        self.chunk_locus = "body"
        self.recent = ""  # the last few characters of text, for "Code: <a ...>"
        self.anchors: list[Anchor] = []
        self.anchor: tuple[str, str, list[str], list[str], str, bool] | None = None
        self.arxiv_ids: list[str] = []
        self.canonical: str | None = None

    # -- structure --------------------------------------------------------------------------
    def locus(self) -> str:
        return self.stack[-1][1] if self.stack else "body"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self.skip += 1
        if tag in _BREAKS:
            self._text("\n\n")
        if tag == "meta" and "latexml" in values.get("content", "").lower():
            self.latexml = True
        if tag in ("link", "base") and ("canonical" in values.get("rel", "") or tag == "base"):
            self.canonical = self.canonical or values.get("href")
        if self.anchor is not None:  # icons and images inside a link label it
            self.anchor[3].extend(values.get(a, "") for a in _LABEL_ATTRS)
        if tag == "a":
            self._end_anchor()
            href = values.get("href", "")
            if "arxiv.org/" in href:
                self.arxiv_ids.append(href)
            attrs_ = [values.get(a, "") for a in _LABEL_ATTRS if a != "src"]
            self.anchor = (href, self.recent, [], attrs_, self.locus(), self.footer > 0)
        if tag in _VOID:
            return
        locus = self.locus()
        classes = values.get("class", "")
        if "ltx_" in classes:
            self.latexml = True
            locus = next((loc for cls, loc in _LTX_LOCI if cls in classes), locus)
            if locus == "title" and "ltx_note" in classes:  # a \thanks footnote on page 1
                locus = "first_page"
        if tag == "footer":
            self.footer += 1
        self.stack.append((tag, locus))
        self.open_tags[tag] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        if tag == "a":
            self._end_anchor()
        if tag in _BREAKS:
            self._text("\n\n")
        if self.open_tags[tag] <= 0:
            return  # a stray end tag
        while self.stack:
            open_tag, _ = self.stack.pop()
            self.open_tags[open_tag] -= 1
            if open_tag == "footer":
                self.footer -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._text(data)
        if self.anchor is not None:
            self.anchor[2].append(data)

    # -- collection -------------------------------------------------------------------------
    def _text(self, data: str) -> None:
        locus = self.locus()
        if locus != self.chunk_locus:
            self.flush()
            self.chunk_locus = locus
        self.chunks.append(data)
        self.recent = (self.recent + data)[-_BEFORE_CHARS:] if len(data) < 4096 else data[-40:]

    def flush(self) -> None:
        if self.chunks:
            self.blocks.append(Block(self.chunk_locus, "".join(self.chunks)))
            self.chunks = []

    def _end_anchor(self) -> None:
        if self.anchor is None:
            return
        href, before, text, attrs, locus, in_footer = self.anchor
        self.anchor = None
        if "github" not in href.lower():
            return
        words = " ".join(" ".join(text).split())
        before_words = " ".join(before.split())
        if not self.latexml:
            code = (
                says_code(words)
                or says_code(" ".join(attrs))
                or says_code(before_words.rsplit(".", 1)[-1][-24:])
            )
            credit = in_footer or _CREDIT.search(before_words + " " + words) is not None
            locus = "code_link" if code and not credit else "body"
        self.anchors.append(Anchor(locus, href, words or " ".join(" ".join(attrs).split())))


def _defuse(text: str) -> str:
    """``text`` with every ``<`` that opens a tag or comment never closed escaped as ``&lt;``.

    ``html.parser`` rescans to the end of the input for each such ``<`` (``"<a" * 250_000``
    or ``"<!--" * 100_000`` take minutes: quadratic); escaped, they are text, as a browser would
    show them. Linear: a tag is closed when a ``>`` follows before the next ``<``; a comment when
    a ``-->`` follows anywhere (the last one in the text is found once).
    """
    if "<" not in text:
        return text
    last_close = text.rfind("-->")
    parts = text.split("<")
    out = [parts[0]]
    pos = len(parts[0])
    for part in parts[1:]:
        first = part[:1]
        if part.startswith("!--"):
            closed = last_close >= pos + 4
        elif first.isalpha() or first in "/?!":
            closed = ">" in part
        else:
            closed = True  # '< ', '<3': html.parser passes these on as text at once
        out.append(("<" if closed else "&lt;") + part)
        pos += len(part) + 1
    return "".join(out)


def _paper_id(page: _Page, name: str) -> str:
    canonical = None
    if page.canonical:
        canonical = find_arxiv_id(page.canonical) or normalize_arxiv_id(page.canonical)
    linked = next(filter(None, map(find_arxiv_id, page.arxiv_ids)), None)
    from_name = paper_id_from_name(name, "html")
    if page.latexml:  # arXiv's own rendering: its canonical URL names the paper
        return canonical or from_name
    if not from_name.startswith("html:"):  # a page's arXiv links may be related work
        return from_name
    return canonical or linked or from_name


def read_html(text: str, name: str) -> Iterator[Paper]:
    """The one Paper of an HTML document (``name`` is its path, for the id fallback)."""
    page = _Page()
    page.feed(_defuse(text))
    page.close()
    page._end_anchor()
    page.flush()
    field = "fulltext" if page.latexml else "project_page"
    blocks = page.blocks
    if not page.latexml:  # on a page, a URL in the text is body (code links are anchors)
        blocks = [Block("body", b.text) for b in blocks]
    paper_id = _paper_id(page, name)
    source = "arxiv_html" if page.latexml else "page"
    mentions = locate(paper_id, field, blocks, page.anchors)
    if not page.latexml:  # code links first: a store keeping one row per repository keeps those
        mentions = tuple(sorted(mentions, key=lambda m: m.locus != "code_link"))
    yield Paper(paper_id=paper_id, source=source, mentions=mentions)
