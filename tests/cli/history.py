"""A harvest with a history: real papers, the fake GitHub, and three fetches weeks apart.

The reports about growth and age need snapshots taken on different days. Tests cannot wait
weeks, so the store's clock is set to each date in turn while the real CLI runs: a harvest on
2025-03-11, then ``refresh --stale-after 0s`` on 2025-04-03 and on 2025-06-02, with
``FakeGitHub.touch`` changing some repositories in between. Papers published on 2025-03-04 are
therefore seen exactly 7, 30 and 90 days later (at noon).

``python -m tests.cli.history DB`` builds the same database outside pytest (the README's
example outputs come from it).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harvester.store import store as store_module
from tests.cli.conftest import TOKEN, Cli, seed_world
from tests.conftest import HF_DAYS, SEED
from tests.fakegithub import FakeGitHub

# The repr-string day, the wrapped day, two early-March days (papers published 2025-03-01 ..
# 03-04), two days with papers whose Hugging Face githubRepo differs from their abstract's link
# (2025-04-03, 2025-06-09), a June day and 2025-09-17, where four papers cite one repository.
DAYS = (
    "2024-12-20",
    "2025-01-10",
    "2025-03-04",
    "2025-03-05",
    "2025-04-03",
    "2025-06-09",
    "2025-06-17",
    "2025-09-17",
)
T0 = dt.datetime(2025, 3, 11, 12, tzinfo=dt.UTC)  # harvest
T1 = dt.datetime(2025, 4, 3, 12, tzinfo=dt.UTC)  # first refresh
T2 = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)  # second refresh

# Repositories whose stars we set at each fetch: (T0, T1, T2).
STARS = {
    "hkust-nlp/Vision4Chart": (90_000, 90_500, 91_200),
    "sail-sg/VocabularyParallelism": (100, 160, 400),
    "Andron00e/SparseCBM": (50, 45, 45),
    "open-compass/ANAH": (10, 25, 70),  # cited by 2503.02846, published 2025-03-04
    "nnnth/UFO": (1500, 1548, 1600),  # cited by 2503.01342, published 2025-03-03
}
ARCHIVED_AT_T1 = "ACA-Lab-SJTU/token-ring"
# Is the code there (issue 13): repositories cited by early-March papers that hold no code at T0.
# Each gains code (or not) just before a later fetch.
PLACEHOLDERS = {
    "red-search/qilin": T2,  # 2503.00501 (2025-03-01): README only until the second refresh
    "lihy0529/speql": T1,  # 2503.00714 (2025-03-02): README only until the first refresh
    "kailv69/duodecoding": None,  # 2503.00784 (2025-03-02): README only, never gains code
}
EMPTY = {
    "histai/spider": T1,  # 2503.02876 (2025-03-04): no commits until the first refresh
    "hsm316/llm_wikipedia": None,  # 2503.02879 (2025-03-04): never pushed to
}
SOON = "# Coming\n\nThe code will be released soon. Stay tuned!\n"
OLD_PUSH = ("Cardinal-Operations/OPTEngine", dt.datetime(2023, 1, 15, tzinfo=dt.UTC))
# 2503.01328 cites sail-sg/zero-bubble-pipeline-parallelism in its abstract and sail-sg/zero-bubble
# on Hugging Face: here the latter is the old name of the former, so they agree.
RENAMED = ("sail-sg/zero-bubble", "sail-sg/zero-bubble-pipeline-parallelism")
# Creation dates relative to the citing paper's publication date (in brackets).
CREATED = {
    "nnnth/UFO": dt.datetime(2025, 2, 20, tzinfo=dt.UTC),  # 11 days before (2025-03-03)
    "open-compass/ANAH": dt.datetime(2025, 3, 6, tzinfo=dt.UTC),  # 2 days after (2025-03-04)
    "phenixace/TOMG-Bench": dt.datetime(2025, 2, 1, tzinfo=dt.UTC),  # 44 days after (2024-12-19)
}


def inputs() -> list[str]:
    return [str(SEED)] + [str(HF_DAYS / f"{d}.json.gz") for d in DAYS]


@contextmanager
def clock(monkeypatch: pytest.MonkeyPatch, when: dt.datetime) -> Iterator[None]:
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "utcnow", lambda: when)
        yield


def world(fake: FakeGitHub) -> None:
    """The repositories at T0: as in test_e2e, plus the ones whose history we script."""
    seed_world(fake)
    fake.add_repo(RENAMED[0])
    fake.rename(*RENAMED)
    for name, created in CREATED.items():
        fake.touch(name, created_at=created)
    for name, (stars, _, _) in STARS.items():
        fake.touch(name, stars=stars)
    fake.touch(ARCHIVED_AT_T1, archived=False)
    fake.touch(OLD_PUSH[0], pushed_at=OLD_PUSH[1], archived=False)
    for name in PLACEHOLDERS:
        fake.add_repo(name)
        fake.placeholder(name, readme=SOON)
    for name in EMPTY:
        fake.add_repo(name)
        fake.empty(name)


def code_arrives(fake: FakeGitHub, at: dt.datetime) -> None:
    """Push code to the repositories scripted to have it at the fetch ``at`` (a day before)."""
    for name, when in {**PLACEHOLDERS, **EMPTY}.items():
        if when == at:
            fake.push_code(name, when=at - dt.timedelta(days=1), release="v1.0")


def build(cli: Cli, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    world(fake)
    with clock(monkeypatch, T0):
        out = cli("harvest", *inputs())
        assert out.code == 0, out.stdout + out.stderr
    for name, (_, stars, _) in STARS.items():
        fake.touch(name, stars=stars)
    fake.touch(ARCHIVED_AT_T1, archived=True)
    code_arrives(fake, T1)
    with clock(monkeypatch, T1):
        out = cli("refresh", "--stale-after", "0s")
        assert out.code == 0, out.stdout + out.stderr
    for name, (_, _, stars) in STARS.items():
        fake.touch(name, stars=stars)
    code_arrives(fake, T2)
    with clock(monkeypatch, T2):
        out = cli("refresh", "--stale-after", "0s")
        assert out.code == 0, out.stdout + out.stderr


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.cli.history DB", file=sys.stderr)
        return 2
    db = Path(argv[0])
    if db.exists():
        print(f"{db} exists; give a new path", file=sys.stderr)
        return 2
    patch = pytest.MonkeyPatch()
    try:
        with FakeGitHub(token=TOKEN, seed=3) as fake:
            cli = Cli(db, fake)
            build(cli, fake, patch)
    finally:
        patch.undo()
    print(f"built {db}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
