"""``harvester export``: every table and report as Parquet/CSV, read back by DuckDB; paths are
bound, never pasted; nothing is overwritten without --force; errors are one line."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from harvester.render import plain
from harvester.reports import list_reports
from tests.cli.conftest import Cli

pytestmark = pytest.mark.shared

CONTRACT = {"mentions", "papers", "repo_names", "repo_snapshots", "repos", "runs"}  # DESIGN §2


# The derived tables' refresh bookkeeping (what writes touched, not data): never exported.
BOOKKEEPING = {"derived_dirty", "derived_todo", "derived_state"}


def _tables(cli: Cli) -> list[str]:
    """Every table but the bookkeeping, as the catalog lists them (later migrations add
    tables: those too)."""
    rows = cli.rows(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    names = [str(r[0]) for r in rows]
    assert set(names) >= CONTRACT | BOOKKEEPING | {"schema_version", "paper_code"}
    return [name for name in names if name not in BOOKKEEPING]


def _read(path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
        return con.execute(f"SELECT * FROM {reader}(?)", [str(path)]).fetchall()
    finally:
        con.close()


def test_parquet_export_of_every_table_and_report(history: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out"
    out = history("export", str(target), "--reports")
    assert out.code == 0, out.stderr
    reports, tables = list_reports(), _tables(history)
    assert f"wrote {len(tables) + len(reports)} files to {target}" in out.stderr
    assert sorted(p.name for p in target.glob("*.parquet")) == [f"{t}.parquet" for t in tables]
    for table in tables:
        assert f"{table}.parquet" in out.stdout
        # the same rows, the same values and types
        stored = history.rows(f"SELECT * FROM {table} ORDER BY ALL")
        assert sorted(_read(target / f"{table}.parquet"), key=repr) == sorted(stored, key=repr)
    listed = {line.split()[0]: int(line.split()[1]) for line in out.stdout.splitlines()[2:-1]}
    for report in reports:
        assert listed[f"reports/{report.name}.parquet"] > 0, report.name
    # the same values as `report` shows, nulls, dates and text included
    for name in ("star_growth", "stars_after_publication", "promised_code", "code_availability"):
        exported = _read(target / "reports" / f"{name}.parquet")
        shown = json.loads(history("report", name, "--format", "json").stdout)
        assert [[plain(v) for v in row] for row in exported] == [
            list(row.values()) for row in shown
        ], name
    growth = _read(target / "reports" / "star_growth.parquet")
    assert growth[0][:4] == ("hkust-nlp/Vision4Chart", 90_500, 91_200, 700)
    assert not list(target.rglob(".*partial*"))


def test_csv_export_reads_back(history: Cli, tmp_path: Path) -> None:
    out = history("export", str(tmp_path), "--format", "csv")
    assert out.code == 0, out.stderr
    assert not (tmp_path / "reports").exists()
    snapshots = (tmp_path / "repo_snapshots.csv").read_text("utf-8").splitlines()
    columns = [str(c) for (c,) in history.rows("SELECT column_name FROM (DESCRIBE repo_snapshots)")]
    assert snapshots[0] == ",".join(columns)
    assert snapshots[0].startswith("repo_id,run_id,fetched_at,stars,forks,open_issues,pushed_at,")
    assert len(snapshots) - 1 == history.one("SELECT count(*) FROM repo_snapshots")
    papers = _read(tmp_path / "papers.csv")
    assert len(papers) == history.one("SELECT count(*) FROM papers")


def test_existing_files_are_not_overwritten_without_force(history: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "repos.parquet").write_text("an older export")
    refused = history("export", str(tmp_path))
    assert refused.code == errors.EXIT_USAGE
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "repos.parquet already exists" in refused.stderr and "--force" in refused.stderr
    assert (tmp_path / "repos.parquet").read_text() == "an older export"
    assert not (tmp_path / "papers.parquet").exists()  # refused before writing anything
    forced = history("export", str(tmp_path), "--force")
    assert forced.code == 0, forced.stderr
    assert len(_read(tmp_path / "repos.parquet")) == history.one("SELECT count(*) FROM repos")
    assert (tmp_path / "notes.txt").read_text() == "mine"  # other files are left alone


def test_paths_are_bound_not_pasted(history: Cli, tmp_path: Path) -> None:
    odd = tmp_path / 'it\'s a "dir"; DROP TABLE papers; --' / "out put"
    out = history("export", str(odd), "--format", "csv")
    assert out.code == 0, out.stderr
    assert (odd / "papers.csv").is_file()
    assert history.one("SELECT count(*) FROM papers") > 0


def test_export_errors_are_one_line(history: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args, code, message in [
        ([str(blocker)], errors.EXIT_USAGE, "it is a file"),
        ([str(blocker / "sub")], errors.EXIT_USAGE, "cannot create"),
        ([str(tmp_path / "x"), "--format", "xlsx"], errors.EXIT_USAGE, "parquet or csv"),
    ]:
        out = history("export", *args)
        assert out.code == code, (args, out.stderr)
        assert out.stderr.count("\n") == 1 and message in out.stderr, out.stderr
    missing = history(
        "export", str(tmp_path / "y"), "--db", str(tmp_path / "none.duckdb"), db=False
    )
    assert missing.code == errors.EXIT_STORE and "no database" in missing.stderr
    assert not (tmp_path / "y").exists()
