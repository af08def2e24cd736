"""Persistence: the DuckDB file (``store``), its schema (``migrate``), the job lock and
``export`` to Parquet/CSV."""

from harvester.store.lock import JobLock
from harvester.store.store import QueryResult, SaveCounts, Store

__all__ = ["JobLock", "QueryResult", "SaveCounts", "Store"]
