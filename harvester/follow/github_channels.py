"""The follow channels that ask GitHub: ``readme`` (README back-links of every resolved repository)
and ``search`` (repository search for papers still without official code).

They run after the web channels of the same job, so a page or full text found in this run has
already named its repositories; both live in ``harvester.readmes`` and spend GitHub budget with
the engine's visible waits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from harvester import readmes
from harvester.errors import UsageError
from harvester.follow.options import GITHUB_CHANNELS, FollowOptions
from harvester.github.budget import Reporter
from harvester.readmes import ReadmeReport
from harvester.store import Store


def wanted(options: FollowOptions) -> bool:
    return any(c in GITHUB_CHANNELS for c in options.channels)


def run(
    store: Store,
    options: FollowOptions,
    run_id: int,
    reporter: Reporter | None,
    sleep: Callable[[float], None] = time.sleep,
) -> ReadmeReport:
    """Run the GitHub channels ``options`` asks for; one report adding up both."""
    if options.github is None:
        raise UsageError("the readme and search channels need GitHub settings")
    total = ReadmeReport()
    if "readme" in options.channels:
        done = readmes.follow_readmes(
            store, options.github, options=options.engine, reporter=reporter, sleep=sleep
        )
        _add(total, done)
    if "search" in options.channels and not total.stopped:
        done = readmes.reverse_search(
            store,
            options.github,
            run_id=run_id,
            options=options.engine,
            reporter=reporter,
            sleep=sleep,
            limit=options.limit,
        )
        _add(total, done)
    return total


def _add(total: ReadmeReport, part: ReadmeReport) -> None:
    for name in ("checked", "citing", "missing", "errors", "citations", "searched", "found"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.requests += part.requests
    total.stopped = total.stopped or part.stopped
    total.paper_code = part.paper_code or total.paper_code


def describe(report: ReadmeReport) -> str:
    parts = []
    if report.checked:
        parts.append(
            f"{report.checked} READMEs read, {report.citing} cite a known paper"
            f" ({report.missing} repositories without one)"
        )
    if report.searched:
        parts.append(f"{report.searched} papers searched on GitHub, {report.found} found")
    if report.stopped:
        parts.append(f"GitHub stopped early: {report.stopped}")
    return "; ".join(parts)
