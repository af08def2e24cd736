"""Fetch engine vs. the naive PyGithub loop, against the fake GitHub with real HTTP latency.

(a) harvester's engine: `harvest.refresh` on N pending names with a token — batched GraphQL,
    outcomes stored in DuckDB as they arrive (the whole real path);
(b) the naive baseline: PyGithub `get_repo` per repository, with its default throttle
    (0.25 s between requests) and with the throttle off.

Prints repos/s for each, their ratio, requests per repo (counted by the fake server), and the
engine's own time per 100-repo batch: wall time minus the time the server spent (artificial
latency plus its own processing) — that is building queries, parsing and storing.

    python benchmarks/fetch.py [--n 5000] [--latency 0.05] [--runs 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import github
from _common import machine, median

from harvester.config import Secret, api_urls
from harvester.github.client import GitHubSettings
from harvester.github.engine import EngineOptions
from harvester.harvest import refresh
from harvester.models import Mention, Paper
from harvester.store import Store
from tests.fakegithub import FakeGitHub

TOKEN = "bench-token"


def names(n: int) -> list[str]:
    return [f"bench-owner{i % 97}/repo-{i}" for i in range(n)]


def pending_store(path: Path, n: int) -> Store:
    store = Store(path)
    run_id, _ = store.begin_run("setup", "benchmark")
    papers = [Paper(f"bench.{i:06d}", "bench", title=f"Paper {i}") for i in range(n)]
    mentions = [
        Mention(f"bench.{i:06d}", name, "abstract", f"https://github.com/{name}")
        for i, name in enumerate(names(n))
    ]
    store.save_papers(papers, mentions, run_id)
    store.end_run(run_id, "ok")
    return store


def run_engine(fake: FakeGitHub, n: int, workdir: Path) -> tuple[float, int, float]:
    """Returns (wall seconds, requests, server seconds) for one engine fetch of n names."""
    store = pending_store(workdir / f"engine-{time.monotonic_ns()}.duckdb", n)
    settings = GitHubSettings(api_urls(fake.url), Secret(TOKEN))
    fake.reset_counters()
    started = time.perf_counter()
    summary = refresh(
        store, args="benchmark", github=settings, stale_after=None, options=EngineOptions()
    )
    wall = time.perf_counter() - started
    assert summary.fetched == n, summary
    server = fake.requests * fake.latency + fake.server_time_total
    return wall, fake.requests, server


def run_naive(fake: FakeGitHub, n: int, throttle: bool) -> tuple[float, int]:
    """PyGithub get_repo per repository, reading the fields we store."""
    kwargs = {} if throttle else {"seconds_between_requests": None}
    gh = github.Github(auth=github.Auth.Token(TOKEN), base_url=fake.url, retry=None, **kwargs)
    fake.reset_counters()
    started = time.perf_counter()
    for name in names(n):
        repo = gh.get_repo(name)
        _ = (
            repo.id,
            repo.full_name,
            repo.stargazers_count,
            repo.forks_count,
            repo.language,
            repo.pushed_at,
            repo.archived,
        )
    wall = time.perf_counter() - started
    gh.close()
    return wall, fake.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="repositories for the engine")
    parser.add_argument("--naive-n", type=int, default=200, help="repositories, naive no throttle")
    parser.add_argument("--throttled-n", type=int, default=40, help="repositories, naive default")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(machine())
    print(
        f"fake GitHub on 127.0.0.1 with {args.latency * 1000:.0f} ms latency per request; "
        f"median of {args.runs} runs\n"
    )
    with (
        FakeGitHub(token=TOKEN, latency=args.latency) as fake,
        tempfile.TemporaryDirectory() as tmp,
    ):
        engine = [run_engine(fake, args.n, Path(tmp)) for _ in range(args.runs)]
        naive = [run_naive(fake, args.naive_n, throttle=False) for _ in range(args.runs)]
        throttled = [run_naive(fake, args.throttled_n, throttle=True) for _ in range(args.runs)]

    wall = median([w for w, _, _ in engine])
    requests = engine[0][1]
    batches = -(-args.n // 100)
    overhead = median([(w - s) / batches for w, _, s in engine])
    engine_rate = args.n / wall
    naive_rate = args.naive_n / median([w for w, _ in naive])
    throttled_rate = args.throttled_n / median([w for w, _ in throttled])

    print(
        f"(a) engine, GraphQL batches of 100: {args.n} repos in {wall:.2f} s = "
        f"{engine_rate:,.0f} repos/s; {requests} requests = {requests / args.n:.4f} per repo"
    )
    print(
        f"    engine's own time per 100-repo batch (wall - server time): {overhead * 1000:.1f} ms"
    )
    print(
        f"(b) PyGithub get_repo, throttle off:     {naive_rate:,.1f} repos/s; "
        f"{naive[0][1] / args.naive_n:.2f} requests per repo"
    )
    print(
        f"(c) PyGithub get_repo, default throttle: {throttled_rate:,.1f} repos/s; "
        f"{throttled[0][1] / args.throttled_n:.2f} requests per repo"
    )
    print(f"\nratio engine / PyGithub (throttle off): {engine_rate / naive_rate:,.0f}x")
    print(f"ratio engine / PyGithub (default):      {engine_rate / throttled_rate:,.0f}x")
    print(
        f"goals: >= 1,000 repos/s serial -> {'met' if engine_rate >= 1000 else 'MISSED'}; "
        f"<= 0.011 requests/repo -> {'met' if requests / args.n <= 0.011 else 'MISSED'}; "
        f"< 50 ms engine time per batch -> {'met' if overhead < 0.05 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
