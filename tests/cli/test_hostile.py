"""Issue 15: what a careless or hostile user tried that lost data or ended in a traceback.

Each test names its item. Every failure is one line on stderr with a documented exit code, and
what was stored before is still there.
"""

from __future__ import annotations

import http.server
import json
import os
import pty
import select
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

GOOD = '{"id": "2501.00001", "title": "A", "abstract": "code: github.com/a/b"}\n'


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text and "internal error" not in text, text
    assert lines[0].startswith("harvester: ")
    return lines[0]


@pytest.fixture
def seeded(cli: Cli, tmp_path: Path) -> Cli:
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    assert cli("harvest", str(good)).code == 0
    return cli


def _intact(cli: Cli) -> None:
    assert cli.rows("SELECT paper_id FROM papers") == [("2501.00001",)]
    assert cli.rows("SELECT repo_name, status FROM repo_names") == [("a/b", "ok")]


# -- 1: output onto the database or onto a file the command did not write ----------------------


def test_chart_and_report_refuse_to_write_onto_the_database(seeded: Cli, tmp_path: Path) -> None:
    link = tmp_path / "link.duckdb"
    link.symlink_to(seeded.db)
    hard = tmp_path / "hard.duckdb"
    os.link(seeded.db, hard)
    before = seeded.db.read_bytes()
    spellings = [str(seeded.db), str(link), str(hard), f"{tmp_path}/./{seeded.db.name}"]
    for target in spellings:
        for args in (["chart", "--output", target], ["report", "top_repos", "-o", target]):
            for force in ([], ["--force"]):
                out = seeded(*args, *force)
                assert out.code == errors.EXIT_USAGE, (args, out.stderr)
                assert "database" in _one_line(out.stderr)
    assert seeded.db.read_bytes() == before
    _intact(seeded)


def test_output_onto_a_file_the_command_did_not_write_needs_force(
    seeded: Cli, tmp_path: Path
) -> None:
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other.execute("CREATE TABLE t AS SELECT 42 AS answer")
    other.close()
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for target in (tmp_path / "other.duckdb", notes):
        before = target.read_bytes()
        for args in (["chart", "-o", str(target)], ["report", "top_repos", "-o", str(target)]):
            out = seeded(*args)
            assert out.code == errors.EXIT_USAGE, out.stderr
            assert "--force" in _one_line(out.stderr)
            assert target.read_bytes() == before
    assert seeded("report", "top_repos", "-o", str(notes), "--force").code == 0
    assert "a/b" in notes.read_text()
    # what the command wrote itself is replaced on the next run without --force
    page = tmp_path / "page.html"
    assert seeded("chart", "-o", str(page)).code == 0
    assert seeded("chart", "-o", str(page)).code == 0
    report = tmp_path / "top.csv"
    assert seeded("report", "top_repos", "-f", "csv", "-o", str(report)).code == 0
    assert seeded("report", "top_repos", "-f", "csv", "-o", str(report)).code == 0


# -- 2: malformed CSV --------------------------------------------------------------------------


def test_csv_with_an_unterminated_quote_is_refused_with_its_line(
    seeded: Cli, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,title,url\n"
        '2501.30002,"unterminated title,https://github.com/quote/repo\n'
        "2501.30003,Normal title,https://github.com/normal/repo\n"
    )
    out = seeded("harvest", str(bad))
    assert out.code == errors.EXIT_INPUT, out.stderr
    line = _one_line(out.stderr)
    assert "bad.csv" in line and "line 2" in line
    _intact(seeded)


# -- 3: sql and reports reach nothing beyond the database ----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "COPY (SELECT 1) TO '{tmp}/leak.csv'",
        "EXPORT DATABASE '{tmp}/leakdir'",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET autoinstall_known_extensions = true",
        "ATTACH '{tmp}/other.duckdb' AS o",
    ],
)
def test_sql_reaches_nothing_beyond_the_database(seeded: Cli, tmp_path: Path, query: str) -> None:
    out = seeded("sql", query.format(tmp=tmp_path))
    assert out.code == errors.EXIT_QUERY, out.stdout + out.stderr
    _one_line(out.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.jsonl", "h.duckdb", "h.duckdb.lock"]
    _intact(seeded)


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


# -- 5: report parameters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "params", "message"),
    [
        ("code_availability", ["grain=hour"], "grain"),
        ("code_availability", ["grain=second"], "day, week, month, year"),
        ("top_repos", ["top=-5"], "top"),
        ("top_repos", ["top=0"], "1..10000"),
        ("top_repos", ["top=99999999999999999999"], "top"),
        ("top_repos", ["min_stars=99999999999999999999"], "min_stars"),
        ("stars_after_publication", ["tolerance=nan"], "tolerance"),
        ("stars_after_publication", ["tolerance=inf"], "tolerance"),
        ("link_health", ["status=everything"], "status"),
        ("top_repos", ["top=5", "top=6"], "more than once"),
    ],
)
def test_report_parameters_are_validated(
    seeded: Cli, report: str, params: list[str], message: str
) -> None:
    args = [a for p in params for a in ("--param", p)]
    out = seeded("report", report, *args)
    assert out.code == errors.EXIT_USAGE, out.stdout + out.stderr
    assert message in _one_line(out.stderr)


def test_declared_values_are_accepted(seeded: Cli) -> None:
    for report, param in (
        ("code_availability", "grain=week"),
        ("top_repos", "top=10000"),
        ("stars_after_publication", "tolerance=0.5"),
        ("link_health", "status=renamed"),
    ):
        out = seeded("report", report, "--param", param)
        assert out.code == 0, out.stderr


# -- 6: the job lock through another spelling of the path --------------------------------------


