"""``harvester status`` while another process has the database: a harvest running in a real
subprocess (status reads between its batches and names the job: PID and command), and a DuckDB
client holding the file's lock throughout (status says so instead of failing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harvester.cli import status as status_cli
from harvester.store import Store
from tests.cli.conftest import TOKEN, Cli
from tests.cli.hostile import GOOD


def _status(cli: Cli) -> dict[str, str]:
    out = cli("status", "--offline", "--format", "json")
    assert out.code == 0, out.stderr
    return {row["item"]: row["value"] for row in json.loads(out.stdout)}


def _env(cli: Cli) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "HARVESTER_GITHUB_URL": cli.fake.url,
        "HARVESTER_DB": str(cli.db),
        "GITHUB_TOKEN": TOKEN,
    }


def _wait_for(condition: object, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while not callable(condition) or not condition():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{what}: never happened (exit {proc.poll()})")
        time.sleep(0.02)


def test_status_during_a_harvest_reads_and_names_the_running_job(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "papers.jsonl"
    data.write_text(GOOD)
    cli.fake.latency = 30.0  # GitHub answers slowly: the job sits in its stats phase
    argv = [sys.executable, "-m", "harvester", "harvest", str(data)]
    proc = subprocess.Popen(argv, env=_env(cli), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: cli.fake.in_delay > 0, proc, "a GitHub request")
        rows = _status(cli)
    finally:
        proc.terminate()  # SIGTERM: handled like Ctrl-C
        proc.communicate(timeout=60)
    assert rows["papers"] == 1  # read, not refused
    assert rows["run 1"].startswith("harvest running")
    assert rows["job running"] == f"PID {proc.pid}: {sys.executable} -m harvester harvest {data}"
    assert "job running" not in _status(cli)  # the job is over


def test_status_on_a_database_another_client_holds_says_who_instead_of_failing(
    one_paper: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def quick(db: Path) -> Store:  # wait 0.5 s for the lock, not 15
        return Store(db, lock_wait=0.5)

    monkeypatch.setattr(status_cli, "open_store", quick)
    hold = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); input()"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold, str(one_paper.db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        out = one_paper("status", "--offline", "--format", "json")
        assert out.code == 0, out.stderr
        rows = {row["item"]: row["value"] for row in json.loads(out.stdout)}
    finally:
        holder.communicate("\n", timeout=30)
    assert rows["database"] == str(one_paper.db)
    assert rows["database locked"].startswith(
        f"{one_paper.db} is locked by another process (PID {holder.pid}, "
    )
    assert rows["database locked"].endswith("counts not read: try again")
    assert "papers" not in rows and "job running" not in rows  # a client, not a job
    assert rows["GitHub budget"] == "not checked (--offline)"
    assert _status(one_paper)["papers"] == 1  # and once it has let go
