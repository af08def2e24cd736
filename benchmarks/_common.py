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
import threading
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


class TreeRss:
    """Samples the resident memory of a process and all its descendants (``VmRSS`` from
    /proc) every ``interval`` seconds in a thread, and keeps the peak of the sum: a harvest
    that reads its input in a worker process is two processes, and ``ru_maxrss`` is one
    process's. A child between fork and exec (the same command line as its parent: it shares
    its parent's pages) is not counted twice."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid, self.interval, self.peak, self.samples = pid, interval, 0, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """Stop sampling; the peak sum in MB."""
        self._done.set()
        self._thread.join()
        return self.peak / 1024

    def _run(self) -> None:
        while not self._done.is_set():
            total = sum(_rss_kb(pid) for pid in _tree(self.pid))
            self.peak = max(self.peak, total)
            self.samples += 1
            self._done.wait(self.interval)


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from each thread's ``children`` file (a few reads a sample:
    a scan of every process in /proc, 20 ms apart, took a tenth of a core from the harvest it
    measured); the scan where the kernel has no such file."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        kids = _children(pid)
        todo += [k for k in kids if _cmdline(k) != _cmdline(pid)]  # (not yet exec'd: shared)
    return found


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    kids: list[int] = []
    for task in tasks:
        try:
            kids += [int(k) for k in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except FileNotFoundError:  # no CONFIG_PROC_CHILDREN: every process's parent
            return _children_by_scan(pid)
        except OSError:
            continue
    return kids


def _children_by_scan(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry))
    return kids


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
