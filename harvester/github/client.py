"""The one GitHub seam: settings, the REST/GraphQL clients and the engine, the budget probe.

harvest, refresh and status all reach GitHub through here, so a client is configured (URL, token,
timeout, pool) in one place, ``GET /rate_limit`` is asked in one place (``read_rate_limit``) and a
rejected token is translated once (``transport.rejected_token``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from harvester.config import ApiUrls, Secret
from harvester.errors import GitHubError
from harvester.github.engine import Engine, EngineOptions
from harvester.github.graphql import GraphQLClient
from harvester.github.parse import RateInfo, rate_from_rate_limit
from harvester.github.rest import RestClient
from harvester.github.transport import (
    TOKEN_HINT,
    NetworkError,
    RedirectRefused,
    Reply,
    rejected_token,
)

if TYPE_CHECKING:
    from harvester.harvest import HarvestReporter


@dataclass(frozen=True, slots=True)
class GitHubSettings:
    urls: ApiUrls
    token: Secret | None
    timeout: float = 30.0


def rest_client(
    settings: GitHubSettings, *, timeout: float | None = None, pool_size: int | None = None
) -> RestClient:
    return RestClient(
        settings.urls.rest,
        settings.token,
        timeout=settings.timeout if timeout is None else timeout,
        pool_size=pool_size,
    )


def make_engine(
    settings: GitHubSettings, options: EngineOptions, reporter: HarvestReporter | None = None
) -> Engine:
    rest = rest_client(settings, pool_size=max(1, options.concurrency))
    graphql = (
        GraphQLClient(settings.urls.graphql, settings.token, timeout=settings.timeout)
        if settings.token is not None
        else None
    )
    if reporter is None:
        return Engine(rest, graphql, options)
    return Engine(rest, graphql, options, reporter=reporter, sleep=reporter.sleep)


def read_rate_limit(settings: GitHubSettings) -> tuple[Reply, float]:
    """``GET /rate_limit`` (free: it costs no rate limit) and its round trip in seconds, within
    ``settings.timeout``. Raises NetworkError when GitHub cannot be reached."""
    rest = rest_client(settings)
    try:
        started = time.perf_counter()
        reply = rest.rate_limit()
        return reply, time.perf_counter() - started
    finally:
        rest.close()


DEFAULT_LATENCY = 0.3  # seconds per request assumed when GitHub cannot be timed


def probe_budget(github: GitHubSettings, resource: str) -> tuple[RateInfo | None, float]:
    """The budget of ``resource`` and the round-trip time, for ``--dry-run``.
    (None, default latency) when GitHub cannot be reached; GitHubError for a rejected token."""
    try:
        reply, latency = read_rate_limit(replace(github, timeout=min(github.timeout, 10.0)))
    except NetworkError:
        return None, DEFAULT_LATENCY
    except RedirectRefused as exc:
        raise GitHubError(str(exc)) from None
    rejected = rejected_token(reply)
    if rejected is not None:
        raise GitHubError(f"{rejected}; {TOKEN_HINT}")
    return rate_from_rate_limit(reply.payload, resource), latency
