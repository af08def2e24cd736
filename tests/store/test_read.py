"""``read``'s fetch pauses Python's cyclic garbage collector while rows come in and leaves it as
it found it: running after a result or an error, still off when the caller had turned it off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from harvester.errors import QueryError
from harvester.store import Store


@pytest.fixture
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("read") / "h.duckdb")
    store.ensure()
    return store


@pytest.fixture
def collector() -> Iterator[None]:
    running = gc.isenabled()
    yield
    (gc.enable if running else gc.disable)()


SQL = (
    "SELECT i, 'row ' || i AS s, DATE '2024-01-01' + i::INTEGER AS d "
    "FROM range(50000) t(i) ORDER BY i"
)


def test_rows_come_in_with_the_collector_paused_and_it_runs_again_after(
    store: Store, collector: None
) -> None:
    gc.enable()
    before = gc.get_stats()[0]["collections"]
    result = store.query([SQL])
    assert gc.isenabled()
    assert [r[0] for r in result.rows] == list(range(50000))
    # 50,000 new tuples start ~65 collections of the youngest generation when it runs; opening
    # the store and the rest of the query, one or two
    assert gc.get_stats()[0]["collections"] - before < 5
    _, text = store.query_csv([SQL])
    assert gc.isenabled()
    assert text.count("\n") == 50001


def test_an_error_leaves_it_running_and_a_caller_who_stopped_it_keeps_it_stopped(
    store: Store, collector: None
) -> None:
    gc.enable()
    with pytest.raises(QueryError):
        store.query(["SELECT error('no')  FROM range(3000)"])
    assert gc.isenabled()
    gc.disable()
    assert len(store.query([SQL]).rows) == 50000
    assert not gc.isenabled()
