"""File names that are not UTF-8 (``printf x > $'\\xff.jsonl'``), through the real entry point
in a subprocess: sys.argv and the file system hand Python such a name as a str with lone
surrogates, which neither DuckDB nor a UTF-8 terminal accepts. The run works, and what is stored
or printed shows the bad bytes as ``\\xNN``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from harvester.fsnames import shell_join, shown

GOOD = '{"id": "2501.00001", "title": "A", "abstract": "code: github.com/a/b"}\n'


def _name(raw: bytes) -> str:
    return os.fsdecode(raw)  # how Python sees the name: '\udcff.jsonl'


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "LC_ALL": "C.UTF-8",  # a UTF-8 terminal: a lone surrogate cannot be written to it
        "HARVESTER_DB": str(cwd / "h.duckdb"),
    }
    argv = [os.fsencode(a) for a in (sys.executable, "-m", "harvester", *args)]
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_file_whose_name_is_not_utf8_is_harvested_and_its_run_says_how_to_repeat_it(
    tmp_path: Path,
) -> None:
    (tmp_path / _name(b"\xff.jsonl")).write_text(GOOD)
    proc = _run(tmp_path, "harvest", _name(b"\xff.jsonl"), "--no-stats")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"1 papers read (1 new)")
    [(args, status)] = _rows(tmp_path / "h.duckdb", "SELECT args, status FROM runs")
    assert status == "ok"
    assert args == "harvester harvest $'\\xff.jsonl' --no-stats"
    # the stored command, pasted into bash, names the same file again
    echoed = subprocess.run(
        ["bash", "-c", f"printf '%s' {args.split()[2]}"], capture_output=True, check=True
    )
    assert echoed.stdout == b"\xff.jsonl"


def test_a_bad_file_with_such_a_name_fails_in_one_line_and_its_run_is_recorded(
    tmp_path: Path,
) -> None:
    (tmp_path / _name(b"ok.jsonl")).write_text(GOOD)
    assert _run(tmp_path, "harvest", "ok.jsonl", "--no-stats").returncode == 0
    (tmp_path / _name(b"bad\xfe.json")).write_text("not json{")
    proc = _run(tmp_path, "harvest", _name(b"bad\xfe.json"), "--no-stats")
    assert proc.returncode == errors.EXIT_INPUT, proc.stderr
    line = proc.stderr.decode("utf-8")  # strictly UTF-8: no raw byte, no surrogate
    assert len(line.strip().splitlines()) == 1 and "internal error" not in line, line
    assert "bad\\xfe.json" in line
    runs = _rows(tmp_path / "h.duckdb", "SELECT status, message FROM runs ORDER BY run_id")
    assert runs[1][0] == "failed"  # not left 'running' by a message the store refused
    assert "bad\\xfe.json" in str(runs[1][1])
    assert _rows(tmp_path / "h.duckdb", "SELECT paper_id FROM papers") == [("2501.00001",)]

    proc = _run(tmp_path, "harvest", _name(b"missing\xff.jsonl"), "--no-stats")
    assert proc.returncode == errors.EXIT_INPUT
    assert "missing\\xff.jsonl" in proc.stderr.decode("utf-8")


def test_text_files_whose_names_differ_only_in_bad_bytes_stay_two_papers(tmp_path: Path) -> None:
    folder = tmp_path / _name(b"notes\xff")
    folder.mkdir()
    for raw in (b"\xfe.txt", b"\xfd.txt"):
        (folder / _name(raw)).write_text("Code: https://github.com/p/q\n")
    proc = _run(tmp_path, "harvest", _name(b"notes\xff"), "--no-stats")
    assert proc.returncode == 0, proc.stderr
    ids = [r[0] for r in _rows(tmp_path / "h.duckdb", "SELECT paper_id FROM papers ORDER BY 1")]
    assert ids == [f"text:{tmp_path}/notes\\xff/\\xfd.txt", f"text:{tmp_path}/notes\\xff/\\xfe.txt"]

    proc = _run(tmp_path, "extract", _name(b"notes\xff"), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    found = [json.loads(line)["paper_id"] for line in proc.stdout.splitlines()]
    assert sorted(found) == ids


def test_a_database_whose_name_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    proc = _run(tmp_path, "harvest", "-", "--no-stats", "--db", _name(b"h\xff.duckdb"))
    assert proc.returncode == errors.EXIT_USAGE
    line = proc.stderr.decode("utf-8")
    assert line == (
        "harvester: error: --db h\\xff.duckdb: DuckDB cannot open a file whose name is not "
        "UTF-8; rename it\n"
    )


def test_export_into_a_directory_whose_name_is_not_utf8_writes_every_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "in.jsonl").write_text(GOOD)
    assert _run(tmp_path, "harvest", "in.jsonl", "--no-stats").returncode == 0
    for fmt in ("csv", "parquet"):
        out = tmp_path / _name(f"out\xff{fmt}".encode("latin-1"))
        proc = _run(tmp_path, "export", str(out), "--format", fmt, "--reports")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.decode("utf-8").endswith(f"to {shown(str(out))}\n")
        written = sorted(p.name for p in out.iterdir())
        assert f"papers.{fmt}" in written and "reports" in written
        assert not [n for n in written if "partial" in n]
        fd = os.open(out, os.O_RDONLY)
        try:
            papers = duckdb.sql(f"SELECT title FROM '/proc/self/fd/{fd}/papers.{fmt}'").fetchall()
        finally:
            os.close(fd)
        assert papers == [("A",)]
        again = _run(tmp_path, "export", str(out), "--format", fmt)
        assert again.returncode == errors.EXIT_USAGE
        assert shown(str(out)) in again.stderr.decode("utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("\udcff.jsonl", "\\xff.jsonl"), ("caf\u00e9", "caf\u00e9"), ("\ud800x", "\\ud800x")],
)
def test_shown_escapes_only_lone_surrogates(text: str, expected: str) -> None:
    assert shown(text) == expected
    shown(text).encode("utf-8")  # always encodable


def test_shell_join_quotes_like_shlex_unless_a_byte_needs_bash(tmp_path: Path) -> None:
    assert shell_join(["a b", "it's", "x"]) == "'a b' 'it'\"'\"'s' x"
    arg = _name(b"x\n'\\\xfey")
    echoed = subprocess.run(
        ["bash", "-c", f"printf '%s' {shell_join([arg])}"], capture_output=True, check=True
    )
    assert echoed.stdout == b"x\n'\\\xfey"
