from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from harvester.errors import InputError
from harvester.sources.files import read_inputs
from harvester.sources.files.listing import is_listing, parse_listing
from harvester.sources.ids import title_id
from tests.conftest import SEED

TODAY = dt.date(2026, 11, 28)

SMALL = """new

Get trending papers in your email inbox!

Subscribe

Daily Papers

byAK and the research community

Apr 16

First Paper Title

First abstract, code at https://github.com/a/b.

  • 3 authors
·
Mar 24, 2024

Second Paper: No Trailer

Second abstract.

Third Paper

Third abstract part one.

Third abstract part two

some-org Some Organisation
·
Jan 5 3
"""


def test_small_listing() -> None:
    first, second, third = parse_listing(SMALL, today=TODAY)
    assert first.title == "First Paper Title"
    assert first.abstract == "First abstract, code at https://github.com/a/b."
    assert (first.published_at, first.upvotes, first.organization) == (
        dt.date(2024, 3, 24),
        None,
        None,
    )
    assert first.paper_id == title_id("First Paper Title")
    assert first.source == "listing"
    assert (second.title, second.abstract, second.published_at) == (
        "Second Paper: No Trailer",
        "Second abstract.",
        None,
    )
    # a single-line block directly before the trailer stays part of the abstract
    assert third.abstract == "Third abstract part one. Third abstract part two"
    assert (third.published_at, third.upvotes, third.organization) == (
        dt.date(2025, 1, 5),  # the year after the latest explicit year (2024)
        3,
        "Some Organisation",
    )


def test_yearless_dates_without_explicit_years_use_today() -> None:
    text = "Title\n\nAbstract.\n\n  • 1 authors\n·\nFeb 2\n"
    [paper] = parse_listing(text, today=TODAY)
    assert paper.published_at == dt.date(2026, 2, 2)
    # capped at today's year
    text2 = "T1\n\nA.\n\n·\nFeb 2, 2026\n\nT2\n\nB.\n\n·\nMar 3 4\n"
    assert [p.published_at for p in parse_listing(text2, today=TODAY)] == [
        dt.date(2026, 2, 2),
        dt.date(2026, 3, 3),
    ]


def test_not_a_listing() -> None:
    with pytest.raises(InputError, match="not an HF Daily Papers listing"):
        parse_listing("Just some\n\nplain text.\n")
    assert not is_listing("Just some text · with a dot\nMar 24, 2025\n")
    assert is_listing("x\n·\nMar 24, 2025 2\n")


@pytest.mark.shared
def test_seed_listing() -> None:
    papers = list(read_inputs([str(SEED)]))
    assert len(papers) == 41
    assert {p.source for p in papers} == {"listing"}
    assert len({p.paper_id for p in papers}) == 41
    assert all(p.paper_id.startswith("title:") for p in papers)
    assert all(p.title and p.abstract and len(p.abstract) > 300 for p in papers)
    first, last = papers[0], papers[-1]
    assert first.title == "On the Perception Bottleneck of VLMs for Chart Understanding"
    assert first.abstract is not None
    assert first.abstract.endswith("https://github.com/hkust-nlp/Vision4Chart.")
    assert first.published_at == dt.date(2025, 3, 24)
    assert last.title == (
        "Memory Efficient 3D U-Net with Reversible Mobile Inverted Bottlenecks for Brain Tumor "
        "Segmentation"
    )
    assert last.published_at == dt.date(2021, 4, 19)
    by_title = {p.title[:12]: p for p in papers if p.title}
    red = by_title["REDSearcher:"]
    assert (red.published_at, red.upvotes, red.organization) == (None, None, None)
    assert red.abstract is not None
    assert red.abstract.endswith("together with code and model checkpoints.")
    after = papers[papers.index(red) + 1]
    assert after.title == "Optimizing Distributed Training on Frontier for Large Language Models"
    assert after.published_at == dt.date(2023, 12, 19)
    varex = by_title["VAREX: A Ben"]
    # "Mar 16 2": no year (current year of the capture: 2025 is the latest explicit year)
    assert (varex.organization, varex.published_at, varex.upvotes) == (
        "IBM Research",
        dt.date(2026, 3, 16),
        2,
    )
    tensor = by_title["TensorBLEU: "]
    assert (tensor.organization, tensor.published_at, tensor.upvotes) == (
        "Reactive AI",
        dt.date(2025, 10, 6),
        2,
    )
    cogflow = by_title["CogFlow: Bri"]
    assert (cogflow.published_at, cogflow.upvotes) == (dt.date(2026, 1, 5), 3)
    assert sum(p.organization is not None for p in papers) == 2
    assert sum(p.published_at is None for p in papers) == 1
    assert sum(p.upvotes is not None for p in papers) == 13


@pytest.mark.shared
def test_seed_forced_as_text(tmp_path: Path) -> None:
    [paper] = read_inputs([str(SEED)], "text")
    assert paper.paper_id == f"text:{SEED}"
    assert paper.text == SEED.read_text()
