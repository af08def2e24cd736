"""A fake GitHub API on a loopback port, for tests and benchmarks.

``FakeGitHub`` answers over real HTTP/1.1 (real sockets, status codes, headers, keep-alive) the
parts of GitHub's REST and GraphQL APIs that harvester uses::

    GET  /repos/{owner}/{name}     GET /repositories/{id}     GET /rate_limit
    POST /graphql                  aliased ``repository(owner:, name:)`` fields and ``rateLimit``
    GET  /repos/{owner}/{name}/readme   GET /search/repositories?q="TEXT" in:readme

READMEs come from ``set_readme``; repository search finds the quoted phrase in them (its words
in order; case, punctuation and HTML tags ignored), with its own budget
(``x-ratelimit-resource: search``: ``search_limit`` requests, 30 with a token and 10 without by
default, per ``search_reset_after`` = 60 s). Forks are left out of search results, as GitHub
does unless asked.

and the same under the GitHub Enterprise Server layout (``/api/v3/...``, ``POST /api/graphql``).

Response shapes follow real recordings (``../shared/fixtures/github``): PyGithub's replay data
(full repository, ``/rate_limit``, 301 for a renamed repository, 304, 401, 403, 5xx), octokit's
fixtures (rename, get-repository) and gidgethub's GraphQL samples (errors with HTTP 200). Where no
recording exists (451, 403 with a ``block`` object, RATE_LIMITED) the shape is GitHub's documented
or publicly reported one.

Repositories come from ``add_repo`` or, with ``auto_repos=True``, spring into existence on first
request with stats derived from a hash of the lower-case name (the same name always gets the same
stats, independent of ``seed``). ``rename``/``remove``/``block``/``touch`` change them as GitHub
would. Fault switches (``fail_rate``, ``hang_rate``, ``reset_rate``, ``truncate_rate``,
``secondary_every``) are off by default and drawn from ``random.Random(seed)``, a fixed number of
draws per request, so the N-th request of a run always gets the same fault.

Repositories have contents (``tests.fakefacts``): root files, commits, releases; ``placeholder``,
``empty`` and ``push_code`` script a repository that holds only a README, one never pushed to,
and one that gains code. GraphQL charges GitHub's documented cost, computed from each query
(``graphql_costs``), and keeps every query received (``graphql_queries``) for schema checks.

Deliberate simplifications: selection sets are not interpreted (every repository object carries
all fields listed in ``_graphql_repo``, so aliases *inside* a selection set are not honoured,
except ``object(expression: "HEAD:...")`` aliases, which are read from the query);
fragments are accepted but not expanded; GraphQL accepts at most 100 ``repository`` fields per
query; a fork carries no ``parent``/``source`` objects; ``open_issues_count`` doubles as GraphQL
``issues.totalCount``.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import hashlib
import json
import math
import random
import re
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, Protocol, Self, cast

from tests.fakefacts import generated_facts, graphql_facts, query_cost

__all__ = ["FakeGitHub", "is_valid_name"]

ID_MIN = 10_000_000
ID_MAX = 2_000_000_000  # exclusive
MAX_ALIASES = 100  # repository fields per GraphQL query
USER_ID = 1  # the token owner named in rate-limit messages

_OWNER_RE = re.compile(r"[A-Za-z0-9-]{1,39}\Z")
_NAME_RE = re.compile(r"[A-Za-z0-9._-]{1,100}\Z")
_DIGITS_RE = re.compile(r"[0-9]{1,12}\Z")

_DOCS_REST = "https://docs.github.com/rest"
_DOCS_REPO = "https://docs.github.com/rest/repos/repos#get-a-repository"
_DOCS_GRAPHQL = "https://docs.github.com/graphql"
_DOCS_PRIMARY = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
_DOCS_SECONDARY = (
    "https://docs.github.com/free-pro-team@latest/rest/overview/"
    "rate-limits-for-the-rest-api#about-secondary-rate-limits"
)
_DOCS_REDIRECT = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api"
_MEDIA_V3 = ("X-GitHub-Media-Type", "github.v3; format=json")
_MEDIA_V4 = ("X-GitHub-Media-Type", "github.v4; format=json")
_JSON_TYPE = ("Content-Type", "application/json; charset=utf-8")

# spdx_id -> (key, name, n); GitHub's license node id is base64("07:License<n>").
_LICENSES: dict[str, tuple[str, str, int]] = {
    "MIT": ("mit", "MIT License", 13),
    "Apache-2.0": ("apache-2.0", "Apache License 2.0", 2),
    "BSD-3-Clause": ("bsd-3-clause", 'BSD 3-Clause "New" or "Revised" License', 5),
    "BSD-2-Clause": ("bsd-2-clause", 'BSD 2-Clause "Simplified" License', 4),
    "GPL-3.0": ("gpl-3.0", "GNU General Public License v3.0", 9),
    "LGPL-3.0": ("lgpl-3.0", "GNU Lesser General Public License v3.0", 12),
    "CC-BY-4.0": ("cc-by-4.0", "Creative Commons Attribution 4.0 International", 25),
    "NOASSERTION": ("other", "Other", 0),  # what GitHub reports for an unrecognised license
}
_LICENSE_POOL: tuple[str | None, ...] = (
    *("MIT",) * 5,
    *("Apache-2.0",) * 4,
    "BSD-3-Clause",
    "GPL-3.0",
    "CC-BY-4.0",
    "NOASSERTION",
    *(None,) * 6,
)
_LANGUAGES: tuple[str | None, ...] = (
    *("Python",) * 7,
    "Jupyter Notebook",
    "Jupyter Notebook",
    "C++",
    "Cuda",
    "JavaScript",
    "TypeScript",
    "Go",
    "Rust",
    "Java",
    "Shell",
    None,
    None,
)
_TOPICS = (
    "benchmark",
    "computer-vision",
    "dataset",
    "deep-learning",
    "diffusion-models",
    "llm",
    "machine-learning",
    "nlp",
    "pytorch",
    "reinforcement-learning",
    "robotics",
    "transformers",
)
_DESCRIPTIONS = (
    "Official implementation of {name}",
    "Code for the paper {name}",
    "PyTorch implementation of {name}",
    "{name}: code, data and models",
)
_T_FIRST = 1_325_376_000  # 2012-01-01: earliest generated created_at
_T_CREATED_MAX = 1_748_736_000  # 2025-06-01
_T_PUSHED_MAX = 1_767_225_600  # 2026-01-01
_DATE_FIELDS = frozenset({"created_at", "updated_at", "pushed_at", "last_commit_at"})
_FIELD_ALIASES = {
    "stars": "stargazers_count",
    "forks": "forks_count",
    "subscribers": "subscribers_count",
    "open_issues": "open_issues_count",
}
_REPO_URLS = (
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
)
_OWNER_URLS = (
    ("followers_url", "/followers"),
    ("following_url", "/following{/other_user}"),
    ("gists_url", "/gists{/gist_id}"),
    ("starred_url", "/starred{/owner}{/repo}"),
    ("subscriptions_url", "/subscriptions"),
    ("organizations_url", "/orgs"),
    ("repos_url", "/repos"),
    ("events_url", "/events{/privacy}"),
    ("received_events_url", "/received_events"),
)
# Bodies of injected server errors, as recorded (the 503 really is HTML sent as JSON).
_ERROR_BODIES = {
    500: b'{"error": "Server Error"}',
    502: b'{"error": "Server Error"}',
    503: b"<html><body><h1>503 Service Unavailable</h1>"
    b"No server is available to handle this request.</body></html>",
}
_GRAPHQL_502 = {
    "data": None,
    "errors": [
        {
            "message": "Something went wrong while executing your query. This may be the result "
            "of a timeout, or it could be a GitHub bug. Please include `FAKE:0000` when "
            "reporting this issue."
        }
    ],
}


# --------------------------------------------------------------------------- names and values


def is_valid_name(owner: str, name: str) -> bool:
    """GitHub's naming rules: owner 1-39 of [A-Za-z0-9-], repo 1-100 of [A-Za-z0-9._-], not ./.."""
    return bool(_OWNER_RE.match(owner) and _NAME_RE.match(name)) and name not in {".", ".."}


