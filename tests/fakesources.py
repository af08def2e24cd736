"""Fake arXiv and Hugging Face paper APIs on 127.0.0.1, for the live-source tests.

Real sockets, real HTTP status codes, and small on purpose (``fakegithub.py`` is the big one).
Both record every request (path, query parameters, User-Agent, arrival time on an optional test
clock, so spacing can be checked without sleeping), count TCP connections, and can be told to
misbehave for the next few requests with ``fail_next``: a status with headers and body, or
``drop=True`` to close the connection without answering.

``FakeArxiv`` answers ``GET /api/query`` from recordings of the real API (``{"url",
"status_code", "body"}`` files such as ``../shared/fixtures/arxiv/arxiv-package/*.json``), keyed
by the request's ``search_query``, ``id_list``, ``start`` and ``max_results``; ``sortBy`` and
``sortOrder`` are recorded but not matched (those recordings were made with relevance sorting).
``route`` serves a recorded or hand-written body for any other query and start. Anything else
gets a 404 naming the request, so a test that asks for the wrong page fails loudly.

``FakeHF`` answers ``GET /api/daily_papers?date=|week=|month=`` from real archived days
(``../shared/data/hf-daily-papers/YYYY-MM-DD.json.gz``) or hand-written ones (``days``), paged
with ``p`` (from 0) and ``limit`` (default 50, at most 100). A page keeps its day's archived shape
(an array, or the ``{"status","date","count","data"}`` wrapper) and items (objects or
Python-repr strings). A day with no listing is an empty array; week and month join their days.
``GET /api/papers/search?q=`` returns the items of ``search_days`` whose title contains ``q``
(case-insensitive), paged the same way. A malformed date, week, month, limit or a missing ``q``
is a 400 with a ``{"error": ...}`` body, the Hub's error shape. Note: no archived day holds more
than 50 items (2025-09-30 holds exactly 50), which looks like one default page saved unpaged; the
fake serves what was archived.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self, cast
from urllib.parse import parse_qs, urlsplit

__all__ = ["FakeArxiv", "FakeClock", "FakeHF", "Request", "atom_feed", "load_recording"]


class FakeClock:
    """Time that moves only when someone sleeps, and a fixed today (UTC): spacing and backoff
    are checked instantly, date ranges do not depend on the day the tests run."""

    def __init__(self, start: float = 1000.0, day: dt.date = dt.date(2025, 11, 5)) -> None:
        self.t = start
        self.day = day
        self.sleeps: list[float] = []

    def today(self) -> dt.date:
        return self.day

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)


@dataclass(frozen=True)
class Request:
    path: str
    params: dict[str, str]
    at: float  # the test clock's time (or time.monotonic()) when the request arrived
    user_agent: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    drop: bool = False


@dataclass
class _Fake:
    clock: Callable[[], float] = time.monotonic
    requests: list[Request] = field(default_factory=list)
    connections: int = 0
    url: str = ""
    _faults: deque[Answer] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _open: set[socket.socket] = field(default_factory=set)

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        raise NotImplementedError

    def fail_next(
        self,
        status: int = 503,
        *,
        times: int = 1,
        headers: Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        drop: bool = False,
    ) -> None:
        """Answer the next ``times`` requests with ``status`` (or drop their connections)."""
        self._faults.extend([Answer(status, body, tuple(headers), drop)] * times)

    def params(self, path: str) -> list[dict[str, str]]:
        return [r.params for r in self.requests if r.path == path]

    def __enter__(self) -> Self:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_port}"
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for conn in list(self._open):  # wake handlers idling on keep-alive connections
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: _Fake


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10
    disable_nagle_algorithm = True  # else headers then body cost a delayed ACK (~40 ms)

    @property
    def fake(self) -> _Fake:
        return cast(_Server, self.server).fake

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._open.add(self.connection)
            self.fake.connections += 1

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.fake._lock:
            self.fake._open.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        with fake._lock:
            fake.requests.append(
                Request(parts.path, params, fake.clock(), self.headers.get("User-Agent", ""))
            )
            fault = fake._faults.popleft() if fake._faults else None
        answer = fault or fake.answer(parts.path, params)
        if answer.drop:
            self.close_connection = True
            return
        self.send_response(answer.status, HTTPStatus(answer.status).phrase)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)


# -- arXiv --------------------------------------------------------------------------------------

_ATOM = (("Content-Type", "application/atom+xml; charset=utf-8"),)


@dataclass(frozen=True)
class Recording:
    url: str
    status: int
    body: bytes


def load_recording(path: Path) -> Recording:
    data = json.loads(path.read_text("utf-8"))
    return Recording(data["url"], int(data["status_code"]), data["body"].encode("utf-8"))


@dataclass
class FakeArxiv(_Fake):
    routes: dict[tuple[str, str, int, int | None], tuple[int, bytes]] = field(default_factory=dict)

    def add_recordings(self, directory: Path) -> None:
        for path in sorted(directory.glob("*.json")):
            rec = load_recording(path)
            q = {k: v[-1] for k, v in parse_qs(urlsplit(rec.url).query, True).items()}
            key = (q["search_query"], q["id_list"], int(q["start"]), int(q["max_results"]))
            self.routes[key] = (rec.status, rec.body)

    def route(self, search_query: str, body: bytes, *, start: int = 0, status: int = 200) -> None:
        """Serve ``body`` for ``search_query`` at ``start``, whatever ``max_results`` is."""
        self.routes[(search_query, "", start, None)] = (status, body)

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        if path != "/api/query":
            return Answer(404, b"fake arXiv: no such path " + path.encode())
        query, ids = params.get("search_query", ""), params.get("id_list", "")
        start, size = int(params.get("start", 0)), int(params.get("max_results", 10))
        found = self.routes.get((query, ids, start, size)) or self.routes.get(
            (query, ids, start, None)
        )
        if found is None:
            message = f"fake arXiv: nothing recorded for {query!r} start={start} max={size}"
            return Answer(404, message.encode(), (("Content-Type", "text/plain"),))
        return Answer(found[0], found[1], _ATOM)


def atom_feed(entries: Iterable[tuple[str, str, str, str | None]], total: int, start: int) -> bytes:
    """A small arXiv-style feed: entries are (id with version, title, published, comment)."""
    parts = []
    for arxiv_id, title, published, comment in entries:
        note = f"<arxiv:comment>{comment}</arxiv:comment>" if comment else ""
        parts.append(
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}</id><title>{title}</title>"
            f"<summary>About {title}.</summary><published>{published}T10:00:00Z</published>"
            f'<link href="https://arxiv.org/abs/{arxiv_id}" rel="alternate" type="text/html"/>'
            f"{note}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<opensearch:totalResults>{total}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>"
        f"<opensearch:itemsPerPage>{len(parts)}</opensearch:itemsPerPage>"
        + "".join(parts)
        + "</feed>"
    ).encode()


# -- Hugging Face -------------------------------------------------------------------------------

_JSON = (("Content-Type", "application/json; charset=utf-8"),)
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _json(status: int, value: Any) -> Answer:
    return Answer(status, json.dumps(value).encode(), _JSON)


@dataclass
class FakeHF(_Fake):
    days_dir: Path | None = None
    days: dict[str, Any] = field(default_factory=dict)  # ISO date -> document, before the files
    search_days: tuple[str, ...] = ()
    ignore_paging: bool = False  # answer every p with page 0, as an endpoint without paging would

    def document(self, day: dt.date) -> Any:
        if day.isoformat() in self.days:
            return self.days[day.isoformat()]
        path = self.days_dir / f"{day.isoformat()}.json.gz" if self.days_dir else None
        if path is None or not path.exists():
            return []
        return json.loads(gzip.decompress(path.read_bytes()))

    def answer(self, path: str, params: dict[str, str]) -> Answer:
        try:
            page, limit = int(params.get("p", "0")), int(params.get("limit", "50"))
            page = 0 if self.ignore_paging else page
        except ValueError:
            return _json(400, {"error": "p and limit must be integers"})
        if page < 0 or not 1 <= limit <= 100:
            return _json(400, {"error": '"limit" must be less than or equal to 100'})
        if path == "/api/papers/search":
            if not params.get("q"):
                return _json(400, {"error": "Parameter 'q' is required"})
            items = [
                item
                for day in self.search_days
                for item in _items(self.document(dt.date.fromisoformat(day)))
                if params["q"].lower() in _title(item).lower()
            ]
            return _json(200, items[page * limit : (page + 1) * limit])
        if path != "/api/daily_papers":
            return _json(404, {"error": "Not Found"})
        try:
            days = _days(params)
        except ValueError as exc:
            return _json(400, {"error": str(exc)})
        documents = [self.document(d) for d in days]
        items = [item for doc in documents for item in _items(doc)]
        chunk = items[page * limit : (page + 1) * limit]
        if len(documents) == 1 and isinstance(documents[0], dict):  # keep the wrapper shape
            return _json(200, {**documents[0], "count": len(chunk), "data": chunk})
        return _json(200, chunk)


def _days(params: dict[str, str]) -> list[dt.date]:
    given = [k for k in ("date", "week", "month") if k in params]
    if len(given) != 1:
        raise ValueError("Give exactly one of date, week or month")
    value = params[given[0]]
    if given[0] == "date":
        try:
            return [dt.date.fromisoformat(value)]
        except ValueError:
            raise ValueError(f'"date" must be a valid date (YYYY-MM-DD), got {value}') from None
    if given[0] == "week":
        m = _WEEK.fullmatch(value)
        try:
            assert m is not None
            return [dt.date.fromisocalendar(int(m[1]), int(m[2]), d) for d in range(1, 8)]
        except (AssertionError, ValueError):
            raise ValueError(f'"week" must be an ISO week (YYYY-Www), got {value}') from None
    m = _MONTH.fullmatch(value)
    if m is None or not 1 <= int(m[2]) <= 12:
        raise ValueError(f'"month" must be YYYY-MM, got {value}')
    first = dt.date(int(m[1]), int(m[2]), 1)
    days = (first + dt.timedelta(days=i) for i in range(31))
    return [d for d in days if d.month == first.month]


def _items(document: Any) -> list[Any]:
    return list(document["data"] if isinstance(document, dict) else document)


def _title(item: Any) -> str:
    if isinstance(item, str):  # a Python-repr item: search its text
        return item
    return str(item.get("title") or item.get("paper", {}).get("title") or "")
