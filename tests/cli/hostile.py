"""Helpers for the issue 15 tests (``test_hostile_*.py``)."""

from __future__ import annotations

from tests.cli.conftest import Cli

GOOD = '{"id": "2501.00001", "title": "A", "abstract": "code: github.com/a/b"}\n'


def one_line(text: str) -> str:
    """The one error line of ``text``: no traceback, no internal error."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text and "internal error" not in text, text
    assert lines[0].startswith("harvester: ")
    return lines[0]


def intact(cli: Cli) -> None:
    assert cli.rows("SELECT paper_id FROM papers") == [("2501.00001",)]
    assert cli.rows("SELECT repo_name, status FROM repo_names") == [("a/b", "ok")]
