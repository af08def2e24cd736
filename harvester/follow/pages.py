"""The ``pages`` channel: a paper's project page -- its HF ``projectPage``, a ``github.io`` page
it mentions, or a homepage link in its comment or abstract ("Project page: https://...").

Fetched through the web seam with a guard (``guard``): no private addresses unless allowed,
robots.txt honoured, at most one request a second per host, at most 5 MB and 5 redirects, HTML
only (the Content-Type is checked before the body is read); no JavaScript is run, so a page
that builds its links in a script shows none. Read by the HTML reader: mentions with
``source_field`` ``project_page``, ``locus`` ``code_link`` or ``body``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from harvester.errors import InputError
from harvester.follow.common import Fetched, fetch, media_type
from harvester.sources.files import html
from harvester.store.documents import Document, FollowPaper
from harvester.web import Policy, PoliteClient

CHANNEL = "pages"
NAME = "project pages"
POLICY = Policy(
    min_interval=1.0,
    retries=2,
    backoff=2.0,
    max_backoff=30.0,
    max_wait=60.0,
    timeout=30.0,
    max_bytes=5 * 1024 * 1024,
    max_redirects=5,
)
MAX_PAGES = 3  # pages followed per paper
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

_HOMEPAGE = re.compile(
    r"(?:project|home|web)\s*(?:page|site)|website|homepage|demo",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+", re.IGNORECASE)
_NOT_PAGES = ("github.com", "arxiv.org", "huggingface.co", "hf.co", "doi.org")


def html_only(headers: Mapping[str, str]) -> str | None:
    """The seam's ``accept``: an answer whose Content-Type is not HTML is not read."""
    kind = media_type(headers)
    if not kind or kind in HTML_TYPES:
        return None
    return f"not_html: Content-Type is {kind}"


def _clean(url: str) -> str | None:
    url = url.strip().rstrip(".,;:)]}>'\"")
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or "." not in host:
        return None
    if any(host == bad or host.endswith(f".{bad}") for bad in _NOT_PAGES):
        return None
    return url


def homepage_links(text: str | None) -> list[str]:
    """URLs that a "project page"/"homepage"/"website" label introduces in ``text``."""
    found = []
    for label in _HOMEPAGE.finditer(text or ""):
        after = text[label.end() : label.end() + 40] if text else ""
        url = _URL.search(after)
        if url and (cleaned := _clean(url.group())):
            found.append(cleaned)
    return found


def targets(paper: FollowPaper, extra: Iterable[str] = ()) -> list[str]:
    """The pages to follow for ``paper``, best first, at most ``MAX_PAGES``: its project page,
    its github.io links (stored, and ``extra`` found by this run), homepage links in its text."""
    candidates = [
        paper.project_page,
        *paper.page_links,
        *extra,
        *homepage_links(paper.comment),
        *homepage_links(paper.abstract),
    ]
    seen: dict[str, str] = {}
    for raw in candidates:
        url = _clean(raw) if raw else None
        if url and url.rstrip("/").lower() not in seen:
            seen[url.rstrip("/").lower()] = url
    return list(seen.values())[:MAX_PAGES]


def read(fetched: Fetched, paper: FollowPaper) -> None:
    page = fetched.page
    if not fetched.ok or page is None:
        return
    try:
        text = page.content.decode("utf-8", errors="replace")
        papers = list(html.read_html(text, f"{paper.paper_id.replace('/', '_')}.html"))
    except InputError as exc:
        fetched.unreadable(exc)
        return
    fetched.found(paper.paper_id, (m for p in papers for m in p.mentions))


def follow(
    client: PoliteClient, url: str, paper: FollowPaper, stored: Document | None = None
) -> Fetched:
    fetched = fetch(client, url, paper.paper_id, CHANNEL, accept=html_only, stored=stored)
    read(fetched, paper)
    return fetched
