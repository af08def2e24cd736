"""The fake GitHub's repository contents and GraphQL cost (used by ``tests.fakegithub``).

* ``generated_facts``: deterministic contents for a generated repository: commits, the head
  commit's date, releases and a root listing with a README that shows how to run its code.
* ``graphql_facts``: what GitHub's GraphQL answers for ``isEmpty``, ``defaultBranchRef``,
  ``releases`` and every aliased ``object(expression: "HEAD:...")`` the query asks for (the fake
  does not interpret selection sets, but these aliases are read from the query so the answer
  has the keys a client asked for): ``HEAD:`` is the root ``Tree``, ``HEAD:NAME`` a root
  ``Blob`` or ``null`` (GitHub's lookup is case-sensitive).
* ``query_cost``: GitHub's documented rule, computed from the query received: the number of
  requests ``R`` needed to fulfil every connection (a field with a ``first``/``last``
  argument), each nested one multiplied by the ``first``/``last`` of the connections around
  it; aliased top-level fields are not connections; cost ``max(1, round(R / 100))``. Needs
  graphql-core (a test dependency) to read the query.

A record's contents: ``files`` maps a root name to its text (``None``: a folder), ``commits``,
``last_commit_at`` (ISO), ``releases`` (``[{"tag": ..., "published_at": ...}]``, newest first)
and ``is_empty``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

_OBJECT = re.compile(
    r'(?P<alias>[_A-Za-z]\w*)\s*:\s*object\s*\(\s*expression\s*:\s*"HEAD:(?P<path>[^"]*)"\s*\)'
)


def generated_facts(name: str, u: list[float], pushed_iso: str, spdx: str | None) -> dict[str, Any]:
    commits = 1 + int(400 * u[7] ** 3)
    files: dict[str, str | None] = {
        "README.md": f"# {name}\n\n```bash\npip install -r requirements.txt\n"
        "python train.py\n```\n",
        "requirements.txt": "torch\n",
        "train.py": "print('train')\n",
        "src": None,
    }
    if spdx is not None:
        files["LICENSE"] = f"{spdx} licence text\n"
    if u[6] > 0.8:
        files["CITATION.cff"] = "cff-version: 1.2.0\n"
    n_releases = int(6 * u[5] ** 4)
    releases = [
        {"tag": f"v0.{n_releases - i}", "published_at": pushed_iso} for i in range(n_releases)
    ]
    return {
        "is_empty": False,
        "commits": commits,
        "last_commit_at": pushed_iso,
        "releases": releases,
        "files": files,
    }


def _entries(files: Mapping[str, str | None]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "type": "tree" if text is None else "blob",
            "size": 0 if text is None else len(text.encode()),
        }
        for name, text in sorted(files.items())
    ]


@functools.lru_cache(maxsize=8)
def _object_aliases(query: str) -> tuple[tuple[str, str], ...]:
    """Every ``alias: object(expression: "HEAD:path")`` in ``query``, read once per query
    (not once per repository of a 100-alias batch)."""
    return tuple((m.group("alias"), m.group("path")) for m in _OBJECT.finditer(query))


def graphql_facts(rec: Mapping[str, Any], query: str) -> dict[str, Any]:
    empty = bool(rec["is_empty"])
    files: Mapping[str, str | None] = {} if empty else rec["files"]
    releases = list(rec["releases"])
    out: dict[str, Any] = {
        "isEmpty": empty,
        "defaultBranchRef": None
        if empty
        else {
            "name": rec["default_branch"],
            "target": {
                "__typename": "Commit",
                "committedDate": rec["last_commit_at"],
                "history": {"totalCount": rec["commits"]},
            },
        },
        "releases": {
            "totalCount": len(releases),
            "nodes": [
                {
                    "tagName": r["tag"],
                    "publishedAt": r["published_at"],
                    "createdAt": r["published_at"],
                }
                for r in releases[:1]
            ],
        },
    }
    for alias, path in _object_aliases(query):
        if empty:
            out[alias] = None
        elif path == "":
            out[alias] = {"__typename": "Tree", "entries": _entries(files)}
        else:
            text = files.get(path)
            out[alias] = (
                None
                if text is None
                else {"__typename": "Blob", "byteSize": len(text.encode()), "text": text}
            )
    return out


# A string with no escape, control character or quote inside: replacing it by "" changes
# neither whether the query parses nor its cost, which only counts fields and first/last.
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')


def query_cost(query: str) -> tuple[int, int]:
    """(points, requests R) by GitHub's documented rule; (1, 0) when the query is unreadable.

    Batches differ only in the names they ask for, so the cost is computed once per query
    shape: when every string in the query is plain (no block string, comment or escape that
    could change how quotes pair up), the strings are blanked before the cached computation.
    """
    if '"""' not in query and "#" not in query and "\\" not in query:
        shape = _PLAIN_STRING.sub('""', query)
        if '"""' not in shape and '"' not in _PLAIN_STRING.sub("", shape):
            return _cost(shape)
    return _cost.__wrapped__(query)


@functools.lru_cache(maxsize=32)
def _cost(query: str) -> tuple[int, int]:
    try:
        from graphql import parse
        from graphql.language import ast
    except ImportError:  # pragma: no cover - graphql-core is a test dependency
        return 1, 0
    try:
        document = parse(query)
    except Exception:
        return 1, 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, ast.FragmentDefinitionNode)
    }

    def limit(field: ast.FieldNode) -> int | None:
        for arg in field.arguments or ():
            if arg.name.value in ("first", "last") and isinstance(arg.value, ast.IntValueNode):
                return int(arg.value.value)
        return None

    def fields(selection_set: ast.SelectionSetNode | None) -> Iterator[ast.FieldNode]:
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, ast.FieldNode):
                yield sel
            elif isinstance(sel, ast.InlineFragmentNode):
                yield from fields(sel.selection_set)
            elif isinstance(sel, ast.FragmentSpreadNode) and sel.name.value in fragments:
                yield from fields(fragments[sel.name.value].selection_set)

    def requests(selection_set: ast.SelectionSetNode | None, times: int) -> int:
        total = 0
        for f in fields(selection_set):
            n = limit(f)
            if n is None:
                total += requests(f.selection_set, times)
            else:
                total += times + requests(f.selection_set, times * n)
        return total

    r = 0
    for d in document.definitions:
        if isinstance(d, ast.OperationDefinitionNode):
            r += requests(d.selection_set, 1)
    return max(1, math.floor(r / 100 + 0.5)), r
