"""``harvester harvest arxiv`` / ``harvest hf`` through the real CLI, against fake arXiv and
Hugging Face servers on 127.0.0.1 (real recorded/archived responses) and the fake GitHub; time
comes from a fake clock, so arXiv's 3 s spacing and every retry wait cost nothing."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import socket
from collections.abc import Iterator

import pytest

from harvester import errors
from harvester.sources.files import read_inputs
from tests.cli.conftest import Cli
from tests.conftest import FIXTURES, HF_DAYS
from tests.fakesources import FakeArxiv, FakeClock, FakeHF, atom_feed, load_recording

RECORDED = FIXTURES / "arxiv" / "arxiv-package"


pytestmark = pytest.mark.usefixtures("clock")  # the web seam on a fake clock (conftest)


@pytest.fixture
def arxiv(clock: FakeClock) -> Iterator[FakeArxiv]:
    with FakeArxiv(clock=clock.now) as server:
        if RECORDED.is_dir():
            server.add_recordings(RECORDED)
        yield server


@pytest.fixture
def hf(clock: FakeClock) -> Iterator[FakeHF]:
    with FakeHF(clock=clock.now, days_dir=HF_DAYS) as server:
        yield server


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# -- arXiv --------------------------------------------------------------------------------------


@pytest.mark.shared
def test_arxiv_recorded_pages_into_the_database_with_stats(cli: Cli, arxiv: FakeArxiv) -> None:
    args = ("harvest", "arxiv", "--query", "testing", "--max", "50", "--page-size", "10")
    out = cli(*args, "--api-url", arxiv.url)
    assert out.code == 0, out.stderr
    assert out.stdout.startswith("50 papers read (50 new)")
    assert cli.one("SELECT count(*) FROM papers WHERE source = 'arxiv'") == 50
    assert cli.rows(
        "SELECT m.source_field, n.status FROM mentions m JOIN repo_names n USING (repo_name)"
        " WHERE m.paper_id = '1706.00679'"
    ) == [("comment", "ok")]
    assert cli.rows("SELECT paper_id FROM papers WHERE paper_id LIKE '2409.05654%'") == [
        ("2409.05654",)
    ]
    times = [r.at for r in arxiv.requests]
    assert len(times) == 5 and all(b - a >= 3.0 for a, b in itertools.pairwise(times))
    assert arxiv.connections == 1
    # newest first and cut short by --max: older papers unread, so --since-last has no start
    assert cli.rows("SELECT * FROM source_cursors") == []

    again = cli(*args, "--api-url", arxiv.url)
    assert again.code == 0 and again.stdout.startswith("50 papers read (0 new), 0 new")
    assert cli.one("SELECT count(*) FROM papers") == 50


@pytest.mark.shared
def test_arxiv_over_30000_results_stores_nothing(cli: Cli, arxiv: FakeArxiv) -> None:
    out = cli("harvest", "arxiv", "-q", "testing", "--page-size", "10", "--api-url", arxiv.url)
    assert out.code == errors.EXIT_USAGE
    line = _one_line(out.stderr)
    assert "214,881 papers" in line and "at most 30,000 per query" in line
    assert cli.one("SELECT count(*) FROM papers") == 0
    assert cli.rows("SELECT status FROM runs") == [("failed",)]


@pytest.mark.shared
def test_arxiv_malformed_query_is_one_line_exit_5(cli: Cli, arxiv: FakeArxiv) -> None:
    bad = next(RECORDED.glob("id_abc_*.json"))
    arxiv.route("ti:(", load_recording(bad).body, status=400)
    out = cli("harvest", "arxiv", "-q", "ti:(", "--api-url", arxiv.url, "--no-stats")
    assert out.code == errors.EXIT_REMOTE
    assert _one_line(out.stderr) == (
        "harvester: error: arXiv API error: incorrect id format for abc (HTTP 400)"
    )


def _range(first: str, last: str) -> str:
    return f"(cat:cs.LG) AND submittedDate:[{first}0000 TO {last}2359]"


def test_arxiv_since_last_continues_and_a_failed_run_skips_nothing(
    cli: Cli, arxiv: FakeArxiv, clock: FakeClock
) -> None:
    run = ("harvest", "arxiv", "-q", " cat:cs.LG ", "--api-url", arxiv.url, "--no-stats")
    first = cli(*run, "--since-last")
    assert first.code == errors.EXIT_USAGE and "give --from DATE" in _one_line(first.stderr)

    a = ("2511.00001v1", "A", "2025-11-01", "Code: https://github.com/lab/a.")
    b = ("2511.00002v1", "B", "2025-11-03", None)
    c = ("2511.00003v2", "C", "2025-11-05", None)
    arxiv.route(_range("20251101", "20251105"), atom_feed([a, b], total=2, start=0))
    out = cli(*run, "--since-last", "--from", "2025-11-01")
    assert out.code == 0, out.stderr
    assert "up to 2025-11-03; --since-last continues from there" in out.stderr
    assert cli.rows("SELECT source, query, newest_date FROM source_cursors") == [
        ("arxiv", "cat:cs.LG", dt.date(2025, 11, 3))
    ]
    assert cli.rows("SELECT repo_name, source_field FROM mentions") == [("lab/a", "comment")]

    clock.day = dt.date(2025, 11, 6)  # the next day's cron run reads the last day again
    arxiv.route(_range("20251103", "20251106"), atom_feed([b, c], total=2, start=0))
    out = cli(*run, "--since-last", "--from", "2025-01-01")  # --from only starts a first run
    assert out.code == 0, out.stderr
    assert "continues from 2025-11-03" in out.stderr
    assert out.stdout.startswith("2 papers read (1 new)")
    assert cli.one("SELECT newest_date FROM source_cursors") == dt.date(2025, 11, 5)

    clock.day = dt.date(2025, 11, 7)  # arXiv fails half-way: nothing committed, cursor kept
    d = ("2511.00004v1", "D", "2025-11-06", None)
    e = ("2511.00005v1", "E", "2025-11-07", None)
    arxiv.route(_range("20251105", "20251107"), atom_feed([c, d], total=3, start=0))
    arxiv.route(_range("20251105", "20251107"), b"", start=2, status=503)
    out = cli(*run, "--since-last", "--page-size", "2")
    assert out.code == errors.EXIT_REMOTE
    assert "kept failing (HTTP 503 Service Unavailable; 6 attempts)" in out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 3
    assert cli.one("SELECT newest_date FROM source_cursors") == dt.date(2025, 11, 5)
    assert cli.rows("SELECT status FROM runs ORDER BY run_id DESC LIMIT 1") == [("failed",)]

    arxiv.route(_range("20251105", "20251107"), atom_feed([e], total=3, start=2), start=2)
    out = cli(*run, "--since-last", "--page-size", "2")
    assert out.code == 0, out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 5
    assert cli.one("SELECT newest_date FROM source_cursors") == dt.date(2025, 11, 7)
    late = cli(*run, "--since-last", "--to", "2025-11-06")
    assert late.code == errors.EXIT_USAGE
    assert "continues from 2025-11-07, after --to 2025-11-06" in _one_line(late.stderr)
    status = cli("status")
    assert "--since-last arxiv 'cat:cs.LG'  2025-11-07" in status.stdout


# -- Hugging Face -------------------------------------------------------------------------------


def _files(*days: str) -> list[str]:
    return [str(HF_DAYS / f"{day}.json.gz") for day in days]


@pytest.mark.shared
def test_hf_day_then_since_last(cli: Cli, hf: FakeHF, clock: FakeClock) -> None:
    out = cli("harvest", "hf", "--date", "2025-09-17", "--page-size", "5", "--api-url", hf.url)
    assert out.code == 0, out.stderr
    saved = list(read_inputs(_files("2025-09-17")))
    assert out.stdout.startswith(f"{len(saved)} papers read ({len(saved)} new)")
    hinted = {p.paper_id for p in saved if p.hf_github_repo}
    assert (
        hinted
        and {
            r[0]
            for r in cli.rows("SELECT paper_id FROM mentions WHERE source_field = 'hf_github_repo'")
        }
        == hinted
    )
    assert cli.one("SELECT count(*) FROM repo_names WHERE status = 'ok'") > 0
    assert cli.rows("SELECT DISTINCT listed_on FROM papers") == [(dt.date(2025, 9, 17),)]

    clock.day = dt.date(2025, 9, 19)
    out = cli("harvest", "hf", "--since-last", "--api-url", hf.url, "--no-stats")
    assert out.code == 0, out.stderr
    assert [r["date"] for r in hf.params("/api/daily_papers")][-3:] == [
        "2025-09-17",
        "2025-09-18",
        "2025-09-19",
    ]
    every = {p.paper_id for p in read_inputs(_files("2025-09-17", "2025-09-18", "2025-09-19"))}
    assert cli.one("SELECT count(*) FROM papers") == len(every)
    assert cli.rows("SELECT source, query, newest_date FROM source_cursors") == [
        ("hf_daily", "", dt.date(2025, 9, 19))
    ]

    # a one-off later day leaves a gap (09-20 .. 09-22 unread): the cursor does not jump it
    out = cli("harvest", "hf", "--date", "2025-09-23", "--api-url", hf.url, "--no-stats")
    assert out.code == 0, out.stderr
    assert "--since-last still continues from 2025-09-19, to fill the gap" in out.stderr
    assert cli.one("SELECT newest_date FROM source_cursors") == dt.date(2025, 9, 19)


def test_hf_waits_as_asked_and_says_so(cli: Cli, clock: FakeClock) -> None:
    item = {"paper": {"id": "2511.00001", "title": "T", "githubRepo": "https://github.com/o/r"}}
    with FakeHF(clock=clock.now, days={"2025-11-03": [item]}) as hf:
        hf.fail_next(429, headers=[("Retry-After", "2")])
        out = cli("harvest", "hf", "--date", "2025-11-03", "--api-url", hf.url, "--no-stats")
    assert out.code == 0, out.stderr
    assert "Hugging Face API: HTTP 429 Too Many Requests; retry 1 of 5: waiting 2s" in out.stderr
    assert 2.0 in clock.sleeps
    assert cli.rows("SELECT repo_name, source_field FROM mentions") == [("o/r", "hf_github_repo")]


def test_hf_refusal_is_one_line_exit_5(cli: Cli, clock: FakeClock) -> None:
    with FakeHF(clock=clock.now) as hf:
        hf.fail_next(400, body=json.dumps({"error": "Invalid month"}).encode())
        out = cli("harvest", "hf", "--month", "2025-11", "--api-url", hf.url, "--no-stats")
    assert out.code == errors.EXIT_REMOTE
    assert _one_line(out.stderr) == (
        "harvester: error: Hugging Face API refused the request: Invalid month (HTTP 400)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hf"], "say what to read"),
        (["hf", "--date", "2025-11-03", "--week", "2025-W45"], "--date and --week cannot"),
        (["hf", "--month", "2025-11", "--since-last"], "cannot be combined"),
        (["hf", "--to", "2025-11-03"], "--to needs --from"),
        (["hf", "--week", "2025-45"], "ISO week"),
        (["hf", "--date", "2025-11-03", "--api-url", "ftp://x"], "--api-url must be an http"),
        (["arxiv", "-q", "x", "--from", "2025-11-09"], "in the future"),
        (["arxiv", "-q", "x", "--from", "2025-11-02", "--to", "2025-11-01"], "after --to"),
    ],
)
def test_bad_live_options_are_usage_errors(
    cli: Cli, clock: FakeClock, args: list[str], message: str
) -> None:
    out = cli("harvest", *args)
    assert out.code == errors.EXIT_USAGE, out.stderr
    assert message in _one_line(out.stderr)
    assert not cli.db.exists()


def test_unreachable_source_is_retried_then_reported(cli: Cli, clock: FakeClock) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    out = cli("harvest", "hf", "--date", "2025-11-03", "--api-url", dead, "--no-stats")
    assert out.code == errors.EXIT_REMOTE
    assert "kept failing (ConnectError" in out.stderr.strip().splitlines()[-1]
    assert "check --api-url" in out.stderr
    assert len(clock.sleeps) == 5  # the retries waited (on the fake clock)


def test_harvest_help_lists_the_live_sources(cli: Cli) -> None:
    out = cli("harvest", "--help", db=False, github=False)
    assert out.code == 0
    assert "arxiv" in out.stdout and "hf" in out.stdout and "files --help" in out.stdout
