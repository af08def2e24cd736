"""The placeholder facts in the store: repos keeps the last known ones, each snapshot what its
fetch read, and the code dates are an observed arrival (schema 0005)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from harvester.models import Outcome, RepoStats, Status
from harvester.store import Store
from harvester.store import store as store_module

T = [dt.datetime(2025, 3, d, 12, tzinfo=dt.UTC) for d in (1, 8, 15, 22)]

PLACEHOLDER = RepoStats(
    7,
    "Lab/Soon",
    3,
    0,
    disk_usage=1,
    is_empty=False,
    commits=1,
    releases=0,
    has_citation=False,
    has_license_file=True,
    has_runnable=False,
    readme_bytes=40,
    verdict="placeholder",
    verdict_reason="1 commit, no code in the root (LICENSE, README.md)",
)
CODE = dataclasses.replace(
    PLACEHOLDER,
    commits=9,
    releases=1,
    latest_release="v1",
    has_runnable=True,
    verdict="code",
    verdict_reason="9 commits, code in the root (train.py)",
)
EMPTY = dataclasses.replace(PLACEHOLDER, is_empty=True, commits=0, verdict="empty")
# what the REST path reads: the size only
REST = RepoStats(7, "Lab/Soon", 4, 0, disk_usage=5, verdict="unknown", verdict_reason="REST")


def fetch_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fetches: list[Outcome]) -> Store:
    tmp_path.mkdir(exist_ok=True)
    store = Store(tmp_path / "h.duckdb")
    for when, outcome in zip(T, fetches, strict=False):
        monkeypatch.setattr(store_module, "utcnow", lambda when=when: when)
        run, _ = store.begin_run("refresh", "t")
        store.save_outcomes([outcome], run)
    return store


def ok(repo: RepoStats) -> Outcome:
    return Outcome("lab/soon", Status.OK, repo)


def one(store: Store, sql: str) -> tuple[object, ...]:
    return store.query([sql]).rows[0]


def test_code_arrived_is_the_first_fetch_with_code_after_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fetch_all(tmp_path, monkeypatch, [ok(EMPTY), ok(PLACEHOLDER), ok(CODE), ok(CODE)])
    assert one(store, "SELECT verdict, code_seen_at, code_arrived_at, commits FROM repos") == (
        "code",
        T[2],
        T[2],
        9,
    )
    assert store.query(["SELECT verdict FROM repo_snapshots ORDER BY fetched_at"]).rows == [
        ("empty",),
        ("placeholder",),
        ("code",),
        ("code",),
    ]


def test_code_from_the_start_is_seen_but_never_arrives_and_both_dates_stay_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # code, then the code is deleted (placeholder), then it comes back: seen at the first
    # fetch; arrived when it came back (the first code after a fetch without)
    store = fetch_all(tmp_path, monkeypatch, [ok(CODE), ok(CODE)])
    assert one(store, "SELECT code_seen_at, code_arrived_at FROM repos") == (T[0], None)
    store = fetch_all(tmp_path / "2", monkeypatch, [ok(CODE), ok(PLACEHOLDER), ok(CODE)])
    assert one(store, "SELECT verdict, code_seen_at, code_arrived_at FROM repos") == (
        "code",
        T[0],
        T[2],
    )


def test_a_rest_fetch_keeps_the_known_facts_and_its_snapshot_says_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = fetch_all(tmp_path, monkeypatch, [ok(PLACEHOLDER), ok(REST)])
    assert one(
        store,
        "SELECT stars, disk_usage, commits, has_license_file, readme_bytes, verdict,"
        " verdict_reason FROM repos",
    ) == (4, 5, 1, True, 40, "placeholder", PLACEHOLDER.verdict_reason)
    assert store.query(
        ["SELECT verdict, commits, disk_usage FROM repo_snapshots ORDER BY fetched_at"]
    ).rows == [("placeholder", 1, 1), ("unknown", None, 5)]
    # a 304 (nothing re-read) records a snapshot without facts
    store = fetch_all(
        tmp_path / "304",
        monkeypatch,
        [ok(PLACEHOLDER), Outcome("lab/soon", Status.OK, not_modified=True)],
    )
    assert store.query(["SELECT verdict FROM repo_snapshots ORDER BY fetched_at"]).rows == [
        ("placeholder",),
        (None,),
    ]
    assert one(store, "SELECT verdict FROM repos") == ("placeholder",)


def test_a_fetch_that_judged_replaces_every_fact_even_with_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the release was deleted: a null latest tag is a fact, not a gap to fill from before
    gone = dataclasses.replace(CODE, releases=0, latest_release=None)
    store = fetch_all(tmp_path, monkeypatch, [ok(CODE), ok(gone)])
    assert one(store, "SELECT releases, latest_release, verdict FROM repos") == (0, None, "code")
