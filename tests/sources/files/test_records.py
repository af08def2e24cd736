from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from harvester.errors import InputError
from harvester.sources.files import read_inputs
from harvester.sources.files.records import read_csv, read_json, read_jsonl
from harvester.sources.ids import title_id


def jsonl(*records: Any) -> list[str]:
    return [json.dumps(r) + "\n" for r in records]


def test_jsonl_alternative_field_names() -> None:
    papers = list(
        read_jsonl(
            jsonl(
                {"arxiv_id": "arXiv:2401.04887v2", "Title": "A", "summary": "S", "comments": "C"},
                {"entry_id": "http://arxiv.org/abs/astro-ph/0601001v1", "description": "D"},
                {
                    "link": "https://arxiv.org/pdf/2402.00001v1.pdf",
                    "title": "B",
                    "date": "2024-02-01",
                },
                {
                    "abs_url": "https://arxiv.org/abs/2402.00002",
                    "title": "C",
                    "published_at": "2024-02-01T10:00:00Z",
                    "arxiv_comment": "code at github",
                },
                {"paper_id": "x-1", "title": "Not on arXiv", "publication_date": "2020-05-06"},
                {"arxiv": "2402.00003", "submitted": "2024-02-03 08:00:00", "abstract": "A"},
            )
        )
    )
    assert [p.paper_id for p in papers] == [
        "2401.04887",
        "astro-ph/0601001",
        "2402.00001",
        "2402.00002",
        title_id("Not on arXiv"),
        "2402.00003",
    ]
    assert {p.source for p in papers} == {"jsonl"}
    first = papers[0]
    assert (first.title, first.abstract, first.comment) == ("A", "S", "C")
    assert first.url == "https://arxiv.org/abs/2401.04887"  # made from the arXiv id
    assert papers[1].abstract == "D"
    assert papers[2].url == "https://arxiv.org/pdf/2402.00001v1.pdf"  # kept as given
    assert papers[2].published_at == dt.date(2024, 2, 1)
    assert papers[3].published_at == dt.date(2024, 2, 1)
    assert papers[3].comment == "code at github"
    assert papers[4].published_at == dt.date(2020, 5, 6)
    assert papers[5].published_at == dt.date(2024, 2, 3)


def test_code_links_go_to_text_and_hf_hints_are_kept() -> None:
    [paper] = read_jsonl(
        jsonl(
            {
                "id": "2401.04887",
                "text": "body",
                "github_url": "https://github.com/a/b",
                "code": ["https://github.com/c/d", "https://github.com/e/f"],
                "githubRepo": "https://github.com/g/h\n",
                "upvotes": 3,
                "hf_github_stars": 10,
                "projectPage": "https://p.io",
                "organization": {"fullname": "Org"},
                "listed_on": "2024-01-10",
            }
        )
    )
    assert (
        paper.text == "body\nhttps://github.com/a/b\nhttps://github.com/c/d\nhttps://github.com/e/f"
    )
    assert paper.hf_github_repo == "https://github.com/g/h\n"
    assert (paper.upvotes, paper.hf_github_stars, paper.project_page) == (3, 10, "https://p.io")
    assert (paper.organization, paper.listed_on) == ("Org", dt.date(2024, 1, 10))


def test_jsonl_skips_blank_lines_and_expands_hf_items() -> None:
    lines = ["\n", *jsonl({"paper": {"id": "2501.00001", "title": "HF"}}), "  \n"]
    lines.append(json.dumps("{'paper': {'id': '2501.00002', 'title': 'R', 'hidden': False}}"))
    papers = list(read_jsonl(lines))
    assert [(p.paper_id, p.source) for p in papers] == [
        ("2501.00001", "hf_daily"),
        ("2501.00002", "hf_daily"),
    ]


@pytest.mark.parametrize(
    "document",
    [
        [{"id": "2401.04887"}, {"title": "T"}],
        {"papers": [{"id": "2401.04887"}, {"title": "T"}]},
        {"data": [{"id": "2401.04887"}, {"title": "T"}]},
        {"records": [{"id": "2401.04887"}, {"title": "T"}]},
        {"items": [{"id": "2401.04887"}, {"title": "T"}], "next": None},
    ],
)
def test_json_containers(document: Any) -> None:
    papers = list(read_json(json.dumps(document)))
    assert [p.paper_id for p in papers] == ["2401.04887", title_id("T")]
    assert {p.source for p in papers} == {"json"}


