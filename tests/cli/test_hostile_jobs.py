"""Issue 15, what a job reads and whom it talks to: CSV, surrogates, the job lock, redirects,
tokens, impossible URLs and files, status after a SIGKILL, plain-text paper ids.

Each test names its item of the issue and failed before its fix. Every failure is one line on
stderr with a documented exit code, and what was stored before is still there.
"""

from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from tests.cli.conftest import TOKEN, Cli
from tests.cli.hostile import GOOD, intact, one_line

# -- 2: malformed CSV --------------------------------------------------------------------------


def test_csv_with_an_unterminated_quote_is_refused_with_its_line(
    one_paper: Cli, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,title,url\n"
        '2501.30002,"unterminated title,https://github.com/quote/repo\n'
        "2501.30003,Normal title,https://github.com/normal/repo\n"
    )
    out = one_paper("harvest", str(bad))
    assert out.code == errors.EXIT_INPUT, out.stderr
    line = one_line(out.stderr)
    assert "bad.csv" in line and "line 2" in line
    intact(one_paper)


# -- 4: lone surrogates ------------------------------------------------------------------------


def test_a_lone_surrogate_is_repaired_and_every_record_lands(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "papers.jsonl"
    data.write_text(
        '{"id": "2501.00010", "title": "bad \\ud800 title", "abstract": "github.com/x/y"}\n'
        '{"id": "2501.00011", "title": "fine", "abstract": "\\udfff github.com/x/z \\ud83d"}\n'
        '{"id": "2501.00012", "title": "emoji \\ud83d\\ude00 ok"}\n'
    )
    for _ in range(2):  # and a rerun works too
        out = cli("harvest", str(data), "--no-stats")
        assert out.code == 0, out.stderr
    rows = cli.rows("SELECT paper_id, title FROM papers ORDER BY 1")
    assert rows == [
        ("2501.00010", "bad \ufffd title"),
        ("2501.00011", "fine"),
        ("2501.00012", "emoji \U0001f600 ok"),
    ]
    assert cli.rows("SELECT repo_name FROM repo_names ORDER BY 1") == [("x/y",), ("x/z",)]


def test_lone_surrogates_in_authors_and_categories_are_repaired(cli: Cli, tmp_path: Path) -> None:
    # the arXiv snapshot's list fields: a surrogate there once stopped the whole harvest
    data = tmp_path / "snapshot.jsonl"
    line = {
        "id": "2501.00020", "title": "t", "abstract": "github.com/x/y", "comments": None,
        "authors": "K\ud800 F", "authors_parsed": [["K\ud800", "F", ""], ["Li", "A.", ""]],
        "categories": "cs.CV cs.\udfffL", "versions": [{"version": "v1",
        "created": "Mon, 6 Jan 2025 10:00:00 GMT"}], "update_date": "2025-01-07",
    }  # fmt: skip
    data.write_text(json.dumps(line) + "\n")
    for args in (("extract", str(data)), ("harvest", str(data), "--no-stats")):
        out = cli(*args)
        assert out.code == 0, out.stderr
    rows = cli.rows("SELECT authors, categories, primary_category FROM papers")
    assert rows == [(["F K\ufffd", "A. Li"], ["cs.CV", "cs.\ufffdL"], "cs.CV")]


# -- 6: the job lock through another spelling of the path --------------------------------------


def test_the_job_lock_holds_through_a_symlink_and_another_spelling(
    one_paper: Cli, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(one_paper.db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from harvester.store import JobLock\n"
            "with JobLock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(60)\n",
            str(link),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            "GITHUB_TOKEN": TOKEN,
            "HARVESTER_GITHUB_URL": one_paper.fake.url,
        }
        proc = subprocess.run(
            [sys.executable, "-m", "harvester", "refresh", "--db", f"./a/../{one_paper.db.name}"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == errors.EXIT_STORE, proc.stderr
        assert f"PID {holder.pid}" in one_line(proc.stderr)
    finally:
        holder.kill()
        holder.communicate()
    assert one_paper.rows("SELECT count(*) FROM runs") == [(1,)]


# -- 7: a --github-url that redirects; a run where every fetch failed -------------------------


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Redirect(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        self.send_response(302)
        self.send_header("Location", "https://elsewhere.example/api" + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


class _Broken(http.server.BaseHTTPRequestHandler):
    """GraphQL answers 200 with an error and no data, for every batch; REST answers 200 with
    an empty object."""

    def do_GET(self) -> None:
        self._send({})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._send({"errors": [{"message": "the backend is on fire"}]})

    def _send(self, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirecting() -> Iterator[str]:
    yield from _serve(_Redirect)


@pytest.fixture
def broken() -> Iterator[str]:
    yield from _serve(_Broken)


@pytest.mark.parametrize("token", [TOKEN, None], ids=["graphql", "rest"])
def test_a_redirecting_github_url_fails_fast_naming_the_target(
    cli: Cli, tmp_path: Path, redirecting: str, token: str | None
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    started = time.monotonic()
    out = cli("harvest", str(good), "--github-url", redirecting, token=token)
    assert out.code == errors.EXIT_REMOTE, out.stdout + out.stderr
    if token is None:  # (the REST path first notes that it runs without a token)
        assert "no GitHub token" in out.stderr.splitlines()[0]
    assert "elsewhere.example" in one_line(out.stderr.split("\n", 1)[token is None])
    assert time.monotonic() - started < 20  # no minutes of retries (a bound, not a measure)
    assert cli.rows("SELECT status FROM runs") == [("failed",)]
    assert cli.rows("SELECT repo_name, status FROM repo_names") == [("a/b", "pending")]


def test_a_run_where_every_fetch_failed_is_not_a_success(
    cli: Cli, tmp_path: Path, broken: str
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD + GOOD.replace("00001", "00002").replace("a/b", "c/d"))
    out = cli("harvest", str(good), "--github-url", broken)
    assert out.code == errors.EXIT_RESUMABLE, out.stdout + out.stderr
    assert "every fetch failed" in out.stdout
    assert cli.rows("SELECT status FROM runs") == [("partial",)]
    assert cli.rows("SELECT DISTINCT status FROM repo_names") == [("error",)]


# -- 9: a token that cannot be one -------------------------------------------------------------


@pytest.mark.parametrize("token", ["tök\u00e9n-secret", "ghp_abc\ndef-secret", "ghp_a b-secret"])
def test_a_malformed_token_is_a_usage_error_that_does_not_show_it(
    cli: Cli, tmp_path: Path, token: str
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    started = time.monotonic()
    for args in (["harvest", str(good)], ["refresh"]):
        out = cli(*args, token=token)
        assert out.code == errors.EXIT_USAGE, out.stdout + out.stderr
        line = one_line(out.stderr)
        assert "GITHUB_TOKEN" in line
        assert "secret" not in out.stdout + out.stderr
    assert time.monotonic() - started < 20  # refused at start, not after retries (a bound)
    assert not cli.db.exists() or cli.rows("SELECT count(*) FROM papers") == [(0,)]


# -- 10: one line instead of an internal error ---------------------------------------------------


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://[::1", "http://[::1]:x/"])
def test_an_impossible_github_url_is_a_usage_error(one_paper: Cli, url: str) -> None:
    for args in (["refresh"], ["status"]):
        out = one_paper(*args, "--github-url", url)
        assert out.code == errors.EXIT_USAGE, out.stdout + out.stderr
        assert "--github-url" in one_line(out.stderr)
    intact(one_paper)


def test_another_applications_duckdb_file_isone_line(cli: Cli, tmp_path: Path) -> None:
    con = duckdb.connect(str(cli.db))
    con.execute("CREATE TABLE invoices AS SELECT 1 AS id, 9.5 AS amount")
    con.close()
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    for args in (
        ["status", "--offline"],
        ["report", "top_repos"],
        ["chart", "-o", str(tmp_path / "x.html")],
        ["harvest", str(good), "--no-stats"],  # and nothing is added to that file
    ):
        out = cli(*args)
        assert out.code == errors.EXIT_STORE, out.stdout + out.stderr
        assert "not a harvester database" in one_line(out.stderr)
    assert cli.rows("SELECT table_name FROM information_schema.tables") == [("invoices",)]


def test_a_sqlite_file_as_db_isone_line(cli: Cli, tmp_path: Path) -> None:
    lite = sqlite3.connect(cli.db)
    lite.execute("CREATE TABLE t (x)")
    lite.commit()
    lite.close()
    before = cli.db.read_bytes()
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    for args in (["status", "--offline"], ["sql", "SELECT 1"], ["harvest", str(good)]):
        out = cli(*args)
        assert out.code == errors.EXIT_STORE, out.stdout + out.stderr
        assert "SQLite" in one_line(out.stderr)
    assert cli.db.read_bytes() == before


# -- 11: status after a SIGKILL ------------------------------------------------------------------


def test_status_shows_a_run_whose_process_is_gone_as_interrupted(one_paper: Cli) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    con = duckdb.connect(str(one_paper.db))
    con.execute("UPDATE runs SET status = 'running', finished_at = NULL, pid = ?", [dead.pid])
    con.close()
    out = one_paper("status", "--offline", "--format", "json")
    assert out.code == 0, out.stderr
    rows = {r["item"]: r["value"] for r in json.loads(out.stdout)}
    assert rows["run 1"].startswith("harvest interrupted"), rows["run 1"]
    assert "process" in rows["run 1"] and "gone" in rows["run 1"]
    # status only reads: the row is corrected by the next job
    assert one_paper.rows("SELECT status FROM runs") == [("running",)]
    # a live process (this one) stays running
    con = duckdb.connect(str(one_paper.db))
    con.execute("UPDATE runs SET pid = ?", [os.getpid()])
    con.close()
    out = one_paper("status", "--offline", "--format", "json")
    rows = {r["item"]: r["value"] for r in json.loads(out.stdout)}
    assert rows["run 1"].startswith("harvest running"), rows["run 1"]


# -- decided and documented --------------------------------------------------------------------


def test_a_text_file_is_one_paper_however_its_path_is_typed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes").mkdir()
    text = tmp_path / "notes" / "a.txt"
    text.write_text("Our code: https://github.com/p/q\n")
    monkeypatch.chdir(tmp_path)
    for spelling in ("notes/a.txt", "./notes/a.txt", str(text), "notes/../notes/a.txt"):
        assert cli("harvest", spelling, "--no-stats").code == 0
    assert cli.rows("SELECT paper_id FROM papers") == [(f"text:{text}",)]
