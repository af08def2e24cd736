"""models.new_paper: Paper(...) built faster, and nothing else about it different."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from typing import Any

import pytest

from harvester.models import Mention, Paper, new_paper, new_paper_no_repair

FULL: dict[str, Any] = {
    "paper_id": "2501.00001",
    "source": "arxiv_snapshot",
    "title": "A title",
    "abstract": "An abstract, Müller's, with github.com/a/b",
    "comment": "12 pages",
    "text": None,
    "published_at": dt.date(2025, 1, 2),
    "url": "https://arxiv.org/abs/2501.00001",
    "hf_github_repo": None,
    "hf_github_stars": 3,
    "project_page": None,
    "upvotes": None,
    "organization": None,
    "listed_on": None,
    "authors": ("A. Müller", "B. Li"),
    "categories": ("cs.LG", "stat.ML"),
    "primary_category": "cs.LG",
    "doi": None,
    "journal_ref": None,
    "license": None,
    "mentions": (Mention("2501.00001", "a/b", "body", "https://github.com/a/b"),),
}


def test_same_fields_positional_keyword_and_defaults() -> None:
    assert new_paper(*FULL.values()) == Paper(*FULL.values())
    assert new_paper(**FULL) == Paper(**FULL)
    bare = new_paper("x", "s")
    assert bare == Paper("x", "s")
    for field in dataclasses.fields(Paper):  # every field set, defaults included
        assert getattr(bare, field.name) == getattr(Paper("x", "s"), field.name)


def test_an_ordinary_paper_frozen_hashable_picklable_replaceable() -> None:
    fast, slow = new_paper(**FULL), Paper(**FULL)
    assert type(fast) is Paper
    assert hash(fast) == hash(slow) and repr(fast) == repr(slow)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.title = "changed"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert copy.deepcopy(fast) == slow
    assert dataclasses.replace(fast, title="other") == dataclasses.replace(slow, title="other")
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)


def test_wrong_arguments_are_refused_as_by_the_class() -> None:
    with pytest.raises(TypeError):
        new_paper()
    with pytest.raises(TypeError):
        new_paper("x", "s", no_such_field=1)
    with pytest.raises(TypeError):
        new_paper(*FULL.values(), "one too many")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "bad \ud800 title"),
        ("abstract", "\udfff github.com/x/z \ud83d"),
        ("comment", "fine ascii"),
        ("doi", "10.1/\udc80"),
        ("title", "pair \ud83d\ude00"),  # in a str (unlike in JSON) a pair is two lone ones
        ("organization", "Zürich \ud800"),
    ],
)
def test_lone_surrogates_are_repaired_exactly_as_by_the_class(field: str, value: str) -> None:
    fast, slow = new_paper("x", "s", **{field: value}), Paper("x", "s", **{field: value})
    assert fast == slow
    assert getattr(fast, field).encode("utf-8")  # storable


def test_text_in_tuple_fields_is_repaired_as_the_class_repairs_it() -> None:
    odd = ("bad \ud800", "fine", "caf\u00e9")
    repaired = ("bad \ufffd", "fine", "caf\u00e9")
    assert new_paper("x", "s", authors=odd).authors == Paper("x", "s", authors=odd).authors
    assert Paper("x", "s", authors=odd, categories=odd[1:]).authors == repaired
    clean = ("caf\u00e9",)
    assert Paper("x", "s", categories=clean).categories is clean  # nothing to repair: kept as is


def test_the_constructor_without_repair_builds_the_same_paper_and_repairs_nothing() -> None:
    fast = new_paper_no_repair(*FULL.values())
    assert type(fast) is Paper and fast == Paper(*FULL.values()) == new_paper(**FULL)
    assert new_paper_no_repair("x", "s") == Paper("x", "s")
    kept = new_paper_no_repair("x", "s", title="bad \ud800", authors=("K\udfff",))
    assert (kept.title, kept.authors) == ("bad \ud800", ("K\udfff",))  # the caller's promise
