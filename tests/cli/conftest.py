"""Helpers for driving the real CLI in-process against the fake GitHub."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from harvester import web
from harvester.cli import app
from tests.fakegithub import FakeGitHub
from tests.fakeoai import FlakyOai
from tests.fakesources import FakeClock
from tests.fakeweb import FakeWeb

TOKEN = "test-token-5f1b2c"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


class Cli:
    def __init__(self, db: Path, fake: FakeGitHub) -> None:
        self.db = db
        self.fake = fake
        self.runner = CliRunner()

    def __call__(
        self,
        *args: str,
        token: str | None = TOKEN,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        db: bool = True,
        github: bool = True,
    ) -> Outcome:
        argv = list(args)
        full_env: dict[str, str | None] = {"GITHUB_TOKEN": token, "GH_TOKEN": None}
        if db:
            full_env["HARVESTER_DB"] = str(self.db)
        if github:
            full_env["HARVESTER_GITHUB_URL"] = self.fake.url
        full_env.update(env or {})
        result = self.runner.invoke(app, argv, input=stdin, env=full_env, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()

    def one(self, sql: str) -> object:
        return self.rows(sql)[0][0]


def seed_world(fake: FakeGitHub) -> None:
    """Four of the seed's repositories as they are in the end-to-end tests: one famous, one
    renamed, one deleted, one blocked (DMCA); the rest are the fake's automatic repositories."""
    fake.add_repo("hkust-nlp/Vision4Chart", stars=90_000, language="Python", license="MIT")
    fake.add_repo("tyfeld/Bottleneck-Sampling")
    fake.rename("tyfeld/Bottleneck-Sampling", "tyfeld/BottleneckSampling")
    fake.add_repo("Ajwebdevs/Chronicals")
    fake.remove("Ajwebdevs/Chronicals")
    fake.add_repo("xu-ji/information-bottleneck")
    fake.block("xu-ji/information-bottleneck", "dmca")


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN, seed=3) as server:
        yield server


@pytest.fixture
def cli(tmp_path: Path, fake: FakeGitHub) -> Cli:
    return Cli(tmp_path / "h.duckdb", fake)


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """A database with a history (see ``tests/cli/history.py``), built once per test process
    through the CLI, and the fake GitHub it was built against (still running). Read it only."""
    from tests.cli import history as builder

    with pytest.MonkeyPatch.context() as patch, FakeGitHub(token=TOKEN, seed=3) as server:
        for name in ("GITHUB_TOKEN", "GH_TOKEN", "HARVESTER_DB", "HARVESTER_GITHUB_URL"):
            patch.delenv(name, raising=False)
        cli = Cli(tmp_path_factory.mktemp("history") / "history.duckdb", server)
        builder.build(cli, server, patch)
        yield cli


@pytest.fixture(scope="session")
def one_paper_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database ``one_paper`` starts from, harvested once per test process through the CLI
    against a fake GitHub like ``fake`` (same token and seed; ``a/b`` is an automatic
    repository, whose stats depend on its name only). Never written after: tests get copies."""
    from tests.cli.hostile import GOOD

    where = tmp_path_factory.mktemp("one_paper")
    good = where / "good.jsonl"
    good.write_text(GOOD)
    with pytest.MonkeyPatch.context() as patch, FakeGitHub(token=TOKEN, seed=3) as server:
        for name in ("GITHUB_TOKEN", "GH_TOKEN", "HARVESTER_DB", "HARVESTER_GITHUB_URL"):
            patch.delenv(name, raising=False)
        cli = Cli(where / "h.duckdb", server)
        assert cli("harvest", str(good)).code == 0
    return cli.db


@pytest.fixture
def one_paper(cli: Cli, one_paper_db: Path) -> Cli:
    """A database with one harvested paper (2501.00001 linking a/b, fetched), to check that a
    failing command leaves it intact (``tests/cli/hostile.py``: ``intact``). A copy of the
    files ``one_paper_db`` left (the input ``good.jsonl``, the database and its lock file), as
    a harvest in ``tmp_path`` would leave them, not a harvest per test."""
    assert cli.db.name == one_paper_db.name
    for made in one_paper_db.parent.iterdir():
        shutil.copyfile(made, cli.db.parent / made.name)
    return cli


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The web seam on a fake clock: no real sleeping, today 2025-11-05. Files that talk to the
    fake live sources use it in every test: ``pytestmark = pytest.mark.usefixtures("clock")``."""
    fake = FakeClock(day=dt.date(2025, 11, 5))
    monkeypatch.setattr(web, "SYSTEM_CLOCK", fake)
    return fake


@pytest.fixture
def site(clock: FakeClock) -> Iterator[FakeWeb]:
    """A fake web server on 127.0.0.1 (project pages, full texts) on the fake clock."""
    with FakeWeb(clock=clock.now) as server:
        yield server


@pytest.fixture
def oai(clock: FakeClock) -> Iterator[FlakyOai]:
    """A fake OAI-PMH server (three records a page) on the fake clock."""
    with FlakyOai(clock=clock.now, page_size=3) as server:
        yield server
