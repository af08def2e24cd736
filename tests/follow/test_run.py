"""The follow job through the library: an interrupted run keeps what it fetched and a rerun
resumes after it; the run is recorded as interrupted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester import web
from harvester.errors import Interrupted
from harvester.follow import FollowOptions, follow
from harvester.models import Paper
from harvester.store import Store
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb, arxiv_html

IDS = [f"2506.{10000 + i}" for i in range(5)]


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeb]:
    clock = FakeClock(day=dt.date(2025, 11, 5))
    monkeypatch.setattr(web, "SYSTEM_CLOCK", clock)
    with FakeWeb(clock=clock.now) as server:
        for paper_id in IDS:
            body = f"Code: https://github.com/lab/tool-{paper_id[-1]}"
            server.route(f"/html/{paper_id}", arxiv_html(paper_id, body))
        yield server


class _StopAfter:
    def __init__(self, papers: int) -> None:
        self.papers = papers

    def followed(self, done: int, total: int) -> None:
        if done == self.papers:
            raise KeyboardInterrupt

    def note(self, message: str) -> None:
        pass

    def retry_wait(self, seconds: float, why: str) -> None:
        pass


def test_an_interrupted_run_keeps_what_it_fetched_and_the_rerun_resumes(
    site: FakeWeb, tmp_path: Path
) -> None:
    store = Store(tmp_path / "h.duckdb")
    run_id, _ = store.begin_run("harvest", "seed")
    store.save_papers([Paper(paper_id=i, source="arxiv") for i in IDS], [], run_id)
    store.end_run(run_id, "ok")
    options = FollowOptions(channels=("fulltext",), fulltext_url=site.url)
    with pytest.raises(Interrupted):
        follow(store, options, args="follow", reporter=_StopAfter(2))
    first = store.query(["SELECT paper_id, repo_name FROM mentions ORDER BY 1"]).rows
    assert [tuple(r) for r in first] == [(IDS[0], "lab/tool-0"), (IDS[1], "lab/tool-1")]
    status = store.query(["SELECT status FROM runs ORDER BY run_id DESC LIMIT 1"]).rows
    assert status[0][0] == "interrupted"
    summary = follow(store, options, args="follow")
    assert summary.skipped == 2 and summary.documents["fulltext"] == 3
    assert sorted(site.paths()) == sorted(f"/html/{i}" for i in IDS)  # each fetched once
    assert store.query(["SELECT count(*) FROM mentions"]).rows[0][0] == 5


def test_an_html_answer_that_is_not_an_arxiv_paper_falls_back_to_the_pdf(
    site: FakeWeb, tmp_path: Path
) -> None:
    from tests.sources.files.minipdf import make_pdf

    paper_id = "2507.10001"
    site.route(
        f"/html/{paper_id}",
        "<html><body>No HTML for this paper. <a href='https://github.com/x/err'>GitHub</a></body></html>",
    )
    pdf = make_pdf([["Title", "Code: https://github.com/lab/from-pdf"]])
    site.route(f"/pdf/{paper_id}", pdf, content_type="application/pdf")
    store = Store(tmp_path / "h.duckdb")
    run_id, _ = store.begin_run("harvest", "seed")
    store.save_papers([Paper(paper_id=paper_id, source="arxiv")], [], run_id)
    store.end_run(run_id, "ok")
    follow(store, FollowOptions(channels=("fulltext",), fulltext_url=site.url), args="follow")
    rows = store.query(["SELECT repo_name, source_field, locus FROM mentions"]).rows
    assert [tuple(r) for r in rows] == [("lab/from-pdf", "fulltext", "first_page")]
    why = store.query(["SELECT why FROM documents WHERE url LIKE '%/html/%'"]).rows[0][0]
    assert why == "unreadable: is not an arXiv HTML paper (no LaTeXML markup)"


def test_the_dry_run_reads_a_database_from_before_the_documents_table(tmp_path: Path) -> None:
    import duckdb

    from harvester.follow import plan
    from harvester.store import migrate

    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR)")
    for m in migrate.migrations():
        if m.version <= 4:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?)", [m.version, m.name])
    con.execute("INSERT INTO papers (paper_id, source) VALUES ('2501.01234', 'arxiv')")
    con.close()
    estimate = plan(Store(path), FollowOptions(channels=("fulltext",)))
    assert (estimate.papers, dict(estimate.per_host)) == (1, {"export.arxiv.org (fulltext)": 1})
    with duckdb.connect(str(path), read_only=True) as reader:
        assert migrate.current_version(reader) == 4  # a dry run writes nothing
