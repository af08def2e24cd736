"""The README and docs/: live-source options and cron lines documented, the quick start sound,
and every relative link (file and #anchor) resolving."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from harvester.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")
LIVE_DOC = (ROOT / "docs" / "live-sources.md").read_text("utf-8")
DOCS = [ROOT / "README.md", ROOT / "benchmarks" / "README.md", *sorted(ROOT.glob("docs/*.md"))]
# shared with `harvest PATH...`: GitHub tuning documented with the GitHub section, or in --help
SHARED_OPTIONS = {"--db", "--no-stats", "--github-url", "--batch-size", "--concurrency"}
SHARED_OPTIONS |= {"--max-wait", "--timeout", "--help"}

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)


def _command(name: str) -> Any:
    harvest: Any = typer.main.get_command(app)
    return harvest.commands["harvest"].commands[name]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    return {_slug(h) for h in HEADING.findall(FENCE.sub("", markdown))}


def broken_links(doc: Path) -> list[str]:
    """Relative links in `doc` (outside code blocks) whose file or #anchor does not exist."""
    text = FENCE.sub("", doc.read_text("utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...: not ours to check
            continue
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        missing_anchor = (
            file.exists()
            and bool(anchor)
            and file.suffix == ".md"
            and anchor not in anchors(file.read_text("utf-8"))
        )
        if not file.exists() or missing_anchor:
            broken.append(target)
    return broken


@pytest.mark.parametrize("name", ["arxiv", "arxiv-oai", "hf"])
def test_live_command_options_are_documented(name: str) -> None:
    assert f"harvester harvest {name}" in README
    options = {o for p in _command(name).params for o in p.opts if o.startswith("--")}
    missing = sorted(o for o in options - SHARED_OPTIONS if f"`{o}" not in README)
    assert missing == []
    for param in _command(name).params:
        for env in [param.envvar] if isinstance(param.envvar, str) else []:
            assert f"`{env}`" in README


@pytest.mark.parametrize("name", ["arxiv", "arxiv-oai", "hf"])
def test_live_sources_doc_has_a_daily_cron_line(name: str) -> None:
    cron = re.compile(rf"^\d+\s+\d+\s+\*\s+\*\s+\*\s+.*harvester harvest {name} .*--since-last")
    assert any(cron.match(line) for line in LIVE_DOC.splitlines())


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.DOTALL)
    assert first_block is not None
    commands = [ln for ln in first_block.group(1).splitlines() if ln and not ln.startswith("#")]
    assert len(commands) == 2
    main_job, tests = commands
    # an install failure stops the line; only the harvest's exit 6 (GitHub unreachable, papers
    # stored) is let through to the report
    assert "pip install . && {" in main_job
    assert "|| test $? -eq 6; } && harvester report" in main_job
    assert ";" not in main_job.replace("; }", "")
    assert "../" not in main_job
    paths = re.findall(r"\bexamples/\S+", main_job)
    assert paths and all((ROOT / p).is_file() for p in paths)
    # CI runs exactly the README's test command
    test_command = tests.rsplit("&& ", 1)[1]
    ci_lines = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert test_command in ci_lines


def test_readme_uses_no_path_a_newcomer_lacks() -> None:
    assert "../shared" not in README


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc: Path) -> None:
    assert broken_links(doc) == []


def test_every_doc_is_linked_from_the_readme() -> None:
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in LINK.findall(README)}
    assert [d for d in DOCS[1:] if d.resolve() not in linked] == []


def test_a_broken_link_or_anchor_is_caught(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other\n\n## Incremental runs: `--since-last`\n")
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Doc\n\n[ok](other.md) [ok](other.md#incremental-runs---since-last) [ok](#doc)\n"
        "[gone](missing.md) [bad anchor](other.md#nowhere) ![img](nope.png) [web](https://x.y)\n"
        "```\n[in code](ignored.md)\n```\n"
    )
    assert broken_links(doc) == ["missing.md", "other.md#nowhere", "nope.png"]
