"""What every channel shares: one fetch through the web seam turned into a ``documents`` row,
whatever happens (an answer, a refusal, a failure), and what reading it gave.

A refetch of a document read before is conditional when its server gave an ETag: it sends
``If-None-Match``, and a ``304 Not Modified`` means the document is as it was: its stored row is
kept (status, hash, mentions; a new ETag if the 304 carries one) and only its ``fetched_at`` and
``run_id`` move; it is not read again and its mentions stay as they are. A 304 to a request that
asked for none has nothing to keep: it is recorded ``unasked_304`` and not read."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harvester.errors import InputError, SourceError
from harvester.models import Mention, Paper
from harvester.store.documents import Document
from harvester.web import Page, PoliteClient, Refused

HeaderCheck = Callable[[Mapping[str, str]], str | None]

UNASKED_304 = "unasked_304"  # a 304 to an unconditional request: nothing to keep, nothing read

# Refusals of the web seam -> the `why` a documents row records.
_WHY = {
    "too_large": "too_large",
    "redirect_loop": "redirect_loop",
    "bad_redirect": "bad_redirect",
    "not_accepted": "not_html",
}


@dataclass(slots=True)
class Fetched:
    """One document: its row, its answer when there is one, and what reading it gave."""

    document: Document
    page: Page | None = None
    message: str | None = None  # the one-line problem to show, when it was not read
    paper: Paper | None = None  # what the document says about its paper (HF: repo, page)
    mentions: list[Mention] = field(default_factory=list)
    unchanged: bool = False  # a conditional refetch answered 304: the stored row stands

    @property
    def ok(self) -> bool:
        return self.page is not None and self.page.status_code == 200 and self.message is None

    def unreadable(self, exc: InputError) -> None:
        self.message = f"{self.document.url}: {exc}"
        self.document = dataclasses.replace(self.document, why=f"unreadable: {exc}")

    def found(self, paper_id: str, mentions: Iterable[Mention], paper: Paper | None = None) -> None:
        """Keep ``mentions`` as the mentions of ``paper_id`` (a fetched page's own guess at its
        paper is not trusted: the paper it was fetched for is known)."""
        self.mentions = [dataclasses.replace(m, paper_id=paper_id) for m in mentions]
        self.paper = paper
        self.document = dataclasses.replace(self.document, mentions=len(self.mentions))

    def for_paper(self, paper_id: str) -> Fetched:
        """The same document recorded for another paper (a page several papers share is
        fetched once per run); the body is not kept twice."""
        document = dataclasses.replace(self.document, paper_id=paper_id)
        mentions = [dataclasses.replace(m, paper_id=paper_id) for m in self.mentions]
        return Fetched(document, None, self.message, None, mentions)


def why_refused(exc: Refused) -> str:
    """``robots``, ``private_address``, ``too_large``, ``not_html``, ``redirect_loop``, ..."""
    if exc.reason == "refused":
        return exc.detail.split(":", 1)[0]
    return _WHY.get(exc.reason, exc.reason)


def fetch(
    client: PoliteClient,
    url: str,
    paper_id: str,
    channel: str,
    *,
    accept: HeaderCheck | None = None,
    stored: Document | None = None,
) -> Fetched:
    """GET ``url`` (conditionally when ``stored``, its earlier row, has an ETag); never raises a
    SourceError: a refusal or failure is the row's ``why``."""
    asked = stored.etag if stored is not None else None
    try:
        page = client.get(url, accept=accept, headers={"If-None-Match": asked} if asked else None)
    except Refused as exc:
        return Fetched(Document(url, paper_id, channel, why=why_refused(exc)), message=str(exc))
    except SourceError as exc:
        return Fetched(Document(url, paper_id, channel, why=f"error: {exc}"), message=str(exc))
    if page.status_code == 304:
        return _not_modified(url, paper_id, channel, page, stored if asked else None)
    document = Document(
        url,
        paper_id,
        channel,
        status=page.status_code,
        final_url=page.url,
        content_type=page.headers.get("content-type"),
        etag=page.headers.get("etag"),
        bytes=len(page.content),
        sha256=hashlib.sha256(page.content).hexdigest(),
    )
    problem = None if page.status_code == 200 else f"{url}: HTTP {page.status_code}"
    return Fetched(document, page, message=problem)


def _not_modified(
    url: str, paper_id: str, channel: str, page: Page, stored: Document | None
) -> Fetched:
    if stored is not None:
        etag = page.headers.get("etag") or stored.etag
        return Fetched(dataclasses.replace(stored, etag=etag), unchanged=True)
    document = Document(url, paper_id, channel, status=304, why=UNASKED_304, final_url=page.url)
    message = f"{url}: HTTP 304 Not Modified to a request that was not conditional; not read"
    return Fetched(document, message=message)


def media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def keep(directory: Path, fetched: Fetched) -> Path | None:
    """Write the raw document under ``directory/CHANNEL/`` (``--keep-documents``)."""
    page, document = fetched.page, fetched.document
    if page is None or page.status_code != 200 or document.sha256 is None:
        return None
    kind = media_type(page.headers)
    ext = {"application/pdf": ".pdf", "application/json": ".json"}.get(kind, ".html")
    name = f"{document.paper_id.replace('/', '_')}-{document.sha256[:12]}{ext}"
    target = directory / document.channel / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page.content)
    return target
