"""The arXiv OAI-PMH source against a fake OAI-PMH endpoint on 127.0.0.1 (tests/fakeoai.py):
paging by resumptionToken, checkpoints and resuming, flow control, OAI-PMH errors."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from harvester.errors import SourceError, UsageError
from harvester.sources.files import oai as oai_xml
from harvester.sources.live.oai import RESTART_NOTE, OaiQuery, OaiSource
from tests.fakeoai import FakeOai, FakeRecord, envelope
from tests.fakesources import FakeClock

TODAY = dt.date(2025, 11, 5)


def _records(n: int, *, first_day: dt.date = dt.date(2025, 10, 1)) -> list[FakeRecord]:
    return [
        FakeRecord(
            f"2510.{i + 1:05d}",
            first_day + dt.timedelta(days=i % 20),
            title=f"Paper {i}",
            abstract=f"We study thing {i}. Code: https://github.com/lab/repo{i}",
            created=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            categories="cs.LG stat.ML" if i % 2 else "math.OC cs.SY",
        )
        for i in range(n)
    ]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(day=TODAY)


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeOai]:
    with FakeOai(clock=clock.now, page_size=4) as server:
        yield server


def _source(fake: FakeOai, clock: FakeClock, query: OaiQuery, **kw: Any) -> OaiSource:
    return OaiSource(query, api_url=fake.endpoint, clock=clock, **kw)


def test_pages_are_followed_by_token_politely(fake: FakeOai, clock: FakeClock) -> None:
    fake.records = _records(10)
    pages: list[tuple[int, int | None]] = []
    with _source(fake, clock, OaiQuery("cs"), on_page=lambda r, t: pages.append((r, t))) as src:
        papers = list(src.papers())
    assert [p.paper_id for p in papers] == [f"2510.{i:05d}" for i in range(1, 11)]
    sent = fake.params("/oai")
    assert sent[0] == {"verb": "ListRecords", "metadataPrefix": "arXiv", "set": "cs"}
    assert [set(p) for p in sent[1:]] == [{"verb", "resumptionToken"}] * 2
    assert pages == [(4, 10), (8, 10), (10, 10)]
    times = [r.at for r in fake.requests]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(times))
    assert fake.connections == 1
    assert src.complete and src.cursor_date() == dt.date(2025, 10, 10)


def test_record_fields_become_paper_fields(fake: FakeOai, clock: FakeClock) -> None:
    fake.records = [
        FakeRecord(
            "2401.04887",
            dt.date(2025, 3, 2),
            title="Deep\n  things",
            abstract="We show   it.\n Code at https://github.com/a/b.",
            created=dt.date(2024, 1, 9),
            authors=(("Smith", "John", "Jr"), ("ATLAS Collaboration", "", "")),
            categories="cs.LG cs.AI",
            comments="12 pages; code: https://github.com/a/b",
            doi="10.1000/xyz",
            journal_ref="J. Foo 1 (2025)",
        ),
        FakeRecord("hep-th/9901001", dt.date(2025, 3, 2), categories="hep-th"),
    ]
    with _source(fake, clock, OaiQuery()) as source:
        first, old = list(source.papers())
    assert first.source == "arxiv_oai"
    assert first.title == "Deep things"
    assert first.abstract == "We show it. Code at https://github.com/a/b."
    assert first.comment == "12 pages; code: https://github.com/a/b"
    assert first.published_at == dt.date(2024, 1, 9)  # created, not the datestamp
    assert first.authors == ("John Smith Jr", "ATLAS Collaboration")
    assert first.categories == ("cs.LG", "cs.AI") and first.primary_category == "cs.LG"
    assert (first.doi, first.journal_ref) == ("10.1000/xyz", "J. Foo 1 (2025)")
    assert first.license == "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
    assert first.url == "https://arxiv.org/abs/2401.04887"
    assert (old.paper_id, old.primary_category, old.doi) == ("hep-th/9901001", "hep-th", None)


def test_dates_select_by_datestamp_and_deleted_records_are_skipped(
    fake: FakeOai, clock: FakeClock
) -> None:
    fake.records = [
        *_records(6),
        FakeRecord("2510.09999", dt.date(2025, 10, 3), deleted=True),
    ]
    query = OaiQuery("cs", dt.date(2025, 10, 2), dt.date(2025, 10, 4))
    with _source(fake, clock, query) as source:
        ids = [p.paper_id for p in source.papers()]
    assert fake.params("/oai")[0] == {
        "verb": "ListRecords",
        "metadataPrefix": "arXiv",
        "set": "cs",
        "from": "2025-10-02",
        "until": "2025-10-04",
    }
    assert ids == ["2510.00002", "2510.00003", "2510.00004"]
    assert source.deleted == 1


def test_no_records_match_is_an_empty_harvest(fake: FakeOai, clock: FakeClock) -> None:
    fake.records = _records(3)
    with _source(fake, clock, OaiQuery("math", dt.date(2020, 1, 1), dt.date(2020, 1, 2))) as src:
        assert list(src.papers()) == []
    assert src.complete and src.cursor_date() is None


def test_checkpoints_let_an_interrupted_run_resume_from_the_last_committed_page(
    fake: FakeOai, clock: FakeClock
) -> None:
    fake.records = _records(10)
    source = _source(fake, clock, OaiQuery("cs"))
    papers = source.papers()
    first = [next(papers) for _ in range(6)]  # page 1 and half of page 2 read, then a crash
    source.close()
    assert source.checkpoint(3) is None  # page 1 not fully committed: restart from the start
    point = source.checkpoint(6)
    assert point is not None and (point.read, point.cursor, point.complete_list_size) == (4, 4, 10)
    with _source(fake, clock, OaiQuery("cs"), resume_from=point.token) as again:
        rest = list(again.papers())
    assert fake.params("/oai")[-2] == {"verb": "ListRecords", "resumptionToken": point.token}
    assert [p.paper_id for p in first[:4] + rest] == [f"2510.{i:05d}" for i in range(1, 11)]
    assert again.cursor_date() is None  # a resumed run did not see the whole list's datestamps


def test_an_expired_saved_token_starts_the_list_again_and_says_so(
    fake: FakeOai, clock: FakeClock
) -> None:
    fake.records = _records(10)
    notes: list[str] = []
    query = OaiQuery("cs", start=dt.date(2025, 10, 1))
    with _source(fake, clock, query, resume_from="123|1001", on_restart=notes.append) as source:
        papers = list(source.papers())
    assert [p.paper_id for p in papers] == [f"2510.{i:05d}" for i in range(1, 11)]
    assert fake.params("/oai")[0] == {"verb": "ListRecords", "resumptionToken": "123|1001"}
    assert fake.params("/oai")[1] == {k: str(v) for k, v in query.params().items()}
    assert source.restarted and source.complete
    assert source.cursor_date() is not None  # this run read the whole list
    assert notes == [RESTART_NOTE.format(message="Token is invalid or expired")]


def test_a_token_refused_in_the_middle_of_a_list_is_an_error(
    fake: FakeOai, clock: FakeClock
) -> None:
    fake.records = _records(10)
    notes: list[str] = []
    with _source(fake, clock, OaiQuery("cs"), on_restart=notes.append) as source:
        papers = source.papers()
        first = [next(papers) for _ in range(4)]  # the first page
        fake.expire()
        with pytest.raises(SourceError) as caught:
            list(papers)
    message = str(caught.value)
    assert "no longer accepts its token" in message and "run the same command again" in message
    assert "\n" not in message and not notes and len(first) == 4


def test_503_with_retry_after_is_waited_out(fake: FakeOai, clock: FakeClock) -> None:
    fake.records = _records(5)
    fake.fail_next(503, times=2, headers=[("Retry-After", "20")], body=b"busy")
    waits: list[float] = []
    with _source(fake, clock, OaiQuery(), on_wait=lambda s, _why: waits.append(s)) as source:
        assert len(list(source.papers())) == 5
    assert waits == [20.0, 20.0]
    times = [r.at for r in fake.requests]
    assert times[1] - times[0] >= 20 and times[2] - times[1] >= 20


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"set": "cs AND 1"}, "not an OAI-PMH set name"),
        ({"set": ""}, "not an OAI-PMH set name"),
        ({"start": dt.date(2025, 2, 1), "end": dt.date(2025, 1, 1)}, "is after --until"),
    ],
)
def test_bad_options_are_usage_errors(kwargs: dict[str, Any], needle: str) -> None:
    with pytest.raises(UsageError, match=needle):
        OaiQuery(**kwargs)


def test_from_in_the_future_is_refused(fake: FakeOai, clock: FakeClock) -> None:
    with pytest.raises(UsageError, match="in the future"):
        _source(fake, clock, OaiQuery(start=TODAY + dt.timedelta(days=1)))
    assert fake.requests == []


def test_unknown_set_is_a_source_error_with_arxivs_message(fake: FakeOai, clock: FakeClock) -> None:
    source = _source(fake, clock, OaiQuery("chemistry"))
    with source, pytest.raises(SourceError, match="Set chemistry is not supported"):
        list(source.papers())


def test_wrong_endpoint_is_a_one_line_refusal(fake: FakeOai, clock: FakeClock) -> None:
    source = OaiSource(OaiQuery(), api_url=fake.url + "/nope", clock=clock)
    with source, pytest.raises(SourceError, match=r"HTTP 404 .*OAI-PMH endpoint itself"):
        list(source.papers())


def test_parser_refuses_dtds_and_reads_errors() -> None:
    with pytest.raises(oai_xml.InputError, match="DTD"):
        oai_xml.parse_list_records(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    body = envelope('<error code="badArgument">Illegal date</error>', {"verb": "ListRecords"})
    with pytest.raises(oai_xml.OaiError) as caught:
        oai_xml.parse_list_records(body)
    assert (caught.value.code, caught.value.message) == ("badArgument", "Illegal date")
