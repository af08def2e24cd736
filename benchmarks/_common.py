"""Shared by the benchmark scripts: the machine and versions, medians, peak memory.

Benchmarks print figures and ratios measured side by side in the same run; they assert
nothing (timings belong here, not in tests).
"""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import statistics
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `tests.fakegithub` and `harvester` import from the checkout

SHARED = Path(os.environ.get("HARVESTER_SHARED", ROOT.parent / "shared"))


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for package in ("duckdb", "httpx", "PyGithub", "typer"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {cpu}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        + ", ".join(versions)
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
