"""Start-up (issue 14): declaring every command imports no library a command calls, so that
`harvester --help`, `report` and `status` do not load the store, httpx, the readers and the
GitHub engine first; and the values the declarations copy (cli/defaults.py) are the library's."""

from __future__ import annotations

import json
import subprocess
import sys

from harvester import follow
from harvester.cli import defaults
from harvester.follow import fulltext, hf
from harvester.sources import files
from harvester.sources.live import arxiv_api, hf_api, oai
from harvester.store import export

HEAVY = (
    "duckdb",
    "httpx",
    "github",
    "rich.progress",
    "harvester.store",
    "harvester.harvest",
    "harvester.github.engine",
    "harvester.sources.files",
    "harvester.sources.live.oai",
    "harvester.follow",
    "harvester.dashboard",
)


def test_the_copied_option_values_are_the_librarys() -> None:
    assert defaults.INPUT_FORMATS == files.FORMATS
    assert defaults.ARXIV_QUERY_CAP == arxiv_api.QUERY_CAP
    assert defaults.ARXIV_PAGE_MAX == arxiv_api.PAGE_MAX
    assert defaults.ARXIV_URL == arxiv_api.DEFAULT_URL
    assert defaults.HF_PAGE_MAX == hf_api.PAGE_MAX
    assert defaults.HF_URL == hf_api.DEFAULT_URL == hf.DEFAULT_URL
    assert defaults.OAI_URL == oai.DEFAULT_URL
    assert defaults.FULLTEXT_URL == fulltext.DEFAULT_URL
    assert defaults.FOLLOW_CHANNELS == follow.DEFAULT_CHANNELS
    assert defaults.EXPORT_FORMATS == export.FORMATS


def test_declaring_every_command_imports_none_of_the_library_they_call() -> None:
    probe = (
        "import json, sys, typer.main\n"
        "from harvester.cli import app\n"
        "command = typer.main.get_command(app)\n"  # every option of every command, declared
        "assert command.list_commands(None)\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
