"""Shared test fixtures.

Real third-party data lives in ../shared (next to the checkout) and is never copied into the
project; tests that need it are marked ``shared`` and skip when it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeproxy import running_proxy

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HARVESTER_SHARED", ROOT.parent / "shared"))
HF_DAYS = SHARED / "data" / "hf-daily-papers"
SEED = SHARED / "data" / "seed" / "000_65e3873181aabd15.txt"
FIXTURES = SHARED / "fixtures"
# The ten GitHub repositories the seed listing links (DATA.md), as written there.
SEED_REPOS = frozenset(
    {
        "hkust-nlp/Vision4Chart",
        "neuroexplicit-saar/discover-then-name",
        "Andron00e/SparseCBM",
        "SJYuCNEL/Cauchy-Schwarz-Information-Bottleneck",
        "ACA-Lab-SJTU/token-ring",
        "Cardinal-Operations/OPTEngine",
        "tyfeld/Bottleneck-Sampling",
        "sail-sg/VocabularyParallelism",
        "Ajwebdevs/Chronicals",
        "xu-ji/information-bottleneck",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HF_DAYS.is_dir() and SEED.is_file():
        return
    skip = pytest.mark.skip(reason=f"real data not found at {SHARED}")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's token, database or API settings."""
    for name in list(os.environ):
        if name.startswith("HARVESTER_") and name != "HARVESTER_SHARED":
            monkeypatch.delenv(name)
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A forward proxy on 127.0.0.1 (``tests.fakeproxy``), with no proxy variable set yet."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with running_proxy() as url:
        yield url
