"""The fetch engine: turns repository names into outcomes within GitHub's limits.

* With a token: batches of up to 100 names, one GraphQL request each, partial answers kept;
  only names GraphQL could not resolve are probed over REST (404 / 451 / 403-block / 301).
* Without a token: one REST request per name, with ``If-None-Match`` when an ETag is known
  (a 304 costs no rate limit).
* Budgets: ``x-ratelimit-*`` headers and GraphQL ``rateLimit`` are tracked per resource; a
  request the budget cannot pay for is not sent: the engine waits for the reset (up to
  ``max_wait``) or stops cleanly, leaving the rest ``pending`` for a later run.
* Failures: secondary limits honour ``retry-after`` (else >= 60 s, doubling); 5xx, timeouts,
  resets and truncated bodies are retried with jittered backoff. A batch that keeps failing is
  split in halves down to single names; a single name that keeps failing ends as ``error``. A
  GitHub that cannot be reached at all stops the job (resumable) rather than marking names.
* Serial by default, as GitHub asks of API clients; ``concurrency`` > 1 runs that many
  requests at once (faster, but more likely to trip secondary limits).
* READMEs: the GraphQL batch reads each repository's README for the placeholder verdict; a
  ``readme_hook(repo, text)`` sees each one (e.g. to look for a back-link to the paper) without a
  second fetch. It runs on the thread that fetched the batch; the text is never stored.

All waiting goes through the injected ``sleep`` so tests run without real delays.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from harvester.backoff import jittered, retry_after
from harvester.errors import GitHubError
from harvester.github import limits
from harvester.github.budget import (
    MAX_REFUSALS,
    Budget,
    Reporter,
    SilentReporter,
    StopFetching,
    utcnow,
)
from harvester.github.facts import query_cost
from harvester.github.graphql import GraphQLClient
from harvester.github.parse import (
    MAX_BATCH,
    ReadmeHook,
    build_query,
    outcome_from_rest,
    parse_graphql,
    rate_from_headers,
)
from harvester.github.rest import RestClient
from harvester.github.transport import (
    TOKEN_HINT,
    NetworkError,
    RedirectRefused,
    Reply,
    rejected_token,
)
from harvester.models import Outcome, RepoName, Status, name_key

SECONDARY_MIN_WAIT = 60.0
SECONDARY_MAX_HITS = 8


@dataclass(frozen=True, slots=True)
class EngineOptions:
    batch_size: int = MAX_BATCH
    concurrency: int = 1
    max_wait: float = 900.0  # longest single wait for a budget reset or secondary limit
    retries: int = 4  # extra attempts per request on transient failures
    backoff: float = 1.0  # first backoff, doubled per attempt, jittered
    backoff_cap: float = 60.0
    secondary_min_wait: float = SECONDARY_MIN_WAIT


@dataclass(slots=True)
class EngineReport:
    settled: int = 0  # names with an outcome
    requests: int = 0
    stopped: str | None = None


class Engine:
    def __init__(
        self,
        rest: RestClient,
        graphql: GraphQLClient | None = None,
        options: EngineOptions | None = None,
        *,
        reporter: Reporter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], dt.datetime] = utcnow,
        rng: random.Random | None = None,
        readme_hook: ReadmeHook | None = None,
    ) -> None:
        self.rest = rest
        self.readme_hook = readme_hook
        self.graphql = graphql
        self.options = options or EngineOptions()
        self.reporter = reporter or SilentReporter()
        self._sleep = sleep
        self._now = now
        self._rng = rng or random.Random()  # noqa: S311 - backoff jitter, not cryptography
        self.budget = Budget(self.options.max_wait, sleep, now, self.reporter)
        self._count_lock = threading.Lock()
        self.requests = 0

    # -- public ------------------------------------------------------------------------------

    def run(
        self,
        names: Sequence[str],
        sink: Callable[[list[Outcome]], None],
        etags: Mapping[str, str] | None = None,
    ) -> EngineReport:
        """Fetch every name; hand outcomes to ``sink`` (on this thread) as they arrive."""
        report = EngineReport()
        etags = etags or {}
        valid: list[str] = []
        invalid: list[Outcome] = []
        for raw in names:
            name = RepoName.parse(raw)
            if name is None:
                invalid.append(Outcome(raw, Status.NOT_FOUND, detail="not a valid GitHub name"))
            else:
                valid.append(name.key)
        if invalid:
            sink(invalid)
            report.settled += len(invalid)
        total = len(names)
        self.reporter.progress(report.settled, total)
        units: list[Callable[[], list[Outcome]]]
        if self.graphql is not None:
            size = max(1, min(self.options.batch_size, MAX_BATCH))
            units = [
                (lambda b=batch: self._graphql_batch(b))  # type: ignore[misc]
                for batch in _chunks(valid, size)
            ]
        else:
            self.reporter.note(
                "no GitHub token: using the REST API unauthenticated, limited to 60 requests/hour"
                " (set GITHUB_TOKEN for 5,000/hour and batches of 100)"
            )
            units = [
                (lambda n=name: [self._rest_outcome(n, etags.get(n))])  # type: ignore[misc]
                for name in valid
            ]
        try:
            for outcomes in self._execute(units):
                sink(outcomes)
                report.settled += len(outcomes)
                self.reporter.progress(report.settled, total)
        except StopFetching as stop:
            report.stopped = str(stop)
        report.requests = self.requests
        return report

    def close(self) -> None:
        self.rest.close()
        if self.graphql is not None:
            self.graphql.close()

    # -- scheduling --------------------------------------------------------------------------

    def _execute(self, units: list[Callable[[], list[Outcome]]]) -> Iterator[list[Outcome]]:
        workers = max(1, self.options.concurrency)
        if workers == 1:
            for unit in units:
                yield unit()
            return
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="harvester-fetch")
        pending: set[Future[list[Outcome]]] = set()
        queue = iter(units)
        try:
            for unit in queue:
                pending.add(pool.submit(unit))
                if len(pending) >= workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        yield future.result()
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    # -- one request, with limits and retries -------------------------------------------------

    def _count(self) -> None:
        with self._count_lock:
            self.requests += 1

    def _backoff(self, attempt: int) -> None:
        """Sleep before retry ``attempt`` (1-based)."""
        options = self.options
        self._sleep(jittered(attempt - 1, options.backoff, options.backoff_cap, self._rng))

    def _call(self, resource: str, cost: int, send: Callable[[], Reply]) -> Reply:
        """Send with budget, secondary-limit and transient-failure handling. Returns the
        final reply (possibly a 5xx after the retries); raises StopFetching or GitHubError."""
        failures = 0
        secondary = 0
        refusals = 0
        while True:
            self.budget.acquire(resource, cost)
            try:
                reply = send()
            except RedirectRefused as exc:  # a wrong --github-url: every request would do it
                self._count()
                raise GitHubError(str(exc)) from None
            except NetworkError as exc:
                self._count()
                failures += 1
                if failures > self.options.retries or (not exc.reachable and failures > 1):
                    raise StopFetching(f"GitHub cannot be reached: {exc.reason}") from None
                self._backoff(failures)
                continue
            self._count()
            self.budget.update(rate_from_headers(reply.headers, resource))
            verdict = self._limit_verdict(resource, reply)
            if verdict == "auth":
                raise GitHubError(f"{rejected_token(reply)}; {TOKEN_HINT}")
            if verdict == "primary":
                refusals += 1
                if refusals > MAX_REFUSALS:
                    raise StopFetching(
                        f"GitHub keeps refusing requests for lack of {resource} budget although "
                        "it should have reset; try again later"
                    )
                continue  # acquire() now waits for the reset or stops
            if verdict == "secondary":
                secondary += 1
                self._secondary_wait(reply, secondary)
                continue
            if reply.status >= 500 or (resource == "graphql" and reply.payload is None):
                failures += 1
                if failures <= self.options.retries:
                    self._backoff(failures)
                    continue
            return reply

    def _limit_verdict(self, resource: str, reply: Reply) -> limits.Verdict | None:
        found = limits.verdict(resource, reply)
        if found == "primary":
            self.budget.spent(resource, limits.reset_at(reply, self._now()))
        return found

    def _secondary_wait(self, reply: Reply, hits: int) -> None:
        told = retry_after(reply.headers.get("retry-after"), self._now())
        doubling = self.options.secondary_min_wait * 2 ** (hits - 1)
        seconds = told if told is not None else doubling
        if hits > SECONDARY_MAX_HITS or seconds > self.options.max_wait:
            raise StopFetching(
                f"GitHub's secondary rate limit keeps refusing requests ({hits} times); "
                "try again later, or with a lower --concurrency"
            )
        until = self._now() + dt.timedelta(seconds=seconds)
        self.reporter.waiting(seconds, until, "secondary rate limit")
        self._sleep(seconds)

    # -- units of work -----------------------------------------------------------------------

    def _rest_outcome(self, name: str, etag: str | None) -> Outcome:
        reply = self._call("core", 1, lambda: self.rest.get_repo(name, etag))
        outcome = outcome_from_rest(name, reply)
        if outcome.status == Status.ERROR and reply.status >= 500:
            attempts = self.options.retries + 1
            return Outcome(name, Status.ERROR, detail=f"HTTP {reply.status} after {attempts} tries")
        return outcome

    def _graphql_batch(self, names: list[str]) -> list[Outcome]:
        assert self.graphql is not None
        client = self.graphql
        document = build_query(names)
        cost = query_cost(len(names))
        reply = self._call("graphql", cost, lambda: client.query(document))
        if reply.status >= 500 or reply.payload is None:
            return self._split(names, f"GraphQL HTTP {reply.status}")
        if reply.status != 200:
            detail = f"GraphQL HTTP {reply.status}: {limits.message(reply)}"
            return [Outcome(n, Status.ERROR, detail=detail) for n in names]
        batch = parse_graphql(len(names), reply.payload)
        if batch.rate is not None:
            self.budget.update(batch.rate)
        if self.readme_hook is not None:
            for index, text in batch.readmes.items():
                self.readme_hook(batch.found[index], text)
        if batch.fatal and not batch.found and not batch.missing:
            lowered = batch.fatal.lower()
            if "timeout" in lowered or "something went wrong" in lowered:
                return self._split(names, batch.fatal)
            return [Outcome(n, Status.ERROR, detail=f"GraphQL: {batch.fatal}") for n in names]
        outcomes: list[Outcome] = []
        for index, repo in batch.found.items():
            name = names[index]
            if name_key(repo.full_name) == name:
                outcomes.append(Outcome(name, Status.OK, repo))
            else:
                outcomes.append(Outcome(name, Status.RENAMED, repo, detail=f"now {repo.full_name}"))
        # GraphQL says NOT_FOUND for deleted, blocked and inaccessible repositories alike;
        # a REST probe tells them apart (404 / 451 / 403 with a block / 301 to a new name).
        for index in sorted({*batch.missing, *batch.failed}):
            outcomes.append(self._rest_outcome(names[index], None))
        return outcomes

    def _split(self, names: list[str], reason: str) -> list[Outcome]:
        if len(names) == 1:
            attempts = self.options.retries + 1
            return [Outcome(names[0], Status.ERROR, detail=f"{reason} after {attempts} tries")]
        half = len(names) // 2
        return self._graphql_batch(names[:half]) + self._graphql_batch(names[half:])


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
