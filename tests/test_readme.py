"""The README documents the live-source commands: every option they add, and a cron line each."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main

from harvester.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
# shared with `harvest PATH...`: GitHub tuning documented with the GitHub section, or in --help
SHARED_OPTIONS = {"--db", "--no-stats", "--github-url", "--batch-size", "--concurrency"}
SHARED_OPTIONS |= {"--max-wait", "--timeout", "--help"}


def _command(name: str) -> Any:
    harvest: Any = typer.main.get_command(app)
    return harvest.commands["harvest"].commands[name]


@pytest.mark.parametrize("name", ["arxiv", "hf"])
def test_live_command_options_are_documented(name: str) -> None:
    assert f"harvester harvest {name}" in README
    options = {o for p in _command(name).params for o in p.opts if o.startswith("--")}
    missing = sorted(o for o in options - SHARED_OPTIONS if f"`{o}" not in README)
    assert missing == []
    for param in _command(name).params:
        for env in [param.envvar] if isinstance(param.envvar, str) else []:
            assert f"`{env}`" in README


@pytest.mark.parametrize("name", ["arxiv", "hf"])
def test_readme_has_a_daily_cron_line(name: str) -> None:
    cron = re.compile(rf"^\d+\s+\d+\s+\*\s+\*\s+\*\s+.*harvester harvest {name} .*--since-last")
    assert any(cron.match(line) for line in README.splitlines())
