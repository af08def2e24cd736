"""Output formats: exact text for each, values made JSON-ready."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from harvester.errors import UsageError
from harvester.render import render

COLUMNS = ["repo", "stars", "when", "topics"]
ROWS = [
    ("a/b", 1200, dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC), ["x", "y"]),
    ("c|d", None, dt.date(2025, 1, 3), []),
]


def test_table_aligns_numbers_right_and_counts_rows() -> None:
    out = render(COLUMNS, ROWS, "table")
    lines = out.splitlines()
    assert lines[0].split() == COLUMNS
    assert lines[2] == "a/b    1200  2025-01-02T03:04:05Z  x, y"
    assert lines[3] == "c|d          2025-01-03"
    assert lines[-1] == "(2 rows)"


def test_json_and_jsonl_are_typed() -> None:
    data = json.loads(render(COLUMNS, ROWS, "json"))
    assert data[0] == {
        "repo": "a/b",
        "stars": 1200,
        "when": "2025-01-02T03:04:05Z",
        "topics": ["x", "y"],
    }
    assert data[1]["stars"] is None and data[1]["when"] == "2025-01-03"
    lines = render(COLUMNS, ROWS, "jsonl").splitlines()
    assert [json.loads(line)["repo"] for line in lines] == ["a/b", "c|d"]


def test_csv_and_markdown() -> None:
    assert render(COLUMNS, ROWS, "csv").splitlines() == [
        "repo,stars,when,topics",
        'a/b,1200,2025-01-02T03:04:05Z,"x, y"',
        "c|d,,2025-01-03,",
    ]
    md = render(COLUMNS, ROWS, "md").splitlines()
    assert md[1] == "|---|---|---|---|"
    assert md[3] == "| c\\|d |  | 2025-01-03 |  |"


def test_unknown_format() -> None:
    with pytest.raises(UsageError, match="unknown format 'xml'"):
        render(COLUMNS, ROWS, "xml")


def test_csv_cells_of_every_kind() -> None:
    # text() takes a shortcut for str and int cells (speed): every kind keeps its exact text
    import decimal
    import enum

    class Level(enum.IntEnum):
        HIGH = 3

    class Name(str):
        def __str__(self) -> str:
            return "shown"

    row = (
        "plain, with comma",
        0,
        -42,
        True,
        False,
        None,
        0.25,
        12345678.9,
        decimal.Decimal("1.50"),
        dt.date(2025, 1, 3),
        dt.timedelta(days=2),
        b"x",
        ("a", 1),
        Level.HIGH,
        Name("raw"),
    )
    columns = [f"c{i}" for i in range(len(row))]
    assert render(columns, [row], "csv").splitlines()[1] == (
        '"plain, with comma",0,-42,true,false,,0.25,12345679,1.5,2025-01-03,"2 days, 0:00:00",'
        "b'x',\"a, 1\",3,shown"
    )
