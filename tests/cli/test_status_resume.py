"""``harvester status`` on a database with an unfinished OAI-PMH list: which list, how far, when it
last moved and the command that resumes it -- a command the test then runs, through the CLI
against the fake OAI-PMH endpoint on a fake clock."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester import errors, harvest
from harvester.status import RESUME_NOTE, resume_rows
from harvester.store import ResumePoint
from tests.cli.conftest import Cli
from tests.fakeoai import FakeRecord, FlakyOai
from tests.fakesources import FakeClock

LIST = "unfinished OAI-PMH list"


pytestmark = pytest.mark.usefixtures("clock")  # the web seam on a fake clock (conftest)


@pytest.fixture
def oai(clock: FakeClock) -> Iterator[FlakyOai]:
    with FlakyOai(clock=clock.now, page_size=3) as server:
        server.records = [
            FakeRecord(f"2510.{i + 1:05d}", dt.date(2025, 10, 1) + dt.timedelta(days=i))
            for i in range(10)
        ]
        yield server


def _status(cli: Cli, *args: str) -> dict[str, str]:
    out = cli("status", "--offline", "--format", "json", *args)
    assert out.code == 0, out.stderr
    return {row["item"]: row["value"] for row in json.loads(out.stdout)}


def _interrupt(cli: Cli, oai: FlakyOai, *args: str) -> None:
    oai.fail_from = 3  # pages 1 and 2 arrive (6 records, committed 2 by 2), then arXiv fails
    out = cli("harvest", "arxiv-oai", "--api-url", oai.endpoint, "--no-stats", *args)
    assert out.code == errors.EXIT_REMOTE, out.stderr
    oai.fail_from = None


def test_status_shows_an_unfinished_list_and_the_command_that_resumes_it(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harvest, "PAPER_BATCH", 2)
    _interrupt(cli, oai, "--set", "cs", "--from", "2025-10-01", "--until", "2025-10-31")

    rows = _status(cli)
    [moved] = cli.rows("SELECT updated_at FROM source_resume")
    assert isinstance(moved[0], dt.datetime)
    assert re.fullmatch(
        "from 2025-10-01 until 2025-10-31: 6 of 10 records read \\(60%\\), last advanced "
        f"{moved[0].astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC \\([0-9.]+s ago\\)",
        rows[f"{LIST} (set cs)"],
    ), rows[f"{LIST} (set cs)"]
    command = rows[f"{LIST} (set cs): resume with"]
    assert command == (
        "harvester harvest arxiv-oai --set cs --from 2025-10-01 --until 2025-10-31 "
        f"--db {shlex.quote(str(cli.db))}"
    )
    assert rows[f"{LIST}: note"] == RESUME_NOTE
    table = cli("status", "--offline").stdout
    assert "6 of 10 records read (60%)" in table and command in table

    # the command shown is the one that resumes the list (the fake endpoint added)
    argv = shlex.split(command)[1:]
    out = cli(*argv, "--api-url", oai.endpoint, "--no-stats", db=False)
    assert out.code == 0, out.stderr
    assert "resuming the interrupted list at record 6 of 10" in out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 10
    assert not any(item.startswith(LIST) for item in _status(cli))


def test_an_expired_token_is_what_the_note_says(
    cli: Cli, oai: FlakyOai, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note's account of an expired token, checked against what ``harvest`` does."""
    monkeypatch.setattr(harvest, "PAPER_BATCH", 3)
    _interrupt(cli, oai)  # all of arXiv: no --set
    rows = _status(cli)
    assert rows[f"{LIST} (all sets)"].startswith("from the start until now: 6 of 10 records read")
    assert rows[f"{LIST} (all sets): resume with"].startswith("harvester harvest arxiv-oai --db ")
    oai.expire()
    out = cli("harvest", "arxiv-oai", "--api-url", oai.endpoint, "--no-stats")
    assert out.code == 0, out.stderr
    assert "no longer accepts the saved resumption token" in out.stderr  # "that command says so"
    assert "metadataPrefix" in oai.params("/oai")[-4]  # "and reads the list again from its start"
    assert not any(item.startswith(LIST) for item in _status(cli))
    assert cli.one("SELECT count(*) FROM papers") == 10  # "stored papers stay" (not twice)
    assert "says so" in RESUME_NOTE and "from its start" in RESUME_NOTE


def _point(
    request: str, cursor: int | None, size: int | None
) -> tuple[str, str, ResumePoint, dt.datetime]:
    point = ResumePoint(request, "tok", cursor, size)
    return ("arxiv_oai", "math", point, dt.datetime(2025, 11, 5, 9, 30, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("cursor", "size", "far"),
    [
        (None, 1000, "records read so far: not said by the server, of 1,000"),
        (2000, None, "2,000 records read (the server did not say how many in all)"),
        (None, None, "records read so far: not said by the server"),
    ],
)
def test_what_the_server_did_not_say_is_said_so(
    cursor: int | None, size: int | None, far: str
) -> None:
    request = "verb=ListRecords&metadataPrefix=arXiv&set=math&from=2025-01-02"
    points = [_point(request, cursor, size)]
    now = dt.datetime(2025, 11, 8, 10, 0, tzinfo=dt.UTC)
    rows = dict(resume_rows(points, db=Path("harvest.duckdb"), now=now))
    assert rows[f"{LIST} (set math)"] == (
        f"from 2025-01-02 until now: {far}, last advanced 2025-11-05 09:30 UTC (3 days ago)"
    )
    later = dict(resume_rows(points, db=Path("harvest.duckdb"), now=now - dt.timedelta(days=2)))
    assert later[f"{LIST} (set math)"].endswith("09:30 UTC (24.5h ago)")
    # the default database is not named in the command
    assert rows[f"{LIST} (set math): resume with"] == (
        "harvester harvest arxiv-oai --set math --from 2025-01-02"
    )


def test_no_unfinished_list_no_rows() -> None:
    assert resume_rows([], db=Path("x.duckdb")) == []
