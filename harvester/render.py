"""Pure formatting of query results: ``table`` (aligned text), ``csv``, ``json``, ``jsonl``,
``md``."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
from collections.abc import Sequence
from typing import Any

from harvester.errors import UsageError
from harvester.fsnames import shown

FORMATS = ("table", "csv", "json", "jsonl", "md")
TABLE_CELL = 60
# Characters a terminal acts on instead of showing: C0 (but line feed and tab), DEL, C1. ESC
# among them, so escaping it also defuses every escape sequence (colours, titles, clearing).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_controls(value: str, *, keep_lines: bool = True) -> str:
    """``value`` with control characters shown as ``\\xNN`` escapes, for a terminal: text read
    from papers or files must not move the cursor, retitle the window or clear the screen.
    ``keep_lines``: line feeds and tabs stay (output tables); False escapes them too (a
    one-line message). Bytes of a file name that are not UTF-8 become ``\\xNN`` too
    (``fsnames.shown``): a UTF-8 terminal cannot take them raw."""
    pattern = _CONTROL if keep_lines else _CONTROL_ALL
    return pattern.sub(lambda m: f"\\x{ord(m.group()):02x}", shown(value))


def plain(value: Any) -> Any:
    """A JSON-ready version of a DuckDB value."""
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (dt.timedelta, bytes)):
        return str(value)
    return value


def text(value: Any) -> str:
    kind = type(value)  # the common cells first: a report's csv of 400k rows calls this 4M times
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    value = plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, list):
        return ", ".join(text(v) for v in value)
    return str(value)


def _cell(value: Any, width: int) -> str:
    s = " ".join(text(value).split())
    return s if len(s) <= width else s[: width - 1] + "…"


def render(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, cell_width: int = TABLE_CELL
) -> str:
    """``rows`` in ``fmt``; ``table`` cuts cells longer than ``cell_width`` with an ellipsis."""
    if fmt == "json":
        return (
            json.dumps(
                [dict(zip(columns, map(plain, r), strict=True)) for r in rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "jsonl":
        return "".join(
            json.dumps(dict(zip(columns, map(plain, r), strict=True)), ensure_ascii=False) + "\n"
            for r in rows
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(map(text, r) for r in rows)
        return out.getvalue()
    if fmt == "md":

        def esc(s: str) -> str:
            return s.replace("|", "\\|")

        lines = [
            "| " + " | ".join(esc(c) for c in columns) + " |",
            "|" + "|".join("---" for _ in columns) + "|",
        ]
        lines += ["| " + " | ".join(esc(_cell(v, 200)) for v in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        cells = [[_cell(v, cell_width) for v in r] for r in rows]
        widths = [len(c) for c in columns]
        for r in cells:
            widths = [max(w, len(c)) for w, c in zip(widths, r, strict=True)]
        numeric = [
            all(
                isinstance(r[i], (int, float, decimal.Decimal)) and not isinstance(r[i], bool)
                for r in rows
                if r[i] is not None
            )
            and any(r[i] is not None for r in rows)
            for i in range(len(columns))
        ]

        def line(values: Sequence[str]) -> str:
            return "  ".join(
                v.rjust(w) if num else v.ljust(w)
                for v, w, num in zip(values, widths, numeric, strict=True)
            ).rstrip()

        out_lines = [line(list(columns)), line(["-" * w for w in widths])]
        out_lines += [line(r) for r in cells]
        out_lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
        return "\n".join(out_lines) + "\n"
    raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# -- csv written by the database -------------------------------------------------------------
# ``render(..., "csv")`` of 400k rows costs seconds in Python (a text() call per cell); for the
# column types below the database can build each line itself, byte for byte the same: the
# caller (``Store.query_csv``) runs ``csv_lines_sql`` over the result, and renders in Python
# when it returns None (another type) or the database refuses a value (``CSV_REFUSED``).
CSV_REFUSED = "harvester: value not rendered in SQL"
_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
_INTEGERS |= {"U" + t for t in _INTEGERS}


def _csv_quoted(char: str) -> bool:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([f"a{char}b"])
    return out.getvalue().startswith('"')


# the characters that make Python's csv module quote a field (this Python's, asked once)
_CSV_SPECIAL = [c for c in ',"\r\n\t\x00 ;' if _csv_quoted(c)]


def _sql_text(expr: str, kind: str, depth: int = 0) -> str | None:
    """SQL giving ``text(value)`` of ``expr`` (a column of DuckDB type ``kind``), NULL for NULL;
    None for a type whose text SQL cannot reproduce exactly."""
    refused = f"error('{CSV_REFUSED}')"
    if kind == "VARCHAR":
        return expr
    if kind in _INTEGERS or kind == "BOOLEAN":
        return f"CAST({expr} AS VARCHAR)"  # str(int); true / false
    if kind in ("DOUBLE", "FLOAT"):
        x = f"CAST({expr} AS DOUBLE)"
        return (
            f"CASE WHEN {x} IS NULL THEN NULL WHEN abs({x}) < 1e6 THEN printf('%.4g', {x}) "
            f"WHEN abs({x}) < 9007199254740992 OR NOT isfinite({x}) THEN printf('%.0f', {x}) "
            f"WHEN abs({x}) < 1e38 THEN CAST(CAST({x} AS HUGEINT) AS VARCHAR) ELSE {refused} END"
        )
    if kind == "DATE":  # isoformat: years 1..9999 only (Python has no others)
        return (
            f"CASE WHEN {expr} IS NULL THEN NULL WHEN {expr} BETWEEN DATE '0001-01-01' "
            f"AND DATE '9999-12-31' THEN CAST({expr} AS VARCHAR) ELSE {refused} END"
        )
    if kind.endswith("[]"):  # ", ".join(text(v) for v in value)
        var = f"v{depth}"
        inner = _sql_text(var, kind[:-2], depth + 1)
        if inner is None:
            return None
        return f"array_to_string(list_transform({expr}, lambda {var}: coalesce({inner}, '')), ', ')"
    return None


def csv_lines_sql(columns: Sequence[tuple[str, str]]) -> str | None:
    """The select list that gives each row of a result with ``columns`` (name, DuckDB type) as
    its line of ``render(..., "csv")`` (without the line feed), or None when a type is not one
    SQL renders exactly (timestamps, decimals, structs, ...) or two columns share a name."""
    names = [name for name, _ in columns]
    if not columns or len(set(names)) != len(names):
        return None
    cells = []
    for name, kind in columns:
        value = _sql_text('"' + name.replace('"', '""') + '"', kind)
        if value is None:
            return None
        cell = f"coalesce({value}, '')"
        if kind != "VARCHAR" and not kind.endswith("[]") and len(columns) > 1:
            cells.append(cell)  # numbers, booleans, dates: never a character csv quotes
            continue
        quote = f"'\"' || replace({cell}, '\"', '\"\"') || '\"'"
        needs = " OR ".join(f"contains({cell}, chr({ord(c)}))" for c in _CSV_SPECIAL)
        if len(columns) == 1:  # csv writes a lone empty field as ""
            needs = f"{needs} OR {cell} = ''"
        cells.append(f"CASE WHEN {needs} THEN {quote} ELSE {cell} END")
    # one concat_ws per line, not a chain of ``||`` (each of which copies the line so far):
    # 0.56 -> 0.27 s CPU for official_code's 405k lines; no cell is NULL (each is coalesced)
    return "concat_ws(',', " + ", ".join(cells) + ") AS line"


def csv_header(columns: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(columns)
    return out.getvalue()
