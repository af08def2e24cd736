"""The store's SQL, kept in ``sql/<group>.sql`` beside the schema and loaded once.

One file per table group (``runs``, ``papers``, ``repos``, ``read``). In a file, a line
``-- name: NAME`` starts a statement; the text up to the next such line is its SQL (comments
included: DuckDB ignores them). Parameters are named (``$now``) and bound from a dict, so a
statement reads the same in the file and in the DuckDB shell. Statements built from column lists
(the upserts) stay in Python, next to the tuples they are built from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

_NAME = re.compile(r"^-- name: ([a-z_]+)[ \t]*$", re.MULTILINE)


@cache
def group(name: str) -> Mapping[str, str]:
    """The named statements of ``sql/<name>.sql``, read once per process."""
    text = resources.files("harvester.store").joinpath("sql", f"{name}.sql").read_text("utf-8")
    parts = _NAME.split(text)  # [header, name, sql, name, sql, ...]
    found: dict[str, str] = {}
    for key, sql in zip(parts[1::2], parts[2::2], strict=True):
        if key in found:
            raise ValueError(f"sql/{name}.sql names {key!r} twice")
        found[key] = sql.strip()
    return MappingProxyType(found)
