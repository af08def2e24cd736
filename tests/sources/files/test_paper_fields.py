"""Authors, categories, primary category, DOI, journal reference and licence, from every file
reader that has them: arXiv API Atom, Hugging Face papers JSON, generic JSON/JSONL/CSV records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from harvester.errors import InputError
from harvester.sources.files import read_inputs
from harvester.sources.files.atom import parse_feed
from harvester.sources.files.hf_daily import parse_document
from tests.conftest import FIXTURES, HF_DAYS

FEED = b"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/abs/2104.12255v3</id>
    <title>T</title>
    <category term="stat.ML" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <arxiv:primary_category term="cs.LG"/>
    <arxiv:doi>10.1000/abc</arxiv:doi>
    <arxiv:journal_ref>Journal 1 (2021)</arxiv:journal_ref>
    <author><name>Ada  Lovelace</name></author>
    <author><name>Alan Turing</name><arxiv:affiliation>Bletchley</arxiv:affiliation></author>
  </entry>
  <entry><id>http://arxiv.org/abs/2104.12256v1</id><title>Bare</title></entry>
</feed>
"""


def test_atom_entries_carry_bibliographic_fields() -> None:
    full, bare = parse_feed(FEED)
    assert full.authors == ("Ada Lovelace", "Alan Turing")
    assert full.categories == ("cs.LG", "stat.ML") and full.primary_category == "cs.LG"
    assert (full.doi, full.journal_ref, full.license) == ("10.1000/abc", "Journal 1 (2021)", None)
    assert (bare.authors, bare.categories, bare.primary_category, bare.doi) == ((), (), None, None)


@pytest.mark.shared
def test_recorded_arxiv_response_has_authors_and_categories() -> None:
    path = next((FIXTURES / "arxiv" / "arxiv-package").glob("id_1605.08386_s0_m100_*.json"))
    (paper,) = parse_feed(json.loads(path.read_text("utf-8"))["body"].encode())
    assert paper.authors == ("Caprice Stanley", "Tobias Windisch")
    assert paper.categories == ("math.CO", "math.ST") and paper.primary_category == "math.CO"


def test_hf_items_carry_author_names() -> None:
    item = {
        "paper": {
            "id": "2510.12586",
            "title": "T",
            "authors": [
                {"_id": "x", "name": "Jiachen Lei", "hidden": False},
                {"name": " Keli\nLiu"},
            ],
        }
    }
    (paper,) = parse_document([item])
    assert paper.authors == ("Jiachen Lei", "Keli Liu")
    with pytest.raises(InputError, match="author names must be strings"):
        list(parse_document([{"paper": {"id": "2510.12586", "authors": [{"name": 5}]}}]))


@pytest.mark.shared
def test_real_hf_day_has_authors_for_every_paper() -> None:
    papers = list(read_inputs([str(HF_DAYS / "2025-10-15.json.gz")]))
    with gzip.open(HF_DAYS / "2025-10-15.json.gz", "rt", encoding="utf-8") as raw:
        items = json.load(raw)
    assert [len(p.authors) for p in papers] == [len(i["paper"]["authors"]) for i in items]
    assert papers[0].authors[0] == items[0]["paper"]["authors"][0]["name"]


def test_generic_records_with_obvious_columns(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    records = [
        {
            "id": "2401.04887",
            "title": "T",
            "authors": ["A. One", {"name": "B. Two"}],
            "categories": "cs.CL cs.AI",
            "doi": "10.1/x",
            "journal-ref": "J 1",
            "license": "CC-BY",
        },
        {
            "id": "2401.04888",
            "title": "U",
            "author": "C. Three and D. Four",
            "primary_category": "cs.LG",
            "categories": ["stat.ML", "cs.LG"],
        },
        {"id": "2401.04889", "title": "Plain", "abstract": "A"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    first, second, plain = read_inputs([str(path)])
    assert first.authors == ("A. One", "B. Two")
    assert first.categories == ("cs.CL", "cs.AI") and first.primary_category == "cs.CL"
    assert (first.doi, first.journal_ref, first.license) == ("10.1/x", "J 1", "CC-BY")
    assert second.authors == ("C. Three", "D. Four")
    assert second.primary_category == "cs.LG" and second.categories == ("stat.ML", "cs.LG")
    assert (plain.authors, plain.categories, plain.doi, plain.abstract) == ((), (), None, "A")


def test_csv_columns_and_bad_types(tmp_path: Path) -> None:
    path = tmp_path / "papers.csv"
    path.write_text('id,title,authors,categories,doi\n2401.04887,T,"A. One, B. Two",cs.LG,10.1/x\n')
    (paper,) = read_inputs([str(path)])
    assert paper.authors == ("A. One", "B. Two") and paper.categories == ("cs.LG",)
    bad = tmp_path / "bad.jsonl"
    good = json.dumps({"id": "2401.04886"})
    bad.write_text(good + "\n" + json.dumps({"id": "2401.04887", "categories": 5}) + "\n")
    with pytest.raises(InputError, match="line 2: categories must be a list of strings"):
        list(read_inputs([str(bad)]))
