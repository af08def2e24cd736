"""Where a command's output goes: stdout (escaped on a terminal) or a file (checked first).

* **A terminal gets no raw control characters.** Titles, languages and file names come from
  papers and other people's files; on a terminal (``isatty``) ``table``, ``md`` and ``csv``
  output shows control characters as ``\\xNN`` escapes, so a title cannot retitle the window or
  clear the screen. A pipe or a file gets the values exactly as stored.
* **``--output`` never destroys what the command did not write.** Writing onto the database
  (any spelling: a symlink, ``./x``, a hard link) is refused, ``--force`` or not. An existing
  file is replaced only when it is this command's own earlier output (it starts with the same
  header: the chart page's ``<head>``, a report's column header, or JSON with the same keys);
  anything else needs ``--force``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from harvester import errors
from harvester.cli.app import note
from harvester.render import escape_controls

ESCAPED_ON_TERMINAL = ("table", "md", "csv")
_HEAD_BYTES = 1 << 20  # an earlier output is recognised from its first MiB
_DB_COMPANIONS = ("", ".wal", ".lock")  # the database and the files DuckDB/harvester keep beside it


def emit(output: str, fmt: str) -> None:
    """``output`` to stdout; control characters escaped when stdout is a terminal."""
    if fmt in ESCAPED_ON_TERMINAL and sys.stdout.isatty():
        output = escape_controls(output)
    sys.stdout.write(output)


def write(
    output: str,
    path: Path | None,
    fmt: str,
    *,
    db: Path,
    force: bool = False,
    columns: Sequence[str] = (),
) -> None:
    """``output`` (in ``fmt``: a render format or ``html``) to stdout, or to ``path`` after
    ``check_target`` (then a note says so)."""
    if path is None:
        emit(output, fmt)
        return
    check_target(path, output, fmt, db=db, force=force, columns=columns)
    try:
        path.write_text(output, "utf-8")
    except OSError as exc:
        raise errors.UsageError(f"cannot write {path}: {exc.strerror}") from None
    note(f"wrote {path}")


def check_target(
    path: Path, output: str, fmt: str, *, db: Path, force: bool, columns: Sequence[str]
) -> None:
    """Refuse ``path`` when it is the database (or its WAL or job lock), a directory, or an
    existing file that is not this command's earlier output (unless ``force``)."""
    refuse_database(path, db)
    if not (path.exists() or path.is_symlink()):
        return
    if path.is_dir():
        raise errors.UsageError(f"cannot write {path}: it is a directory")
    if force or _earlier_output(path, output, fmt, columns):
        return
    raise errors.UsageError(
        f"{path} already exists and is not an earlier output of this command; "
        "choose another file, or add --force to replace it"
    )


def refuse_database(path: Path | None, db: Path) -> None:
    """Refuse ``path`` when it is the database, its WAL or its job lock, ``--force`` or not.
    Commands check this before any work, so the refusal is immediate."""
    if path is None:
        return
    for suffix in _DB_COMPANIONS:
        companion = db.with_name(db.name + suffix)
        if _same_file(path, companion):
            raise errors.UsageError(
                f"--output {path} is the database {db}"
                + (f" ({suffix.lstrip('.')} file)" if suffix else "")
                + "; refusing to write over it: choose another file"
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (or cannot be read): compare the spelling
        return os.path.realpath(a) == os.path.realpath(b)


def _earlier_output(path: Path, output: str, fmt: str, columns: Sequence[str]) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(_HEAD_BYTES + 1)
    except OSError:
        return False
    try:
        text = head[:_HEAD_BYTES].decode("utf-8")
    except UnicodeDecodeError:
        return False
    if fmt == "html":
        end = output.find("</head>")
        return end > 0 and text.startswith(output[: end + len("</head>")])
    if fmt in ("json", "jsonl"):
        return _json_keys(text, fmt, len(head) > _HEAD_BYTES) == list(columns)
    first = output.split("\n", 1)[0]
    return bool(first) and text.split("\n", 1)[0] == first


def _json_keys(text: str, fmt: str, cut: bool) -> list[str] | None:
    """The keys of the first record of a JSON array (``json``) or JSON lines file."""
    try:
        if fmt == "jsonl":
            record = json.loads(text.split("\n", 1)[0])
        else:
            if cut:
                return None
            records = json.loads(text)
            record = records[0] if isinstance(records, list) and records else None
    except ValueError:
        return None
    return list(record) if isinstance(record, dict) else None
