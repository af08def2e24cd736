"""harvester: research papers -> the GitHub repositories they link -> stats, in one DuckDB file."""

__version__ = "0.1.0"
