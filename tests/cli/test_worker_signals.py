"""``harvest FILE`` with its worker process (harvester/worker.py), as a user runs it: Ctrl-C sent
to the whole process group keeps every committed batch and prints no traceback, and the worker
is reaped; the harvest killed outright (SIGKILL) does not leave the worker behind.
``HARVESTER_WORKER_MIN_BYTES=0`` sends the file through the worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from harvester import errors
from harvester.store import Store

PAPERS = 60_000  # about 7 batches of 8,192: the harvest is well under way when it is stopped
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "papers.jsonl"
    with path.open("w") as out:
        for i in range(PAPERS):
            abstract = f"We study {i}. Code: https://github.com/lab{i % 7}/t{i % 300}."
            out.write(json.dumps({"id": f"2401.{i:05d}", "title": f"P{i}", "abstract": abstract}))
            out.write("\n")
    return path


def _start(data: Path, db: Path) -> subprocess.Popen[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "HARVESTER_DB": str(db),
        "HARVESTER_WORKER_MIN_BYTES": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "harvester", "harvest", str(data), "--no-stats"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a job
        preexec_fn=_default_sigint,  # noqa: PLW1509 - signal(2) only (see test_crash.py)
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (any of its threads), as the kernel lists them."""
    tasks = Path(f"/proc/{pid}/task")
    return [int(k) for task in tasks.iterdir() for k in (task / "children").read_text().split()]


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie nobody reaped yet (its parent was killed)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


def _committed(db: Path, proc: subprocess.Popen[str], at_least: int) -> int:
    """Wait until the harvest has committed ``at_least`` papers, with its worker running."""
    store = Store(db, lock_wait=10)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            papers = store.query(["SELECT count(*) FROM papers"]).rows[0][0]
            if papers >= at_least:
                return int(papers)
        except (errors.StoreError, errors.QueryError):
            pass  # not created yet
        time.sleep(0.05)
    raise AssertionError(f"the harvest ended before {at_least} papers were committed")


def _worker_of(proc: subprocess.Popen[str]) -> int:
    (pid,) = _children(proc.pid)
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    assert b"harvester.worker" in cmdline
    return pid


def test_ctrl_c_keeps_the_committed_batches_prints_no_traceback_and_reaps_the_worker(
    data: Path, tmp_path: Path
) -> None:
    db = tmp_path / "h.duckdb"
    proc = _start(data, db)
    _committed(db, proc, 8192)
    worker = _worker_of(proc)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the foreground group
    os.kill(worker, signal.SIGINT)  # (and the worker too, were it in that group)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == errors.EXIT_INTERRUPTED, err
    assert "Traceback" not in err
    assert "interrupted" in err and "run the same command again to continue" in err
    assert _gone(worker) and not Path(f"/proc/{worker}").exists()  # reaped by the harvest
    con = duckdb.connect(str(db), read_only=True)
    try:
        papers, runs = (
            con.execute("SELECT count(*) FROM papers").fetchone(),
            con.execute("SELECT status, new_papers FROM runs").fetchall(),
        )
    finally:
        con.close()
    assert papers is not None and 8192 <= papers[0] < PAPERS and papers[0] % 8192 == 0
    assert runs == [("interrupted", papers[0])]
    rerun = _start(data, db)  # and the same command completes it
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchone() == (PAPERS,)
    finally:
        con.close()


def test_the_worker_does_not_outlive_a_killed_harvest(data: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    proc = _start(data, db)
    _committed(db, proc, 1)
    worker = _worker_of(proc)
    assert not _gone(worker)
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(worker)
