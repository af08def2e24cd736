"""Conditional refetches: a document read before, whose server gave an ETag, is asked for again
with ``If-None-Match``; a 304 keeps its row and mentions (only ``fetched_at``/``run_id`` move)
and counts as unchanged; a changed document is read again; a 304 nobody asked for is recorded,
not read. Against the fake web on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester.follow import FollowOptions, follow
from harvester.models import Paper
from harvester.store import Store
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb, arxiv_html, project_page

PAPER = "2506.10001"
AGAIN = dt.timedelta(0)  # --refetch-after 0s: every document is due again


@pytest.fixture
def site(direct_clock: FakeClock) -> Iterator[FakeWeb]:
    with FakeWeb(clock=direct_clock.now) as server:
        yield server


def _store(tmp_path: Path, *papers: Paper) -> Store:
    store = Store(tmp_path / "h.duckdb")
    run_id, _ = store.begin_run("harvest", "seed")
    store.save_papers(list(papers), [], run_id)
    store.end_run(run_id, "ok")
    return store


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.query([sql]).rows]


DOCUMENT = (
    "SELECT url, status, why, etag, bytes, sha256, mentions, fetched_at, run_id FROM documents "
    "ORDER BY url, paper_id"
)


def test_an_unchanged_full_text_is_not_read_again(site: FakeWeb, tmp_path: Path) -> None:
    html = arxiv_html(PAPER, "Code: https://github.com/lab/tool")
    site.route(f"/html/{PAPER}", html, etag='"v1"')
    store = _store(tmp_path, Paper(paper_id=PAPER, source="arxiv"))
    options = FollowOptions(channels=("fulltext",), fulltext_url=site.url, refetch_after=AGAIN)
    follow(store, options, args="follow")
    [before] = _rows(store, DOCUMENT)

    summary = follow(store, options, args="follow")

    assert site.conditional == [(f"/html/{PAPER}", None), (f"/html/{PAPER}", '"v1"')]
    assert summary.unchanged == 1 and summary.documents["fulltext"] == 1
    assert "1 unchanged since last fetched" in summary.describe()
    [after] = _rows(store, DOCUMENT)
    assert after[:7] == before[:7]  # status 200, read, same ETag, size, hash and mention count
    assert before[3:5] == ('"v1"', len(html.encode()))
    assert after[7] > before[7] and after[8] > before[8]  # checked again, by the later run
    assert _rows(store, "SELECT paper_id, repo_name FROM mentions") == [(PAPER, "lab/tool")]
    assert site.paths() == [f"/html/{PAPER}"] * 2  # no PDF: the HTML paper still holds


def test_a_changed_document_is_read_again(site: FakeWeb, tmp_path: Path) -> None:
    site.route(f"/html/{PAPER}", arxiv_html(PAPER, "Code: github.com/lab/old"), etag='"v1"')
    store = _store(tmp_path, Paper(paper_id=PAPER, source="arxiv"))
    options = FollowOptions(channels=("fulltext",), fulltext_url=site.url, refetch_after=AGAIN)
    follow(store, options, args="follow")
    site.route(f"/html/{PAPER}", arxiv_html(PAPER, "Code: github.com/lab/new"), etag='"v2"')

    summary = follow(store, options, args="follow")

    assert site.conditional[-1] == (f"/html/{PAPER}", '"v1"')
    assert summary.unchanged == 0
    assert _rows(store, "SELECT etag, mentions FROM documents") == [('"v2"', 1)]
    names = _rows(store, "SELECT repo_name FROM mentions ORDER BY 1")
    assert names == [("lab/new",), ("lab/old",)]  # nothing harvested is deleted


def test_shared_pages_and_hf_records_are_refetched_per_paper(site: FakeWeb, tmp_path: Path) -> None:
    ids = ["2506.10001", "2506.10002"]
    page = site.route("/project/", project_page(("Code", "https://github.com/lab/x")), etag='W/"p"')
    site.hf_paper(ids[0], etag='"hf"', projectPage=page)
    site.hf_paper(ids[1], projectPage=page)  # no ETag: always asked for in full
    store = _store(tmp_path, *(Paper(paper_id=i, source="arxiv") for i in ids))
    options = FollowOptions(
        channels=("hf", "pages"), hf_url=site.url, allow_private=True, refetch_after=AGAIN
    )
    first = follow(store, options, args="follow")
    assert first.documents == {"hf": 2, "pages": 2} and first.unchanged == 0
    assert site.paths().count("/project/") == 1  # one page, shared by both papers in a run
    # a third paper sharing the page, never fetched for it: read, not handed the others' 304
    late = "2506.10003"
    site.hf_paper(late, projectPage=page)
    run_id, _ = store.begin_run("harvest", "late")
    store.save_papers([Paper(paper_id=late, source="arxiv")], [], run_id)
    store.end_run(run_id, "ok")
    mark = len(site.conditional)

    again = follow(store, options, args="follow")

    asked = [request for request in site.conditional[mark:] if request[0] != "/robots.txt"]
    assert asked == [
        (f"/api/papers/{ids[0]}", '"hf"'),  # 304
        ("/project/", 'W/"p"'),  # 304
        (f"/api/papers/{ids[1]}", None),
        ("/project/", 'W/"p"'),  # 304: its own row holds its own ETag
        (f"/api/papers/{late}", None),
        ("/project/", None),  # no row for this paper yet
    ]
    assert again.unchanged == 3
    rows = _rows(store, "SELECT paper_id, repo_name FROM mentions WHERE repo_name = 'lab/x'")
    assert sorted(rows) == [(i, "lab/x") for i in [*ids, late]]
    pages = _rows(store, "SELECT paper_id, mentions FROM documents WHERE channel = 'pages'")
    assert sorted(pages) == [(i, 1) for i in [*ids, late]]


def test_a_304_nobody_asked_for_is_recorded_not_read(site: FakeWeb, tmp_path: Path) -> None:
    site.route(f"/html/{PAPER}", "", status=304, content_type=None)
    store = _store(tmp_path, Paper(paper_id=PAPER, source="arxiv"))
    options = FollowOptions(channels=("fulltext",), fulltext_url=site.url)
    summary = follow(store, options, args="follow")
    rows = _rows(store, "SELECT url, status, why, mentions FROM documents ORDER BY url")
    assert rows == [
        (f"{site.url}/html/{PAPER}", 304, "unasked_304", 0),
        (f"{site.url}/pdf/{PAPER}", 404, None, 0),  # the PDF was tried next
    ]
    assert summary.unchanged == 0 and summary.problems == {"unasked_304": 1}
