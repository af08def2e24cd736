"""A fake web on 127.0.0.1 for ``harvester follow``: one server answering, by path, whatever a
test routes there -- HF paper records (``/api/papers/{id}``), arXiv full texts (``/html/{id}``,
``/pdf/{id}``), project pages, ``robots.txt``, redirects and big bodies. Anything not routed is
a 404. Every request is recorded (``tests.fakesources``: path, arrival time on the test clock,
User-Agent), so a test sees what was fetched, what was not, and how far apart.

A page routed with an ``etag`` is served with it, and answered ``304 Not Modified`` (no body)
when a request's ``If-None-Match`` names it (or ``*``); ``conditional`` records each request's
``If-None-Match`` (path, value or None).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, Self

from tests.fakesources import Answer, _Fake, _Handler

HTML = "text/html; charset=utf-8"


_asking = threading.local()  # the headers of the request a handler thread is answering


class _WebHandler(_Handler):
    def do_GET(self) -> None:
        _asking.headers = self.headers
        try:
            super().do_GET()
        finally:
            _asking.headers = None


@dataclass
class FakeWeb(_Fake):
    routes: dict[str, Answer] = field(default_factory=dict)
    etags: dict[str, str] = field(default_factory=dict)  # path -> its current ETag
    conditional: list[tuple[str, str | None]] = field(default_factory=list)

    def __enter__(self) -> Self:
        super().__enter__()
        assert self._server is not None
        self._server.RequestHandlerClass = _WebHandler  # before any request: none sent yet
        return self

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = HTML,
        headers: tuple[tuple[str, str], ...] = (),
        etag: str | None = None,
    ) -> str:
        """Serve ``body`` at ``path`` (with ``etag``: conditionally); returns its whole URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        sent = (("Content-Type", content_type),) if content_type else ()
        if etag is not None:
            sent += (("ETag", etag),)
            self.etags[path] = etag
        else:
            self.etags.pop(path, None)
        self.routes[path] = Answer(status, data, sent + headers)
        return self.url + path

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = Answer(status, b"", (("Location", location),))
        return self.url + path

    def hf_paper(self, paper_id: str, etag: str | None = None, **fields: Any) -> None:
        """An HF paper record (``githubRepo``, ``projectPage``, ...)."""
        record = {"id": paper_id, "title": f"Paper {paper_id}", **fields}
        body = json.dumps(record)
        self.route(f"/api/papers/{paper_id}", body, content_type="application/json", etag=etag)

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        headers: Message | None = getattr(_asking, "headers", None)
        asked = headers.get("If-None-Match") if headers is not None else None
        self.conditional.append((path, asked))
        etag = self.etags.get(path)
        matches = asked is not None and (
            asked.strip() == "*" or etag in (tag.strip() for tag in asked.split(","))
        )
        if etag is not None and matches:
            return Answer(304, b"", (("ETag", etag),))
        found = self.routes.get(path)
        if found is not None:
            return found
        return Answer(404, b"not routed: " + path.encode(), (("Content-Type", "text/plain"),))

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def project_page(*links: tuple[str, str], body: str = "") -> str:
    """A small project page: anchors ``(text, href)`` and some text."""
    anchors = "\n".join(f'<a class="button" href="{href}">{text}</a>' for text, href in links)
    head = "<html><head><title>Project</title></head>"
    return f"{head}<body><h1>Project</h1>{body}{anchors}</body></html>"


def arxiv_html(paper_id: str, abstract: str, body: str = "") -> str:
    """A small arXiv HTML paper (LaTeXML classes)."""
    return (
        f'<html><head><link rel="canonical" href="https://arxiv.org/html/{paper_id}v1"></head>'
        '<body><article class="ltx_document">'
        f'<h1 class="ltx_title ltx_title_document">Paper {paper_id}</h1>'
        f'<div class="ltx_abstract"><p class="ltx_p">{abstract}</p></div>'
        f'<section class="ltx_section"><p class="ltx_p">{body}</p></section>'
        "</article></body></html>"
    )
