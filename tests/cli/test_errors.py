"""Bad input: one line on stderr, a documented exit code, no traceback, the database intact."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from harvester import errors
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
def seeded(cli: Cli, tmp_path: Path) -> Cli:
    """A database with one harvested paper, to check that errors leave it intact."""
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    assert cli("harvest", str(good)).code == 0
    return cli


def _intact(cli: Cli) -> None:
    assert cli.rows("SELECT paper_id FROM papers") == [("2501.00001",)]
    assert cli.rows("SELECT repo_name, status FROM repo_names") == [("a/b", "ok")]


def test_missing_file(seeded: Cli, tmp_path: Path) -> None:
    out = seeded("harvest", str(tmp_path / "nope.json"))
    assert out.code == errors.EXIT_INPUT
    assert "nope.json: no such file or directory" in _one_line(out.stderr)
    _intact(seeded)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02\x03binary\xff\xfe" * 50, "binary"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03broken", "gzip"),
        (b'{"id": 5, "title": 7}\n{"id": 6}\n', "id"),
        (b"", "empty"),
    ],
    ids=["binary", "truncated-gzip", "wrong-types", "empty"],
)
def test_unreadable_inputs(seeded: Cli, tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.input"
    bad.write_bytes(content)
    out = seeded("harvest", str(bad))
    assert out.code == errors.EXIT_INPUT
    line = _one_line(out.stderr)
    assert "bad.input" in line and message in line.lower()
    _intact(seeded)


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


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["extract", "x", "--format", "xml"], errors.EXIT_USAGE, "jsonl or table"),
        (["harvest", "x", "--format", "yaml"], errors.EXIT_USAGE, "unknown format 'yaml'"),
        (["report", "nope"], errors.EXIT_USAGE, "no report named 'nope'"),
        (["report", "top_repos", "--param", "min_stars"], errors.EXIT_USAGE, "NAME=VALUE"),
        (
            ["report", "top_repos", "--param", "min_stars=many"],
            errors.EXIT_USAGE,
            "expects an integer",
        ),
        (["report", "top_repos", "--param", "colour=red"], errors.EXIT_USAGE, "no parameter"),
        (["sql", "SELECT nope FROM papers"], errors.EXIT_QUERY, "nope"),
        (["sql", "DROP TABLE papers"], errors.EXIT_QUERY, "read-only"),
        (["refresh", "--stale-after", "soon"], errors.EXIT_USAGE, "duration"),
        (["refresh", "--github-url", "ftp://example.com"], errors.EXIT_USAGE, "--github-url"),
        (["refresh", "--only-status", "happy"], errors.EXIT_USAGE, "not a status"),
    ],
)
def test_usage_and_query_errors(seeded: Cli, args: list[str], code: int, message: str) -> None:
    out = seeded(*args)
    assert out.code == code, out.stderr
    assert message in _one_line(out.stderr)
    _intact(seeded)


def test_reading_commands_refuse_a_missing_database(cli: Cli) -> None:
    for args in (["status"], ["sql", "SELECT 1"], ["report", "top_repos"], ["refresh"]):
        out = cli(*args)
        assert out.code == errors.EXIT_STORE
        assert "no database at" in _one_line(out.stderr)
        assert not cli.db.exists()


def test_not_a_database(cli: Cli, tmp_path: Path) -> None:
    cli.db.write_bytes(b"I am a spreadsheet, honest" * 1000)
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    out = cli("harvest", str(good))
    assert out.code == errors.EXIT_STORE
    assert "not a DuckDB database" in _one_line(out.stderr)
    assert cli.db.read_bytes() == b"I am a spreadsheet, honest" * 1000


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not just the in-process runner."""
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(gzip.compress(b'{"id": "2501.1", "ti')[:-5])
    proc = subprocess.run(
        [sys.executable, "-m", "harvester", "harvest", str(bad), "--db", str(tmp_path / "h.db")],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "GITHUB_TOKEN": TOKEN},
    )
    assert proc.returncode == errors.EXIT_INPUT
    assert "bad.json.gz" in _one_line(proc.stderr)
    assert TOKEN not in proc.stderr + proc.stdout
