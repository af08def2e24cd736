"""The one GitHub seam: settings, the REST/GraphQL clients and the engine, the budget probe.

harvest, refresh and status all reach GitHub through here, so a client is configured (URL, token,
timeout, pool) in one place and a rejected token is translated once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from harvester.config import ApiUrls, Secret
from harvester.errors import GitHubError
from harvester.github.engine import Engine, EngineOptions
from harvester.github.graphql import GraphQLClient
from harvester.github.parse import NetworkError, RateInfo, rate_from_rate_limit
from harvester.github.rest import RestClient

if TYPE_CHECKING:
    from harvester.harvest import HarvestReporter


@dataclass(frozen=True, slots=True)
class GitHubSettings:
    urls: ApiUrls
    token: Secret | None
    timeout: float = 30.0


def make_engine(
    settings: GitHubSettings, options: EngineOptions, reporter: HarvestReporter | None = None
) -> Engine:
    rest = RestClient(
        settings.urls.rest,
        settings.token,
        timeout=settings.timeout,
        pool_size=max(1, options.concurrency),
    )
    graphql = (
        GraphQLClient(settings.urls.graphql, settings.token, timeout=settings.timeout)
        if settings.token is not None
        else None
    )
    if reporter is None:
        return Engine(rest, graphql, options)
    return Engine(rest, graphql, options, reporter=reporter, sleep=reporter.sleep)


DEFAULT_LATENCY = 0.3  # seconds per request assumed when GitHub cannot be timed


def probe_budget(github: GitHubSettings, resource: str) -> tuple[RateInfo | None, float]:
    """Ask ``GET /rate_limit`` (free: it costs no rate limit) for the budget of ``resource``
    and time the round trip. (None, default latency) when GitHub cannot be reached."""
    rest = RestClient(github.urls.rest, github.token, timeout=min(github.timeout, 10.0))
    try:
        started = time.perf_counter()
        reply = rest.rate_limit()
        latency = time.perf_counter() - started
    except NetworkError:
        return None, DEFAULT_LATENCY
    finally:
        rest.close()
    if reply.status == 401:
        raise GitHubError("GitHub rejected the token (HTTP 401); check GITHUB_TOKEN / GH_TOKEN")
    return rate_from_rate_limit(reply.payload, resource), latency
