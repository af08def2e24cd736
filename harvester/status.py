"""What ``harvester status`` shows: the database's counts, cursors and last runs
(``database_rows``, pure) and the token's remaining GitHub budget (``github_budget``).

(The engine's own budget keeping is ``github/budget.py``; this only reports.)

``GET /rate_limit`` is free (it does not count against any limit), so ``status`` asks it every
time a token is set. Whatever happens — GitHub unreachable, the token refused, an odd answer —
the outcome is a line of text for the status table, never an exception: ``status`` must work
offline.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from typing import Any

from harvester.config import ApiUrls, Secret
from harvester.github.client import GitHubSettings, read_rate_limit
from harvester.github.parse import RateInfo, rate_from_rate_limit
from harvester.github.transport import NetworkError, RedirectRefused, Reply, rejected_token
from harvester.models import Status

RESOURCES = (("core", "REST"), ("graphql", "GraphQL"))
CELL_WIDTH = 160  # status rows carry whole run summaries: cut them later than report cells


def process_gone(pid: int | None, hostname: str | None) -> bool:
    """True when the process that recorded a run (``runs.pid`` on ``runs.hostname``) no
    longer exists. Only a process on this machine can be asked; any doubt says False."""
    if pid is None or hostname != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # exists, but belongs to another user
        return False
    return False


def database_rows(
    info: dict[str, Any], gone: Callable[[int | None, str | None], bool] = lambda p, h: False
) -> list[tuple[str, Any]]:
    """``(item, value)`` rows for ``Store.summary()``: counts, names by status, the snapshot
    span, the ``--since-last`` cursors, the last runs and what is left to do (pure, but for
    ``gone``, which tells whether a run's process has died: ``process_gone``).

    A run still ``running`` whose process is gone (SIGKILL, a crash, a power cut) is shown as
    ``interrupted``: status only reads, so the row itself is corrected by the next job."""
    names = {str(s): 0 for s in Status} | info["names"]
    first, last = info["snapshot_span"]
    rows: list[tuple[str, Any]] = [
        ("database", info["database"]),
        ("schema version", info["schema_version"]),
        ("papers", info["papers"]),
        ("papers with a repository", info["papers_with_repo"]),
        ("mentions", info["mentions"]),
        ("repositories", info["repos"]),
        *placeholder_rows(info.get("verdicts") or {}),
        *[(f"names {s}", n) for s, n in names.items()],
        ("snapshots", info["snapshots"]),
        ("first snapshot", first),
        ("last snapshot", last),
    ]
    if first is not None and last is not None:
        rows.append(("snapshot span", f"{(last - first).total_seconds() / 86400:.1f} days"))
    for source, query, newest in info["cursors"]:
        rows.append(
            (f"--since-last {source} {query!r}" if query else f"--since-last {source}", newest)
        )
    for run in info["runs"]:
        run_id, command, state, started, finished, *_counts, message, pid, host = run
        if state == "running" and gone(pid, host):
            state = f"interrupted (its process, PID {pid}, is gone: killed or crashed)"
        took = f" in {_took(finished - started)}" if finished is not None else ""
        when = f"{started:%Y-%m-%d %H:%M}"
        rows.append((f"run {run_id}", f"{command} {state}, {when}{took}: {message or '-'}"))
    if info.get("derived_stale"):
        rows.append(("derived tables", info["derived_stale"]))
    pending = names.get(Status.PENDING, 0) + names.get(Status.ERROR, 0)
    if pending:
        rows.append(("to do", f"{pending} names to fetch: run `harvester refresh`"))
    return rows


def placeholder_rows(verdicts: dict[str, int]) -> list[tuple[str, Any]]:
    """The placeholder share: of the repositories whose facts were read, how many hold no code
    (``placeholder`` or ``empty``; see docs/placeholder.md)."""
    if not verdicts:
        return []
    judged = sum(n for v, n in verdicts.items() if v != "unknown")
    none = verdicts.get("placeholder", 0) + verdicts.get("empty", 0)
    share = f"{100 * none / judged:.1f}%" if judged else "-"
    value = (
        f"{share} of {judged:,} judged repositories hold no code yet: "
        f"{verdicts.get('placeholder', 0):,} placeholder, {verdicts.get('empty', 0):,} empty"
    )
    unknown = verdicts.get("unknown", 0)
    if unknown:
        value += f"; {unknown:,} not judged (fetched without a token or before schema 5)"
    return [("placeholder share", value)]


def _took(delta: dt.timedelta) -> str:
    seconds = delta.total_seconds()
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def github_budget(
    urls: ApiUrls, token: Secret | None, *, timeout: float = 10.0, now: dt.datetime | None = None
) -> list[tuple[str, str]]:
    """``(item, value)`` rows describing the token's budget, or why it is unknown."""
    if token is None:
        return [("GitHub budget", "no token set (GITHUB_TOKEN or GH_TOKEN): not checked")]
    try:
        reply, _ = read_rate_limit(GitHubSettings(urls, token, timeout))
    except NetworkError as exc:
        where = "" if urls.rest in exc.reason else f" at {urls.rest}"
        return [("GitHub budget", f"unknown, GitHub did not answer: {exc.reason}{where}")]
    except RedirectRefused as exc:
        return [("GitHub budget", f"unknown: {exc}")]
    return describe(reply, now or dt.datetime.now(dt.UTC))


def describe(reply: Reply, now: dt.datetime) -> list[tuple[str, str]]:
    """Rows for a ``/rate_limit`` answer (pure)."""
    rejected = rejected_token(reply)
    if rejected is not None:
        return [("GitHub budget", f"unknown: {rejected}")]
    payload = reply.payload
    resources = payload.get("resources") if isinstance(payload, dict) else None
    if reply.status != 200 or not isinstance(resources, dict):
        return [("GitHub budget", f"unknown: GitHub answered HTTP {reply.status} to /rate_limit")]
    rows = []
    for key, label in RESOURCES:
        rate = rate_from_rate_limit(payload, key)
        if rate is not None:
            rows.append((f"GitHub {label} budget", _line(rate, now)))
    return rows or [("GitHub budget", "unknown: /rate_limit listed no core or graphql budget")]


def _line(rate: RateInfo, now: dt.datetime) -> str:
    if rate.remaining is not None and rate.limit is not None:
        text = f"{rate.remaining:,} of {rate.limit:,} left"
    else:
        text = "unknown"
    if rate.reset_at is not None:
        minutes = max(0, round((rate.reset_at - now).total_seconds() / 60))
        text += f", resets {rate.reset_at:%H:%M} UTC (in {minutes} min)"
    return text