def _split_full_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split("/")
    if len(parts) != 2 or not is_valid_name(parts[0], parts[1]):
        raise ValueError(f"not a valid GitHub repository name: {full_name!r}")
    return parts[0], parts[1]


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(value: str) -> float:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def _http_date(iso: str) -> str:
    return datetime.fromtimestamp(_parse_iso(iso), UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def _node_id(kind: str, number: int) -> str:
    """GitHub's legacy global ids, e.g. base64("010:Repository3544490")."""
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(text: str, size: int) -> bytes:
    return hashlib.blake2b(text.lower().encode(), digest_size=size).digest()


def _owner_info(owner: str) -> tuple[int, str]:
    h = _digest(owner, 8)
    owner_id = 1_000 + int.from_bytes(h[:4], "big") % 250_000_000
    return owner_id, ("Organization" if h[4] < 90 else "User")


def _generate(owner: str, name: str) -> dict[str, Any]:
    """Deterministic stats for a repository, from a hash of its lower-case name."""
    h = _digest(f"{owner}/{name}", 64)
    u = [int.from_bytes(h[i : i + 4], "big") / 2**32 for i in range(0, 64, 4)]
    stars = int(10 ** (4.5 * u[0] ** 3)) - 1  # median ~3, 90th percentile ~2,000, max ~30,000
    created = _T_FIRST + u[8] * (_T_CREATED_MAX - _T_FIRST)
    pushed = created + 3600 + u[9] * (_T_PUSHED_MAX - created - 3600)
    updated = pushed + u[10] * 30 * 86400
    n_topics = int(u[6] * 5) if u[6] > 0.4 else 0
    homepage: str | None = None
    if u[15] > 0.7:
        homepage = f"https://{owner.lower()}.github.io/{name}"
    elif u[15] > 0.6:
        homepage = ""  # GitHub returns "" for a cleared homepage
    owner_id, owner_type = _owner_info(owner)
    return {
        "id": 0,  # assigned by the server (unique)
        "owner": owner,
        "name": name,
        "full_name": f"{owner}/{name}",
        "owner_id": owner_id,
        "owner_type": owner_type,
        "description": None
        if u[14] < 0.1
        else _DESCRIPTIONS[h[59] % len(_DESCRIPTIONS)].format(name=name),
        "homepage": homepage,
        "fork": u[13] < 0.03,
        "size": int(10 ** (1 + 5 * u[11])),
        "stargazers_count": stars,
        "subscribers_count": int(1 + math.sqrt(stars) * u[2]),
        "forks_count": int(stars * (0.05 + 0.25 * u[1])),
        "open_issues_count": int(stars**0.6 * u[3]),
        "language": _LANGUAGES[int(u[4] * len(_LANGUAGES))],
        "license": _LICENSE_POOL[int(u[5] * len(_LICENSE_POOL))],
        "topics": sorted({_TOPICS[h[48 + i] % len(_TOPICS)] for i in range(n_topics)}),
        "archived": u[12] < 0.05,
        "disabled": False,
        "private": False,
        "visibility": "public",
        "default_branch": "master" if h[60] % 4 == 0 else "main",
        "created_at": _iso(created),
        "updated_at": _iso(updated),
        "pushed_at": _iso(pushed),
        # contents (tests.fakefacts): root files, commits, releases
        **generated_facts(name, u, _iso(pushed), _LICENSE_POOL[int(u[5] * len(_LICENSE_POOL))]),
    }


_OVERRIDABLE = frozenset(_generate("o", "r")) - {"owner", "name", "full_name"}


def _apply_fields(rec: dict[str, Any], fields: Mapping[str, Any]) -> None:
    for raw_key, raw_value in fields.items():
        key = _FIELD_ALIASES.get(raw_key, raw_key)
        if key not in _OVERRIDABLE:
            raise TypeError(f"unknown repository field {raw_key!r}")
        value = raw_value
        if key in _DATE_FIELDS and isinstance(value, datetime):
            value = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        elif key == "license" and value is not None and not isinstance(value, str):
            raise TypeError("license is an SPDX id such as 'MIT', or None")
        elif key == "topics":
            value = list(value)
        elif key in ("files", "releases"):
            value = dict(value) if key == "files" else [dict(r) for r in value]
        elif key == "id":
            value = int(value)
        rec[key] = value


def _license_json(spdx: str | None, api: str) -> dict[str, Any] | None:
    if spdx is None:
        return None
    key, name, number = _LICENSES.get(spdx, (spdx.lower(), spdx, 99))
    return {
        "key": key,
        "name": name,
        "spdx_id": spdx,
        "url": None if key == "other" else f"{api}/licenses/{key}",
        "node_id": _node_id("License", number),
    }


def _rest_repo(rec: dict[str, Any], api: str, html: str, authed: bool) -> dict[str, Any]:
    """The full-repository JSON of ``GET /repos/{owner}/{repo}`` (key order as recorded)."""
    full, owner, owner_id = rec["full_name"], rec["owner"], rec["owner_id"]
    repo_api, owner_api = f"{api}/repos/{full}", f"{api}/users/{owner}"
    owner_json: dict[str, Any] = {
        "login": owner,
        "id": owner_id,
        "node_id": _node_id(rec["owner_type"], owner_id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{owner_id}?v=4",
        "gravatar_id": "",
        "url": owner_api,
        "html_url": f"{html}/{owner}",
    }
    owner_json.update((k, owner_api + suffix) for k, suffix in _OWNER_URLS)
    owner_json.update(type=rec["owner_type"], user_view_type="public", site_admin=False)
    d: dict[str, Any] = {
        "id": rec["id"],
        "node_id": _node_id("Repository", rec["id"]),
        "name": rec["name"],
        "full_name": full,
        "private": rec["private"],
        "owner": owner_json,
        "html_url": f"{html}/{full}",
        "description": rec["description"],
        "fork": rec["fork"],
        "url": repo_api,
    }
    d.update((k, repo_api + suffix) for k, suffix in _REPO_URLS)
    host = html.split("://", 1)[1]
    stars, forks, issues = rec["stargazers_count"], rec["forks_count"], rec["open_issues_count"]
    d.update(
        created_at=rec["created_at"],
        updated_at=rec["updated_at"],
        pushed_at=rec["pushed_at"],
        git_url=f"git://{host}/{full}.git",
        ssh_url=f"git@{host}:{full}.git",
        clone_url=f"{html}/{full}.git",
        svn_url=f"{html}/{full}",
        homepage=rec["homepage"],
        size=rec["size"],
        stargazers_count=stars,
        watchers_count=stars,  # GitHub's REST "watchers" are stargazers
        language=rec["language"],
        has_issues=True,
        has_projects=True,
        has_downloads=True,
        has_wiki=True,
        has_pages=False,
        has_discussions=False,
        forks_count=forks,
        mirror_url=None,
        archived=rec["archived"],
        disabled=rec["disabled"],
        open_issues_count=issues,
        license=_license_json(rec["license"], api),
        allow_forking=True,
        is_template=False,
        web_commit_signoff_required=False,
        topics=list(rec["topics"]),
        visibility=rec["visibility"],
        forks=forks,
        open_issues=issues,
        watchers=stars,
        default_branch=rec["default_branch"],
    )
    if authed:
        d["permissions"] = {
            "admin": False,
            "maintain": False,
            "push": False,
            "triage": False,
            "pull": True,
        }
    if rec["owner_type"] == "Organization":
        d["organization"] = owner_json
    d["network_count"] = forks
    d["subscribers_count"] = rec["subscribers_count"]
    return d


def _graphql_repo(rec: dict[str, Any], html: str, query: str = "") -> dict[str, Any]:
    """Every Repository field a client may select (selection sets are not interpreted; the
    ``object(expression:)`` aliases are read from ``query``: tests.fakefacts)."""
    spdx = rec["license"]
    license_info = None
    if spdx is not None:
        key, name, _ = _LICENSES.get(spdx, (spdx.lower(), spdx, 99))
        url = None if key == "other" else f"http://choosealicense.com/licenses/{key}/"
        license_info = {"key": key, "name": name, "spdxId": spdx, "url": url}
    topics = rec["topics"]
    language = rec["language"]
    return {
        "__typename": "Repository",
        "databaseId": rec["id"],
        "id": _node_id("Repository", rec["id"]),
        "name": rec["name"],
        "nameWithOwner": rec["full_name"],
        "owner": {"__typename": rec["owner_type"], "login": rec["owner"]},
        "url": f"{html}/{rec['full_name']}",
        "description": rec["description"],
        "homepageUrl": rec["homepage"],
        "stargazerCount": rec["stargazers_count"],
        "stargazers": {"totalCount": rec["stargazers_count"]},
        "forkCount": rec["forks_count"],
        "forks": {"totalCount": rec["forks_count"]},
        "watchers": {"totalCount": rec["subscribers_count"]},
        "issues": {"totalCount": rec["open_issues_count"]},
        "primaryLanguage": {"name": language} if language else None,
        "licenseInfo": license_info,
        "repositoryTopics": {
            "totalCount": len(topics),
            "nodes": [{"topic": {"name": t}} for t in topics],
        },
        "diskUsage": rec["size"],
        "createdAt": rec["created_at"],
        "pushedAt": rec["pushed_at"],
        "updatedAt": rec["updated_at"],
        "isArchived": rec["archived"],
        "isFork": rec["fork"],
        "isPrivate": rec["private"],
        "isDisabled": rec["disabled"],
        "visibility": rec["visibility"].upper(),
        **graphql_facts(rec, query),
    }


# --------------------------------------------------------------------------- GraphQL (regex-level)

# Strings, comments and braces: enough to blank out nested selection sets.
_GQL_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*|[{}]')
_GQL_OP = re.compile(
    r"[\s,]*(?:(?P<kw>query)\b[\s,]*(?P<opname>[_A-Za-z]\w*)?[\s,]*"
    r"(?:\((?P<vars>[^()]*)\))?[\s,]*)?\{"
)
_GQL_FIELD = re.compile(
    r"[\s,]*(?:(?P<alias>[_A-Za-z]\w*)[\s,]*:[\s,]*)?(?P<name>[_A-Za-z]\w*)[\s,]*"
    r'(?:\((?P<args>(?:"(?:[^"\\\n]|\\.)*"|[^()"])*)\))?[\s,]*(?P<sel>\{[^{}]*\})?'
)
_GQL_CLOSE = re.compile(r"[\s,]*\}")
_GQL_FRAGMENT = re.compile(
    r"[\s,]*fragment[\s,]+[_A-Za-z]\w*[\s,]+on[\s,]+[_A-Za-z]\w*[\s,]*\{(?:[^{}]|\{[^{}]*\})*\}"
)
_GQL_END = re.compile(r"[\s,]*\Z")
_GQL_ARG = re.compile(
    r'[\s,]*(?P<key>[_A-Za-z]\w*)[\s,]*:[\s,]*(?P<value>"(?:[^"\\\n]|\\.)*"|\$[_A-Za-z]\w*|[-+.\w]+)'
    r"[\s,]*"
)
_GQL_NEXT = re.compile(
    r'[\s,]*(?P<tok>"(?:[^"\\\n]|\\.)*"?|\.\.\.|[_A-Za-z]\w*|-?\d+(?:\.\d+)?|\S)?'
)
_GQL_PUNCT = {
    "{": "LCURLY",
    "}": "RCURLY",
    "(": "LPAREN",
    ")": "RPAREN",
    ":": "COLON",
    "$": "VAR_SIGN",
    "...": "ELLIPSIS",
    "=": "EQUALS",
    "!": "BANG",
    "[": "LBRACKET",
    "]": "RBRACKET",
    "@": "DIR_SIGN",
}
_GQL_KEYWORDS = frozenset(
    {"query", "mutation", "subscription", "fragment", "on", "true", "false", "null"}
)
_TOP_FIELDS = frozenset({"repository", "rateLimit", "__typename"})


class _Field(NamedTuple):
    key: str  # the response key: alias, or the field name
    name: str  # repository | rateLimit | __typename
    owner: str
    repo: str
    dry_run: bool
    line: int
    column: int


class _Operation(NamedTuple):
    text: str
    match: re.Match[str]
    variables: Mapping[str, Any]
    declared: set[str]
    label: str  # "query" or "query Name": first element of error paths
    users: str  # "anonymous query" or "query Name": who uses an undeclared variable


class _GraphQLError(Exception):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"])
        self.errors = errors


def _location(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


def _parse_error(flat: str, text: str, pos: int) -> _GraphQLError:
    m = _GQL_NEXT.match(flat, pos)
    tok = m.group("tok") if m else None
    if not tok:
        return _GraphQLError([{"message": "Unexpected end of document", "locations": []}])
    line, column = _location(text, m.start("tok") if m else pos)
    if tok.startswith('"'):
        kind, tok = "STRING", tok.strip('"')
    elif tok in _GQL_PUNCT:
        kind = _GQL_PUNCT[tok]
    elif tok in _GQL_KEYWORDS:
        kind = tok.upper()
    elif tok[0] == "_" or tok[0].isalpha():
        kind = "IDENTIFIER"
    elif tok[-1].isdigit():
        kind = "FLOAT" if "." in tok else "INT"
    else:
        kind = "UNKNOWN_CHAR"
    message = f'Parse error on "{tok}" ({kind}) at [{line}, {column}]'
    return _GraphQLError([{"message": message, "locations": [{"line": line, "column": column}]}])


def _flatten(text: str) -> str:
    """The query with comments and everything inside nested selection sets blanked out.

    Positions are preserved, so the top-level structure can be read with plain regexes.
    """
    out: list[str] = []
    depth = 0
    last = 0
    for m in _GQL_TOKEN.finditer(text):
        start, end = m.span()
        tok = m.group()
        if depth >= 2:
            if tok == "{":
                depth += 1
            elif tok == "}":
                depth -= 1
                if depth == 1:
                    out.append(" " * (start - last))
                    out.append("}")
                    last = end
            continue
        out.append(text[last:start])
        last = end
        if tok == "{":
            depth += 1
            out.append("{")
        elif tok == "}":
            if depth == 0:
                raise _parse_error(text, text, start)
            depth -= 1
            out.append("}")
        elif tok[0] == "#":
            out.append(" " * (end - start))
        else:
            out.append(tok)
    if depth:
        raise _GraphQLError([{"message": "Unexpected end of document", "locations": []}])
    out.append(text[last:])
    return "".join(out)


def parse_query(text: str, variables: Mapping[str, Any]) -> list[_Field]:
    """Read the top-level fields of a query; raise ``_GraphQLError`` with GitHub-shaped errors."""
    flat = _flatten(text)
    op = _GQL_OP.match(flat)
    if op is None:
        raise _parse_error(flat, text, 0)
    op_label = f"query {op.group('opname')}" if op.group("opname") else "query"
    ctx = _Operation(
        text,
        op,
        variables,
        set(re.findall(r"\$([_A-Za-z]\w*)", op.group("vars") or "")),
        op_label,
        op_label if op.group("opname") else "anonymous query",
    )
    pos = op.end()
    fields: list[_Field] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, _Field] = {}
    n_selections = 0
    while True:
        close = _GQL_CLOSE.match(flat, pos)
        if close is not None and n_selections:
            pos = close.end()
            break
        m = _GQL_FIELD.match(flat, pos)
        if close is not None or m is None or m.end() == pos:
            raise _parse_error(flat, text, pos)
        pos = m.end()
        n_selections += 1
        name = m.group("name")
        key = m.group("alias") or name
        line, column = _location(text, m.start("alias") if m.group("alias") else m.start("name"))
        loc = [{"line": line, "column": column}]
        args = _parse_args(flat, text, m.start("args"), m.group("args") or "")
        where = ([op_label, key], loc)
        if name not in _TOP_FIELDS:
            message = f"Field '{name}' doesn't exist on type 'Query'"
            errors.append(
                _invalid(message, *where, code="undefinedField", typeName="Query", fieldName=name)
            )
            continue
        if name != "__typename" and m.group("sel") is None:
            type_name = "Repository" if name == "repository" else "RateLimit"
            message = (
                f"Field must have selections (field '{name}' returns {type_name} but has no "
                f"selections. Did you mean '{name} {{ ... }}'?)"
            )
            extensions = {"nodeName": f"field '{name}'", "typeName": type_name}
            errors.append(_invalid(message, *where, code="selectionMismatch", **extensions))
            continue
        values: dict[str, str] = {}
        if name == "repository":
            missing = ", ".join(a for a in ("owner", "name") if a not in args)
            if missing:
                message = f"Field 'repository' is missing required arguments: {missing}"
                extensions = {"className": "Field", "name": "repository", "arguments": missing}
                errors.append(
                    _invalid(message, *where, code="missingRequiredArguments", **extensions)
                )
                continue
            for arg in ("owner", "name"):
                value = _argument_value(args[arg], arg, key, loc, ctx)
                if isinstance(value, dict):
                    errors.append(value)
                else:
                    values[arg] = value
            if len(values) < 2:
                continue
        field = _Field(
            key,
            name,
            values.get("owner", ""),
            values.get("name", ""),
            args.get("dryRun") == "true",
            line,
            column,
        )
        previous = seen.get(key)
        if previous is not None and previous[1:5] != field[1:5]:
            message = (
                f"Field '{key}' has an argument conflict: "
                f"{{{previous.owner}/{previous.repo}}} or {{{field.owner}/{field.repo}}}?"
            )
            both = [{"line": previous.line, "column": previous.column}, *loc]
            errors.append(_invalid(message, [], both, code="fieldConflict", fieldName=key))
        elif previous is None:
            seen[key] = field
            fields.append(field)
    while not _GQL_END.match(flat, pos):
        fragment = _GQL_FRAGMENT.match(flat, pos)
        if fragment is None:
            raise _parse_error(flat, text, pos)
        pos = fragment.end()
    if errors:
        raise _GraphQLError(errors)
    return fields


def _invalid(
    message: str, path: list[str], locations: list[dict[str, int]], /, **extensions: str
) -> dict[str, Any]:
    """A validation error, in GitHub's key order."""
    return {"path": path, "extensions": extensions, "locations": locations, "message": message}


def _parse_args(flat: str, text: str, start: int, args_text: str) -> dict[str, str]:
    args: dict[str, str] = {}
    pos = 0
    while pos < len(args_text):
        m = _GQL_ARG.match(args_text, pos)
        if m is None or m.end() == pos:
            if not args_text[pos:].strip(" \t\r\n,"):
                break
            raise _parse_error(flat, text, start + pos)
        args[m.group("key")] = m.group("value")
        pos = m.end()
    return args


def _argument_value(
    raw: str, arg: str, key: str, loc: list[dict[str, int]], ctx: _Operation
) -> str | dict[str, Any]:
    """The string value of an argument, or a GitHub-shaped error entry."""
    if raw.startswith('"'):
        try:
            return cast(str, json.loads(raw))
        except ValueError:
            pass
    elif raw.startswith("$"):
        var = raw[1:]
        if var not in ctx.declared:
            message = f"Variable ${var} is used by {ctx.users} but not declared"
            path = [ctx.label, key]
            return _invalid(message, path, loc, code="variableNotDefined", variableName=var)
        value = ctx.variables.get(var)
        if isinstance(value, str):
            return value
        op = ctx.match
        decl = ctx.text.find("$" + var, op.start(), op.end())
        line, column = _location(ctx.text, decl if decl >= 0 else op.start())
        explanation = (
            "Expected value to not be null" if value is None else "Could not coerce value to String"
        )
        return {
            "extensions": {
                "value": value,
                "problems": [{"path": [], "explanation": explanation}],
            },
            "locations": [{"line": line, "column": column}],
            "message": f"Variable ${var} of type String! was provided invalid value",
        }
    message = (
        f"Argument '{arg}' on Field 'repository' has an invalid value ({raw}). "
        "Expected type 'String!'."
    )
    extensions = {"typeName": "Field", "argumentName": arg}
    path = [ctx.label, key, arg]
    return _invalid(message, path, loc, code="argumentLiteralsIncompatible", **extensions)


# --------------------------------------------------------------------------- server state


class _Response(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    content_length: int | None = None  # 304 only: the length the 200 body would have


class _Headers(Protocol):
    def get(self, name: str, /) -> str | None: ...


class _Request(NamedTuple):
    method: str
    path: str
    headers: _Headers
    body: bytes
    host: str  # the Host header: links and redirects point back at what the client used
    auth: str  # "none" | "ok" | "bad"
    rid: str  # X-GitHub-Request-Id
    query: str = ""  # the query string, undecoded (repository search reads it)


class _Budget:
    """One rate-limit window (GitHub keeps core and graphql apart)."""

    __slots__ = ("limit", "resource", "used", "window_start")

    def __init__(self, resource: str, limit: int, now: float) -> None:
        self.resource = resource
        self.limit = limit
        self.used = 0
        self.window_start = now

    def roll(self, now: float, reset_after: float) -> None:
        if now - self.window_start >= reset_after:
            self.used = 0
            self.window_start = now

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def reset(self, reset_after: float) -> int:
        return math.ceil(self.window_start + reset_after)

    def spend(self, points: int) -> None:
        self.used = min(self.limit, self.used + points)

    def headers(self, reset_after: float) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(self.reset(reset_after))),
            ("X-RateLimit-Used", str(self.used)),
            ("X-RateLimit-Resource", self.resource),
        ]

    def as_json(self, reset_after: float) -> dict[str, int]:
        return {
            "limit": self.limit,
            "used": self.used,
            "remaining": self.remaining,
            "reset": self.reset(reset_after),
        }


class FakeGitHub:
    """GitHub's REST and GraphQL APIs for one token, served on 127.0.0.1 (see module docstring).

    Usage::

        with FakeGitHub() as gh:
            Github(auth=Auth.Token("test-token"), base_url=gh.url, retry=None, ...)
            httpx.post(gh.graphql_url, json={"query": ...}, headers={"Authorization": ...})

    ``repos`` maps lower-case ``owner/name`` to the live record (REST field names plus ``owner``,
    ``owner_id``, ``owner_type``); counters and fault switches are plain attributes.
    """

    def __init__(
        self,
        *,
        token: str | None = "test-token",
        auto_repos: bool = True,
        latency: float = 0.0,
        seed: int = 0,
        rest_limit: int = 5000,
        graphql_limit: int = 5000,
        reset_after: float = 3600.0,
        host: str = "127.0.0.1",
    ) -> None:
        self.token = token  # None: any token is accepted
        self.auto_repos = auto_repos
        self.latency = latency
        self.seed = seed
        self.reset_after = reset_after
        self.host = host
        self.url = ""
        self.graphql_url = ""
        self.port = 0
        # fault switches (all off)
        self.fail_rate = 0.0
        self.hang_rate = 0.0
        self.hang_seconds = 30.0
        self.reset_rate = 0.0
        self.truncate_rate = 0.0
        self.secondary_every = 0
        self.secondary_retry_after: int | None = 1
        self.secondary_status = 403  # GitHub also answers secondary limits with 429
        # GitHub documents RATE_LIMITED; clients have reported RATE_LIMIT since early 2026
        # (yanyongyu/githubkit#271), so tests can switch.
        self.graphql_rate_limit_type = "RATE_LIMITED"
        # data
        self.repos: dict[str, dict[str, Any]] = {}
        self._by_id: dict[int, str] = {}
        self._ids: set[int] = set()  # every id ever handed out (never reused)
        self._redirects: dict[str, int] = {}  # old lower-case name -> repository id
        self._removed: set[str] = set()
        self._blocked: dict[str, tuple[str, str]] = {}  # key -> (reason, created_at)
        # counters
        self.requests = 0
        self.rest_requests = 0
        self.graphql_requests = 0
        self.graphql_queries: list[str] = []  # every query received, to validate against the schema
        self.graphql_costs: list[int] = []  # points charged per query (tests.fakefacts.query_cost)
        self.not_modified = 0
        self.requests_by_path: collections.Counter[str] = collections.Counter()
        self.connections = 0  # TCP connections accepted (keep-alive reuses them)
        self.server_time_total = 0.0  # seconds producing responses, artificial delays excluded
        self.in_delay = 0  # requests inside their artificial latency right now
        self.peak_in_delay = 0  # the most that ever were at once: proof of overlap, not timing
        self.errors: list[str] = []  # tracebacks of bugs in this server (should stay empty)
        self.faults: collections.Counter[str] = collections.Counter()  # injected, by kind
        now = time.time()
        self._core = _Budget("core", rest_limit, now)
        self._core_anon = _Budget("core", min(60, rest_limit), now)
        self._graphql = _Budget("graphql", graphql_limit, now)
        # READMEs and repository search (issue 12)
        self.readmes: dict[str, str] = {}  # lower-case owner/name -> README text
        self.search_reset_after = 60.0
        self._search = _Budget("search", 30, now)
        self._search_anon = _Budget("search", 10, now)
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._open: set[socket.socket] = set()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeGitHub:
        if self._server is not None:
            raise RuntimeError("FakeGitHub is already running")
        self._stopping.clear()
        server = _Server((self.host, 0), self)
        self._server = server
        self.port = server.server_port
        self.url = f"http://{self.host}:{self.port}"
        self.graphql_url = self.url + "/graphql"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in hang/latency
        server.shutdown()
        server.server_close()
        with self._lock:
            open_connections = list(self._open)
        for conn in open_connections:  # unblock handlers waiting on idle keep-alive connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ data

    def add_repo(self, full_name: str, **fields: Any) -> dict[str, Any]:
        """Create (or recreate) a repository; ``fields`` override the generated values.

        Accepts the REST field names (``stargazers_count``, ``license`` as an SPDX id, dates as ISO
        strings or datetimes, ...) and the shorthands ``stars``, ``forks``, ``subscribers``,
        ``open_issues``. Returns the live record.
        """
        owner, name = _split_full_name(full_name)
        key = full_name.lower()
        with self._lock:
            existing = self.repos.get(key)
            rec = _generate(owner, name)
            wanted = fields.pop("id", None)
            if wanted is not None:
                rid = int(wanted)
                if rid in self._ids and (existing is None or existing["id"] != rid):
                    raise ValueError(f"repository id {rid} is already in use")
            elif existing is not None:
                rid = existing["id"]
            else:
                rid = self._new_id(key)
            _apply_fields(rec, fields)
            if existing is not None and existing["id"] != rid:
                self._by_id.pop(existing["id"], None)
            rec["id"] = rid
            self._ids.add(rid)
            self.repos[key] = rec
            self._by_id[rid] = key
            self._removed.discard(key)
            self._blocked.pop(key, None)
            self._redirects.pop(key, None)
            return rec

    def rename(self, old_full_name: str, new_full_name: str) -> None:
        """Rename (or transfer) a repository: the old name then redirects to it."""
        new_owner, new_name = _split_full_name(new_full_name)
        new_key = new_full_name.lower()
        with self._lock:
            rec = self._admin_lookup(old_full_name)
            cur_key = rec["full_name"].lower()
            if new_key != cur_key and new_key in self.repos:
                raise ValueError(f"{new_full_name} already exists")
            del self.repos[cur_key]
            if new_owner.lower() != rec["owner"].lower():
                rec["owner_id"], rec["owner_type"] = _owner_info(new_owner)
            rec.update(owner=new_owner, name=new_name, full_name=f"{new_owner}/{new_name}")
            self.repos[new_key] = rec
            self._by_id[rec["id"]] = new_key
            for old in {cur_key, old_full_name.lower()} - {new_key}:
                self._redirects[old] = rec["id"]
            self._redirects.pop(new_key, None)
            self._removed.discard(new_key)
            if cur_key in self._blocked:
                self._blocked[new_key] = self._blocked.pop(cur_key)

    def remove(self, full_name: str) -> None:
        """Delete a repository (or drop a rename redirect): the name then answers 404."""
        key = full_name.lower()
        with self._lock:
            rec = self.repos.pop(key, None)
            if rec is not None:
                self._by_id.pop(rec["id"], None)
            self._redirects.pop(key, None)
            self._blocked.pop(key, None)
            self._removed.add(key)

    def block(self, full_name: str, reason: str = "dmca") -> None:
        """Block access: ``dmca`` answers 451, any other reason (``tos``, ...) 403."""
        with self._lock:
            rec = self._admin_lookup(full_name)
            self._blocked[rec["full_name"].lower()] = (reason, _iso(time.time()))

    def touch(self, full_name: str, **changes: Any) -> None:
        """Change a repository's fields (as ``add_repo``); ``updated_at`` moves forward."""
        with self._lock:
            rec = self._admin_lookup(full_name)
            if "id" in changes:
                raise TypeError("a repository's id never changes; use add_repo")
            _apply_fields(rec, changes)
            if "updated_at" not in changes:
                rec["updated_at"] = _iso(max(time.time(), _parse_iso(rec["updated_at"]) + 1))

    def placeholder(self, full_name: str, readme: str = "# Soon\n\nCode coming soon.\n") -> None:
        """Make a repository a placeholder: one commit, a README and nothing else."""
        self.touch(full_name, files={"README.md": readme}, commits=1, releases=[], is_empty=False)

    def empty(self, full_name: str) -> None:
        """Make a repository empty: created, never pushed to."""
        self.touch(full_name, files={}, commits=0, releases=[], is_empty=True, size=0)

    def push_code(
        self, full_name: str, when: datetime | None = None, release: str | None = None
    ) -> None:
        """Push code to a repository (a placeholder gains it), optionally tagging a release."""
        with self._lock:
            rec = self._admin_lookup(full_name)
            at = (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            files = dict(rec["files"]) | {
                "train.py": "print('train')\n",
                "requirements.txt": "torch\n",
            }
            releases = ([{"tag": release, "published_at": at}] if release else []) + rec["releases"]
        self.touch(
            full_name,
            files=files,
            commits=int(rec["commits"]) + 5,
            last_commit_at=at,
            pushed_at=at,
            releases=releases,
            is_empty=False,
        )

    def reset_counters(self) -> None:
        with self._lock:
            self.requests = 0
            self.rest_requests = 0
            self.graphql_requests = 0
            self.not_modified = 0
            self.requests_by_path.clear()
            self.faults.clear()
            self.connections = 0
            self.server_time_total = 0.0
            self.peak_in_delay = 0

    def refill(self) -> None:
        """Start a fresh window for every budget now, as if ``reset_after`` had just passed
        (for tests that record the client's waits instead of sleeping)."""
        with self._lock:
            now = time.time()
            for budget in (self._core, self._core_anon, self._graphql, self._search):
                budget.window_start = now
                budget.used = 0
            self._search_anon.window_start, self._search_anon.used = now, 0

    @property
    def graphql_rate_limited(self) -> bool:
        """True while the GraphQL budget is spent; setting True spends it for a fresh window
        (refilled ``reset_after`` seconds later), setting False refills it."""
        with self._lock:
            self._graphql.roll(time.time(), self.reset_after)
            return self._graphql.remaining == 0

    @graphql_rate_limited.setter
    def graphql_rate_limited(self, value: bool) -> None:
        with self._lock:
            self._graphql.window_start = time.time()
            self._graphql.used = self._graphql.limit if value else 0

    # ------------------------------------------------------------------ READMEs and search

    def set_readme(self, full_name: str, text: str | None) -> None:
        """Give a repository a README (None: take it away), served by REST (``/readme``) and, for
        a repository added with ``add_repo``, as its root ``README.md`` in GraphQL too."""
        key = full_name.lower()
        with self._lock:
            if text is None:
                self.readmes.pop(key, None)
            else:
                self.readmes[key] = text
            rec = self.repos.get(key)
            if rec is None:
                return
            files = {k: v for k, v in rec["files"].items() if k != "README.md"}
            rec["files"] = files if text is None else files | {"README.md": text}

    @property
    def search_limit(self) -> int:
        return self._search.limit

    @search_limit.setter
    def search_limit(self, value: int) -> None:
        """The search budget per window with a token (without one: a third of it, at least 1)."""
        with self._lock:
            self._search.limit = value
            self._search_anon.limit = max(1, value // 3)

    def _search_budget(self, authed: bool) -> _Budget:
        return self._search if authed else self._search_anon

    def _readme_or_search(self, req: _Request, path: str, core: _Budget) -> _Response | None:
        """GET /repos/{o}/{n}/readme and GET /search/repositories; None for any other path.
        A README spends ``core`` (when it is spent, None lets the caller answer the 403)."""
        parts = path.split("/")
        if req.method == "GET" and path == "/search/repositories":
            return self._search_response(req)
        if not (req.method == "GET" and len(parts) == 5 and parts[1] == "repos"):
            return None
        if parts[4] != "readme" or core.remaining <= 0:
            return None
        core.spend(1)
        kind, rec = (
            self._lookup(parts[2], parts[3])
            if is_valid_name(parts[2], parts[3])
            else (
                "missing",
                None,
            )
        )
        text = self.readmes.get(rec["full_name"].lower()) if kind == "ok" else None
        if text is None:
            body = {"message": "Not Found", "documentation_url": _DOCS_REST, "status": "404"}
            return self._json(404, body, core, req)
        accept = req.headers.get("Accept") or ""
        if "raw" in accept:
            headers = [
                ("Content-Type", "text/plain; charset=utf-8"),
                *core.headers(self.reset_after),
            ]
            headers.append(("X-GitHub-Request-Id", req.rid))
            return _Response(200, headers, text.encode("utf-8"))
        content = base64.b64encode(text.encode("utf-8")).decode("ascii")
        obj = {
            "name": "README.md",
            "path": "README.md",
            "type": "file",
            "encoding": "base64",
            "content": content,
            "size": len(text.encode("utf-8")),
        }
        return self._json(200, obj, core, req)

    def _search_response(self, req: _Request) -> _Response:
        budget = self._search_budget(req.auth == "ok")
        budget.roll(time.time(), self.search_reset_after)
        headers = [_JSON_TYPE, *budget.headers(self.search_reset_after), _MEDIA_V3]
        headers.append(("X-GitHub-Request-Id", req.rid))
        if budget.remaining <= 0:
            body = {
                "message": "API rate limit exceeded for user ID 1. If you reach out to GitHub "
                f"Support for help, please include the request ID {req.rid}.",
                "documentation_url": _DOCS_PRIMARY,
            }
            return _Response(403, headers, _dumps(body))
        budget.spend(1)
        headers = [_JSON_TYPE, *budget.headers(self.search_reset_after), _MEDIA_V3]
        headers.append(("X-GitHub-Request-Id", req.rid))
        params = urllib.parse.parse_qs(req.query)
        q = (params.get("q") or [""])[0]
        per_page = int((params.get("per_page") or ["30"])[0] or 30)
        quoted = re.fullmatch(r'"([^"]+)"\s+in:readme', q.strip())
        if quoted is None:
            body = {"message": "Validation Failed", "errors": [{"code": "invalid"}]}
            return _Response(422, headers, _dumps(body))
        needle = _search_words(quoted.group(1))
        found = [
            self.repos[key]
            for key, text in sorted(self.readmes.items())
            if needle in _search_words(text) and key in self.repos and not self.repos[key]["fork"]
        ]
        api = f"http://{req.host}"
        items = [
            {**_rest_repo(rec, api, "https://github.com", req.auth == "ok"), "score": 1.0}
            for rec in found[:per_page]
        ]
        obj = {"total_count": len(found), "incomplete_results": False, "items": items}
        return _Response(200, headers, _dumps(obj))

    # ------------------------------------------------------------------ lookups (lock held)

    def _new_id(self, key: str) -> int:
        span = ID_MAX - ID_MIN
        offset = int.from_bytes(_digest(key, 8), "big") % span
        while ID_MIN + offset in self._ids:
            offset = (offset + 1) % span
        return ID_MIN + offset

    def _create(self, owner: str, name: str) -> dict[str, Any]:
        key = f"{owner}/{name}".lower()
        rec = _generate(owner, name)
        rec["id"] = self._new_id(key)
        self._ids.add(rec["id"])
        self.repos[key] = rec
        self._by_id[rec["id"]] = key
        return rec

    def _admin_lookup(self, full_name: str) -> dict[str, Any]:
        owner, name = _split_full_name(full_name)
        key = full_name.lower()
        rec = self.repos.get(key)
        if rec is not None:
            return rec
        target = self._redirects.get(key)
        if target is not None and target in self._by_id:
            return self.repos[self._by_id[target]]
        if key in self._removed or target is not None or not self.auto_repos:
            raise KeyError(f"no such repository: {full_name}")
        return self._create(owner, name)

    def _lookup(self, owner: str, name: str) -> tuple[str, Any]:
        """("ok", rec) | ("moved", id) | ("blocked", (reason, created, rec)) | ("missing", None)"""
        key = f"{owner}/{name}".lower()
        rec = self.repos.get(key)
        if rec is not None:
            block = self._blocked.get(key)
            return ("blocked", (*block, rec)) if block else ("ok", rec)
        target = self._redirects.get(key)
        if target is not None:
            return ("moved", target) if target in self._by_id else ("missing", None)
        if key in self._removed or not self.auto_repos:
            return ("missing", None)
        return ("ok", self._create(owner, name))

    def _lookup_id(self, repo_id: int) -> tuple[str, Any]:
        key = self._by_id.get(repo_id)
        if key is None:
            return ("missing", None)
        rec = self.repos[key]
        block = self._blocked.get(key)
        return ("blocked", (*block, rec)) if block else ("ok", rec)

    def _auth(self, header: str | None) -> str:
        """'none' (no Authorization), 'ok' or 'bad'."""
        if not header:
            return "none"
        scheme, _, credential = header.strip().partition(" ")
        credential = credential.strip()
        if scheme.lower() not in {"token", "bearer"} or not credential:
            return "bad"
        return "ok" if self.token is None or credential == self.token else "bad"

    # ------------------------------------------------------------------ requests

    def _dispatch(
        self, method: str, path: str, headers: _Headers, body: bytes, host: str, *, query: str = ""
    ) -> tuple[str, _Response | None]:
        """Decide one request: ("respond" | "hang" | "truncate" | "reset", response)."""
        graphql = path in {"/graphql", "/api/graphql"}
        with self._lock:
            self.requests += 1
            if graphql:
                self.graphql_requests += 1
            else:
                self.rest_requests += 1
            self.requests_by_path[path] += 1
            draw = self._rng.random
            r_reset, r_hang, r_fail, r_truncate, r_pick = draw(), draw(), draw(), draw(), draw()
            now = time.time()
            for budget in (self._core, self._core_anon, self._graphql):
                budget.roll(now, self.reset_after)
            auth = self._auth(headers.get("Authorization"))
            if graphql:
                budget, media = self._graphql, _MEDIA_V4
            else:
                budget, media = (self._core if auth == "ok" else self._core_anon), _MEDIA_V3
            rid = f"FAKE:{self.seed:04X}:{self.requests:08X}"
            req = _Request(method, path, headers, body, host, auth, rid, query)
            if self.secondary_every > 0 and self.requests % self.secondary_every == 0:
                self.faults["secondary"] += 1
                return "respond", self._secondary(budget, req)
            if r_reset < self.reset_rate:
                self.faults["reset"] += 1
                return "reset", None
            action = "hang" if r_hang < self.hang_rate else "respond"
            if action == "hang":
                self.faults["hang"] += 1
            if r_fail < self.fail_rate:
                status = (500, 502, 503)[int(r_pick * 3)]
                self.faults[str(status)] += 1
                if graphql and status == 502:
                    return action, self._json(status, _GRAPHQL_502, budget, req)
                extra = [_JSON_TYPE, *budget.headers(self.reset_after), media]
                extra.append(("X-GitHub-Request-Id", rid))
                return action, _Response(status, extra, _ERROR_BODIES[status])
            if action == "respond" and r_truncate < self.truncate_rate:
                action = "truncate"
                self.faults["truncate"] += 1
            if graphql:
                return action, self._graphql_response(req)
            return action, self._rest_response(req)

    def _json(
        self,
        status: int,
        obj: Any,
        budget: _Budget,
        req: _Request,
        extra: Iterable[tuple[str, str]] = (),
    ) -> _Response:
        media = _MEDIA_V4 if budget.resource == "graphql" else _MEDIA_V3
        headers = [_JSON_TYPE, *budget.headers(self.reset_after), media]
        headers.append(("X-GitHub-Request-Id", req.rid))
        headers.extend(extra)
        return _Response(status, headers, _dumps(obj))

    def _secondary(self, budget: _Budget, req: _Request) -> _Response:
        body = {
            "documentation_url": _DOCS_SECONDARY,
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes "
            "before you try again. If you reach out to GitHub Support for help, please include "
            f"the request ID {req.rid}.",
        }
        extra = []
        if self.secondary_retry_after is not None:
            extra.append(("Retry-After", str(self.secondary_retry_after)))
        return self._json(self.secondary_status, body, budget, req, extra)

    def _rest_response(self, req: _Request) -> _Response:
        method, path, auth, host = req.method, req.path, req.auth, req.host
        prefix = ""
        if path.startswith("/api/v3/"):
            prefix, path = "/api/v3", path[len("/api/v3") :]
        budget = self._core if auth == "ok" else self._core_anon
        body: dict[str, Any]
        if auth == "bad":
            body = {"message": "Bad credentials", "documentation_url": _DOCS_REST, "status": "401"}
            return self._json(401, body, budget, req)
        if method == "GET" and path == "/rate_limit":
            return self._json(200, self._rate_limit_json(auth == "ok"), budget, req)
        routed = self._readme_or_search(req, path, budget)
        if routed is not None:
            return routed
        if budget.remaining <= 0:
            who = f"user ID {USER_ID}" if auth == "ok" else "127.0.0.1"
            message = f"API rate limit exceeded for {who}."
            if auth != "ok":
                message += (
                    " (But here's the good news: Authenticated requests get a higher rate "
                    "limit. Check out the documentation for more details.)"
                )
            message += (
                " If you reach out to GitHub Support for help, please include the request ID "
                f"{req.rid} and timestamp {_iso(time.time())}."
            )
            body = {"message": message, "documentation_url": _DOCS_PRIMARY}
            return self._json(403, body, budget, req)

        parts = path.split("/")
        kind: str = "missing"
        value: Any = None
        if method == "GET" and len(parts) == 4 and parts[1] == "repos":
            if is_valid_name(parts[2], parts[3]):
                kind, value = self._lookup(parts[2], parts[3])
        elif method == "GET" and len(parts) == 3 and parts[1] == "repositories":
            if _DIGITS_RE.match(parts[2]):
                kind, value = self._lookup_id(int(parts[2]))
        else:
            budget.spend(1)
            body = {"message": "Not Found", "documentation_url": _DOCS_REST, "status": "404"}
            return self._json(404, body, budget, req)

        api = f"http://{host}{prefix}"
        html = f"http://{host}" if prefix else "https://github.com"
        if kind == "ok":
            payload = _dumps(_rest_repo(value, api, html, auth == "ok"))
            etag = f'W/"{hashlib.md5(payload).hexdigest()}"'  # an ETag, not security
            extra = [
                ("ETag", etag),
                ("Last-Modified", _http_date(value["updated_at"])),
                ("Cache-Control", "private, max-age=60, s-maxage=60"),
                ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP"),
            ]
            if _etag_matches(req.headers.get("If-None-Match"), etag):
                self.not_modified += 1
                resp = self._json(304, None, budget, req, extra)
                return resp._replace(body=b"", content_length=len(payload))
            budget.spend(1)
            resp = self._json(200, None, budget, req, extra)
            return resp._replace(body=payload)
        budget.spend(1)
        if kind == "moved":
            location = f"{api}/repositories/{value}"
            body = {
                "message": "Moved Permanently",
                "url": location,
                "documentation_url": _DOCS_REDIRECT + "#follow-redirects",
            }
            return self._json(301, body, budget, req, [("Location", location)])
        if kind == "blocked":
            reason, created, rec = value
            if reason == "dmca":
                day = created[:10]
                page = f"{day[:4]}/{day[5:7]}/{day}-{rec['name'].lower()}.md"
                block_url = f"https://github.com/github/dmca/blob/master/{page}"
            else:
                block_url = "https://github.com/tos"
            body = {
                "message": "Repository access blocked",
                "block": {"reason": reason, "created_at": created, "html_url": block_url},
            }
            return self._json(451 if reason == "dmca" else 403, body, budget, req)
        body = {"message": "Not Found", "documentation_url": _DOCS_REPO, "status": "404"}
        return self._json(404, body, budget, req)

    def _rate_limit_json(self, authed: bool) -> dict[str, Any]:
        reset_after = self.reset_after
        later = math.ceil(time.time() + 3600)

        def fixed(limit: int) -> dict[str, int]:
            return {"limit": limit, "used": 0, "remaining": limit, "reset": later}

        core = (self._core if authed else self._core_anon).as_json(reset_after)
        resources = {
            "core": core,
            "search": self._search_budget(authed).as_json(self.search_reset_after),
            "graphql": self._graphql.as_json(reset_after) if authed else fixed(0),
            "integration_manifest": fixed(5000),
            "source_import": fixed(100),
            "code_scanning_upload": fixed(1000),
            "code_scanning_autofix": fixed(10),
            "actions_runner_registration": fixed(10000),
            "scim": fixed(15000),
            "dependency_snapshots": fixed(100),
            "audit_log": fixed(1750),
            "audit_log_streaming": fixed(15),
            "code_search": fixed(10),
        }
        return {"resources": resources, "rate": dict(core)}

    def _graphql_response(self, req: _Request) -> _Response:
        budget = self._graphql

        def reply(status: int, obj: Any) -> _Response:
            return self._json(status, obj, budget, req)

        auth = req.auth
        if req.method != "POST":
            return reply(404, {"message": "Not Found", "documentation_url": _DOCS_GRAPHQL})
        if auth == "bad":
            return reply(401, {"message": "Bad credentials", "documentation_url": _DOCS_GRAPHQL})
        if auth == "none":
            return reply(
                401,
                {
                    "message": "This endpoint requires you to be authenticated.",
                    "documentation_url": _DOCS_GRAPHQL
                    + "/guides/forming-calls-with-graphql#authenticating-with-graphql",
                },
            )
        try:
            payload = json.loads(req.body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return reply(
                400, {"message": "Problems parsing JSON", "documentation_url": _DOCS_GRAPHQL}
            )
        query = payload.get("query")
        variables = payload.get("variables") or {}
        if isinstance(query, str):
            self.graphql_queries.append(query)
        if not isinstance(query, str):
            message = "A query attribute must be specified and must be a string."
            return reply(200, {"errors": [{"message": message}]})
        if not isinstance(variables, dict):
            return reply(200, {"errors": [{"message": "Variables are invalid JSON."}]})
        try:
            fields = parse_query(query, variables)
        except _GraphQLError as exc:
            return reply(200, {"errors": exc.errors})
        n_repos = sum(1 for f in fields if f.name == "repository")
        if n_repos > MAX_ALIASES:
            message = (
                f"This query requests up to {n_repos:,} possible nodes which exceeds the "
                f"maximum limit of {MAX_ALIASES}."
            )
            return reply(200, {"errors": [{"type": "MAX_NODE_LIMIT_EXCEEDED", "message": message}]})
        cost, _ = query_cost(query)  # GitHub's documented rule, from the query received
        self.graphql_costs.append(cost)
        if budget.remaining < cost:
            error = {
                "type": self.graphql_rate_limit_type,
                "code": "graphql_rate_limit",
                "message": f"API rate limit exceeded for user ID {USER_ID}.",
            }
            return reply(200, {"errors": [error]})
        if not any(f.dry_run for f in fields):
            budget.spend(cost)
        html = f"http://{req.host}" if req.path.startswith("/api/") else "https://github.com"
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for f in fields:
            if f.name == "repository":
                rec = self._graphql_lookup(f.owner, f.repo)
                data[f.key] = None if rec is None else _graphql_repo(rec, html, query)
                if rec is None:
                    errors.append(
                        {
                            "type": "NOT_FOUND",
                            "path": [f.key],
                            "locations": [{"line": f.line, "column": f.column}],
                            "message": "Could not resolve to a Repository with the name "
                            f"'{f.owner}/{f.repo}'.",
                        }
                    )
            elif f.name == "rateLimit":
                data[f.key] = {
                    "__typename": "RateLimit",
                    "cost": cost,
                    "limit": budget.limit,
                    "nodeCount": n_repos,
                    "remaining": budget.remaining,
                    "resetAt": _iso(budget.reset(self.reset_after)),
                    "used": budget.used,
                }
            else:
                data[f.key] = "Query"
        out: dict[str, Any] = {"data": data}
        if errors:
            out["errors"] = errors
        return reply(200, out)

    def _graphql_lookup(self, owner: str, name: str) -> dict[str, Any] | None:
        """GraphQL follows renames and hides removed and blocked repositories."""
        if not is_valid_name(owner, name):
            return None
        kind, value = self._lookup(owner, name)
        if kind == "ok":
            return cast(dict[str, Any], value)
        if kind == "moved":
            key = self._by_id[value]
            return None if key in self._blocked else self.repos[key]
        return None


def _search_words(text: str) -> str:
    """Text as search matches a quoted phrase: lowercase words, punctuation and markup ignored."""
    return " " + " ".join(re.sub(r"<[^>]*>|[^0-9a-z<]+|<", " ", text.lower()).split()) + " "


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in tags)


# --------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # benchmarks open many connections at once

    def __init__(self, address: tuple[str, int], fake: FakeGitHub) -> None:
        self.fake = fake
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a DNS lookup: skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away (reset, broken pipe, idle timeout): not our bug
        with self.fake._lock:
            self.fake.errors.append(traceback.format_exc())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # an idle keep-alive connection is dropped after this

    @property
    def fake(self) -> FakeGitHub:
        return cast(_Server, self.server).fake

    def setup(self) -> None:
        super().setup()
        fake = self.fake
        with fake._lock:
            fake._open.add(self.connection)
            fake.connections += 1

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            fake = self.fake
            with fake._lock:
                fake._open.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """No per-request logging."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline(65537).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in {b"\r\n", b"\n", b""}:
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self, method: str) -> None:
        fake = self.fake
        started = time.perf_counter()
        waited = 0.0
        try:
            body = self._read_body()
            path, _, query = self.path.partition("?")
            host = self.headers.get("Host") or f"{fake.host}:{fake.port}"
            try:
                action, resp = fake._dispatch(method, path, self.headers, body, host, query=query)
            except Exception:
                with fake._lock:
                    fake.errors.append(traceback.format_exc())
                message = {"message": "FakeGitHub internal error (see FakeGitHub.errors)"}
                action = "respond"
                resp = _Response(500, [_JSON_TYPE], _dumps(message))
                self.close_connection = True
            delay = fake.latency + (fake.hang_seconds if action == "hang" else 0.0)
            if delay > 0:
                with fake._lock:
                    fake.in_delay += 1
                    fake.peak_in_delay = max(fake.peak_in_delay, fake.in_delay)
                t0 = time.perf_counter()
                try:
                    fake._stopping.wait(delay)
                finally:
                    waited = time.perf_counter() - t0
                    with fake._lock:
                        fake.in_delay -= 1
            if action == "reset" or resp is None:
                self._reset()
            else:
                self._send(resp, truncate=action == "truncate")
        except (OSError, ValueError):
            self.close_connection = True  # the client went away, or sent garbage
        finally:
            elapsed = time.perf_counter() - started - waited
            with fake._lock:
                fake.server_time_total += elapsed

    def _reset(self) -> None:
        """Close without answering; SO_LINGER 0 turns the close into a TCP RST."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _send(self, resp: _Response, *, truncate: bool) -> None:
        status = resp.status
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        length = len(resp.body) if resp.content_length is None else resp.content_length
        lines = [
            f"HTTP/1.1 {status} {reason}",
            f"Date: {self.date_time_string()}",
            "Server: GitHub.com",
        ]
        lines.extend(f"{name}: {value}" for name, value in resp.headers)
        lines.append(f"Content-Length: {length}")
        body = resp.body
        if truncate and body:
            body = body[: len(body) // 2]
            self.close_connection = True
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + body)
