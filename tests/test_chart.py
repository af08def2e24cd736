"""The pure chart module: ticks, number formats, escaping, empty data."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from harvester import chart


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (32, [0, 10, 20, 30, 40]),
        (91_200, [0, 20_000, 40_000, 60_000, 80_000, 100_000]),
    ],
)
def test_nice_ticks(top: float, ticks: list[float]) -> None:
    assert chart.nice_ticks(top) == ticks


def test_compact_numbers() -> None:
    assert [chart.compact(v) for v in (0, 7, 1000, 1200, 30_000, 2_500_000)] == [
        "0",
        "7",
        "1k",
        "1.2k",
        "30k",
        "2.5M",
    ]


def test_labels_are_escaped_and_each_chart_is_well_formed_svg() -> None:
    evil = '<script>alert("x")</script> & "q"'
    svgs = [
        chart.bars("b", [evil], [3], unit="stars"),
        chart.histogram("h", [evil], [2], x_title=evil),
        chart.share_bar("s", [(evil, 1), ("ok", 3)], unit="names"),
        chart.columns_over_time("c", [dt.date(2025, 1, 1)], [(evil, "#000", [5])], unit="x"),
    ]
    for svg in svgs:
        assert "<script>" not in svg
        root = ET.fromstring(svg)  # well-formed: escaping did not break the markup
        labels = [e.get("data-label") for e in root.iter() if e.get("data-value")]
        values = [e.get("data-value") for e in root.iter() if e.get("data-value")]
        assert labels[0] in (evil, "2025-01-01") and values[0] in ("3", "2", "1", "5")


def test_empty_data_says_so() -> None:
    assert "No papers with a date yet" in chart.columns_over_time("c", [], [], unit="papers")
    assert "run `harvester refresh`" in chart.bars("b", [], [], unit="stars")
    assert "No repository links yet" in chart.share_bar("s", [("ok", 0)], unit="names")
