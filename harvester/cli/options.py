"""Options shared by several commands, each declared once.

The GitHub options (``--github-url``, ``--batch-size``, ``--concurrency``, ``--max-wait``,
``--timeout``, and where a command has them ``--no-stats`` and ``--dry-run``) are added to a
command by ``github_options``, which hands the command one ``GitHubOptions`` bundle; the bundle
builds the ``GitHubSettings`` and ``EngineOptions`` the library takes.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from harvester.config import DEFAULT_GITHUB_URL, api_urls, parse_duration, read_token
from harvester.render import FORMATS

if TYPE_CHECKING:  # imported when a command builds them: declaring options needs neither
    from harvester.github.client import GitHubSettings
    from harvester.github.engine import EngineOptions

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="HARVESTER_DB", help="Database file.", show_default=True),
]
GitHubUrlOption = Annotated[
    str,
    typer.Option(
        "--github-url",
        envvar="HARVESTER_GITHUB_URL",
        help="GitHub API root; GitHub Enterprise: https://HOST/api/v3.",
    ),
]
OutputFormat = Annotated[
    str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing --output file that this command did not write."
    ),
]
SourcesArgument = Annotated[
    list[str],
    typer.Argument(help="Files, directories, globs, or - (stdin).", show_default=False),
]

DAY = ["%Y-%m-%d"]
FromOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--from",
        formats=DAY,
        help="First day to read (UTC, YYYY-MM-DD). With --since-last: where the first run starts.",
        show_default=False,
    ),
]
ToOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--to",
        formats=DAY,
        help="Last day to read, included (UTC, YYYY-MM-DD). Default: today.",
        show_default=False,
    ),
]
SinceLastOption = Annotated[
    bool,
    typer.Option(
        "--since-last",
        help="Continue from the newest date already harvested for this source and query "
        "(that day is read again; nothing is stored twice). For a daily cron job.",
    ),
]

ContactOption = Annotated[
    str | None,
    typer.Option(
        "--contact",
        envvar="HARVESTER_CONTACT",
        help="Your e-mail address or URL, sent in the User-Agent so the service can reach you.",
        show_default=False,
    ),
]


def day(value: dt.datetime | None) -> dt.date | None:
    """A ``--from``/``--to``/``--date`` value (typer parses it as a datetime) as a date."""
    return value.date() if value is not None else None


@dataclass(frozen=True, slots=True)
class GitHubOptions:
    """The GitHub options as given; ``settings``/``engine`` validate and build what the
    library takes."""

    no_stats: bool
    github_url: str
    batch_size: int
    concurrency: int
    max_wait: str
    timeout: float
    dry_run: bool

    def settings(self) -> GitHubSettings | None:
        """None with ``--no-stats``: GitHub is not asked at all."""
        if self.no_stats:
            return None
        from harvester.github.client import GitHubSettings

        return GitHubSettings(api_urls(self.github_url), read_token(), self.timeout)

    def engine(self) -> EngineOptions:
        from harvester.github.engine import EngineOptions

        return EngineOptions(
            batch_size=self.batch_size,
            concurrency=self.concurrency,
            max_wait=parse_duration(self.max_wait, "--max-wait"),
        )


_GITHUB_PARAMS: dict[str, tuple[Any, Any]] = {  # name -> (annotation, default), in help order
    "no_stats": (
        Annotated[bool, typer.Option("--no-stats", help="Skip GitHub; names stay pending.")],
        False,
    ),
    "github_url": (GitHubUrlOption, DEFAULT_GITHUB_URL),
    "batch_size": (
        Annotated[
            int,
            typer.Option("--batch-size", min=1, max=100, help="Repositories per GraphQL request."),
        ],
        100,
    ),
    "concurrency": (
        Annotated[
            int,
            typer.Option(
                "--concurrency",
                min=1,
                max=16,
                help="Requests in flight at once. 1 (serial) is what GitHub asks of clients; "
                "more is faster but risks secondary rate limits.",
            ),
        ],
        1,
    ),
    "max_wait": (
        Annotated[
            str,
            typer.Option("--max-wait", help="Longest wait for a rate-limit reset before stopping."),
        ],
        "15m",
    ),
    "timeout": (
        Annotated[float, typer.Option("--timeout", min=1, help="Seconds per GitHub request.")],
        30.0,
    ),
    "dry_run": (
        Annotated[
            bool,
            typer.Option(
                "--dry-run",
                help="Print the names to fetch, the requests and rate-limit points they cost and "
                "the expected time at the current budget; write nothing, fetch no repository data.",
            ),
        ],
        False,
    ),
}
assert list(_GITHUB_PARAMS) == [f.name for f in fields(GitHubOptions)]

F = TypeVar("F", bound=Callable[..., None])


def github_options(*, no_stats: bool = True, dry_run: bool = False) -> Callable[[F], F]:
    """Add the GitHub options to a typer command (after its own) and pass them to it as one
    ``github: GitHubOptions`` parameter. ``no_stats``/``dry_run``: offer those two as well."""
    offered = [
        name
        for name in _GITHUB_PARAMS
        if (name != "no_stats" or no_stats) and (name != "dry_run" or dry_run)
    ]

    def decorate(command: F) -> F:
        own = inspect.signature(command, eval_str=True)
        params = [p for p in own.parameters.values() if p.name != "github"]
        added = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_GITHUB_PARAMS[name][0],
                default=_GITHUB_PARAMS[name][1],
            )
            for name in offered
        ]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> None:
            given = {name: kwargs.pop(name) for name in offered}
            defaults = {name: default for name, (_, default) in _GITHUB_PARAMS.items()}
            command(**kwargs, github=GitHubOptions(**(defaults | given)))

        del wrapper.__wrapped__  # typer must see the new signature, not the command's own
        wrapper.__signature__ = own.replace(  # type: ignore[attr-defined]
            parameters=[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params] + added
        )
        wrapper.__annotations__ = {p.name: p.annotation for p in params + added}
        return wrapper  # type: ignore[return-value]

    return decorate
