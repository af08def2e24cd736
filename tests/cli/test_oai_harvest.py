"""``harvester harvest arxiv-oai`` through the real CLI against the fake OAI-PMH endpoint
(tests/fakeoai.py) and the fake GitHub: the papers' new fields, ``--since-last`` by datestamp,
and an interrupted list resumed from its last committed page. Time is a fake clock."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harvester import errors, harvest
from harvester.sources.live.oai import OaiSource
from tests.cli.conftest import Cli
from tests.fakeoai import FakeOai, FakeRecord, FlakyOai
from tests.fakesources import FakeClock

TODAY = dt.date(2025, 11, 5)


pytestmark = pytest.mark.usefixtures("clock")  # the web seam on a fake clock (conftest)


def _records(n: int, first_day: dt.date = dt.date(2025, 10, 1)) -> list[FakeRecord]:
    return [
        FakeRecord(
            f"2510.{i + 1:05d}",
            first_day + dt.timedelta(days=i),
            title=f"Paper {i}",
            abstract=f"We study thing {i}. Code: https://github.com/lab/repo{i}",
            created=dt.date(2024, 1, 1) + dt.timedelta(days=i),
            authors=(("Doe", "Jane", ""), ("Roe", f"Rick {i}", "Jr")),
            categories="cs.CV cs.LG" if i % 2 else "cs.CL",
            doi=f"10.1000/x{i}" if i % 3 == 0 else None,
        )
        for i in range(n)
    ]


def _run(oai: FakeOai, *more: str) -> tuple[str, ...]:
    return ("harvest", "arxiv-oai", "--set", "cs", "--api-url", oai.endpoint, "--no-stats", *more)


PAPERS = (
    "SELECT paper_id, source, title, abstract, published_at, authors, categories,"
    " primary_category, doi, license FROM papers ORDER BY paper_id"
)
MENTIONS = "SELECT paper_id, repo_name, source_field, kind FROM mentions ORDER BY ALL"


def test_a_set_is_harvested_with_its_fields_then_continued_by_datestamp(
    cli: Cli, oai: FlakyOai, clock: FakeClock
) -> None:
    oai.records = _records(7)
    out = cli(*_run(oai, "--from", "2025-10-01", "--contact", "me@example.org"))
    assert out.code == 0, out.stderr
    assert out.stdout.startswith("7 papers read (7 new), 7 new repository mentions")
    first = oai.params("/oai")
    assert first[0] == {
        "verb": "ListRecords",
        "metadataPrefix": "arXiv",
        "set": "cs",
        "from": "2025-10-01",
    }
    assert [set(p) for p in first[1:]] == [{"verb", "resumptionToken"}] * 2
    assert all("me@example.org" in r.user_agent for r in oai.requests)
    times = [r.at for r in oai.requests]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(times))
    assert cli.rows(PAPERS)[3] == (
        "2510.00004",
        "arxiv_oai",
        "Paper 3",
        "We study thing 3. Code: https://github.com/lab/repo3",
        dt.date(2024, 1, 4),  # the record's created date, not its datestamp
        ["Jane Doe", "Rick 3 Roe Jr"],
        ["cs.CV", "cs.LG"],
        "cs.CV",
        "10.1000/x3",
        "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    )
    assert cli.rows("SELECT source, query, newest_date FROM source_cursors") == [
        ("arxiv_oai", "cs", dt.date(2025, 10, 7))
    ]
    assert cli.rows("SELECT * FROM source_resume") == []
    assert "up to 2025-10-07; --since-last continues from there" in out.stderr

    # a later run asks for what changed since: an old paper updated, a new one
    oai.records = [
        *_records(7),
        FakeRecord("2510.00001", dt.date(2025, 10, 9), title="Paper 0, v2", doi="10.1000/new"),
        FakeRecord("2510.00099", dt.date(2025, 10, 8), categories="math.OC cs.SY"),
    ]
    out = cli(*_run(oai, "--since-last"))
    assert out.code == 0, out.stderr
    assert oai.params("/oai")[-1]["from"] == "2025-10-07"
    assert out.stdout.startswith("3 papers read (1 new)")
    assert cli.one("SELECT newest_date FROM source_cursors") == dt.date(2025, 10, 9)
    # the update brings its DOI; the title first stored stays; no field is nulled
    assert cli.rows("SELECT title, doi, authors FROM papers WHERE paper_id = '2510.00001'") == [
        ("Paper 0", "10.1000/new", ["Jane Doe"])
    ]


def test_an_interrupted_list_resumes_from_its_last_committed_page(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)  # commit every 2 papers (pages hold 3)
    oai.records = _records(10)
    oai.fail_from = 3  # pages 1 and 2 arrive, then arXiv fails for good
    out = cli(*_run(oai, "--from", "2025-10-01"))
    assert out.code == errors.EXIT_REMOTE, out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 6
    assert cli.rows("SELECT status FROM runs") == [("failed",)]
    assert cli.rows("SELECT * FROM source_cursors") == []  # the list is not complete
    saved = cli.rows(
        "SELECT list_request, token, list_cursor, complete_list_size FROM source_resume"
    )
    token = oai.params("/oai")[2]["resumptionToken"]  # the page that failed
    assert saved == [("verb=ListRecords&metadataPrefix=arXiv&set=cs&from=2025-10-01", token, 6, 10)]

    oai.fail_from = None
    before = len(oai.requests)
    out = cli(*_run(oai, "--from", "2025-10-01"))
    assert out.code == 0, out.stderr
    assert "resuming the interrupted list at record 6 of 10" in out.stderr
    assert oai.params("/oai")[before] == {"verb": "ListRecords", "resumptionToken": token}
    assert len(oai.requests) - before == 2  # pages 3 and 4 only
    assert out.stdout.startswith("4 papers read (4 new)")
    assert cli.rows("SELECT * FROM source_resume") == []
    assert cli.rows("SELECT newest_date FROM source_cursors") == [(dt.date(2025, 10, 10),)]

    whole = Cli(tmp_path / "whole.duckdb", cli.fake)  # the same list, uninterrupted
    assert whole(*_run(oai, "--from", "2025-10-01")).code == 0
    for sql in (PAPERS, MENTIONS, "SELECT source, query, newest_date FROM source_cursors"):
        assert cli.rows(sql) == whole.rows(sql)


def test_since_last_after_an_interrupted_first_run_resumes_and_then_moves_the_cursor(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 3)
    records = _records(8)  # records do not come in datestamp order: the newest is on page 1
    oai.records = [replace(records[0], datestamp=dt.date(2025, 10, 20)), *records[1:]]
    oai.fail_from = 2
    assert cli(*_run(oai, "--since-last", "--from", "2025-10-01")).code == errors.EXIT_REMOTE
    oai.fail_from = None
    # the cursor has not moved, so --since-last asks for the same list: it resumes
    out = cli(*_run(oai, "--since-last", "--from", "2025-10-01"))
    assert out.code == 0, out.stderr
    assert "resuming the interrupted list at record 3 of 8" in out.stderr
    # the newest datestamp read by the first run (page 1) counts, not only this run's
    assert cli.one("SELECT newest_date FROM source_cursors") == dt.date(2025, 10, 20)
    assert cli.one("SELECT count(*) FROM papers") == 8


def _interrupted(cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 9-record list interrupted on its third page: 6 papers stored, a resume point saved."""
    monkeypatch.setattr(harvest, "PAPER_BATCH", 3)
    oai.records = _records(9)
    oai.fail_from = 3
    assert cli(*_run(oai)).code == errors.EXIT_REMOTE
    assert cli.one("SELECT count(*) FROM source_resume") == 1


