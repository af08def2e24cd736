"""The project-page client of a follow run is pinned by its address guard: pages are connected to
at the addresses the guard resolved (names no DNS knows work with an injected resolver), and a
name that turns private after being checked is refused as ``private_address``, with nothing sent.
Against the fake web on 127.0.0.1."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester.follow import FollowOptions, follow, pages
from harvester.models import Paper
from harvester.store import Store
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb, project_page

PAPER = "2506.10001"


@pytest.fixture
def site(direct_clock: FakeClock) -> Iterator[FakeWeb]:
    with FakeWeb(clock=direct_clock.now) as server:
        server.route("/project/", project_page(("Code", "https://github.com/lab/tool")))
        yield server


def _follow_page(tmp_path: Path, url: str, **options: Any) -> Store:
    store = Store(tmp_path / "h.duckdb")
    run_id, _ = store.begin_run("harvest", "seed")
    paper = Paper(paper_id=PAPER, source="arxiv", comment=f"Project page: {url}")
    store.save_papers([paper], [], run_id)
    store.end_run(run_id, "ok")
    follow(store, FollowOptions(channels=("pages",), **options), args="follow")
    return store


def test_pages_are_connected_to_where_the_guard_resolved(site: FakeWeb, tmp_path: Path) -> None:
    port = site.url.rsplit(":", 1)[1]
    url = f"http://pages.test:{port}/project/"  # .test: no DNS answers for it
    store = _follow_page(
        tmp_path, url, allow_private=True, resolver={"pages.test": ["127.0.0.1"]}.__getitem__
    )
    rows = store.query(["SELECT status, why, mentions FROM documents"]).rows
    assert [tuple(r) for r in rows] == [(200, None, 1)]
    assert site.paths() == ["/robots.txt", "/project/"]


def test_a_name_turning_private_after_its_checks_is_refused_before_anything_is_sent(
    site: FakeWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no retries: a retry would check the URL again and see the private address (the check
    # catches a name that rebinds between attempts; this is about the one attempt)
    monkeypatch.setattr(pages, "POLICY", dataclasses.replace(pages.POLICY, retries=0))
    asked: list[str] = []

    def rebinding(host: str) -> list[str]:
        # the page's check, then its robots.txt's check, see a public address; the connection
        # (for robots.txt, the first one opened) sees the loopback address the server is on
        asked.append(host)
        return ["93.184.215.14"] if len(asked) <= 2 else ["127.0.0.1"]

    port = site.url.rsplit(":", 1)[1]
    store = _follow_page(tmp_path, f"http://rebind.test:{port}/project/", resolver=rebinding)
    rows = store.query(["SELECT status, why, mentions FROM documents"]).rows
    assert [tuple(r) for r in rows] == [(None, "private_address", 0)]
    assert asked == ["rebind.test"] * 3
    assert site.requests == [] and site.connections == 0
