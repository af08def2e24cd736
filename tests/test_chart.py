"""The pure chart module: ticks, number formats, escaping, empty data."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

import pytest

from harvester import chart
from harvester.chart import svg


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
        chart.history_lines("l", _history((evil, [1, 2]))),
        chart.spread("p", [(evil, [(evil, 2)])], unit=evil, when_empty=[evil]),
    ]
    for drawn in svgs:
        assert "<script>" not in drawn
        root = ET.fromstring(drawn)  # well-formed: escaping did not break the markup
        labels = [e.get("data-label") for e in root.iter() if e.get("data-value")]
        values = [e.get("data-value") for e in root.iter() if e.get("data-value")]
        assert labels[0] in (evil, "2025-01-01", "2025-03-11 12:00")
        assert values[0] in ("3", "2", "1", "5")


def test_empty_data_says_so() -> None:
    assert "No papers with a date yet" in chart.columns_over_time("c", [], [], unit="papers")
    assert "run `harvester refresh`" in chart.bars("b", [], [], unit="stars")
    assert "No repository links yet" in chart.share_bar("s", [("ok", 0)], unit="names")


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 0, [0, 1, 2, 5, 10]),
        (0, 91_200, [0, 1, 10, 100, 1000, 10_000, 100_000]),
        (1865, 91_200, [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]),
        (100, 400, [100, 200, 500, 1000]),
    ],
)
def test_log_ticks(low: float, high: float, ticks: list[float]) -> None:
    assert chart.log_ticks(low, high) == ticks


def test_end_labels_move_apart_as_little_as_they_can_and_stay_inside() -> None:
    wanted = [100.0, 101.0, 50.0, 279.0, 280.0, 102.0]
    placed = svg.spread_labels(wanted, 14, 20, 280)
    ordered = sorted(placed)
    assert all(b - a >= 14 - 1e-9 for a, b in itertools.pairwise(ordered))
    assert all(20 <= y <= 280 for y in placed)
    assert placed[2] == 50.0  # a label with room keeps its place
    assert placed[0] == 100.0 and placed[1] == 114.0 and placed[5] == 128.0  # in their order
    assert placed[3] == 266.0 and placed[4] == 280.0  # pushed up from the bottom edge


def test_time_ticks_are_calendar_days_or_months() -> None:
    t0 = dt.datetime(2025, 3, 11, 12)
    months = svg.time_ticks(t0, dt.datetime(2025, 6, 2, 12))
    assert [label for _, label in months] == ["2025-04", "2025-05", "2025-06"]
    days = svg.time_ticks(t0, dt.datetime(2025, 3, 14, 12))
    assert [label for _, label in days] == ["2025-03-12", "2025-03-13", "2025-03-14"]
    years = svg.time_ticks(dt.datetime(2021, 5, 1), dt.datetime(2025, 6, 2))
    assert [label for _, label in years] == ["2022", "2023", "2024", "2025"]
    longer = svg.time_ticks(dt.datetime(2019, 5, 1), dt.datetime(2025, 6, 2))  # at most 6
    assert [label for _, label in longer] == ["2020", "2022", "2024"]


def _rects(svg_text: str, series: str) -> list[tuple[float, float]]:
    return [
        (float(e.get("x") or 0), float(e.get("width") or 0))
        for e in ET.fromstring(svg_text).iter("rect")
        if e.get("data-series") == series
    ]


@pytest.mark.parametrize("count", [1, 2, 40])
def test_few_periods_are_columns_not_blocks(count: int) -> None:
    periods = [dt.date(2025, 1, 1) + dt.timedelta(days=31 * i) for i in range(count)]
    drawn = chart.columns_over_time("c", periods, [("papers", "#000", [3] * count)], unit="x")
    rects = _rects(drawn, "papers")
    plot = svg.WIDTH - 12 - 52
    assert len(rects) == count
    assert all(width <= plot / 8 for _, width in rects)  # never a block across the page
    middle = sum(x + width / 2 for x, width in rects) / count
    assert abs(middle - (52 + plot / 2)) < 1  # few periods sit in the middle, many fill it
    if count > 8:
        assert rects[0][0] < 52 + plot / count and rects[-1][0] > 52 + plot * (1 - 2 / count)


def _history(*lines: tuple[str, list[float]]) -> list[tuple[str, list[tuple[dt.datetime, float]]]]:
    start = dt.datetime(2025, 3, 11, 12)
    return [
        (name, [(start + dt.timedelta(days=30 * i), v) for i, v in enumerate(values)])
        for name, values in lines
    ]


def test_star_history_draws_both_scales_and_labels_each_line_at_its_end() -> None:
    series = _history(("big/one", [90_000, 91_200]), ("small/two", [10, 70]), ("new/three", [5]))
    root = ET.fromstring(chart.history_lines("h", series))
    groups = {g.get("data-scale"): g for g in root.iter("g")}
    assert set(groups) == {"linear", "log"}
    for group in groups.values():
        dots = [(c.get("data-series"), c.get("data-value")) for c in group.iter("circle")]
        assert dots == [
            ("big/one", "90000"),
            ("big/one", "91200"),
            ("small/two", "10"),
            ("small/two", "70"),
            ("new/three", "5"),
        ]
        ends = {t.get("data-end"): t.text for t in group.iter("text") if t.get("data-end")}
        assert ends == {
            "big/one": "big/one 91.2k",
            "small/two": "small/two 70",
            "new/three": "new/three 5",
        }
        assert len([p for p in group.iter("polyline") if p.get("data-line")]) == 2  # not 1 dot
    assert chart.lines.prefers_log(series)
    assert not chart.lines.prefers_log(_history(("a/a", [50, 60]), ("b/b", [10, 20])))


def test_star_history_with_one_snapshot_says_what_a_refresh_adds() -> None:
    one = chart.history_lines("h", _history(("a/a", [5]), ("b/b", [7])))
    assert "One snapshot so far (fetched 2025-03-11)" in one and "harvester refresh" in one
    assert "data-value" not in one
    assert "run `harvester refresh`" in chart.history_lines("h", [])


def test_spread_marks_every_value_the_middle_half_and_the_median() -> None:
    rows = [
        ("7 days after", [("p1", 0), ("p2", 0), ("p3", 10), ("p4", 76), ("p5", 3560)]),
        ("30 days after", [("p1", 25)]),
        ("90 days after", []),
    ]
    drawn = chart.spread("s", rows, unit="stars", when_empty=["none"])
    root = ET.fromstring(drawn)
    dots = [(e.get("data-series"), e.get("data-value")) for e in root.iter("circle")]
    assert dots == [("7 days after", v) for v in ("0", "0", "10", "76", "3560")] + [
        ("30 days after", "25")
    ]
    medians = {e.get("data-series"): e.get("data-median") for e in root.iter("line")}
    assert {k: v for k, v in medians.items() if v} == {"7 days after": "10", "30 days after": "25"}
    boxes = [(e.get("data-q1"), e.get("data-q3")) for e in root.iter("rect")]
    assert boxes == [("0", "76")]  # one value is no spread: no box
    assert "no snapshot near that day yet" in drawn
    assert "none" in chart.spread("s", [("7 days after", [])], unit="stars", when_empty=["none"])


def test_spread_counts_a_value_held_by_more_dots_than_fit() -> None:
    marks = [(f"p{i}", 0.0) for i in range(12)] + [("q", 5.0)]
    root = ET.fromstring(chart.spread("s", [("day 7", marks)], unit="stars", when_empty=["-"]))
    assert [e.get("data-count") for e in root.iter("text") if e.get("data-count")] == ["12"]
    assert len(list(root.iter("circle"))) == 13
