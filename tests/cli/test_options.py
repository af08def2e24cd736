"""The GitHub options are declared once and added to each command that reaches GitHub."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from harvester import dry_run
from harvester.cli import app
from harvester.github.engine import EngineOptions

GITHUB = {"--github-url", "--batch-size", "--concurrency", "--max-wait", "--timeout"}


def _options(*path: str) -> list[str]:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return [o for p in command.params for o in p.opts if o.startswith("--")]


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        (("harvest", "files"), {"--no-stats", "--dry-run"}),
        (("harvest", "arxiv"), {"--no-stats"}),
        (("harvest", "hf"), {"--no-stats"}),
        (("refresh",), {"--dry-run"}),
    ],
)
def test_each_github_command_gets_the_github_options_after_its_own(
    path: tuple[str, ...], extra: set[str]
) -> None:
    options = _options(*path)
    shared = [o for o in options if o in GITHUB | {"--no-stats", "--dry-run"}]
    assert set(shared) == GITHUB | extra
    assert options[-len(shared) :] == shared  # after the command's own options
    assert "--db" in options[: -len(shared)]


def test_github_options_reach_the_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[EngineOptions] = []

    def estimate(store: object, settings: object, options: EngineOptions, **_: object) -> Any:
        seen.append(options)
        return SimpleNamespace(describe=lambda: "planned")

    monkeypatch.setattr(dry_run, "refresh", estimate)  # refresh imports it when it runs
    db = tmp_path / "h.duckdb"
    db.write_bytes(b"")  # refresh wants an existing database; the estimate is replaced
    args = ["refresh", "--db", str(db), "--dry-run", "--batch-size", "7", "--concurrency", "3"]
    result = CliRunner().invoke(
        app,
        [*args, "--max-wait", "2m"],
        env={"GITHUB_TOKEN": None, "GH_TOKEN": None, "HARVESTER_GITHUB_URL": None},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "dry run: planned\n"
    assert [(o.batch_size, o.concurrency, o.max_wait) for o in seen] == [(7, 3, 120.0)]
