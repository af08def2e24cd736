"""The ``fulltext`` channel: the paper's arXiv HTML rendering (``/html/{id}``), else its PDF
(``/pdf/{id}``), from ``--fulltext-url`` (default arXiv's host for programs), on one connection
and at least 3 s apart, as arXiv asks of programs. Read by the file readers (``sources/files/
html``, ``pdf``): mentions with ``source_field`` ``fulltext``, a locus and a context.

The paper id is the one followed, never the document's own guess. A PDF that is encrypted,
truncated, scanned or too large is recorded with why, and the run goes on.
"""

from __future__ import annotations

from collections.abc import Mapping

from harvester.errors import InputError
from harvester.follow.common import Fetched, fetch, media_type
from harvester.sources.files import html, pdf
from harvester.store.documents import Document, Done, FollowPaper
from harvester.web import Policy, PoliteClient

CHANNEL = "fulltext"
NAME = "arXiv full text"
DEFAULT_URL = "https://export.arxiv.org"
ARXIV_HTML = "arxiv_html"  # the source html.read_html gives a LaTeXML paper
POLICY = Policy(
    min_interval=3.0, retries=3, backoff=5.0, max_backoff=60.0, max_bytes=pdf.MAX_PDF_BYTES
)


def urls_for(root: str, paper_id: str) -> list[str]:
    """The HTML paper first, then the PDF (fetched only when the HTML gave nothing)."""
    root = root.rstrip("/")
    return [f"{root}/html/{paper_id}", f"{root}/pdf/{paper_id}"]


def read(fetched: Fetched, paper: FollowPaper) -> None:
    """Read an answered document (HTML or PDF) into ``fetched``'s mentions."""
    page = fetched.page
    if not fetched.ok or page is None:
        return
    kind = media_type(page.headers)
    name = f"{paper.paper_id.replace('/', '_')}"
    try:
        if kind == "application/pdf" or page.content.lstrip()[:5] == b"%PDF-":
            papers = list(pdf.read_pdf(page.content, f"{name}.pdf"))
        elif kind in ("text/html", "application/xhtml+xml", ""):
            text = page.content.decode("utf-8", errors="replace")
            papers = list(html.read_html(text, f"{name}.html"))
            if any(p.source != ARXIV_HTML for p in papers):  # an error page, a stub
                raise InputError("is not an arXiv HTML paper (no LaTeXML markup)")
        else:
            raise InputError(f"is {kind}, neither HTML nor PDF")
    except InputError as exc:
        fetched.unreadable(exc)
        return
    fetched.found(paper.paper_id, (m for p in papers for m in p.mentions))


def follow(
    client: PoliteClient,
    root: str,
    paper: FollowPaper,
    settled: Mapping[str, Done],
    stored: Mapping[str, Document] | None = None,
) -> list[Fetched]:
    """The HTML paper, else the PDF. ``settled``: URLs an earlier run fetched (skipped; an HTML
    paper read then makes the PDF unnecessary now too). ``stored``: URLs read before, asked
    for conditionally (one still unchanged makes the PDF unnecessary too)."""
    done: list[Fetched] = []
    for url in urls_for(root, paper.paper_id):
        before = settled.get(url)
        if before is not None:
            if before.status == 200 and before.why is None:
                break
            continue
        fetched = fetch(client, url, paper.paper_id, CHANNEL, stored=(stored or {}).get(url))
        if fetched.unchanged:
            done.append(fetched)
            break  # read before and unchanged since: nothing more to look for
        if fetched.document.status == 404 and "/html/" in url:
            fetched.message = None  # no HTML rendering (older papers): the PDF is next
        read(fetched, paper)
        done.append(fetched)
        if fetched.ok:
            break  # read: the PDF is not needed
    return done
