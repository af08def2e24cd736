from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harvester.sources.files import FORMATS
from harvester.sources.files.detect import SNIFF_BYTES, detect

HF_ITEM = {"paper": {"id": "2501.00001", "title": "T"}, "title": "T"}


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"<?xml version='1.0'?><feed/>", None, "atom"),
        (b"  <feed xmlns='http://www.w3.org/2005/Atom'>", None, "atom"),
        (b"<?xml version='1.0'?><rss/>", None, "atom"),  # the Atom reader names the problem
        (json.dumps([HF_ITEM]).encode(), None, "hf_daily"),
        (json.dumps([HF_ITEM], indent=2).encode(), "x.json", "hf_daily"),
        (json.dumps([repr(HF_ITEM)]).encode(), None, "hf_daily"),
        (
            json.dumps({"status": "ok", "date": "2025-01-10", "data": [repr(HF_ITEM)]}).encode(),
            None,
            "hf_daily",
        ),
        (json.dumps(HF_ITEM).encode(), None, "hf_daily"),
        (
            json.dumps({"id": "2501.00001", "upvotes": 3, "publishedAt": "2025-01-01"}).encode(),
            None,
            "hf_daily",
        ),
        (json.dumps([{"id": "2401.04887", "title": "T"}]).encode(), None, "json"),
        (json.dumps({"papers": []}, indent=1).encode(), None, "json"),
        (b"[]", None, "json"),
        (b'{"id": "a"}\n{"id": "b"}\n', None, "jsonl"),
        (b'{"paper": {"id": "2501.00001"}}\n{"paper": {"id": "2501.00002"}}\n', None, "jsonl"),
        (b'{"id": "a"}\n', None, "json"),  # one object: a JSON document
        (b'[{"title": "broken"', None, "json"),  # broken JSON: the JSON reader reports it
        (b"id,title,abstract\n2401.04887,T,A\n", None, "csv"),
        (b"\xef\xbb\xbfTitle;Abstract\nT;A\n", None, "csv"),
        (b"name,abstract\na,b\n", "papers.csv", "csv"),
        (b"name,abstract\na,b\n", "papers.csv.gz", "csv"),
        (b"name,abstract\na,b\n", None, "text"),
        (b"new\n\nDaily Papers\n\nbyAK and the research community\n", None, "listing"),
        (
            b"Title\n\nAbstract.\n\n  \xe2\x80\xa2 3 authors\n\xc2\xb7\nMar 24, 2025 2\n",
            None,
            "listing",
        ),
        (b"[1] Introduction\nText.", None, "text"),
        (b"[link](https://github.com/a/b)", None, "text"),
        (b"{not json}", None, "text"),
        (b"Just some notes about arXiv:2401.04887.", "notes.json", "json"),
        (b"Just some notes.", None, "text"),
    ],
)
def test_detect(head: bytes, name: str | None, expected: str) -> None:
    assert detect(head, name) == expected


def test_detect_jsonl_with_a_huge_first_line() -> None:
    head = (b'{"title": "' + b"x" * SNIFF_BYTES)[:SNIFF_BYTES]
    assert detect(head, "big.jsonl.gz") == "jsonl"
    assert detect(head, None) == "jsonl"
    assert detect(head, "big.json") == "json"


def test_detect_hf_array_larger_than_the_sniff_window() -> None:
    head = json.dumps([HF_ITEM] * 5000, indent=4).encode()[:SNIFF_BYTES]
    assert detect(head) == "hf_daily"
    wrapper = json.dumps({"status": "ok", "data": [repr(HF_ITEM)] * 5000}, indent=4).encode()
    assert detect(wrapper[:SNIFF_BYTES]) == "hf_daily"


@given(st.binary(max_size=300), st.none() | st.text(max_size=20))
def test_detect_always_answers_a_format(head: bytes, name: str | None) -> None:
    assert detect(head, name) in FORMATS
