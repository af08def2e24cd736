"""The live Hugging Face source against a fake Hub on 127.0.0.1 serving the real archived
``/api/daily_papers`` days (paged), and a few hand-written items for the shapes and edges."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from harvester import links
from harvester.errors import SourceError, UsageError
from harvester.sources.files import read_inputs
from harvester.sources.live.hf_api import HfQuery, HfSource
from tests.conftest import HF_DAYS
from tests.fakesources import FakeClock, FakeHF

D = dt.date


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeHF]:
    with FakeHF(clock=clock.now, days_dir=HF_DAYS, search_days=("2025-09-17",)) as server:
        yield server


def _read(fake: FakeHF, clock: FakeClock, query: HfQuery) -> tuple[HfSource, list[Any]]:
    with HfSource(query, api_url=fake.url, clock=clock) as source:
        return source, list(source.papers())


def _day(day: str) -> HfQuery:
    return HfQuery(days=(D.fromisoformat(day), D.fromisoformat(day)), page_size=5)


@pytest.mark.shared
@pytest.mark.parametrize("day", ["2025-09-17", "2025-01-10", "2024-12-20"])
def test_a_real_day_read_page_by_page_equals_the_saved_file(
    fake: FakeHF, clock: FakeClock, day: str
) -> None:
    """Plain objects, the wrapper and Python-repr items: live, paged, as from the saved file."""
    saved = list(read_inputs([str(HF_DAYS / f"{day}.json.gz")]))
    source, papers = _read(fake, clock, _day(day))
    sent = fake.params("/api/daily_papers")
    assert [r["p"] for r in sent] == [str(p) for p in range(len(saved) // 5 + 1)]
    assert {(r["date"], r["limit"]) for r in sent} == {(day, "5")}
    assert [p.paper_id for p in papers] == [p.paper_id for p in saved]
    asked = D.fromisoformat(day)
    for live, filed in zip(papers, saved, strict=True):  # only undated items get the day asked
        assert live == (filed if filed.listed_on else dataclasses.replace(filed, listed_on=asked))
    assert source.cursor_key == "" and source.cursor_date() == D.fromisoformat(day)
    assert fake.connections == 1
    assert all(b.at - a.at >= 0.5 for a, b in itertools.pairwise(fake.requests))


@pytest.mark.shared
def test_a_range_reads_each_day_oldest_first(fake: FakeHF, clock: FakeClock) -> None:
    query = HfQuery(days=(D(2025, 9, 13), D(2025, 9, 16)), page_size=100)
    source, papers = _read(fake, clock, query)
    assert [r["date"] for r in fake.params("/api/daily_papers")] == [
        "2025-09-13",  # a Saturday: no listing, an empty page
        "2025-09-14",
        "2025-09-15",
        "2025-09-16",
    ]
    assert len(papers) == 12 + 13
    assert source.cursor_date() == D(2025, 9, 16)


@pytest.mark.shared
def test_week_and_month(fake: FakeHF, clock: FakeClock) -> None:
    week_days = [f"2025-09-{d}" for d in range(15, 22)]
    expected = {
        p.paper_id for p in read_inputs([str(HF_DAYS / f"{d}.json.gz") for d in week_days[:5]])
    }
    source, papers = _read(fake, clock, HfQuery(week="2025-W38", page_size=20))
    assert {p.paper_id for p in papers} == expected
    assert {r["week"] for r in fake.params("/api/daily_papers")} == {"2025-W38"}
    assert source.cursor_date() == D(2025, 9, 19)
    assert source.first_day == D(2025, 9, 15)
    source, papers = _read(fake, clock, HfQuery(month="2025-09"))
    assert len(papers) == 347  # the September 2025 count the README shows for the same files
    assert source.cursor_date() == D(2025, 9, 30)
    assert source.first_day == D(2025, 9, 1)


@pytest.mark.shared
def test_search_has_no_cursor(fake: FakeHF, clock: FakeClock) -> None:
    source, papers = _read(fake, clock, HfQuery(search="  Agent  "))
    assert fake.params("/api/papers/search")[0]["q"] == "Agent"
    assert papers and all("agent" in (p.title or "").lower() for p in papers)
    assert source.cursor_key is None and source.cursor_date() is None and source.first_day is None


ITEMS = [
    {
        "paper": {
            "id": "2511.00001v2",
            "title": "Nested\n repo",
            "githubRepo": "https://github.com/Org/Nested\n",
            "githubStars": 12,
            "upvotes": 3,
            "projectPage": "https://org.github.io/nested",
            "organization": {"name": "org", "fullname": "The Org"},
        },
        "publishedAt": "2025-11-02T10:00:00.000Z",
    },
    {"paper": {"id": "2511.00002", "title": "Top level"}, "githubRepo": {"url": "github.com/o/t"}},
]


def test_repo_hints_in_both_shapes_become_mentions(clock: FakeClock) -> None:
    with FakeHF(clock=clock.now, days={"2025-11-03": ITEMS}) as fake:
        _, papers = _read(fake, clock, _day("2025-11-03"))
    nested = papers[0]
    assert (nested.paper_id, nested.title, nested.hf_github_stars, nested.upvotes) == (
        "2511.00001",
        "Nested repo",
        12,
        3,
    )
    assert (nested.project_page, nested.organization, nested.listed_on) == (
        "https://org.github.io/nested",
        "The Org",
        D(2025, 11, 3),
    )
    found = {(m.paper_id, m.repo, m.source_field) for p in papers for m in links.mentions_for(p)}
    assert ("2511.00001", "Org/Nested", "hf_github_repo") in found
    assert ("2511.00002", "o/t", "hf_github_repo") in found


def test_paging_stops_when_a_page_brings_nothing_new(clock: FakeClock) -> None:
    items = [{"paper": {"id": f"2511.0000{i}", "title": f"P{i}"}} for i in (1, 2, 3, 3)]
    with FakeHF(clock=clock.now, days={"2025-11-03": items}, ignore_paging=True) as fake:
        _, papers = _read(fake, clock, HfQuery(days=(D(2025, 11, 3),) * 2, page_size=4))
    assert [p.paper_id for p in papers] == ["2511.00001", "2511.00002", "2511.00003"]
    assert [r["p"] for r in fake.params("/api/daily_papers")] == ["0", "1"]


def test_refusals_carry_the_hubs_message(clock: FakeClock) -> None:
    with FakeHF(clock=clock.now) as fake:
        fake.fail_next(400, body=json.dumps({"error": '"date" must be a valid date'}).encode())
        with pytest.raises(SourceError) as caught:
            _read(fake, clock, _day("2025-11-03"))
        assert str(caught.value) == (
            'Hugging Face API refused the request: "date" must be a valid date (HTTP 400)'
        )
        fake.fail_next(200, body=b"<html>maintenance</html>")
        with pytest.raises(SourceError, match="not JSON"):
            _read(fake, clock, _day("2025-11-03"))
        wrong = HfSource(_day("2025-11-03"), api_url=fake.url + "/x", clock=clock)
        with wrong, pytest.raises(SourceError, match=r"Not Found \(HTTP 404\); is --api-url"):
            list(wrong.papers())
        assert len(fake.requests) == 3 and clock.sleeps == []  # none of these is retried


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"week": "2025-W54"}, "ISO week"),
        ({"week": "2025-48"}, "ISO week"),
        ({"month": "2025-13"}, "month such as"),
        ({"month": "2025-11", "search": "x"}, "one of"),
        ({}, "one of"),
        ({"days": (D(2025, 11, 2), D(2025, 11, 1))}, "after --to"),
        ({"search": " "}, "empty"),
        ({"search": "x", "page_size": 101}, "--page-size"),
    ],
)
def test_bad_options_are_usage_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        HfQuery(**kwargs)


def test_an_open_range_ends_today_utc(clock: FakeClock) -> None:
    with FakeHF(clock=clock.now, days={"2025-11-04": ITEMS[1:]}) as fake:
        source, papers = _read(fake, clock, HfQuery(days=(D(2025, 11, 3), None)))
    assert [r["date"] for r in fake.params("/api/daily_papers")] == [
        "2025-11-03",
        "2025-11-04",
        "2025-11-05",  # the fake clock's today
    ]
    assert [p.paper_id for p in papers] == ["2511.00002"]
    assert source.cursor_date() == D(2025, 11, 4)
    with pytest.raises(UsageError, match="in the future"):
        HfSource(HfQuery(days=(D(2025, 11, 6), None)), clock=clock)


def test_the_user_agent_carries_the_contact(clock: FakeClock) -> None:
    with FakeHF(clock=clock.now) as fake:
        with HfSource(_day("2025-11-03"), api_url=fake.url, clock=clock, contact="me@lab.org") as s:
            list(s.papers())
        assert fake.requests[0].user_agent.endswith("(paper-to-code harvester; +me@lab.org)")
