"""Issue 15, what reaches the user: --output files, sql/reports, parameters, terminals, export.

Each test names its item of the issue and failed before its fix. Every failure is one line on
stderr with a documented exit code, and what was stored before is still there.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from tests.cli.conftest import Cli
from tests.cli.hostile import GOOD, intact, one_line

# -- 1: output onto the database or onto a file the command did not write ----------------------


def test_chart_and_report_refuse_to_write_onto_the_database(one_paper: Cli, tmp_path: Path) -> None:
    link = tmp_path / "link.duckdb"
    link.symlink_to(one_paper.db)
    hard = tmp_path / "hard.duckdb"
    os.link(one_paper.db, hard)
    before = one_paper.db.read_bytes()
    spellings = [str(one_paper.db), str(link), str(hard), f"{tmp_path}/./{one_paper.db.name}"]
    for target in spellings:
        for args in (["chart", "--output", target], ["report", "top_repos", "-o", target]):
            for force in ([], ["--force"]):
                out = one_paper(*args, *force)
                assert out.code == errors.EXIT_USAGE, (args, out.stderr)
                assert "database" in one_line(out.stderr)
    assert one_paper.db.read_bytes() == before
    intact(one_paper)


def test_output_onto_a_file_the_command_did_not_write_needs_force(
    one_paper: Cli, tmp_path: Path
) -> None:
    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other.execute("CREATE TABLE t AS SELECT 42 AS answer")
    other.close()
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for target in (tmp_path / "other.duckdb", notes):
        before = target.read_bytes()
        for args in (["chart", "-o", str(target)], ["report", "top_repos", "-o", str(target)]):
            out = one_paper(*args)
            assert out.code == errors.EXIT_USAGE, out.stderr
            assert "--force" in one_line(out.stderr)
            assert target.read_bytes() == before
    assert one_paper("report", "top_repos", "-o", str(notes), "--force").code == 0
    assert "a/b" in notes.read_text()
    # what the command wrote itself is replaced on the next run without --force
    page = tmp_path / "page.html"
    assert one_paper("chart", "-o", str(page)).code == 0
    assert one_paper("chart", "-o", str(page)).code == 0
    report = tmp_path / "top.csv"
    assert one_paper("report", "top_repos", "-f", "csv", "-o", str(report)).code == 0
    assert one_paper("report", "top_repos", "-f", "csv", "-o", str(report)).code == 0


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
def test_sql_reaches_nothing_beyond_the_database(
    one_paper: Cli, tmp_path: Path, query: str
) -> None:
    out = one_paper("sql", query.format(tmp=tmp_path))
    assert out.code == errors.EXIT_QUERY, out.stdout + out.stderr
    one_line(out.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.jsonl", "h.duckdb", "h.duckdb.lock"]
    intact(one_paper)


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
    one_paper: Cli, report: str, params: list[str], message: str
) -> None:
    args = [a for p in params for a in ("--param", p)]
    out = one_paper("report", report, *args)
    assert out.code == errors.EXIT_USAGE, out.stdout + out.stderr
    assert message in one_line(out.stderr)


def test_declared_values_are_accepted(one_paper: Cli) -> None:
    for report, param in (
        ("code_availability", "grain=week"),
        ("top_repos", "top=10000"),
        ("stars_after_publication", "tolerance=0.5"),
        ("link_health", "status=renamed"),
    ):
        out = one_paper("report", report, "--param", param)
        assert out.code == 0, out.stderr


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
    one_paper: Cli, tmp_path: Path, fmt: str
) -> None:
    query = f"SELECT '{HOSTILE}' AS title, 'a' || chr(9) || 'b' AS tab"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "HARVESTER_DB": str(one_paper.db),
    }
    shown = _on_a_terminal(["sql", query, "--format", fmt], env)
    assert "PWNED" in shown
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert "\\x1b]0;PWNED\\x07" in shown
    # not a terminal (a pipe, a file): the value exactly as stored
    out = one_paper("sql", query, "--format", fmt)
    assert HOSTILE in out.stdout


def test_control_characters_are_escaped_in_error_messages(one_paper: Cli, tmp_path: Path) -> None:
    out = one_paper("harvest", str(tmp_path / f"missing{HOSTILE}.json"))
    assert out.code == errors.EXIT_INPUT
    line = one_line(out.stderr)
    assert "\x1b" not in line and "\x07" not in line and "PWNED" in line


# -- decided and documented --------------------------------------------------------------------


def test_export_safe_csv_defuses_formulas(one_paper: Cli, tmp_path: Path) -> None:
    formula = tmp_path / "f.jsonl"
    formula.write_text('{"id": "2501.00002", "title": "=HYPERLINK(\\"http://x\\")"}\n')
    assert one_paper("harvest", str(formula), "--no-stats").code == 0
    plain, safe = tmp_path / "plain", tmp_path / "safe"
    assert one_paper("export", str(plain), "--format", "csv").code == 0
    assert one_paper("export", str(safe), "--format", "csv", "--safe-csv").code == 0
    assert '"=HYPERLINK(""http://x"")"' in (plain / "papers.csv").read_text()
    papers = (safe / "papers.csv").read_text()
    assert '"\'=HYPERLINK(""http://x"")"' in papers
    assert "\n=" not in papers and ",=" not in papers
    out = one_paper("export", str(tmp_path / "p"), "--format", "parquet", "--safe-csv")
    assert out.code == errors.EXIT_USAGE
    assert "--safe-csv" in one_line(out.stderr)


def test_export_never_overwrites_the_database_even_with_force(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "runs.csv"  # a database named like a file export writes
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD)
    assert cli("harvest", str(good), "--no-stats", "--db", str(db), db=False).code == 0
    before = db.read_bytes()
    out = cli("export", str(tmp_path), "--format", "csv", "--force", "--db", str(db), db=False)
    assert out.code == errors.EXIT_USAGE
    assert "is the database" in one_line(out.stderr)
    assert db.read_bytes() == before
