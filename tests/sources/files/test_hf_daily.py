from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from harvester.errors import InputError
from harvester.sources.files import hf_daily, read_inputs
from tests.conftest import HF_DAYS

ITEM: dict[str, Any] = {
    "paper": {
        "id": "2510.12586",
        "title": "Advancing End-to-End Pixel Space Generative Modeling\n  via Self-supervised",
        "summary": "We propose EPG. Code:\nhttps://github.com/AMAP-\nML/EPG and more.",
        "publishedAt": "2025-10-14T17:59:56.000Z",
        "submittedOnDailyAt": "2025-10-15T03:18:21.654Z",
        "upvotes": 67,
        "githubRepo": "https://github.com/AMAP-ML/EPG/tree/main/",
        "githubStars": 48,
        "projectPage": "https://amap-ml.github.io/EPG",
        "organization": {"name": "amap-ml", "fullname": "AMAP ML"},
        "authors": [{"name": "A"}],
    },
    "title": "Advancing $\\textit{End-to-End}$",
    "numComments": 3,
}


def parse(value: Any) -> list[Any]:
    return list(hf_daily.parse_document(value))


def test_item_maps_every_field() -> None:
    [paper] = parse([ITEM])
    assert paper.paper_id == "2510.12586"
    assert paper.source == "hf_daily"
    assert paper.title == (
        "Advancing End-to-End Pixel Space Generative Modeling via Self-supervised"
    )
    # hard line breaks become spaces, also inside a URL (the link extractor deals with it)
    assert paper.abstract == "We propose EPG. Code: https://github.com/AMAP- ML/EPG and more."
    assert paper.published_at == dt.date(2025, 10, 14)
    assert paper.listed_on == dt.date(2025, 10, 15)
    assert paper.url == "https://huggingface.co/papers/2510.12586"
    assert paper.hf_github_repo == "https://github.com/AMAP-ML/EPG/tree/main/"  # raw
    assert paper.hf_github_stars == 48
    assert paper.project_page == "https://amap-ml.github.io/EPG"
    assert paper.upvotes == 67
    assert paper.organization == "AMAP ML"


def test_python_repr_items_and_wrapper_date() -> None:
    item = {"paper": {**ITEM["paper"], "submittedOnDailyAt": None}}
    item["paper"]["githubRepo"] = "https://github.com/\nFightingFighting/NeuroAda.git"
    wrapper = {"status": "success", "date": "2025-01-10", "count": 1, "data": [repr(item)]}
    [paper] = parse(wrapper)
    assert paper.listed_on == dt.date(2025, 1, 10)
    assert paper.hf_github_repo == "https://github.com/\nFightingFighting/NeuroAda.git"


def test_repr_string_with_python_literals() -> None:
    text = (
        "{'paper': {'id': '2412.07730', 'title': 'T', 'authors': [{'hidden': False}], 'x': None}}"
    )
    [paper] = parse([text])
    assert (paper.paper_id, paper.title) == ("2412.07730", "T")


def test_single_paper_object_and_top_level_fallback() -> None:
    [paper] = parse({**ITEM["paper"], "githubRepo": {"url": "https://github.com/a/b"}})
    assert paper.paper_id == "2510.12586"
    assert paper.hf_github_repo == "https://github.com/a/b"
    # fields missing under "paper" are taken from the item's top level
    [paper] = parse([{"paper": {"id": "2501.00001"}, "title": "Top", "organization": "Org"}])
    assert (paper.title, paper.organization) == ("Top", "Org")


