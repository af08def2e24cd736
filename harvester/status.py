"""What ``harvester status`` shows: the database's counts, cursors and last runs
(``database_rows``, pure), the OAI-PMH lists left unfinished (``resume_rows``, pure) and the
token's remaining GitHub budget (``github_budget``).

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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from harvester.config import DEFAULT_DB, ApiUrls, Secret
from harvester.fsnames import shell_join
from harvester.github.client import GitHubSettings, read_rate_limit
from harvester.github.parse import RateInfo, rate_from_rate_limit
from harvester.github.transport import NetworkError, RedirectRefused, Reply, rejected_token
from harvester.models import Status
from harvester.store import ResumePoint

RESOURCES = (("core", "REST"), ("graphql", "GraphQL"))
UNFINISHED = "unfinished OAI-PMH list"
# What happens to an expired token (live.harvest_list, sources/live/oai.py; docs/live-sources.md).
RESUME_NOTE = (
    "arXiv's tokens expire (hours to days): if it has, that command says so and reads the "
    "list again from its start. Stored papers stay."
)
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


def job_rows(pid: int | None) -> list[tuple[str, str]]:
    """A ``job running`` row when ``pid`` (the job lock's holder: ``JobLock.holder``) is a live
    process, with its command line where ``/proc`` shows it."""
    if pid is None or process_gone(pid, socket.gethostname()):
        return []  # no job, or one that was killed (the kernel released its lock)
    return [("job running", f"PID {pid}: {command_of(pid)}")]


def command_of(pid: int) -> str:
    """The command line of process ``pid`` (Linux ``/proc``), quoted for a shell."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "command not known (no /proc here)"
    return shell_join([os.fsdecode(part) for part in raw.split(b"\0") if part]) or "-"


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


def resume_rows(
    points: Sequence[tuple[str, str, ResumePoint, dt.datetime]],
    *,
    db: Path,
    now: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    """Rows for the lists an interrupted ``harvest arxiv-oai`` left unfinished
    (``Store.resume_points``): which list, how far, when it last moved, the command that resumes
    it (``--db`` named unless it is the default) and, once, what an expired token does."""
    rows: list[tuple[str, str]] = []
    for _source, key, point, moved in points:
        asked = dict(parse_qsl(point.list_request))
        label = f"{UNFINISHED} (set {key})" if key else f"{UNFINISHED} (all sets)"
        span = f"from {asked.get('from', 'the start')} until {asked.get('until', 'now')}"
        ago = max(dt.timedelta(0), (now or dt.datetime.now(dt.UTC)) - moved)
        age = f"{ago.days} days" if ago.days >= 2 else _took(ago)
        when = f"{moved.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC ({age} ago)"
        rows.append((label, f"{span}: {_how_far(point)}, last advanced {when}"))
        argv = ["harvester", "harvest", "arxiv-oai"]
        for param, option in (("set", "--set"), ("from", "--from"), ("until", "--until")):
            if param in asked:
                argv += [option, asked[param]]
        if db != Path(DEFAULT_DB):
            argv += ["--db", str(db)]
        rows.append((f"{label}: resume with", shell_join(argv)))
    if rows:
        rows.append((f"{UNFINISHED}: note", RESUME_NOTE))
    return rows


def _how_far(point: ResumePoint) -> str:
    size = point.complete_list_size
    if point.list_cursor is None:
        of = "" if size is None else f", of {size:,}"
        return f"records read so far: not said by the server{of}"
    if size is None:
        return f"{point.list_cursor:,} records read (the server did not say how many in all)"
    share = f" ({100 * point.list_cursor / size:.0f}%)" if size else ""
    return f"{point.list_cursor:,} of {size:,} records read{share}"


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