def test_an_expired_saved_token_starts_the_list_again_in_the_same_run(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupted(cli, oai, monkeypatch)
    oai.fail_from = None
    oai.expire()
    asked = len(oai.params("/oai"))
    out = cli(*_run(oai))
    assert out.code == 0, out.stderr
    assert "no longer accepts the saved resumption token" in out.stderr
    assert "starting the list again from its beginning" in out.stderr
    assert "resumptionToken" in oai.params("/oai")[asked]  # the saved token, refused
    assert "metadataPrefix" in oai.params("/oai")[asked + 1]  # then from the start: 3 pages
    assert len(oai.params("/oai")) == asked + 4
    assert cli.one("SELECT count(*) FROM source_resume") == 0
    assert cli.one("SELECT count(*) FROM papers") == 9  # the 6 stored before, not twice
    assert cli.one("SELECT count(*) FROM mentions") == cli.one(
        "SELECT count(*) FROM (SELECT DISTINCT * FROM mentions)"
    )


def test_a_resumed_run_that_fails_otherwise_keeps_its_resume_point(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    _interrupted(cli, oai, monkeypatch)
    saved = cli.one("SELECT token FROM source_resume")
    oai.fail_from = 0  # arXiv is down: the first request of the resumed run fails
    assert cli(*_run(oai)).code == errors.EXIT_REMOTE
    assert cli.one("SELECT token FROM source_resume") == saved
    oai.fail_from = None
    out = cli(*_run(oai))
    assert out.code == 0, out.stderr
    assert "resuming the interrupted list at record" in out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 9


def test_a_resume_point_of_another_list_is_not_used(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 3)
    oai.records = _records(9)
    oai.fail_from = 3
    assert cli(*_run(oai, "--from", "2025-10-01")).code == errors.EXIT_REMOTE
    oai.fail_from = None
    out = cli(*_run(oai, "--from", "2025-10-04"))
    assert out.code == 0, out.stderr
    assert "left a resume point; this list starts from its beginning" in out.stderr
    assert oai.params("/oai")[-2]["from"] == "2025-10-04"
    assert cli.one("SELECT count(*) FROM source_resume") == 0


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--set", "c s"), errors.EXIT_USAGE, "is not an OAI-PMH set name"),
        (("--from", "2025-10-05", "--until", "2025-10-01"), errors.EXIT_USAGE, "is after --until"),
        (("--since-last",), errors.EXIT_USAGE, "give --from DATE"),
        (("--contact", "me (at) home"), errors.EXIT_USAGE, "--contact takes an e-mail"),
    ],
)
def test_bad_options_are_one_line_errors(
    cli: Cli, oai: FlakyOai, args: tuple[str, ...], code: int, needle: str
) -> None:
    out = cli("harvest", "arxiv-oai", "--api-url", oai.endpoint, "--no-stats", *args)
    assert out.code == code
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert oai.requests == []


def test_ctrl_c_keeps_the_resume_point_of_the_last_committed_page(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 3)
    oai.records = _records(12)
    real_page = OaiSource._page
    calls: list[str | None] = []

    def page(self: OaiSource, token: str | None) -> Any:
        calls.append(token)
        if len(calls) == 4:  # Ctrl-C while waiting for page 4
            raise KeyboardInterrupt
        return real_page(self, token)

    monkeypatch.setattr(OaiSource, "_page", page)
    out = cli(*_run(oai))
    assert out.code == errors.EXIT_INTERRUPTED
    assert cli.rows("SELECT status FROM runs") == [("interrupted",)]
    assert cli.one("SELECT count(*) FROM papers") == 9
    assert cli.one("SELECT token FROM source_resume") == calls[3]

    monkeypatch.setattr(OaiSource, "_page", real_page)
    out = cli(*_run(oai))
    assert out.code == 0, out.stderr
    assert oai.params("/oai")[-1] == {"verb": "ListRecords", "resumptionToken": calls[3]}
    assert out.stdout.startswith("3 papers read (3 new)")
    assert cli.one("SELECT count(*) FROM papers") == 12
