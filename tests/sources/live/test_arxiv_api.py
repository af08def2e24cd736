"""The live arXiv source against a fake arXiv on 127.0.0.1: recorded real responses (paging, an
empty result, old-style ids, a 400) and small hand-written feeds for dates and edge cases."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from harvester.errors import SourceError, UsageError
from harvester.sources.live.arxiv_api import ArxivQuery, ArxivSource
from tests.conftest import FIXTURES
from tests.fakesources import FakeArxiv, FakeClock, atom_feed, load_recording

RECORDED = FIXTURES / "arxiv" / "arxiv-package"
TODAY = dt.date(2025, 11, 5)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(day=TODAY)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeArxiv]:
    with FakeArxiv(clock=clock.now) as server:
        if RECORDED.is_dir():
            server.add_recordings(RECORDED)
        yield server


def _source(fake: FakeArxiv, clock: FakeClock, query: ArxivQuery, **kw: Any) -> ArxivSource:
    return ArxivSource(query, api_url=fake.url, clock=clock, **kw)


def _recorded(name: str) -> bytes:
    return load_recording(next(RECORDED.glob(f"{name}_s0_m100_*.json"))).body


@pytest.mark.shared
def test_recorded_pages_are_read_politely_newest_first(fake: FakeArxiv, clock: FakeClock) -> None:
    pages: list[tuple[int, int]] = []
    query = ArxivQuery("testing", limit=30, page_size=10)
    with _source(fake, clock, query, on_page=lambda r, t: pages.append((r, t))) as source:
        papers = list(source.papers())
    sent = fake.params("/api/query")
    assert [(p["start"], p["max_results"]) for p in sent] == [
        ("0", "10"),
        ("10", "10"),
        ("20", "10"),
    ]
    assert {(p["search_query"], p["sortBy"], p["sortOrder"]) for p in sent} == {
        ("testing", "submittedDate", "descending")
    }
    times = [r.at for r in fake.requests]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(times))
    assert fake.connections == 1
    assert pages == [(10, 30), (20, 30), (30, 30)]
    ids = [p.paper_id for p in papers]
    assert len(ids) == 30 and ids[0] == "2202.12139" and "2409.05654" in ids  # v9 folded
    assert all(p.source == "arxiv" for p in papers)
    # newest first and cut short by --max: older papers were never read, so no cursor
    assert source.newest == dt.date(2026, 2, 17)
    assert source.cursor_date() is None


@pytest.mark.shared
def test_comment_is_kept_for_link_extraction(fake: FakeArxiv, clock: FakeClock) -> None:
    with _source(fake, clock, ArxivQuery("testing", limit=100, page_size=100)) as source:
        papers = {p.paper_id: p for p in source.papers()}
    assert "github.com/ydecastro/super-resolution-testing" in (papers["1706.00679"].comment or "")


@pytest.mark.shared
def test_more_than_30000_results_is_refused_before_any_paper(
    fake: FakeArxiv, clock: FakeClock
) -> None:
    with _source(fake, clock, ArxivQuery("testing", page_size=10)) as source:
        papers = source.papers()
        with pytest.raises(UsageError) as caught:
            next(papers)
    message = str(caught.value)
    assert "214,881 papers" in message and "at most 30,000" in message and "--max" in message
    assert len(fake.requests) == 1


@pytest.mark.shared
def test_malformed_query_is_refused_with_arxivs_message(fake: FakeArxiv, clock: FakeClock) -> None:
    fake.route("all:(", _recorded("id_abc"), status=400)
    with _source(fake, clock, ArxivQuery("all:(")) as source, pytest.raises(SourceError) as caught:
        list(source.papers())
    assert str(caught.value) == "arXiv API error: incorrect id format for abc (HTTP 400)"
    assert len(fake.requests) == 1  # a 4xx is not retried


@pytest.mark.shared
def test_empty_result_and_old_style_ids(fake: FakeArxiv, clock: FakeClock) -> None:
    fake.route("ti:nothing", _recorded("id_0000.0000"))
    fake.route("cat:astro-ph", _recorded("id_astro-ph_0601001"))
    fake.route("cat:quant-ph", _recorded("id_quant-ph_0201082v1"))
    with _source(fake, clock, ArxivQuery("ti:nothing")) as source:
        assert list(source.papers()) == []
    assert source.cursor_date() is None
    for query, paper_id in [
        ("cat:astro-ph", "astro-ph/0601001"),
        ("cat:quant-ph", "quant-ph/0201082"),
    ]:
        with _source(fake, clock, ArxivQuery(query)) as source:
            assert [p.paper_id for p in source.papers()] == [paper_id]


RANGE = "(cat:cs.LG AND abs:bottleneck) AND submittedDate:[202511010000 TO 202511032359]"
ENTRIES = [
    (
        "2511.00001v2",
        "An   information\n   bottleneck",
        "2025-11-01",
        "Code: https://github.com/a/b",
    ),
    ("2511.00002v1", "Two", "2025-11-02", None),
    ("2511.00003v1", "Three", "2025-11-03", None),
]


def test_date_range_is_read_oldest_first(fake: FakeArxiv, clock: FakeClock) -> None:
    fake.route(RANGE, atom_feed(ENTRIES[:2], total=3, start=0))
    fake.route(RANGE, atom_feed(ENTRIES[2:], total=3, start=2), start=2)
    query = ArxivQuery(
        " cat:cs.LG   AND abs:bottleneck ",
        start=dt.date(2025, 11, 1),
        end=dt.date(2025, 11, 3),
        page_size=2,
    )
    with _source(fake, clock, query) as source:
        papers = list(source.papers())
    assert {p["sortOrder"] for p in fake.params("/api/query")} == {"ascending"}
    first = papers[0]
    assert (first.paper_id, first.title, first.comment) == (
        "2511.00001",
        "An information bottleneck",
        "Code: https://github.com/a/b",
    )
    assert [p.paper_id for p in papers] == ["2511.00001", "2511.00002", "2511.00003"]
    assert source.cursor_key == "cat:cs.LG AND abs:bottleneck"
    assert source.cursor_date() == dt.date(2025, 11, 3)


def test_oldest_first_run_cut_by_max_still_moves_the_cursor(
    fake: FakeArxiv, clock: FakeClock
) -> None:
    fake.route(RANGE, atom_feed(ENTRIES[:2], total=3, start=0))
    query = ArxivQuery(
        "cat:cs.LG AND abs:bottleneck", dt.date(2025, 11, 1), dt.date(2025, 11, 3), limit=2
    )
    with _source(fake, clock, query) as source:
        assert len(list(source.papers())) == 2
    assert fake.params("/api/query")[0]["max_results"] == "2"
    assert source.cursor_date() == dt.date(2025, 11, 2)  # --since-last goes on from there


def test_open_ended_range_runs_to_today(fake: FakeArxiv, clock: FakeClock) -> None:
    query = ArxivQuery("cat:cs.LG", start=dt.date(2025, 11, 4))
    expected = "(cat:cs.LG) AND submittedDate:[202511040000 TO 202511052359]"
    assert query.search_query(TODAY) == expected
    assert (
        ArxivQuery("x", end=dt.date(2025, 1, 2))
        .search_query(TODAY)
        .endswith("[199101010000 TO 202501022359]")
    )
    with pytest.raises(UsageError, match="in the future"):
        ArxivSource(ArxivQuery("x", start=dt.date(2025, 11, 6)), clock=clock)


def test_cap_message_suggests_a_range_size(fake: FakeArxiv, clock: FakeClock) -> None:
    fake.route(
        "(cat:cs.LG) AND submittedDate:[202501010000 TO 202501302359]",
        atom_feed(ENTRIES[:1], total=90_000, start=0),
    )
    query = ArxivQuery("cat:cs.LG", dt.date(2025, 1, 1), dt.date(2025, 1, 30))
    with _source(fake, clock, query) as source, pytest.raises(UsageError) as caught:
        list(source.papers())
    assert "split --from 2025-01-01 --to 2025-01-30 into ranges of at most ~10 days" in str(
        caught.value
    )


def test_an_empty_page_before_the_total_is_retried_then_reported(
    fake: FakeArxiv, clock: FakeClock
) -> None:
    fake.route("ti:x", atom_feed(ENTRIES[:2], total=3, start=0))
    fake.route("ti:x", atom_feed(ENTRIES[2:], total=3, start=2), start=2)
    hiccup = atom_feed([], total=3, start=2)
    with _source(fake, clock, ArxivQuery("ti:x", page_size=2)) as source:
        papers = source.papers()
        assert [next(papers).paper_id, next(papers).paper_id] == ["2511.00001", "2511.00002"]
        fake.fail_next(200, body=hiccup)
        assert [p.paper_id for p in papers] == ["2511.00003"]
    assert len(clock.sleeps) >= 1 and len(fake.requests) == 3

    fake.requests.clear()
    with _source(fake, clock, ArxivQuery("ti:x", page_size=2)) as source:
        papers = source.papers()
        next(papers), next(papers)
        fake.fail_next(200, body=hiccup, times=10)
        with pytest.raises(SourceError, match="empty page at result 2 of 3"):
            list(papers)
    assert len(fake.requests) == 1 + 6  # the first page, then the empty one and five retries


def test_wrong_api_url_is_a_one_line_refusal(fake: FakeArxiv, clock: FakeClock) -> None:
    source = ArxivSource(ArxivQuery("x"), api_url=fake.url + "/nope", clock=clock)
    with source, pytest.raises(SourceError) as caught:
        list(source.papers())
    assert str(caught.value) == (
        "arXiv API refused the request: HTTP 404 Not Found; is --api-url right?"
    )


def test_bad_options_are_usage_errors() -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"query": "  "}, "--query is empty"),
        ({"query": "x", "start": dt.date(2025, 2, 1), "end": dt.date(2025, 1, 1)}, "after --to"),
        ({"query": "x", "page_size": 2001}, "--page-size"),
        ({"query": "x", "limit": 30_001}, "--max"),
    ]
    for kwargs, message in cases:
        with pytest.raises(UsageError, match=message):
            ArxivQuery(**kwargs)


def test_the_user_agent_carries_the_contact_from_the_environment(
    fake: FakeArxiv, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARVESTER_CONTACT", "https://lab.example.org/harvest")
    fake.route("x", atom_feed([], total=0, start=0))
    with _source(fake, clock, ArxivQuery("x")) as source:
        assert list(source.papers()) == []
    assert fake.requests[0].user_agent.endswith("; +https://lab.example.org/harvest)")
    with pytest.raises(UsageError, match="--contact takes"):
        _source(fake, clock, ArxivQuery("x"), contact="me\r\nX-Injected: 1")