def test_json_single_record_and_empty_array() -> None:
    [paper] = read_json('{"id": "2401.04887", "title": "T", "data": [1]}')
    assert paper.paper_id == "2401.04887"
    assert list(read_json("[]")) == []


def test_non_arxiv_id_without_title() -> None:
    [paper] = read_json('[{"id": "W1234"}]')
    assert paper.paper_id == "id:W1234"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ('[{"abstract": "no id"}]', r"item 0: record has no id, arXiv url or title"),
        ('[{"id": "2401.04887"}, {"title": 5}]', r"item 1: title must be a string, got number"),
        ('[{"id": 2401.1}]', r"id must be a string, got number 2401\.1 \(quote arXiv ids"),
        ('[{"title": "T", "published": "March 2024"}]', r"published is not an ISO date"),
        ('[{"title": "T", "upvotes": 1.5}]', r"upvotes must be an integer"),
        ('[{"title": "T", "code": [1]}]', r"code must be a string"),
        ('["x"]', r"item 0: expected a paper object, got string"),
        ('{"papers": {"a": 1}}', r"^JSON object is neither a paper record .*; keys: papers$"),
        ('{"papers": [{"a": 1}]}', r"^papers, item 0: record has no id, arXiv url or title$"),
        ("42", r"object: expected a paper object, got number"),
        ('[{"title": "T"', r"invalid JSON at line 1, column 15"),
    ],
)
def test_json_errors(document: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(read_json(document))


def test_jsonl_errors_name_the_line() -> None:
    with pytest.raises(InputError, match=r"line 3, column 2: invalid JSON"):
        list(read_jsonl([*jsonl({"title": "a"}), "\n", "{oops}\n"]))
    with pytest.raises(InputError, match=r"line 2: record has no id"):
        list(read_jsonl(jsonl({"title": "a"}, {"abstract": "b"})))
    with pytest.raises(InputError, match=r"line 1: expected a paper object, got number"):
        list(read_jsonl(["5\n"]))


def test_csv_alternative_columns_and_multiline_fields() -> None:
    lines = [
        "\ufeffArXiv_ID,Title,Summary,Comments,Published,Code_URL,upvotes\r\n",
        '2401.04887v1,"A, with comma","multi\r\n',
        'line abstract",c1,2024-01-09,https://github.com/a/b,7\r\n',
        ",,,,,,\r\n",
        ',Only title,,,,,""\r\n',
    ]
    papers = list(read_csv(iter(lines)))
    assert [p.paper_id for p in papers] == ["2401.04887", title_id("Only title")]
    first = papers[0]
    assert (first.title, first.abstract, first.comment) == (
        "A, with comma",
        "multi line abstract",
        "c1",
    )
    assert first.published_at == dt.date(2024, 1, 9)
    assert (first.text, first.upvotes, first.source) == ("https://github.com/a/b", 7, "csv")
    assert papers[1].upvotes is None


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_csv_other_delimiters(delimiter: str) -> None:
    lines = [f"id{delimiter}title\n", f"2401.04887{delimiter}T\n"]
    [paper] = read_csv(iter(lines))
    assert (paper.paper_id, paper.title) == ("2401.04887", "T")


def test_csv_errors() -> None:
    with pytest.raises(
        InputError, match=r"CSV header has no id, title or url column.*name,abstract"
    ):
        list(read_csv(iter(["name,abstract\n", "a,b\n"])))
    with pytest.raises(InputError, match=r"line 3: record has no id"):
        list(read_csv(iter(["id,title,abstract\n", "2401.04887,T,A\n", ",,only abstract\n"])))
    with pytest.raises(InputError, match=r"line 2: upvotes must be an integer"):
        list(read_csv(iter(["title,upvotes\n", "T,many\n"])))


def test_csv_field_larger_than_the_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("title,abstract\nT," + "x" * 300_000 + "\n")
    [paper] = read_inputs([str(path)])
    assert len(paper.abstract or "") == 300_000
