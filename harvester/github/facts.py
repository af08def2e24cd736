"""Is the code there? The facts part of the GraphQL batch query, and reading it back. Pure.

Added to every aliased ``repository`` of the batch (``parse.REPO_FIELDS``):

* ``isEmpty diskUsage``: scalars, free.
* ``defaultBranchRef.target``: the head commit's ``committedDate`` (the last commit) and
  ``history(first: 1) { totalCount }`` (commits on the default branch): one connection.
* ``releases(first: 1, orderBy: CREATED_AT DESC)``: count and the newest tag: one connection.
* ``object(expression: "HEAD:")``: the root listing (``Tree.entries`` is a list, not a
  connection: free), from which the licence, citation, runnable and README facts come.
* ``object(expression: "HEAD:README.md")`` and three other common spellings: the README's text
  for the verdict (objects are not connections: free; a missing one is ``null``). A README
  under another name (``Readme.md``, ``README.txt``) has its size from the listing but no
  text. The text is handed to the caller (``GraphQLBatch.readmes``) and never stored.

GitHub's rule (docs: "rate limits and node limits for the GraphQL API"): a query costs
``max(1, round(R / 100))`` points, where ``R`` is the number of requests needed to fulfil each
connection at its ``first``/``last`` limit. Per repository the batch now has three connections
(``repositoryTopics``, ``history``, ``releases``): 300 requests per 100 repositories, 3 points
(it was 1). ``query_cost`` says so, and the engine reserves that much budget per batch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from harvester.github.values import integer as _int
from harvester.github.values import timestamp as _ts
from harvester.placeholder import Entry, RootFacts, root_facts, verdict

# Spellings of the README fetched in the main query (GitHub's lookup is case-sensitive).
README_ALIASES: dict[str, str] = {
    "readme": "README.md",
    "readmeLower": "readme.md",
    "readmeRst": "README.rst",
    "readmePlain": "README",
}

FACT_FIELDS = (
    "isEmpty diskUsage\n"
    "  defaultBranchRef { name target { ... on Commit { committedDate"
    " history(first: 1) { totalCount } } } }\n"
    "  releases(first: 1, orderBy: {field: CREATED_AT, direction: DESC})"
    " { totalCount nodes { tagName publishedAt createdAt } }\n"
    '  rootTree: object(expression: "HEAD:") { ... on Tree { entries { name type size } } }\n'
    + "\n".join(
        f'  {key}: object(expression: "HEAD:{name}") {{ ... on Blob {{ byteSize text }} }}'
        for key, name in README_ALIASES.items()
    )
)

CONNECTIONS_PER_REPO = 3  # repositoryTopics(first: 20), history(first: 1), releases(first: 1)


def query_cost(repositories: int) -> int:
    """Points GitHub's documented rule charges for a batch of this many repositories."""
    return max(1, math.floor(repositories * CONNECTIONS_PER_REPO / 100 + 0.5))


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def entries_of(node: Mapping[str, Any]) -> list[Entry] | None:
    """The root listing, or None when the answer holds none (field not asked, empty repo)."""
    raw = _dict(node.get("rootTree")).get("entries")
    if not isinstance(raw, list):
        return None
    return [
        Entry(str(e["name"]), str(e.get("type") or "blob"), _int(e.get("size")))
        for e in raw
        if isinstance(e, dict) and isinstance(e.get("name"), str)
    ]


def readme_text(node: Mapping[str, Any], name: str | None) -> str | None:
    """The README's text from whichever alias fetched the root README's spelling."""
    for key, spelling in README_ALIASES.items():
        if name is None or spelling == name:
            text = _dict(node.get(key)).get("text")
            if isinstance(text, str):
                return text
    return None


def facts_from_graphql(node: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """``RepoStats`` keyword arguments for the facts and the verdict, and the README's text."""
    target = _dict(_dict(node.get("defaultBranchRef")).get("target"))
    history = _dict(target.get("history"))
    releases = _dict(node.get("releases"))
    nodes = releases.get("nodes")
    latest = _dict(nodes[0]) if isinstance(nodes, list) and nodes else {}
    is_empty = node.get("isEmpty")
    empty = is_empty if isinstance(is_empty, bool) else None
    entries = entries_of(node)
    if entries is None and empty is False and "rootTree" in node:
        entries = []  # commits, but HEAD: resolves to nothing: nothing to list
    root = root_facts(entries) if entries is not None else None
    readme_name = root.readme.name if root is not None and root.readme is not None else None
    text = readme_text(node, readme_name) if root is None or readme_name else None
    commits = _int(history.get("totalCount"))
    if empty:
        commits = 0
    kind, reason = verdict(is_empty=empty, entries=entries, commits=commits, readme_text=text)
    facts: dict[str, Any] = {
        "disk_usage": _int(node.get("diskUsage")),
        "is_empty": empty,
        "commits": commits,
        "last_commit_at": _ts(target.get("committedDate")),
        "releases": _int(releases.get("totalCount")),
        "latest_release": latest.get("tagName") if isinstance(latest.get("tagName"), str) else None,
        "latest_release_at": _ts(latest.get("publishedAt")) or _ts(latest.get("createdAt")),
        "has_citation": root.has_citation if root else None,
        "has_license_file": root.has_license_file if root else None,
        "has_runnable": root.has_runnable if root else None,
        "readme_bytes": _readme_bytes(root, node, readme_name),
        "verdict": kind,
        "verdict_reason": reason,
    }
    return facts, text


def _readme_bytes(root: RootFacts | None, node: Mapping[str, Any], name: str | None) -> int | None:
    if root is None:
        return None
    if root.readme is None:
        return 0
    if root.readme.size is not None:
        return int(root.readme.size)
    for key, spelling in README_ALIASES.items():
        if spelling == name:
            return _int(_dict(node.get(key)).get("byteSize"))
    return None
