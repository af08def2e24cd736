"""``harvester follow --channel pages`` on the real project pages of ``../shared/data/pages/``
(read at test time, served by a fake web on 127.0.0.1 at the path of their paper): following a
page stores exactly what reading the same file stores, and the repository the authors declared
is found as a ``code_link`` on (nearly) every page that links it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester import web
from harvester.models import name_key
from harvester.sources.files import html
from tests.cli.conftest import Cli
from tests.conftest import SHARED
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb

PAGES = SHARED / "data" / "pages"

pytestmark = pytest.mark.shared


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeb]:
    clock = FakeClock(day=dt.date(2025, 11, 5))
    monkeypatch.setattr(web, "SYSTEM_CLOCK", clock)
    with FakeWeb(clock=clock.now) as server:
        yield server


def test_following_real_pages_stores_what_reading_them_finds(
    cli: Cli, site: FakeWeb, tmp_path: Path
) -> None:
    if not (PAGES / "manifest.jsonl").is_file():
        pytest.skip(f"no pages at {PAGES}")
    manifest = [json.loads(line) for line in (PAGES / "manifest.jsonl").read_text().splitlines()]
    entries = [e for e in manifest if (PAGES / e["arxiv_id"] / "project.html").is_file()]
    expected: set[tuple[str, str, str | None]] = set()
    papers = []
    for entry in entries:
        paper_id = entry["arxiv_id"]
        text = (PAGES / paper_id / "project.html").read_bytes()
        url = site.route(f"/{paper_id}/", text)
        papers.append({"id": paper_id, "title": entry["title"], "comment": f"Project page: {url}"})
        read = next(html.read_html(text.decode("utf-8", errors="replace"), "page.html"))
        seen: set[tuple[str, str]] = set()
        for m in read.mentions:  # the store keeps a repository's first occurrence per kind
            if (m.repo_name, m.kind) not in seen:
                seen.add((m.repo_name, m.kind))
                expected.add((paper_id, m.repo_name, m.locus))
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in papers))
    assert cli("harvest", str(path), "--no-stats").code == 0
    out = cli("follow", "--channel", "pages", "--allow-private", github=False)
    assert out.code == 0, out.stderr
    stored = set(
        cli.rows(
            "SELECT paper_id, repo_name, locus FROM mentions WHERE source_field = 'project_page'"
        )
    )
    assert stored == expected
    assert cli.one("SELECT count(*) FROM documents WHERE status = 200") == len(entries)
    declared = [e for e in entries if e["page_has_truth"]]
    found = [
        e for e in declared if (e["arxiv_id"], name_key(e["truth_repo"]), "code_link") in stored
    ]
    assert len(found) >= 0.95 * len(declared), (len(found), len(declared))
