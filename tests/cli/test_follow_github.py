"""``harvester follow --channel readme,search`` through the CLI: the README back-links of the
resolved repositories and GitHub's repository search, against the fake GitHub."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Cli

ABC = "ABC: Achieving Better Control of Multimodal Embeddings using VLMs"


def _papers(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl"
    rows = [
        # the abstract links a repository whose README cites some other paper
        {"id": "2503.00329", "title": ABC, "abstract": "We build on github.com/other/base."},
        # no link anywhere: only GitHub's search can find its code
        {"id": "2505.22222", "title": "Some Paper Without Links At All", "abstract": "None."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_follow_readme_and_search_find_official_code(cli: Cli, tmp_path: Path) -> None:
    cli.fake.add_repo("other/base")
    cli.fake.add_repo("third/p3code")
    cli.fake.set_readme("other/base", "# Base\nA library. See arXiv:2401.00001.")
    cli.fake.set_readme("third/p3code", "Official code of arXiv:2505.22222 (ICML 2025)")
    assert cli("harvest", str(_papers(tmp_path))).code == 0

    dry = cli("follow", "--channel", "readme,search", "--dry-run")
    assert dry.code == 0, dry.stderr
    assert "dry run" in dry.stdout and "README" in dry.stdout

    out = cli("follow", "--channel", "readme,search", "--max-wait", "5s")
    assert out.code == 0, out.stderr
    assert "READMEs read" in out.stdout and "papers searched on GitHub, 1 found" in out.stdout
    roles = dict(
        ((p, r), role)
        for p, r, role in cli.rows("SELECT paper_id, repo_name, role FROM paper_code")
    )
    assert roles[("2505.22222", "third/p3code")] == "official"  # found by search, confirmed
    assert roles[("2503.00329", "other/base")] == "official"  # linked from the abstract
    # ... but not by a back-link: its README cites another paper
    assert cli.one("SELECT count(*) FROM readme_citations WHERE paper_id = '2503.00329'") == 0
    assert cli.one("SELECT count(*) FROM readme_citations WHERE paper_id = '2505.22222'") == 1


def test_follow_readme_channel_is_named_in_a_bad_channel_error(cli: Cli, tmp_path: Path) -> None:
    assert cli("harvest", str(_papers(tmp_path)), "--no-stats").code == 0
    out = cli("follow", "--channel", "readmes")
    assert out.code == 2
    assert "readme" in out.stderr and "search" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_harvest_checks_the_readmes_its_stats_batch_read(cli: Cli, tmp_path: Path) -> None:
    # The GraphQL stats batch reads README.md beside the stats; its back-links are stored at once
    # and `follow --channel readme` then has nothing left to ask for that repository.
    cli.fake.add_repo("tiger/abc")
    cli.fake.set_readme("tiger/abc", f"# {ABC}\n[paper](https://arxiv.org/abs/2503.00329v2)")
    papers = tmp_path / "p.jsonl"
    papers.write_text(
        json.dumps({"id": "2503.00329", "title": ABC, "comment": "github.com/tiger/abc"}) + "\n"
    )
    assert cli("harvest", str(papers)).code == 0
    assert cli.rows("SELECT paper_id, how FROM readme_citations") != []
    assert {r[0] for r in cli.rows("SELECT paper_id FROM readme_citations")} == {"2503.00329"}
    requests = cli.fake.requests
    out = cli("follow", "--channel", "readme")
    assert out.code == 0, out.stderr
    assert "READMEs read" not in out.stdout  # nothing left to read
    assert cli.fake.requests - requests <= 1  # at most the free /rate_limit probe
