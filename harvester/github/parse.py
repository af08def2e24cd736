"""Pure translation between GitHub's wire formats and our records. No I/O.

* ``build_query`` writes one GraphQL document with up to 100 aliased ``repository`` fields.
* ``parse_graphql`` splits a response into found repositories and per-alias failures, keeping
  the partial ``data`` when some aliases failed (GitHub answers HTTP 200 with ``errors``).
* ``repo_from_rest`` / ``repo_from_graphql`` build a :class:`RepoStats` from either API (the
  is-the-code-there facts and the verdict: ``facts``; REST has none of them but the size).
* ``rate_from_headers`` / ``rate_from_graphql`` read the budget GitHub reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harvester.github.facts import FACT_FIELDS, facts_from_graphql
from harvester.github.transport import Reply
from harvester.github.values import integer as _int
from harvester.github.values import timestamp as _ts
from harvester.models import Outcome, RepoStats, Status, name_key

REPO_FIELDS = (
    """
  databaseId nameWithOwner stargazerCount forkCount
  watchers { totalCount } issues(states: OPEN) { totalCount }
  primaryLanguage { name } licenseInfo { spdxId name }
  repositoryTopics(first: 20) { nodes { topic { name } } }
  description homepageUrl createdAt pushedAt updatedAt isArchived isFork
""".strip()
    + "\n  "
    + FACT_FIELDS
)

# What the REST path says about the facts it cannot read (one more request per repository for
# the root listing would spend the unauthenticated 60/hour twice as fast).
REST_UNKNOWN = "REST: no root listing, commits or releases (a token gives them, via GraphQL)"

MAX_BATCH = 100
# Sees each README the batch read: (the repository, its text). See engine.Engine.
ReadmeHook = Callable[[RepoStats, str], None]
# GitHub documents RATE_LIMITED; clients have also seen RATE_LIMIT (githubkit#271, 2026).
RATE_LIMIT_TYPES = frozenset({"RATE_LIMITED", "RATE_LIMIT"})


def alias(index: int) -> str:
    return f"r{index}"


def build_query(names: Sequence[str]) -> str:
    """One query for up to 100 ``owner/name`` strings (already validated: no quoting issues,
    but they are JSON-escaped anyway). Alias ``rN`` answers ``names[N]``."""
    if not 0 < len(names) <= MAX_BATCH:
        raise ValueError(f"a batch holds 1..{MAX_BATCH} names, got {len(names)}")
    parts = ["query {", "  rateLimit { cost remaining resetAt limit used }"]
    for i, full in enumerate(names):
        owner, _, name = full.partition("/")
        parts.append(
            f"  {alias(i)}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)})"
            " { ...R }"
        )
    parts.append("}")
    parts.append("fragment R on Repository {\n  " + REPO_FIELDS + "\n}")
    return "\n".join(parts)


def _count(node: Any) -> int | None:
    return _int(node.get("totalCount")) if isinstance(node, dict) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def repo_from_graphql(node: Mapping[str, Any]) -> RepoStats:
    return readme_and_repo(node)[0]


def readme_and_repo(node: Mapping[str, Any]) -> tuple[RepoStats, str | None]:
    """The repository and its README's text (for the verdict and the README hook only)."""
    facts, readme = facts_from_graphql(node)
    lic = node.get("licenseInfo") or {}
    lang = node.get("primaryLanguage") or {}
    topics_node = node.get("repositoryTopics") or {}
    topics = tuple(
        t["topic"]["name"]
        for t in topics_node.get("nodes") or []
        if isinstance(t, dict) and isinstance(t.get("topic"), dict) and t["topic"].get("name")
    )
    spdx = _str(lic.get("spdxId"))
    return RepoStats(
        repo_id=int(node["databaseId"]),
        full_name=str(node["nameWithOwner"]),
        stars=_int(node.get("stargazerCount")) or 0,
        forks=_int(node.get("forkCount")) or 0,
        watchers=_count(node.get("watchers")),
        open_issues=_count(node.get("issues")),
        language=_str(lang.get("name")),
        license=spdx if spdx and spdx != "NOASSERTION" else _str(lic.get("name")),
        topics=topics,
        description=_str(node.get("description")),
        homepage=_str(node.get("homepageUrl")),
        created_at=_ts(node.get("createdAt")),
        pushed_at=_ts(node.get("pushedAt")),
        updated_at=_ts(node.get("updatedAt")),
        archived=bool(node.get("isArchived")),
        is_fork=bool(node.get("isFork")),
        **facts,
    ), readme


def repo_from_rest(data: Mapping[str, Any]) -> RepoStats:
    lic = data.get("license") or {}
    spdx = _str(lic.get("spdx_id"))
    return RepoStats(
        repo_id=int(data["id"]),
        full_name=str(data["full_name"]),
        stars=_int(data.get("stargazers_count")) or 0,
        forks=_int(data.get("forks_count")) or 0,
        # REST's watchers_count is the star count (a legacy alias); subscribers are watchers.
        watchers=_int(data.get("subscribers_count")),
        # REST counts open pull requests as issues too; GraphQL's issues{totalCount} does not.
        open_issues=_int(data.get("open_issues_count")),
        language=_str(data.get("language")),
        license=spdx if spdx and spdx != "NOASSERTION" else _str(lic.get("name")),
        topics=tuple(t for t in data.get("topics") or [] if isinstance(t, str)),
        description=_str(data.get("description")),
        homepage=_str(data.get("homepage")),
        created_at=_ts(data.get("created_at")),
        pushed_at=_ts(data.get("pushed_at")),
        updated_at=_ts(data.get("updated_at")),
        archived=bool(data.get("archived")),
        is_fork=bool(data.get("fork")),
        disk_usage=_int(data.get("size")),
        verdict="unknown",
        verdict_reason=REST_UNKNOWN,
    )


