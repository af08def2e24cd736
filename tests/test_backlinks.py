"""The README back-link rule: which papers a README cites, and how many it cites in all."""

from __future__ import annotations

import json

import pytest

from harvester.backlinks import KnownPaper, cited_arxiv_ids, kinds, scan, title_key
from tests.conftest import SHARED

ABC = KnownPaper(
    "2503.00329",
    "2503.00329",
    "10.1145/3700000.3700001",
    "ABC: Achieving Better Control of Multimodal Embeddings using VLMs",
)


def hows(readme: str, *papers: KnownPaper) -> dict[str, str]:
    return {c.paper_id: c.how for c in scan(readme, papers).citations}


@pytest.mark.parametrize(
    ("readme", "how"),
    [
        ("Paper: https://arxiv.org/abs/2503.00329v2", "link"),
        ("[pdf](https://export.arxiv.org/pdf/2503.00329.pdf)", "link"),
        ("see http://arxiv.org/html/2503.00329v1 for details", "link"),
        ("@article{x, journal={arXiv preprint arXiv:2503.00329}}", "id"),
        ("eprint = {2503.00329v3},", "id"),
        ("https://doi.org/10.1145/3700000.3700001.", "doi"),
        ("DOI 10.48550/arXiv.2503.00329", "id"),
        ("# ABC: Achieving Better Control of Multimodal Embeddings using VLMs\n", "title"),
        (
            "**abc — achieving better control of multimodal\n  embeddings using vlms** (CVPR)",
            "title",
        ),
        ("title={{ABC}: Achieving Better Control of Multimodal Embeddings using {VLMs}},", "title"),
        ("<h2>ABC: Achieving Better Control of <br>Multimodal Embeddings using VLMs</h2>", "title"),
        (
            "[ABC: Achieving Better Control of Multimodal Embeddings using VLMs](https://x.y)",
            "title",
        ),
    ],
)
def test_each_way_a_readme_cites_its_paper(readme: str, how: str) -> None:
    assert hows(readme, ABC) == {"2503.00329": how}


@pytest.mark.parametrize(
    "readme",
    [
        "Paper: https://arxiv.org/abs/2503.00330",  # a neighbour's id
        "version 12503.003291 of the data",  # digits inside a longer number
        "pip install torch==2503.00329.1",
        "# ABC: Achieving Better Control of Multimodal Embeddings using LLMs",  # similar title
        "ABC: Achieving Better Control of Multimodal Embeddings using VLMs at Scale\n",  # longer
        "We use 10.1145/3700000.3700002 as the baseline",  # another DOI
    ],
)
def test_near_misses_are_not_citations(readme: str) -> None:
    assert hows(readme, ABC) == {}


def test_short_titles_are_never_matched_by_title() -> None:
    short = KnownPaper("title:x", None, None, "Mamba")
    assert hows("# Mamba\nA fast model.", short) == {}


def test_the_strongest_kind_wins_and_every_kind_is_listed() -> None:
    readme = f"# {ABC.title}\n[arXiv](https://arxiv.org/abs/2503.00329)"
    assert hows(readme, ABC) == {"2503.00329": "link"}
    assert kinds(readme, ABC) == {"link", "id", "title"}


def test_cited_total_counts_distinct_papers_whoever_they_are() -> None:
    lines = [
        f"- [P{i}](https://arxiv.org/abs/2401.{i:05d}v1) arXiv:2401.{i:05d}" for i in range(1, 121)
    ]
    lines.append("- https://doi.org/10.1000/xyz123")
    result = scan("\n".join(lines), [ABC])
    assert result.cited_total == 121
    assert result.citations == ()


def test_old_style_ids_need_an_arxiv_context() -> None:
    found, linked = cited_arxiv_ids("arXiv:hep-th/9901001 and src/math/0601001.py")
    assert found == {"hep-th/9901001"} and linked == set()


def test_title_key_ignores_case_punctuation_and_markup() -> None:
    assert title_key("Generate, but Verify:\n  Reducing  Hallucination!") == (
        "generate but verify reducing hallucination"
    )


@pytest.mark.shared
def test_real_readmes_cite_their_papers() -> None:
    """The manifest's readme_cites_paper is the truth for id and link; for titles it misses
    titles split by HTML tags, so recall is checked there and precision by reading."""
    root = SHARED / "data" / "pages"
    found = truth = 0
    for line in (root / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        cites = entry["readme_cites_paper"]
        if cites is None:
            continue
        readme = (root / entry["arxiv_id"] / "README.md").read_text(errors="replace")
        paper = KnownPaper(entry["arxiv_id"], entry["arxiv_id"], None, entry["title"])
        got = kinds(readme, paper)
        assert ("id" in got) == cites["id"], entry["arxiv_id"]
        assert ("link" in got) == cites["link"], entry["arxiv_id"]
        if cites["title_loose"]:
            truth += 1
            found += "title" in got
    assert truth > 150 and found == truth
