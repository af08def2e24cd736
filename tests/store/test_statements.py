"""The store's SQL files: every named statement is one statement, and each module uses exactly
the statements of its file (a typo or a dead statement fails here, not in a user's harvest)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import duckdb
import pytest

import harvester.store
from harvester.store import statements

GROUPS = (
    "derived",
    "runs",
    "papers",
    "repos",
    "read",
    "documents",
    "roles",
)  # sql/<group>.sql, used by harvester/store/<group>.py
PACKAGE = Path(harvester.store.__file__).parent


def test_every_sql_file_is_a_group() -> None:
    shipped = resources.files("harvester.store").joinpath("sql").iterdir()
    assert sorted(f.name for f in shipped if f.name.endswith(".sql")) == sorted(
        f"{g}.sql" for g in GROUPS
    )


@pytest.mark.parametrize("group", GROUPS)
def test_each_named_statement_is_one_statement(group: str) -> None:
    named = statements.group(group)
    assert named
    for name, sql in named.items():
        assert len(duckdb.extract_statements(sql)) == 1, f"sql/{group}.sql: {name}"


@pytest.mark.parametrize("group", GROUPS)
def test_each_module_uses_exactly_its_statements(group: str) -> None:
    source = (PACKAGE / f"{group}.py").read_text()
    used = set(re.findall(r'_SQL\["([a-z_]+)"\]', source))
    assert used == set(statements.group(group)), group


def test_a_file_is_read_once() -> None:
    assert statements.group("repos") is statements.group("repos")
