"""Bad input: one line on stderr, a documented exit code, no traceback, the database intact.

Each case starts from a database holding one harvested paper and checks that it is still there,
unchanged, after the failing command.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from harvester.store import migrate
from tests.cli.conftest import TOKEN, Cli
from tests.fakegithub import FakeGitHub

GOOD = '{"id": "2501.00001", "title": "A", "abstract": "code: github.com/a/b"}\n'


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    assert lines[0].startswith("harvester: ")
    return lines[0]


@pytest.fixture
def seeded(one_paper: Cli) -> Cli:
    """A database with one harvested paper (``GOOD``), to check that errors leave it intact
    (a copy of one harvested once per test process: ``tests/cli/conftest.py``)."""
    return one_paper


def _intact(cli: Cli) -> None:
    assert cli.rows("SELECT paper_id FROM papers") == [("2501.00001",)]
    assert cli.rows("SELECT repo_name, status FROM repo_names") == [("a/b", "ok")]
    assert cli.rows("SELECT count(*) FROM repo_snapshots") == [(1,)]


def _file(name: str, content: bytes) -> Callable[[Path], list[str]]:
    def setup(tmp: Path) -> list[str]:
        path = tmp / name
        path.write_bytes(content)
        return ["harvest", str(path)]

    return setup


def _args(*args: str) -> Callable[[Path], list[str]]:
    return lambda tmp: list(args)


def _empty_dir(tmp: Path) -> list[str]:
    (tmp / "nothing").mkdir()
    (tmp / "nothing" / ".hidden").write_text(GOOD)
    return ["harvest", str(tmp / "nothing")]


def _huge_line(tmp: Path) -> list[str]:
    path = tmp / "huge.jsonl"
    with path.open("w") as out:
        out.write('{"id": "2501.99999", "title": "')
        out.write("x" * 50_000_000)  # 50 MB on one line, never closed
        out.write("\n")
    return ["harvest", str(path)]


def _unwritable(tmp: Path) -> list[str]:
    good = tmp / "fine.jsonl"
    good.write_text(GOOD)
    return ["harvest", str(good), "--db", "/proc/harvest.duckdb"]  # /proc takes no new files


@dataclass(frozen=True)
class Case:
    setup: Callable[[Path], list[str]]
    code: int
    message: str


CASES = {
    "missing file": Case(
        _args("harvest", "/no/such/file.json"), errors.EXIT_INPUT, "no such file or directory"
    ),
    "directory of nothing": Case(_empty_dir, errors.EXIT_INPUT, "contains no input files"),
    "empty file": Case(_file("empty.json", b""), errors.EXIT_INPUT, "is empty"),
    "binary file": Case(
        _file("blob.bin", b"\x00\x01\x02\x03binary\xff\xfe" * 50), errors.EXIT_INPUT, "binary"
    ),
    "invalid utf-8": Case(
        _file("latin1.txt", "caf\xe9 github.com/a/b\n".encode("latin-1")),
        errors.EXIT_INPUT,
        "invalid UTF-8 at byte offset 3",
    ),
    "truncated gzip": Case(
        _file("cut.json.gz", gzip.compress(GOOD.encode() * 50)[:-30]), errors.EXIT_INPUT, "gzip"
    ),
    "json wrong types": Case(
        _file("types.jsonl", b'{"id": "2501.00002", "title": 7}\n'), errors.EXIT_INPUT, "title"
    ),
    "json wrong shape": Case(
        _file("shape.json", b'{"papers": 5}'), errors.EXIT_INPUT, "neither a paper record"
    ),
    "50 MB single line": Case(_huge_line, errors.EXIT_INPUT, "huge.jsonl"),
    "csv without columns": Case(
        _file("people.csv", b"name,year\nada,1843\n"), errors.EXIT_INPUT, "people.csv"
    ),
    "unknown input --format": Case(
        _args("harvest", "x.json", "--format", "yaml"), errors.EXIT_USAGE, "unknown format 'yaml'"
    ),
    "unknown output --format": Case(
        _args("extract", "x", "--format", "xml"),
        errors.EXIT_USAGE,
        "unknown format 'xml'; choose one of table, csv, json, jsonl, md",
    ),
    "bad date (live source)": Case(
        _args("harvest", "hf", "--date", "2025-13-01"), errors.EXIT_USAGE, "'2025-13-01'"
    ),
    "bad date (report param)": Case(
        _args("report", "code_availability", "--param", "since=yesterday"),
        errors.EXIT_USAGE,
        "expects a date (YYYY-MM-DD)",
    ),
    "bad duration": Case(_args("refresh", "--stale-after", "soon"), errors.EXIT_USAGE, "duration"),
    "unwritable db path": Case(_unwritable, errors.EXIT_STORE, "/proc/harvest.duckdb"),
    "db in a missing directory": Case(
        _args("status", "--db", "/no/such/dir/h.duckdb"), errors.EXIT_STORE, "no database at"
    ),
    "github-url not a url": Case(
        _args("refresh", "--github-url", "ftp://example.com"), errors.EXIT_USAGE, "--github-url"
    ),
    "github-url garbage": Case(
        _args("refresh", "--github-url", "not a url"), errors.EXIT_USAGE, "--github-url"
    ),
    "unknown report": Case(_args("report", "nope"), errors.EXIT_USAGE, "no report named 'nope'"),
    "report parameter without value": Case(
        _args("report", "top_repos", "--param", "min_stars"), errors.EXIT_USAGE, "NAME=VALUE"
    ),
    "report parameter of wrong type": Case(
        _args("report", "top_repos", "--param", "min_stars=many"),
        errors.EXIT_USAGE,
        "expects an integer",
    ),
    "unknown report parameter": Case(
        _args("report", "top_repos", "--param", "colour=red"), errors.EXIT_USAGE, "no parameter"
    ),
    "sql that fails": Case(_args("sql", "SELECT nope FROM papers"), errors.EXIT_QUERY, "nope"),
    "sql that writes": Case(_args("sql", "DROP TABLE papers"), errors.EXIT_QUERY, "read-only"),
    "unknown status": Case(
        _args("refresh", "--only-status", "happy"), errors.EXIT_USAGE, "not a status"
    ),
    "unknown option": Case(_args("status", "--colour"), errors.EXIT_USAGE, "No such option"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input(seeded: Cli, tmp_path: Path, case: Case) -> None:
    out = seeded(*case.setup(tmp_path))
    assert out.code == case.code, out.stderr
    assert case.message in _one_line(out.stderr)
    _intact(seeded)


def test_not_a_database(cli: Cli, tmp_path: Path) -> None:
    cli.db.write_bytes(b"I am a spreadsheet, honest" * 1000)
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    for args in (["harvest", str(good)], ["status"], ["sql", "SELECT 1"]):
        out = cli(*args)
        assert out.code == errors.EXIT_STORE
        assert "not a DuckDB database" in _one_line(out.stderr)
    assert cli.db.read_bytes() == b"I am a spreadsheet, honest" * 1000


def test_database_from_a_newer_schema(seeded: Cli, tmp_path: Path) -> None:
    con = duckdb.connect(str(seeded.db))
    con.execute(
        "INSERT INTO schema_version (version, name) VALUES (?, 'future')", [migrate.LATEST + 1]
    )
    con.close()
    good = tmp_path / "more.jsonl"
    good.write_text(GOOD.replace("00001", "00002"))
    for args in (["harvest", str(good)], ["status"], ["report", "top_repos"]):
        out = seeded(*args)
        assert out.code == errors.EXIT_STORE
        assert "newer than this harvester understands" in _one_line(out.stderr)
    con = duckdb.connect(str(seeded.db), read_only=True)
    assert con.execute("SELECT paper_id FROM papers").fetchall() == [("2501.00001",)]
    con.close()


def test_bad_token_is_refused_without_showing_it(
    cli: Cli, fake: FakeGitHub, tmp_path: Path
) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    secret = "ghp_wrongtoken0123456789"
    out = cli("harvest", str(good), token=secret)
    assert out.code == errors.EXIT_REMOTE
    line = _one_line(out.stderr)
    assert "rejected the token" in line and "401" in line
    assert secret not in out.stdout + out.stderr
    assert secret.encode() not in cli.db.read_bytes()
    # the papers were kept; the names wait for a good token
    assert cli.rows("SELECT status FROM repo_names") == [("pending",)]
    assert cli.rows("SELECT status FROM runs") == [("failed",)]
    assert cli("refresh").code == 0
    assert cli.rows("SELECT status FROM repo_names") == [("ok",)]


def test_unreachable_host_keeps_the_work_and_says_so(seeded: Cli, tmp_path: Path) -> None:
    more = tmp_path / "more.jsonl"
    more.write_text(GOOD.replace("00001", "00002").replace("a/b", "c/d"))
    out = seeded("harvest", str(more), "--github-url", "http://127.0.0.1:9", "--timeout", "2")
    assert out.code == errors.EXIT_RESUMABLE
    assert "GitHub cannot be reached" in out.stdout
    assert seeded.rows("SELECT repo_name, status FROM repo_names ORDER BY 1") == [
        ("a/b", "ok"),
        ("c/d", "pending"),
    ]


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not just the in-process runner."""
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(gzip.compress(b'{"id": "2501.1", "ti')[:-5])
    env = {"PATH": "/usr/bin:/bin", "GITHUB_TOKEN": TOKEN}
    db = str(tmp_path / "h.db")
    for args, code in (
        (["harvest", str(bad), "--db", db], errors.EXIT_INPUT),
        (["harvest", "hf", "--date", "someday", "--db", db], errors.EXIT_USAGE),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "harvester", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
        assert proc.returncode == code
        _one_line(proc.stderr)
        assert TOKEN not in proc.stderr + proc.stdout