def test_search_results_and_ids_without_arxiv() -> None:
    [a, b] = parse([{"paper": {"id": "not-arxiv", "title": "T"}}, {"paper": {"id": "x"}}])
    assert a.paper_id.startswith("title:")
    assert a.url is None
    assert b.paper_id == "hf:x"
    assert parse([]) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            [{"paper": {"id": "2501.00001", "title": 5}}],
            "item 0: title must be a string, got number",
        ),
        ([{"paper": {"upvotes": "7", "id": "2501.00001"}}], "upvotes must be an integer"),
        ([{"paper": {"id": "2501.00001", "upvotes": True}}], "upvotes must be an integer"),
        ([{"paper": {"publishedAt": "yesterday", "id": "2501.00001"}}], "not an ISO date"),
        ([{"paper": {"githubRepo": ["a"], "id": "2501.00001"}}], "githubRepo must be a string"),
        ([{"paper": {"authors": []}}], "item 0: paper has neither an id nor a title"),
        ([{"paper": "2501.00001"}], "'paper' must be an object"),
        ([5], "item 0: expected an object, got number"),
        (["{'paper': oops}"], "item 0: string item is not a Python-repr object"),
        ({"status": "ok"}, "not a Hugging Face papers response"),
        ("text", "not a Hugging Face papers response"),
        ({"data": [], "date": 20250110}, "date must be an ISO date string"),
    ],
)
def test_bad_shapes_and_types(value: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse(value)


def test_gzipped_wrapper_through_read_inputs(tmp_path: Path) -> None:
    path = tmp_path / "day.bin"  # detection is by content, not by name
    wrapper = {"status": "success", "date": "2025-01-10", "count": 1, "data": [repr(ITEM)]}
    path.write_bytes(gzip.compress(json.dumps(wrapper, indent=4).encode()))
    [paper] = read_inputs([str(path)])
    assert (paper.source, paper.paper_id, paper.listed_on) == (
        "hf_daily",
        "2510.12586",
        dt.date(2025, 10, 15),
    )


@pytest.mark.shared
def test_every_real_day_parses() -> None:
    files = sorted(HF_DAYS.glob("*.json.gz"))
    assert len(files) == 415
    papers = list(read_inputs([str(HF_DAYS)]))
    assert len(papers) == 6141
    assert {p.source for p in papers} == {"hf_daily"}
    assert all(p.title and p.abstract and p.published_at and p.url for p in papers)
    assert all("\n" not in (p.title or "") + (p.abstract or "") for p in papers)
    assert sum(p.hf_github_repo is not None for p in papers) == 1602
    assert sum(p.organization is not None for p in papers) == 630
    assert sum(p.listed_on is not None for p in papers) == 3337 + 9


@pytest.mark.shared
def test_real_python_repr_days_and_wrapper() -> None:
    repr_days = sorted(
        p for p in HF_DAYS.glob("*.json.gz") if "2024-12-11" <= p.name[:10] <= "2025-01-09"
    )
    assert len(repr_days) == 21  # plus 2025-01-10, whose wrapped items are repr strings too
    for path in repr_days:
        assert isinstance(json.loads(gzip.decompress(path.read_bytes()))[0], str)
        assert list(read_inputs([str(path)]))
    wrapper = json.loads(gzip.decompress((HF_DAYS / "2025-01-10.json.gz").read_bytes()))
    assert wrapper["count"] == 9
    assert isinstance(wrapper["data"][0], str)
    wrapped = list(read_inputs([str(HF_DAYS / "2025-01-10.json.gz")]))
    assert len(wrapped) == 9
    assert {p.listed_on for p in wrapped} == {dt.date(2025, 1, 10)}


@pytest.mark.shared
def test_real_github_repo_values_are_kept_raw() -> None:
    papers = list(read_inputs([str(HF_DAYS / "*.json.gz")]))
    repos = [p.hf_github_repo for p in papers if p.hf_github_repo]
    with_break = [r for r in repos if "\n" in r]
    assert with_break == [
        "https://github.com/sirano1004/\nMargin-Apative-Direct-Preference-Optimization",
        "https://github.com/\nFightingFighting/NeuroAda.git",
    ]
    assert any(r.endswith(".git") for r in repos)
    assert any("/tree/" in r for r in repos)
    assert any(r.endswith("/") for r in repos)