@dataclass(frozen=True, slots=True)
class RateInfo:
    """A budget as GitHub reported it. ``reset_at`` is an aware UTC datetime."""

    resource: str
    limit: int | None
    remaining: int | None
    reset_at: dt.datetime | None
    cost: int | None = None


def rate_from_headers(headers: Mapping[str, str], default_resource: str = "core") -> RateInfo:
    def num(key: str) -> int | None:
        value = headers.get(key)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    reset = num("x-ratelimit-reset")
    return RateInfo(
        resource=headers.get("x-ratelimit-resource") or default_resource,
        limit=num("x-ratelimit-limit"),
        remaining=num("x-ratelimit-remaining"),
        reset_at=dt.datetime.fromtimestamp(reset, dt.UTC) if reset is not None else None,
    )


def rate_from_rate_limit(payload: Any, resource: str) -> RateInfo | None:
    """One resource of a ``GET /rate_limit`` answer (``core``, ``graphql``, ...)."""
    resources = payload.get("resources") if isinstance(payload, dict) else None
    node = resources.get(resource) if isinstance(resources, dict) else None
    if not isinstance(node, dict):
        return None
    reset = _int(node.get("reset"))
    return RateInfo(
        resource=resource,
        limit=_int(node.get("limit")),
        remaining=_int(node.get("remaining")),
        reset_at=dt.datetime.fromtimestamp(reset, dt.UTC) if reset is not None else None,
    )


def rate_from_graphql(node: Any) -> RateInfo | None:
    if not isinstance(node, dict):
        return None
    return RateInfo(
        resource="graphql",
        limit=_int(node.get("limit")),
        remaining=_int(node.get("remaining")),
        reset_at=_ts(node.get("resetAt")),
        cost=_int(node.get("cost")),
    )


@dataclass(slots=True)
class GraphQLBatch:
    """A parsed GraphQL answer for one batch."""

    found: dict[int, RepoStats] = field(default_factory=dict)  # index in batch -> repo
    readmes: dict[int, str] = field(default_factory=dict)  # index -> README text (not stored)
    missing: dict[int, str] = field(default_factory=dict)  # NOT_FOUND: index -> message
    failed: dict[int, str] = field(default_factory=dict)  # other per-alias errors
    rate: RateInfo | None = None
    rate_limited: bool = False
    fatal: str | None = None  # a document-level error (no per-alias path)


def parse_graphql(count: int, payload: Any) -> GraphQLBatch:
    """Split a GraphQL payload for a batch of ``count`` aliases into what we learned."""
    out = GraphQLBatch()
    if not isinstance(payload, dict):
        out.fatal = "GraphQL answer is not a JSON object"
        return out
    raw = payload.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    out.rate = rate_from_graphql(data.get("rateLimit"))
    for err in payload.get("errors") or []:
        if not isinstance(err, dict):
            continue
        kind = err.get("type")
        message = str(err.get("message") or kind or "unknown GraphQL error")
        path = err.get("path") or []
        index = _alias_index(path[0]) if path else None
        if kind in RATE_LIMIT_TYPES:
            out.rate_limited = True
        elif index is None or index >= count:
            out.fatal = out.fatal or message
        elif kind == "NOT_FOUND":
            out.missing[index] = message
        else:
            out.failed[index] = f"{kind}: {message}" if kind else message
    for i in range(count):
        node = data.get(alias(i))
        if isinstance(node, dict) and node.get("databaseId") is not None:
            try:
                out.found[i], readme = readme_and_repo(node)
            except (KeyError, TypeError, ValueError) as exc:
                out.failed[i] = f"unreadable repository data: {exc}"
                continue
            if readme is not None:
                out.readmes[i] = readme
        elif not (i in out.missing or i in out.failed or out.rate_limited or out.fatal):
            out.failed[i] = "no data returned for this repository"
    return out


def _alias_index(name: Any) -> int | None:
    if isinstance(name, str) and name.startswith("r") and name[1:].isdigit():
        return int(name[1:])
    return None


def outcome_from_rest(name: str, reply: Reply) -> Outcome:
    """Classify a REST answer for ``GET /repos/{name}`` (301s were already followed)."""
    data = reply.payload if isinstance(reply.payload, dict) else {}
    message = str(data.get("message") or "").strip()
    etag = reply.headers.get("etag")
    if reply.status == 200 and data.get("id") is not None:
        repo = repo_from_rest(data)
        if name_key(repo.full_name) == name:
            return Outcome(name, Status.OK, repo, etag=etag)
        return Outcome(name, Status.RENAMED, repo, detail=f"now {repo.full_name}", etag=etag)
    if reply.status == 304:
        return Outcome(name, Status.OK, etag=etag, not_modified=True)
    if reply.status == 404:
        return Outcome(name, Status.NOT_FOUND, detail="404 Not Found")
    block = data.get("block")
    if reply.status == 451 or (reply.status == 403 and isinstance(block, dict)):
        reason = block.get("reason") if isinstance(block, dict) else None
        where = block.get("html_url") if isinstance(block, dict) else None
        detail = f"{reply.status} {message or 'Repository access blocked'}"
        if reason:
            detail += f" ({reason})"
        if where:
            detail += f": {where}"
        return Outcome(name, Status.BLOCKED, detail=detail)
    return Outcome(name, Status.ERROR, detail=f"HTTP {reply.status}: {message or 'no message'}")
