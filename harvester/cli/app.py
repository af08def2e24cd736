"""The typer app, the one error path and the helpers every command shares.

Every command runs inside ``guard``: a ``HarvesterError`` becomes one line on stderr and its
exit code (see ``errors``); anything else is an internal error, still one line, with the
traceback only when ``HARVESTER_DEBUG=1``. The token is redacted from every message. Usage
errors typer finds itself (bad option values, unknown commands) take the same one-line path.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from harvester import __version__, errors
from harvester.config import raw_token, read_storage_version, redact, resolve_db_path
from harvester.fsnames import shell_join, shown
from harvester.render import escape_controls, render

if TYPE_CHECKING:
    from rich.console import Console

    from harvester.store import Store

# Every command module is imported to declare its options, so module level imports only what
# declaring needs: the library a command calls (the store, GitHub, the readers, rich) is
# imported inside the command's body, when it runs (`harvester --help` and `report` start fast).
T = TypeVar("T")
_console: list[Console] = []


def __getattr__(name: str) -> Any:
    if name == "stderr":  # the rich console on stderr, made when first written to
        return _stderr()
    raise AttributeError(name)


def _stderr() -> Console:
    if not _console:
        from rich.console import Console

        _console.append(Console(stderr=True, highlight=False, soft_wrap=True))  # one line each
    return _console[0]


class _DefaultToFiles(TyperGroup):
    """``harvester harvest PATH...`` runs the hidden ``files`` subcommand; live sources are
    named subcommands (``harvester harvest arxiv ...``). ``harvester harvest --help`` is the
    group's own help, so the live sources can be discovered."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args[:1] in (["--help"], ["-h"]):
            return super().parse_args(ctx, args)
        if not args or args[0] not in self.commands:
            args = ["files", *args]
        return super().parse_args(ctx, args)


class _OneLineErrors(TyperGroup):
    """Usage errors (bad option values, unknown commands) as one line on stderr, exit 2,
    like every other error, instead of typer's multi-line panel."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except typer.Abort:
            _stderr().print("harvester: interrupted", markup=False)
            sys.exit(errors.EXIT_INTERRUPTED)
        except typer.TyperException as exc:
            format_message = getattr(exc, "format_message", None)
            message = format_message() if callable(format_message) else str(exc)
            if message:  # (empty after a help page shown for missing arguments)
                ctx = getattr(exc, "ctx", None)
                where = getattr(ctx, "command_path", None) or "harvester"
                line = escape_controls(f"error: {message} (see `{where} --help`)", keep_lines=False)
                _stderr().print(f"harvester: {line}", markup=False)
            sys.exit(int(getattr(exc, "exit_code", errors.EXIT_USAGE)))
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_OneLineErrors,
    name="harvester",
    help="Turn research papers into a queryable map of their code, in one DuckDB file.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
harvest_app = typer.Typer(
    cls=_DefaultToFiles,
    help="Read papers into the database and fetch repository stats. `harvester harvest PATH...` "
    "reads files, directories, globs or - (its options: `harvester harvest files --help`); the "
    "commands below read live sources.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(harvest_app, name="harvest")


def fail(message: str, code: int) -> typer.Exit:
    """The one error line: the token redacted, every control character escaped (line breaks
    too: one line), whatever a file name or a paper put in the message."""
    text = escape_controls(redact(message, raw_token()), keep_lines=False)
    _stderr().print(f"harvester: {text}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def guard(body: Callable[[], T]) -> T:
    try:
        return body()
    except errors.HarvesterError as exc:
        raise fail(f"error: {exc}", exc.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", errors.EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # an unexpected failure is a bug: still one line, no traceback
        if os.environ.get("HARVESTER_DEBUG"):
            traceback.print_exc()
        raise fail(
            f"internal error: {type(exc).__name__}: {exc} "
            "(a bug; set HARVESTER_DEBUG=1 for the traceback and please report it)",
            errors.EXIT_INTERNAL,
        ) from None


def note(message: str) -> None:
    """A side remark on stderr (stdout stays the command's output)."""
    _stderr().print(f"harvester: {escape_controls(message, keep_lines=False)}", markup=False)


def open_store(db: Path) -> Store:
    path = resolve_db_path(db)
    if shown(str(path)) != str(path):  # DuckDB takes a path as UTF-8 text only
        raise errors.UsageError(
            f"--db {shown(str(path))}: DuckDB cannot open a file whose name is not UTF-8; rename it"
        )
    from harvester.store import Store

    return Store(path, storage_version=read_storage_version())


def command_line() -> str:
    """The command as typed, for ``runs.args``: quoted so that it can be run again, a file name
    that is not UTF-8 as bash's ``$'\\xff...'`` (``fsnames.shell_join``)."""
    return shell_join(["harvester", *sys.argv[1:]])


def output_format(fmt: str) -> str:
    """Refuse an unknown ``--format`` before any work is done, with render's own check (the
    only list of output formats), here applied to an empty result."""
    render((), (), fmt)
    return fmt


def _version(value: bool) -> None:
    if value:
        typer.echo(f"harvester {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """harvester: papers -> GitHub repositories -> stats, in one DuckDB file you query with SQL.

    The GitHub token is read from GITHUB_TOKEN or GH_TOKEN (never from the command line).
    """


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _on_sigterm)
    app()
