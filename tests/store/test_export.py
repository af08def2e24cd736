"""Export at the store level: a report that fails half-way leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from harvester.errors import QueryError, UsageError
from harvester.store import Store
from harvester.store.export import ReportQuery, export


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "h.duckdb")
    store.ensure()
    return store


def test_a_failing_report_leaves_no_partial_file(store: Store, tmp_path: Path) -> None:
    boom = ReportQuery("boom", "SET VARIABLE n = 1;\nSELECT error('boom') FROM range(3);\n")
    with pytest.raises(QueryError, match="boom"):
        export(store, tmp_path / "out", "csv", reports=[boom])
    assert sorted(p.name for p in (tmp_path / "out" / "reports").iterdir()) == []
    assert (tmp_path / "out" / "papers.csv").read_text().startswith("paper_id,source,")


def test_a_report_must_end_with_a_select(store: Store, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="does not end with a SELECT"):
        export(store, tmp_path / "out", "csv", reports=[ReportQuery("x", "SET VARIABLE n = 1;")])


def test_variables_are_bound_and_trailing_comments_are_fine(store: Store, tmp_path: Path) -> None:
    report = ReportQuery(
        "n",
        "SET VARIABLE n = COALESCE(getvariable('n'), 1);\n"
        "SELECT getvariable('n') AS n; -- a comment after the last statement\n",
        [("n", 7)],
    )
    export(store, tmp_path, "csv", reports=[report])
    assert (tmp_path / "reports" / "n.csv").read_text() == "n\n7\n"


def test_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="parquet or csv"):
        export(store, tmp_path, "xlsx")
