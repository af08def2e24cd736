"""Secrets and hostile text: the token never leaks, requests go only where configured, and text
written to fool the link parser never becomes a repository name or a request path."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from harvester import errors
from harvester.cli import RichReporter
from harvester.reports import find_report
from harvester.store import Store
from tests.cli.conftest import TOKEN, Cli
from tests.fakegithub import FakeGitHub

HOSTILE = [
    "https://github.com.evil.io/acme/widget",
    "http://evilgithub.com/acme/widget",
    "https://github.com@evil.io/acme/widget",
    "https://evil.io/github.com/acme/widget",
    "https://acme.github.io.evil.com/widget",
    "https://github.com/../../etc/passwd",
    "https://github.com/acme/..",
    "https://github.com/acme/%2F..%2F..%2Frate_limit",
    "https://github.com/acme/widget%3Fx=1",
    "https://github.com/a" + "b" * 60 + "/too-long-owner",
    "https://github.com/orgs/acme",
    "https://github.com/acme/widget?tab=readme#x",  # a real repository, with a query string
]


def _hostile_papers(path: Path) -> Path:
    with path.open("w") as out:
        for i, text in enumerate(HOSTILE):
            out.write(json.dumps({"id": f"2403.{i:05d}", "title": f"T{i}", "abstract": text}))
            out.write("\n")
    return path


def test_hostile_links_never_become_names_or_request_paths(
    cli: Cli, fake: FakeGitHub, tmp_path: Path
) -> None:
    papers = _hostile_papers(tmp_path / "p.jsonl")
    names: set[object] = set()
    for token, db in ((TOKEN, "graphql.duckdb"), (None, "rest.duckdb")):
        run = Cli(tmp_path / db, fake)
        out = run("harvest", str(papers), token=token)
        assert out.code == 0, out.stderr
        names |= {r[0] for r in run.rows("SELECT repo_name FROM repo_names")}
    assert names == {"acme/widget"}  # only the real repository, without its query string
    valid_rest = re.compile(r"^/repos/[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
    for path in fake.requests_by_path:
        assert path == "/graphql" or valid_rest.match(path), path


def _leak_check(texts: list[str], files: list[Path]) -> None:
    for text in texts:
        assert TOKEN not in text
    for file in files:
        if file.exists():
            assert TOKEN.encode() not in file.read_bytes(), file


def test_the_token_appears_nowhere(
    cli: Cli, fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RichReporter, "sleep", lambda self, seconds: None)  # no real backoff
    papers = _hostile_papers(tmp_path / "p.jsonl")
    texts: list[str] = []
    # a normal harvest, a failing GitHub, a refused token, a rate-limited refresh, a dry run,
    # status, and an error message that quotes a URL
    runs = [
        (["harvest", str(papers)], {}),
        (["refresh", "--stale-after", "0s", "--timeout", "1"], {"fail_rate": 1.0}),
        (["refresh", "--only-status", "error"], {"token": "not-the-token"}),
        (["harvest", str(papers), "--dry-run"], {}),
        (["status"], {}),
        (["refresh", "--github-url", f"https://x:{TOKEN}@example.com"], {}),
        (["sql", f'SELECT "{TOKEN}"'], {}),  # DuckDB's error names the column: redacted
    ]
    for args, setup in runs:
        fake.fail_rate = float(setup.get("fail_rate", 0.0))  # type: ignore[arg-type]
        fake.token = str(setup.get("token", TOKEN))
        out = cli(*args, env={"HARVESTER_DEBUG": "1"})
        texts += [out.stdout, out.stderr]
    fake.token = TOKEN
    _leak_check(
        texts,
        [cli.db, cli.db.with_name(cli.db.name + ".wal"), cli.db.with_name(cli.db.name + ".lock")],
    )
    stored = cli.rows("SELECT args || coalesce(message, '') FROM runs")
    assert stored and all(TOKEN not in row[0] for row in stored)  # type: ignore[operator]
    assert any("***" in t for t in texts)  # the SQL echoing it was redacted, not just absent


class _Redirector(BaseHTTPRequestHandler):
    """A 'GitHub' whose every repository moved to another host."""

    target = ""

    def do_GET(self) -> None:
        self.send_response(301)
        self.send_header("Location", f"{self.target}/repositories/1")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[str, list[str]]]:
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Redirector.target = f"http://localhost:{other.server_port}"
    _Recorder.hits = []
    redirector = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (other, redirector)]
    for t in threads:
        t.start()
    try:
        yield f"http://127.0.0.1:{redirector.server_port}", _Recorder.hits
    finally:
        for s in (other, redirector):
            s.shutdown()
            s.server_close()


def test_redirects_to_another_host_are_never_followed(
    cli: Cli, tmp_path: Path, servers: tuple[str, list[str]]
) -> None:
    url, hits = servers
    papers = tmp_path / "p.jsonl"
    papers.write_text('{"id": "2404.00001", "title": "T", "abstract": "github.com/a/b"}\n')
    out = cli("harvest", str(papers), "--github-url", url, token=None)
    # the redirect stops the job at once and names where it pointed (issue 15, item 7)
    assert out.code == errors.EXIT_REMOTE, out.stderr
    assert hits == []  # the token would have gone there
    assert "to localhost" in out.stderr.splitlines()[-1]
    assert cli.rows("SELECT status FROM repo_names") == [("pending",)]


def test_report_parameters_are_data_never_sql(cli: Cli, fake: FakeGitHub, tmp_path: Path) -> None:
    papers = tmp_path / "p.jsonl"
    papers.write_text('{"id": "2404.00001", "title": "T", "abstract": "github.com/a/b"}\n')
    assert cli("harvest", str(papers)).code == 0
    evil = "all' OR 1=1; DROP TABLE papers; --"
    # status declares its values, so this is refused before any SQL runs (issue 15, item 5) ...
    out = cli("report", "link_health", "--param", f"status={evil}", "--format", "json")
    assert out.code == errors.EXIT_USAGE, out.stderr
    assert "takes one of" in out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 1
    # ... and a text parameter without declared values is still bound as data, never SQL
    report = tmp_path / "q" / "free.sql"
    report.parent.mkdir()
    report.write_text(
        "-- title: Free text\n-- param: word = 'x'   Any text.\n"
        "SET VARIABLE word = COALESCE(getvariable('word'), 'x');\n"
        "SELECT count(*) AS n FROM papers WHERE title = getvariable('word');\n"
    )
    chosen = find_report("free", report.parent)
    result = Store(cli.db).query([chosen.sql], chosen.bind({"word": evil}))
    assert result.rows == [(0,)]  # no title is called that
    assert cli.one("SELECT count(*) FROM papers") == 1
    out = cli("sql", "DROP TABLE papers")
    assert out.code == errors.EXIT_QUERY and "read-only" in out.stderr
    assert cli.one("SELECT count(*) FROM papers") == 1