def test_the_job_lock_holds_through_a_symlink_and_another_spelling(
    seeded: Cli, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(seeded.db)
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
            "HARVESTER_GITHUB_URL": seeded.fake.url,
        }
        proc = subprocess.run(
            [sys.executable, "-m", "harvester", "refresh", "--db", f"./a/../{seeded.db.name}"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == errors.EXIT_STORE, proc.stderr
        assert f"PID {holder.pid}" in _one_line(proc.stderr)
    finally:
        holder.kill()
        holder.communicate()
    assert seeded.rows("SELECT count(*) FROM runs") == [(1,)]


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
    assert "elsewhere.example" in _one_line(out.stderr.split("\n", 1)[token is None])
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


# -- 8: control characters on a terminal -------------------------------------------------------

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m"


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the real CLI with stdout on a pseudo-terminal; what reached the terminal."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "harvester", *args],
        stdout=secondary,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(secondary)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=30)
    os.close(primary)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_control_characters_are_escaped_on_a_terminal(
    seeded: Cli, tmp_path: Path, fmt: str
) -> None:
    query = f"SELECT '{HOSTILE}' AS title, 'a' || chr(9) || 'b' AS tab"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "HARVESTER_DB": str(seeded.db),
    }
    shown = _on_a_terminal(["sql", query, "--format", fmt], env)
    assert "PWNED" in shown
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\\x1b]0;PWNED\\x07" in shown
    # not a terminal (a pipe, a file): the value exactly as stored
    out = seeded("sql", query, "--format", fmt)
    assert HOSTILE in out.stdout


def test_control_characters_are_escaped_in_error_messages(seeded: Cli, tmp_path: Path) -> None:
    out = seeded("harvest", str(tmp_path / f"missing{HOSTILE}.json"))
    assert out.code == errors.EXIT_INPUT
    line = _one_line(out.stderr)
    assert "\x1b" not in line and "\x07" not in line and "PWNED" in line


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
        line = _one_line(out.stderr)
        assert "GITHUB_TOKEN" in line
        assert "secret" not in out.stdout + out.stderr
    assert time.monotonic() - started < 20  # refused at start, not after retries (a bound)
    assert not cli.db.exists() or cli.rows("SELECT count(*) FROM papers") == [(0,)]


# -- 10: one line instead of an internal error ---------------------------------------------------


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://[::1", "http://[::1]:x/"])
def test_an_impossible_github_url_is_a_usage_error(seeded: Cli, url: str) -> None:
    for args in (["refresh"], ["status"]):
        out = seeded(*args, "--github-url", url)
        assert out.code == errors.EXIT_USAGE, out.stdout + out.stderr
        assert "--github-url" in _one_line(out.stderr)
    _intact(seeded)


def test_another_applications_duckdb_file_is_one_line(cli: Cli, tmp_path: Path) -> None:
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
        assert "not a harvester database" in _one_line(out.stderr)
    assert cli.rows("SELECT table_name FROM information_schema.tables") == [("invoices",)]


def test_a_sqlite_file_as_db_is_one_line(cli: Cli, tmp_path: Path) -> None:
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
        assert "SQLite" in _one_line(out.stderr)
    assert cli.db.read_bytes() == before


# -- 11: status after a SIGKILL ------------------------------------------------------------------


def test_status_shows_a_run_whose_process_is_gone_as_interrupted(seeded: Cli) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    con = duckdb.connect(str(seeded.db))
    con.execute("UPDATE runs SET status = 'running', finished_at = NULL, pid = ?", [dead.pid])
    con.close()
    out = seeded("status", "--offline", "--format", "json")
    assert out.code == 0, out.stderr
    rows = {r["item"]: r["value"] for r in json.loads(out.stdout)}
    assert rows["run 1"].startswith("harvest interrupted"), rows["run 1"]
    assert "process" in rows["run 1"] and "gone" in rows["run 1"]
    # status only reads: the row is corrected by the next job
    assert seeded.rows("SELECT status FROM runs") == [("running",)]
    # a live process (this one) stays running
    con = duckdb.connect(str(seeded.db))
    con.execute("UPDATE runs SET pid = ?", [os.getpid()])
    con.close()
    out = seeded("status", "--offline", "--format", "json")
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


def test_export_safe_csv_defuses_formulas(seeded: Cli, tmp_path: Path) -> None:
    formula = tmp_path / "f.jsonl"
    formula.write_text('{"id": "2501.00002", "title": "=HYPERLINK(\\"http://x\\")"}\n')
    assert seeded("harvest", str(formula), "--no-stats").code == 0
    plain, safe = tmp_path / "plain", tmp_path / "safe"
    assert seeded("export", str(plain), "--format", "csv").code == 0
    assert seeded("export", str(safe), "--format", "csv", "--safe-csv").code == 0
    assert '"=HYPERLINK(""http://x"")"' in (plain / "papers.csv").read_text()
    papers = (safe / "papers.csv").read_text()
    assert '"\'=HYPERLINK(""http://x"")"' in papers
    assert "\n=" not in papers and ",=" not in papers
    out = seeded("export", str(tmp_path / "p"), "--format", "parquet", "--safe-csv")
    assert out.code == errors.EXIT_USAGE
    assert "--safe-csv" in _one_line(out.stderr)


def test_export_never_overwrites_the_database_even_with_force(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "runs.csv"  # a database named like a file export writes
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    assert cli("harvest", str(good), "--no-stats", "--db", str(db), db=False).code == 0
    before = db.read_bytes()
    out = cli("export", str(tmp_path), "--format", "csv", "--force", "--db", str(db), db=False)
    assert out.code == errors.EXIT_USAGE
    assert "is the database" in _one_line(out.stderr)
    assert db.read_bytes() == before
