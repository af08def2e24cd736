"""``harvest arxiv-oai --follow`` and ``harvest hf --api-url ROOT --follow``, through the CLI
against the fake OAI-PMH endpoint, fake webs (HF records, arXiv full texts) and a fake clock."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from harvester.cli import follow as follow_cli
from harvester.follow import FollowOptions
from harvester.store import Store
from tests.cli.conftest import Cli
from tests.fakeoai import FakeOai, FakeRecord
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb, arxiv_html

A, B = "2510.00001", "2510.00002"


pytestmark = pytest.mark.usefixtures("clock")  # the web seam on a fake clock (conftest)


@pytest.fixture
def elsewhere(clock: FakeClock) -> Iterator[FakeWeb]:
    """A second web: a root the user did not choose for this run."""
    with FakeWeb(clock=clock.now) as server:
        yield server


@pytest.fixture
def oai(clock: FakeClock) -> Iterator[FakeOai]:
    with FakeOai(clock=clock.now, page_size=5) as server:
        yield server


def _oai_run(oai: FakeOai, *more: str) -> tuple[str, ...]:
    return ("harvest", "arxiv-oai", "--set", "cs", "--api-url", oai.endpoint, "--no-stats", *more)


def test_arxiv_oai_follow_follows_the_papers_the_list_stored_first(
    cli: Cli, oai: FakeOai, site: FakeWeb
) -> None:
    oai.records = [FakeRecord(B, dt.date(2025, 10, 1), abstract="Code: github.com/lab/b-abs")]
    assert cli(*_oai_run(oai, "--until", "2025-10-01")).code == 0
    oai.records = [*oai.records, FakeRecord(A, dt.date(2025, 10, 2), abstract="No link.")]
    site.hf_paper(A)
    site.route(f"/html/{A}", arxiv_html(A, "Our code is at https://github.com/lab/a-full."))
    env = {"HARVESTER_HF_URL": site.url, "HARVESTER_FULLTEXT_URL": site.url}
    out = cli(*_oai_run(oai, "--follow", "hf,fulltext"), env=env)
    assert out.code == 0, out.stderr
    # like every --follow: the papers this run stored first (A), not B, stored before
    assert site.paths() == [f"/api/papers/{A}", f"/html/{A}"]
    assert cli.rows("SELECT paper_id, repo_name, source_field FROM mentions ORDER BY ALL") == [
        (A, "lab/a-full", "fulltext"),
        (B, "lab/b-abs", "abstract"),
    ]
    assert cli.rows("SELECT command, status FROM runs ORDER BY run_id") == [
        ("harvest", "ok"),
        ("harvest", "ok"),
        ("follow", "ok"),
    ]


def test_arxiv_oai_follow_with_an_unknown_channel_stops_before_any_request(
    cli: Cli, oai: FakeOai
) -> None:
    oai.records = [FakeRecord(A, dt.date(2025, 10, 1))]
    out = cli(*_oai_run(oai, "--follow", "pdf"))
    assert out.code == 2 and "--channel takes" in out.stderr
    assert oai.requests == []


def _listing(paper_id: str) -> str:
    item = {
        "paper": {"id": paper_id, "title": f"Paper {paper_id}", "summary": "No link."},
        "title": f"Paper {paper_id}",
        "publishedAt": "2025-10-01T00:00:00.000Z",
    }
    return json.dumps([item])


def test_hf_follow_asks_the_root_given_by_api_url_not_the_environments(
    cli: Cli, site: FakeWeb, elsewhere: FakeWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The follow step's HF root is the harvest's. (Its hf channel skips papers read from HF
    listings, which every paper a ``harvest hf`` run stores first is: so the options it is given
    are checked, and that nothing reaches the other root.)"""
    given: list[FollowOptions] = []
    real = follow_cli.run

    def run(store: Store, options: FollowOptions, dry_run: bool = False) -> None:
        given.append(options)
        real(store, options, dry_run)

    monkeypatch.setattr(follow_cli, "run", run)
    site.route("/api/daily_papers", _listing(A), content_type="application/json")
    site.hf_paper(A)
    elsewhere.hf_paper(A)
    out = cli(
        "harvest",
        "hf",
        "--date",
        "2025-10-01",
        "--api-url",
        site.url,
        "--no-stats",
        "--follow",
        "hf",
        env={"HARVESTER_HF_URL": elsewhere.url},
    )
    assert out.code == 0, out.stderr
    assert [o.hf_url for o in given] == [site.url]
    assert elsewhere.requests == []
    assert cli.rows("SELECT command, status FROM runs ORDER BY run_id") == [
        ("harvest", "ok"),
        ("follow", "ok"),
    ]
