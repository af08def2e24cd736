"""``Store.query_csv``: the database writes each csv line, byte for byte what ``render`` writes
from the rows in Python, for every value of the types it handles (and Python renders the rest)."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from harvester.errors import QueryError
from harvester.render import csv_lines_sql, render
from harvester.store import Store

STRINGS = ["", "plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", " pad ", "tab\there", "é ☃"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("csv") / "h.duckdb")
    store.ensure()
    return store


def same(store: Store, sql: str, monkeypatch: pytest.MonkeyPatch | None = None) -> str:
    """The csv ``query_csv`` gives equals Python's rendering; with ``monkeypatch``, it must
    also have been written by the database (rendering in Python fails)."""
    result = store.query([sql])
    if monkeypatch is not None:
        with monkeypatch.context() as m:
            m.setattr("harvester.render.render", lambda *a, **k: pytest.fail("rendered in Python"))
            columns, text = store.query_csv([sql])
    else:
        columns, text = store.query_csv([sql])
    assert columns == result.columns
    assert text == render(result.columns, result.rows, "csv")
    return text


def literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"'{value!r}'::DOUBLE" if math.isfinite(value) else f"'{value}'::DOUBLE"
    return "'" + str(value).replace("'", "''") + "'"


def test_random_values_of_every_handled_type(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(14)
    floats = [0.0, -0.0, 0.5, 2.5, 999999.5, 1e6, 1e15 + 0.5, 2.0**53 + 2, 3.4e20, 1.2e37]
    floats += [float("nan"), float("inf"), float("-inf"), 0.855, 1e-5]
    floats += [rng.uniform(-1, 1) * 10 ** rng.randint(-12, 36) for _ in range(300)]
    rows = []
    for k, x in enumerate(floats):
        s = rng.choice([*STRINGS, None])
        rows.append(
            f"({k}, {literal(s)}, {literal(x)}, {literal(x)}::FLOAT, "
            f"{rng.choice(['true', 'false', 'NULL'])}, DATE '2024-01-01' + {k}, "
            f"[{literal(s)}, NULL, {literal(x)}::VARCHAR], [[{k}, NULL], []], "
            f"{rng.randint(-(2**62), 2**62)}::BIGINT)"
        )
    sql = "SELECT * FROM (VALUES " + ", ".join(rows) + ") t(k, s, x, f, b, d, l, n, big) ORDER BY k"
    text = same(store, sql, monkeypatch)
    assert text.count("\n") > len(floats)  # a header and a line per row (some hold line feeds)


def test_a_lone_empty_field_a_null_and_no_rows(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    lone = "SELECT s FROM (VALUES (''), (NULL), ('x')) t(s)"
    assert same(store, lone, monkeypatch) == 's\n""\n""\nx\n'
    assert same(store, "SELECT 1 AS a WHERE false", monkeypatch) == "a\n"


def test_other_types_and_huge_numbers_are_rendered_in_python(store: Store) -> None:
    assert csv_lines_sql([("t", "TIMESTAMP WITH TIME ZONE")]) is None
    assert csv_lines_sql([("a", "VARCHAR"), ("a", "VARCHAR")]) is None  # same name twice
    same(store, "SELECT TIMESTAMPTZ '2024-01-01 10:00:00+00' AS t, 1.50::DECIMAL(5,2) AS d")
    same(store, "SELECT x FROM (VALUES (1.5), (1.7e308)) t(x)")  # beyond what SQL can print


def test_a_bad_query_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.query_csv(["SELECT * FROM no_such_table"])
