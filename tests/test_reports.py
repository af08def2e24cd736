"""Report files: headers, typed parameters bound (never pasted), and every shipped report runs."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from harvester.errors import UsageError
from harvester.models import Mention, Outcome, Paper, RepoStats, Status
from harvester.reports import find_report, list_reports, parse_params, parse_report, queries_dir
from harvester.store import Store

SAMPLE = """-- title: Sample report
-- description: First line
--   continues here.
-- param: min_stars = 5   Minimum stars.
-- param: since = '2024-01-01'   Since when.
-- param: label = 'x'   A label.
-- param: ratio = 0.5   A ratio.
SET VARIABLE min_stars = COALESCE(getvariable('min_stars'), 5);
SELECT 1;
"""


def test_header_is_parsed_with_typed_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sample.sql"
    path.write_text(SAMPLE)
    report = parse_report(path)
    assert report.name == "sample" and report.title == "Sample report"
    assert report.description == "First line continues here."
    assert [(p.name, p.default, p.type_name) for p in report.params] == [
        ("min_stars", 5, "integer"),
        ("since", dt.date(2024, 1, 1), "date"),
        ("label", "x", "text"),
        ("ratio", 0.5, "number"),
    ]
    assert report.bind({"min_stars": "10", "since": "2025-02-03", "label": "y"}) == [
        ("min_stars", 10),
        ("since", dt.date(2025, 2, 3)),
        ("label", "y"),
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"min_stars": "ten"}, "min_stars expects an integer"),
        ({"since": "2025-13-01"}, r"since expects a date \(YYYY-MM-DD\)"),
        ({"nope": "1"}, "has no parameter 'nope'"),
    ],
)
def test_bad_parameters_are_usage_errors(
    tmp_path: Path, given: dict[str, str], message: str
) -> None:
    path = tmp_path / "sample.sql"
    path.write_text(SAMPLE)
    with pytest.raises(UsageError, match=message):
        parse_report(path).bind(given)


def test_parse_params() -> None:
    assert parse_params(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(UsageError, match="NAME=VALUE"):
        parse_params(["since"])


def test_unknown_report_suggests_close_names() -> None:
    with pytest.raises(UsageError, match="did you mean top_owners, top_repos"):
        find_report("top")
    with pytest.raises(UsageError, match="no report named 'zzz'"):
        find_report("zzz")


def test_shipped_reports_have_headers_and_defaults() -> None:
    shipped = list_reports()
    assert len(shipped) >= 6
    for report in shipped:
        assert report.title and report.title != report.name.replace("_", " "), report.name
        assert report.description, report.name
        for param in report.params:
            # every parameter has its default set in the SQL itself, for the duckdb shell
            assert f"SET VARIABLE {param.name} = COALESCE(getvariable('{param.name}')" in report.sql


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the schema and nothing else (``Store.ensure``), made once per module;
    each test gets a copy."""
    db = tmp_path_factory.mktemp("empty") / "h.duckdb"
    Store(db).ensure()
    return db


@pytest.mark.parametrize("report", list_reports(), ids=lambda r: r.name)
def test_every_report_runs_on_an_empty_database_both_ways(
    tmp_path: Path, empty_db: Path, report: object
) -> None:
    from harvester.reports import Report

    assert isinstance(report, Report)
    for made in empty_db.parent.iterdir():  # the database (and a lock file, if any)
        shutil.copyfile(made, tmp_path / made.name)
    store = Store(tmp_path / empty_db.name)
    # through harvester, with every parameter bound to its default's type
    values = report.bind({p.name: str(p.default) for p in report.params})
    result = store.query([report.sql], values)
    assert result.columns
    # unchanged, as the duckdb shell would run the file
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        assert con.execute(report.sql).description
    finally:
        con.close()


def test_queries_dir_is_the_checkout_queries() -> None:
    assert (queries_dir() / "top_repos.sql").is_file()


def test_a_parameter_name_means_one_default_across_reports() -> None:
    """In one duckdb shell session a report's defaults stay set for the next file .read there
    (SET VARIABLE persists), so two reports must not give one name different defaults."""
    seen: dict[str, tuple[object, str]] = {}
    for report in list_reports():
        for param in report.params:
            default, first = seen.setdefault(param.name, (param.default, report.name))
            assert default == param.default, (
                f"{param.name}: {first} defaults to {default!r}, {report.name} to {param.default!r}"
            )


def test_parameter_help_may_continue_and_defaults_read_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "cont.sql"
    path.write_text(
        "-- title: T\n-- description: D\n"
        "-- param: since = '1900-01-01'   Papers published on or after\n"
        "--   this date: inclusive.\n"
        "-- param: flag = false   A switch.\n"
        "SELECT 1;\n"
    )
    since, flag = parse_report(path).params
    assert since.help == "Papers published on or after this date: inclusive."
    assert (since.default_text, flag.default_text, flag.type_name) == (
        "1900-01-01",
        "false",
        "boolean",
    )
    assert parse_report(path).bind({"flag": "yes"}) == [("flag", True)]


DUCKDB_SHELL = shutil.which("duckdb")


@pytest.mark.skipif(DUCKDB_SHELL is None, reason="the duckdb shell (pip: duckdb-cli) is absent")
def test_every_report_runs_unchanged_in_the_real_duckdb_shell(tmp_path: Path) -> None:
    """PyPI's shell is DuckDB 1.5, which opens a file created with HARVESTER_DUCKDB_STORAGE=v1.4.0
    (DuckDB 2.0's own format needs a 2.x shell)."""
    assert DUCKDB_SHELL is not None
    db = tmp_path / "h.duckdb"
    store = Store(db, storage_version="v1.4.0")
    run, _ = store.begin_run("test", "shell")
    store.save_papers(
        [
            Paper(
                "2501.00001",
                "jsonl",
                title="T",
                abstract="github.com/a/b",
                published_at=dt.date(2025, 1, 2),
            )
        ],
        [Mention("2501.00001", "a/b", "abstract", "https://github.com/a/b")],
        run,
    )
    store.save_outcomes([Outcome("a/b", Status.OK, RepoStats(7, "a/b", 3, 1))], run)
    store.end_run(run, "ok")
    for report in list_reports():
        proc = subprocess.run(
            [DUCKDB_SHELL, "-readonly", "-csv", str(db)],
            input=report.path.read_text(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0 and "Error" not in proc.stderr, (report.name, proc.stderr)
        assert proc.stdout.strip(), report.name
