"""Reports: the ``queries/*.sql`` files, their header comments and their parameters.

A report file starts with a header of ``--`` comment lines::

    -- title: Top repositories by stars
    -- description: The most-starred repositories and the papers that cite them.
    -- param: min_stars = 0   Only repositories with at least this many stars.
    -- param: since = '2024-01-01'   Papers published on or after this date (a help text
    --   may continue on indented lines, as a description can).
    -- param: top = 25 [1..10000]   How many repositories (an integer or number range).
    -- param: grain = 'month' [day|week|month|year]   Period (the values a text takes).

and then sets each parameter's default so that the file runs unchanged in the ``duckdb`` shell::

    SET VARIABLE min_stars = COALESCE(getvariable('min_stars'), 0);

``harvester report NAME --param min_stars=10`` binds the value with ``SET VARIABLE min_stars = ?``
before running the file (the value is a bound parameter, never pasted into the SQL text), and
the ``COALESCE`` keeps it. A parameter's type is its default's: integer, number, date or text.
A value is checked before the report runs: by type, against the declared range or values,
integers within 64 bits and numbers finite; a parameter given twice is an error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvester.errors import UsageError
from harvester.render import render

DESCRIBE_CELL = 160  # parameter help is prose: cut it later than report cells
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<default>'[^']*'|\S+)"
    r"(?:\s*\[(?P<domain>[^\]]*)\])?\s*(?P<help>.*)$"
)
_RANGE = re.compile(r"^\s*(?P<low>-?[\d.]+)?\s*\.\.\s*(?P<high>-?[\d.]+)?\s*$")
INT64 = (-(2**63), 2**63 - 1)


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
    domain: str = ""  # as declared between [ ]: "1..10000" or "day|week|month|year"

    @property
    def choices(self) -> tuple[str, ...]:
        if not self.domain or _RANGE.match(self.domain):
            return ()
        return tuple(v.strip() for v in self.domain.split("|") if v.strip())

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        match = _RANGE.match(self.domain) if self.domain else None
        if match is None:
            return None, None
        low, high = match["low"], match["high"]
        return (float(low) if low else None), (float(high) if high else None)

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
        """``raw`` as the parameter's type, checked against its declared range or values."""
        value = self._typed(raw)
        kind = self.type_name
        if self.choices and value not in self.choices:
            raise UsageError(
                f"parameter {self.name} takes one of {', '.join(self.choices)}, got {raw!r}"
            )
        if kind in ("integer", "number"):
            low, high = self.bounds
            if kind == "integer":
                low = INT64[0] if low is None else max(low, INT64[0])
                high = INT64[1] if high is None else min(high, INT64[1])
            if (
                not math.isfinite(value)
                or (low is not None and value < low)
                or (high is not None and value > high)
            ):
                within = f"{_num(low)}..{_num(high)}"
                raise UsageError(
                    f"parameter {self.name} takes {_article(kind)} {kind} in {within}, got {raw!r}"
                )
        return value

    def _typed(self, raw: str) -> Any:
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


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value)


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
                Param(
                    match["name"],
                    _parse_default(match["default"]),
                    match["help"].strip(),
                    (match["domain"] or "").strip(),
                )
            )
            current = "param"
        elif current == "description" and body:
            description.append(body)
        elif current == "param" and body:  # a parameter's help continues on the next line
            last = params[-1]
            params[-1] = Param(last.name, last.default, f"{last.help} {body}".strip(), last.domain)
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
    """``["since=2025-01-01", "min_stars=10"]`` -> dict; a pair without ``=`` is an error, and
    so is a name given twice (which one was meant?)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, got {pair!r}")
        if name.strip() in out:
            raise UsageError(f"--param {name.strip()} is given more than once")
        out[name.strip()] = value
    return out


def describe(report: Report, fmt: str) -> str:
    """What ``report`` answers and its parameters (``harvester report NAME --describe``): in
    ``table`` format a title, the description, a usage line and the parameter table; in any
    other format the parameter table alone."""
    columns = ["parameter", "type", "default", "allowed", "help"]
    rows = [(p.name, p.type_name, p.default_text, p.domain, p.help) for p in report.params]
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
