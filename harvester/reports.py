"""Reports: the ``queries/*.sql`` files, their header comments and their parameters.

A report file starts with a header of ``--`` comment lines::

    -- title: Top repositories by stars
    -- description: The most-starred repositories and the papers that cite them.
    -- param: min_stars = 0   Only repositories with at least this many stars.
    -- param: since = '2024-01-01'   Papers published on or after this date (a help text
    --   may continue on indented lines, as a description can).

and then sets each parameter's default so that the file runs unchanged in the ``duckdb`` shell::

    SET VARIABLE min_stars = COALESCE(getvariable('min_stars'), 0);

``harvester report NAME --param min_stars=10`` binds the value with ``SET VARIABLE min_stars = ?``
before running the file (the value is a bound parameter, never pasted into the SQL text), and
the ``COALESCE`` keeps it. A parameter's type is its default's: integer, number, date or text.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvester.errors import UsageError
from harvester.render import render

DESCRIBE_CELL = 160  # parameter help is prose: cut it later than report cells
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<default>'[^']*'|\S+)\s*(?P<help>.*)$")


def queries_dir() -> Path:
    """``harvester/queries`` in an installed wheel; the checkout's ``queries/`` otherwise."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "queries", here.parent / "queries"):
        if candidate.is_dir():
            return candidate
    raise UsageError("no reports found: the queries/ directory is missing from this install")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    default: Any
    help: str

    @property
    def default_text(self) -> str:
        """The default as it is typed on the command line (``true``, ``2024-01-01``, ``10``)."""
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, dt.date):
            return self.default.isoformat()
        return str(self.default)

    @property
    def type_name(self) -> str:
        if isinstance(self.default, bool):
            return "boolean"
        if isinstance(self.default, int):
            return "integer"
        if isinstance(self.default, float):
            return "number"
        if isinstance(self.default, dt.date):
            return "date"
        return "text"

    def convert(self, raw: str) -> Any:
        kind = self.type_name
        try:
            if kind == "integer":
                return int(raw)
            if kind == "number":
                return float(raw)
            if kind == "date":
                return dt.date.fromisoformat(raw)
            if kind == "boolean":
                lowered = raw.strip().lower()
                if lowered not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                return lowered in ("true", "1", "yes")
        except ValueError:
            raise UsageError(
                f"parameter {self.name} expects {_article(kind)} {kind}"
                + (" (YYYY-MM-DD)" if kind == "date" else "")
                + f", got {raw!r}"
            ) from None
        return raw


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _parse_default(text: str) -> Any:
    if text.startswith("'") and text.endswith("'"):
        inner = text[1:-1]
        try:
            return dt.date.fromisoformat(inner)
        except ValueError:
            return inner
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    sql: str

    def bind(self, given: dict[str, str]) -> list[tuple[str, Any]]:
        """Typed values for the parameters the user set (defaults come from the SQL)."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            valid = ", ".join(known) or "none"
            raise UsageError(
                f"report {self.name} has no parameter {unknown[0]!r} (parameters: {valid})"
            )
        return [(name, known[name].convert(value)) for name, value in given.items()]


def parse_report(path: Path) -> Report:
    text = path.read_text("utf-8")
    title = path.stem.replace("_", " ")
    description: list[str] = []
    params: list[Param] = []
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            break
        body = stripped[2:].strip()
        key, sep, value = body.partition(":")
        key = key.strip().lower()
        if sep and key == "title":
            title, current = value.strip(), None
        elif sep and key == "description":
            description.append(value.strip())
            current = "description"
        elif sep and key == "param":
            match = _PARAM.match(value.strip())
            if not match:
                raise UsageError(f"{path.name}: cannot read parameter line {body!r}")
            params.append(
                Param(match["name"], _parse_default(match["default"]), match["help"].strip())
            )
            current = "param"
        elif current == "description" and body:
            description.append(body)
        elif current == "param" and body:  # a parameter's help continues on the next line
            last = params[-1]
            params[-1] = Param(last.name, last.default, f"{last.help} {body}".strip())
    return Report(path.stem, path, title, " ".join(description), tuple(params), text)


def list_reports(directory: Path | None = None) -> list[Report]:
    directory = directory or queries_dir()
    return [parse_report(p) for p in sorted(directory.glob("*.sql"))]


def find_report(name: str, directory: Path | None = None) -> Report:
    reports = {r.name: r for r in list_reports(directory)}
    key = name.removesuffix(".sql")
    if key not in reports:
        close = [n for n in reports if key.lower() in n.lower()]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"no report named {name!r}{hint} (`harvester report` lists them)")
    return reports[key]


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["since=2025-01-01", "min_stars=10"]`` -> dict; a pair without ``=`` is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


def describe(report: Report, fmt: str) -> str:
    """What ``report`` answers and its parameters (``harvester report NAME --describe``): in
    ``table`` format a title, the description, a usage line and the parameter table; in any
    other format the parameter table alone."""
    columns = ["parameter", "type", "default", "help"]
    rows = [(p.name, p.type_name, p.default_text, p.help) for p in report.params]
    table = render(columns, rows, fmt, cell_width=DESCRIBE_CELL)
    if fmt != "table":
        return table
    text = textwrap.fill(report.description, width=100)
    usage = " ".join(f"--param {p.name}={p.default_text}" for p in report.params)
    return (
        f"{report.title} ({report.name})\n\n{text}\n\n"
        f"harvester report {report.name} {usage}".rstrip()
        + "\n\n"
        + (table if rows else "no parameters\n")
    )
