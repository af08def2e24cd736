"""Persistence: the DuckDB file behind one façade (``store.Store``), split by table group
(``connection``, ``runs``, ``papers``, ``repos``, ``read``) with their SQL in ``sql/``, the
schema and its migrations (``schema/``, ``migrate``), the job lock and ``export`` to
Parquet/CSV."""

from harvester.store.lock import JobLock
from harvester.store.store import QueryResult, ResumePoint, SaveCounts, Store

__all__ = ["JobLock", "QueryResult", "ResumePoint", "SaveCounts", "Store"]
