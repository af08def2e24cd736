"""The fetch engine against the fake GitHub over real HTTP, with every wait recorded instead of
slept (the engine's ``sleep`` is injected), so no test waits for real."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from harvester.config import Secret, api_urls
from harvester.errors import GitHubError
from harvester.github.engine import Engine, EngineOptions, EngineReport
from harvester.github.graphql import GraphQLClient
from harvester.github.rest import RestClient
from harvester.models import Outcome, Status
from tests.fakegithub import FakeGitHub

TOKEN = Secret("test-token")


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with FakeGitHub(seed=7) as server:
        yield server


class Run:
    """An engine wired to the fake server, collecting outcomes and waits."""

    def __init__(
        self,
        fake: FakeGitHub,
        *,
        token: bool = True,
        root: str | None = None,
        on_sleep: Callable[[float], None] | None = None,
        timeout: float = 5.0,
        **options: object,
    ) -> None:
        urls = api_urls(root or fake.url)
        self.slept: list[float] = []
        self.notes: list[str] = []
        self.waits: list[str] = []
        self.outcomes: dict[str, Outcome] = {}
        self._on_sleep = on_sleep
        opts = {"backoff": 0.0, **options}
        self.engine = Engine(
            RestClient(urls.rest, TOKEN if token else None, timeout=timeout),
            GraphQLClient(urls.graphql, TOKEN, timeout=timeout) if token else None,
            EngineOptions(**opts),  # type: ignore[arg-type]
            reporter=self,
            sleep=self._sleep,
        )

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self._on_sleep is not None:
            self._on_sleep(seconds)

    # Reporter protocol
    def progress(self, done: int, total: int) -> None:
        pass

    def waiting(self, seconds: float, until: dt.datetime, reason: str) -> None:
        self.waits.append(reason)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def sink(self, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            assert o.name not in self.outcomes, f"{o.name} settled twice"
            self.outcomes[o.name] = o

    def __call__(self, names: list[str], etags: dict[str, str] | None = None) -> EngineReport:
        try:
            return self.engine.run(names, self.sink, etags)
        finally:
            self.engine.close()

    def statuses(self) -> dict[str, Status]:
        return {n: o.status for n, o in self.outcomes.items()}


def _prepare(fake: FakeGitHub) -> None:
    fake.add_repo("Alive/Repo", stars=42)
    fake.add_repo("Old/Name", stars=5)
    fake.rename("Old/Name", "New/Name")
    fake.add_repo("gone/repo")
    fake.remove("gone/repo")
    fake.add_repo("dmca/repo")
    fake.block("dmca/repo", "dmca")
    fake.add_repo("tos/repo")
    fake.block("tos/repo", "tos")


EXPECTED = {
    "alive/repo": Status.OK,
    "old/name": Status.RENAMED,
    "gone/repo": Status.NOT_FOUND,
    "dmca/repo": Status.BLOCKED,
    "tos/repo": Status.BLOCKED,
}


def test_graphql_batches_keep_partial_data_and_probe_only_failures(fake: FakeGitHub) -> None:
    _prepare(fake)
    names = list(EXPECTED) + [f"auto/repo-{i}" for i in range(245)]
    run = Run(fake)
    report = run(names)
    assert report.stopped is None and len(run.outcomes) == 250
    for name, status in EXPECTED.items():
        assert run.outcomes[name].status == status, name
    assert all(run.outcomes[f"auto/repo-{i}"].status == Status.OK for i in range(245))
    renamed = run.outcomes["old/name"]
    assert renamed.repo is not None and renamed.repo.full_name == "New/Name"
    assert renamed.detail == "now New/Name"
    assert run.outcomes["alive/repo"].repo.stars == 42  # type: ignore[union-attr]
    assert "451" in (run.outcomes["dmca/repo"].detail or "")
    assert "tos" in (run.outcomes["tos/repo"].detail or "")
    # 3 GraphQL batches for 250 names; only the 3 unresolvable names are probed over REST
    assert fake.graphql_requests == 3
    assert fake.rest_requests == 3
    assert report.requests == 6


def test_rest_without_token_classifies_and_says_the_limit_once(fake: FakeGitHub) -> None:
    _prepare(fake)
    run = Run(fake, token=False)
    run(list(EXPECTED))
    assert run.statuses() == EXPECTED
    assert len(run.notes) == 1 and "60 requests/hour" in run.notes[0]
    assert fake.graphql_requests == 0


def test_etags_make_unchanged_refreshes_free(fake: FakeGitHub) -> None:
    fake.add_repo("a/one")
    fake.add_repo("a/two")
    first = Run(fake, token=False)
    first(["a/one", "a/two"])
    etags = {n: o.etag for n, o in first.outcomes.items() if o.etag}
    assert set(etags) == {"a/one", "a/two"}
    fake.touch("a/two", stars=999)
    before = fake.reset_counters() or fake.not_modified
    second = Run(fake, token=False)
    second(["a/one", "a/two"], etags)
    assert second.outcomes["a/one"].not_modified
    assert not second.outcomes["a/two"].not_modified
    assert second.outcomes["a/two"].repo.stars == 999  # type: ignore[union-attr]
    assert fake.not_modified == 1 and before == 0


def test_waits_for_a_spent_rest_budget_instead_of_sending(fake: FakeGitHub) -> None:
    fake.stop()
    limited = FakeGitHub(rest_limit=3, reset_after=120.0).start()
    try:

        def refill(seconds: float) -> None:
            limited.reset_after = 0.0  # the window ends while we "sleep"

        run = Run(limited, token=False, on_sleep=refill)
        names = [f"o/r{i}" for i in range(5)]
        report = run(names)
        assert report.stopped is None and len(run.outcomes) == 5
        assert run.waits == ["core rate limit"]
        assert 100 < run.slept[0] <= 122  # until the announced reset, plus a second
        # never a request it knew would be refused: exactly one request per name
        assert limited.rest_requests == 5
    finally:
        limited.stop()


def test_stops_cleanly_when_the_reset_is_beyond_max_wait(fake: FakeGitHub) -> None:
    fake.stop()
    limited = FakeGitHub(rest_limit=2, reset_after=3600.0).start()
    try:
        run = Run(limited, token=False, max_wait=60.0)
        report = run([f"o/r{i}" for i in range(5)])
        assert len(run.outcomes) == 2 and run.slept == []
        assert report.stopped is not None and "--max-wait" in report.stopped
        assert limited.rest_requests == 2
    finally:
        limited.stop()


def test_graphql_rate_limited_with_http_200_is_understood(fake: FakeGitHub) -> None:
    fake.reset_after = 300.0
    fake.graphql_rate_limited = True

    def refill(seconds: float) -> None:
        fake.graphql_rate_limited = False

    run = Run(fake, on_sleep=refill)
    report = run([f"o/r{i}" for i in range(3)])
    assert report.stopped is None and len(run.outcomes) == 3
    assert run.waits == ["graphql rate limit"]
    assert fake.graphql_requests == 2  # the refused one, then the batch


@pytest.mark.parametrize("rate_type", ["RATE_LIMITED", "RATE_LIMIT"])
def test_both_spellings_of_graphql_rate_limit(fake: FakeGitHub, rate_type: str) -> None:
    fake.graphql_rate_limit_type = rate_type
    fake.reset_after = 3600.0
    fake.graphql_rate_limited = True
    run = Run(fake, max_wait=60.0)
    report = run(["o/r"])
    assert report.stopped is not None and "graphql budget is spent" in report.stopped
    assert run.outcomes == {}


def test_secondary_limit_honours_retry_after(fake: FakeGitHub) -> None:
    fake.secondary_every = 2
    fake.secondary_retry_after = 7
    run = Run(fake, token=False)
    run([f"o/r{i}" for i in range(4)])
    assert all(o.status == Status.OK for o in run.outcomes.values()) and len(run.outcomes) == 4
    assert run.slept and all(s == 7 for s in run.slept)
    assert set(run.waits) == {"secondary rate limit"}


def test_secondary_limit_without_retry_after_waits_a_minute_then_doubles(
    fake: FakeGitHub,
) -> None:
    fake.secondary_every = 1  # every request refused
    fake.secondary_retry_after = None
    run = Run(fake, token=False, max_wait=900.0)
    report = run(["o/r"])
    assert run.slept == [60.0, 120.0, 240.0, 480.0]  # the next, 960 s, would pass --max-wait...
    assert report.stopped is not None and "secondary rate limit" in report.stopped
    assert run.outcomes == {}  # ...so the name stays pending for the next run


def test_transient_5xx_are_retried(fake: FakeGitHub) -> None:
    fake.fail_rate = 0.4
    run = Run(fake, batch_size=5, retries=8)
    report = run([f"o/r{i}" for i in range(100)])
    assert report.stopped is None
    assert {o.status for o in run.outcomes.values()} == {Status.OK}
    assert len(run.outcomes) == 100
    retries = fake.graphql_requests - 20
    assert retries > 0 and len(run.slept) == retries  # each retry backed off (recorded)


def test_persistent_5xx_splits_batches_then_marks_names_error(fake: FakeGitHub) -> None:
    fake.fail_rate = 1.0
    run = Run(fake, retries=1)
    report = run(["o/a", "o/b", "o/c", "o/d"])
    assert report.stopped is None
    assert {o.status for o in run.outcomes.values()} == {Status.ERROR}
    assert all("after 2 tries" in (o.detail or "") for o in run.outcomes.values())
    # one batch of 4, two of 2, four of 1, each tried twice
    assert fake.graphql_requests == (1 + 2 + 4) * 2


@pytest.mark.parametrize("fault", ["truncate_rate", "reset_rate", "hang_rate"])
def test_broken_connections_are_retried(fake: FakeGitHub, fault: str) -> None:
    fake.hang_seconds = 2.0
    setattr(fake, fault, 0.3)
    run = Run(fake, token=False, timeout=0.3, retries=6)
    report = run([f"o/r{i}" for i in range(12)])
    assert report.stopped is None
    assert {o.status for o in run.outcomes.values()} == {Status.OK}
    assert len(run.outcomes) == 12


def test_unreachable_github_stops_and_leaves_names_pending(fake: FakeGitHub) -> None:
    url = fake.url
    fake.stop()  # nothing listens on that port any more
    for token in (True, False):
        run = Run(fake, token=token, root=url)
        report = run(["o/a", "o/b"])
        assert report.stopped is not None and "cannot be reached" in report.stopped
        assert run.outcomes == {}


def test_bad_token_is_a_github_error_without_the_token(fake: FakeGitHub) -> None:
    run = Run(fake)
    assert run.engine.graphql is not None
    run.engine.graphql.close()
    run.engine.graphql = GraphQLClient(fake.graphql_url, Secret("wrong-token-123"))
    with pytest.raises(GitHubError, match="401") as caught:
        run(["o/a"])
    assert "wrong-token-123" not in str(caught.value)


def test_invalid_names_never_reach_github(fake: FakeGitHub) -> None:
    run = Run(fake)
    run(["../etc", "a/b%2Fc", "o/ok"])
    assert run.outcomes["../etc"].status == Status.NOT_FOUND
    assert run.outcomes["a/b%2Fc"].status == Status.NOT_FOUND
    assert run.outcomes["o/ok"].status == Status.OK
    assert fake.rest_requests == 0 and fake.graphql_requests == 1


def test_concurrency_gives_the_same_outcomes(fake: FakeGitHub) -> None:
    _prepare(fake)
    names = list(EXPECTED) + [f"auto/x{i}" for i in range(40)]
    serial = Run(fake, batch_size=5)
    serial(names)
    parallel = Run(fake, batch_size=5, concurrency=4)
    parallel(names)
    assert parallel.statuses() == serial.statuses()
    assert {n: o.repo for n, o in parallel.outcomes.items()} == {
        n: o.repo for n, o in serial.outcomes.items()
    }


def test_github_enterprise_layout(fake: FakeGitHub) -> None:
    _prepare(fake)
    for token in (True, False):
        run = Run(fake, token=token, root=fake.url + "/api/v3")
        run(list(EXPECTED))
        assert run.statuses() == EXPECTED
    assert fake.requests_by_path  # both layouts were served by the same fake


def test_refusals_after_waiting_for_the_reset_do_not_loop_forever(fake: FakeGitHub) -> None:
    """If GitHub keeps refusing after every announced reset (clock skew, a stuck window),
    the engine gives up after a few waits instead of spinning."""
    fake.stop()
    stuck = FakeGitHub(rest_limit=1, reset_after=3600.0).start()
    try:
        run = Run(stuck, token=False, max_wait=7200.0)  # waits are recorded; nothing refills
        report = run(["o/a", "o/b"])
        assert report.stopped is not None and "keeps refusing" in report.stopped
        assert list(run.outcomes) == ["o/a"]
        # o/a spends the budget; each of four tries for o/b waits first and is refused; the
        # fourth refusal (more than MAX_REFUSALS = 3) stops the job
        assert len(run.slept) == 4
        assert stuck.rest_requests == 5
    finally:
        stuck.stop()
