"""The chart kinds of the page's first charts: columns over time, a histogram, a share bar and
horizontal bars. Each takes plain values and returns one ``<svg>`` element as text."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape
from typing import Any

from harvester.chart.svg import (
    BLUE,
    CHAR_WIDTH,
    DASH,
    GREY,
    STATUS_COLOURS,
    WIDTH,
    attr,
    empty,
    fmt_int,
    label_text,
    nice_ticks,
    num,
    svg_open,
    y_axis,
)

# However few the periods or bins, each gets at most this share of the width (one month of
# data is a column, not a block across the page), and a column is at most this wide.
MIN_SLOTS = 8
MAX_COLUMN = 56.0


def slots(count: int, left: float, right: float) -> tuple[float, float]:
    """Where the first of ``count`` equal slots starts and how wide each is: they fill
    ``left``..``right`` when there are many, and sit centred in it when there are few."""
    slot = (right - left) / max(count, MIN_SLOTS)
    return left + (right - left - slot * count) / 2, slot


def columns_over_time(
    key: str,
    periods: Sequence[Any],
    series: Sequence[tuple[str, str, Sequence[Any]]],
    *,
    unit: str,
) -> str:
    """Overlaid columns per period: each series is drawn in front of the one before it (the
    series are nested subsets, e.g. papers ⊇ with a link ⊇ with a live repository)."""
    if not periods:
        return empty(key, "No papers with a date yet.")
    height, left, right, top, bottom = 300, 52, WIDTH - 12, 16, 250
    peak = max(num(v) for _, _, values in series for v in values)
    ticks = nice_ticks(peak)
    scale = (bottom - top) / ticks[-1]

    def y_of(v: float) -> float:
        return bottom - v * scale

    start, slot = slots(len(periods), left, right)
    bar = min(MAX_COLUMN, max(1.0, slot * 0.8))
    parts = [
        svg_open(key, height),
        *y_axis(ticks, left, right, y_of),
    ]
    for s_index, (name, colour, values) in enumerate(series):
        shrink = bar * (1 - 0.22 * s_index)  # nested series are narrower, so all stay visible
        for i, (period, value) in enumerate(zip(periods, values, strict=True)):
            v = num(value)
            x = start + i * slot + (slot - shrink) / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{y_of(v):.1f}" width="{shrink:.1f}" '
                f'height="{v * scale:.1f}" fill="{colour}" data-series="{attr(name)}" '
                f'data-label="{attr(period)}" data-value="{v:g}">'
                f"<title>{escape(label_text(period))}: {fmt_int(v)} {escape(name)}</title></rect>"
            )
    every = max(1, math.ceil(len(periods) / 12))
    for i, period in enumerate(periods):
        if i % every == 0:
            x = start + (i + 0.5) * slot
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" class="tick">'
                f"{escape(_short_period(period))}</text>"
            )
    parts.append(f'<text x="{left}" y="{height - 8}" class="axis">{escape(unit)} per period</text>')
    widths = [14 + CHAR_WIDTH * len(name) + 16 for name, _, _ in series]
    x_legend = right - sum(widths)
    for (name, colour, _), width in zip(series, widths, strict=True):
        parts.append(
            f'<rect x="{x_legend:.0f}" y="{height - 19}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x_legend + 14:.0f}" y="{height - 10}" class="legend">'
            f"{escape(name)}</text>"
        )
        x_legend += width
    parts.append("</svg>")
    return "".join(parts)


def _short_period(period: Any) -> str:
    if isinstance(period, dt.date):
        return period.strftime("%Y-%m") if period.day == 1 else period.strftime("%m-%d")
    return label_text(period)


def histogram(key: str, labels: Sequence[str], counts: Sequence[Any], *, x_title: str) -> str:
    """Adjacent columns, one per bin, the bins' lower edges under them."""
    if not counts or not any(num(c) for c in counts):
        return empty(key, "No repositories with stars yet: run `harvester refresh`.")
    height, left, right, top, bottom = 280, 52, WIDTH - 12, 24, 230
    ticks = nice_ticks(max(num(c) for c in counts))
    scale = (bottom - top) / ticks[-1]

    def y_of(v: float) -> float:
        return bottom - v * scale

    start, slot = slots(len(counts), left, right)
    parts = [
        svg_open(key, height),
        *y_axis(ticks, left, right, y_of),
    ]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        v = num(count)
        x = start + i * slot + 1
        parts.append(
            f'<rect x="{x:.1f}" y="{y_of(v):.1f}" width="{slot - 2:.1f}" '
            f'height="{v * scale:.1f}" fill="{BLUE}" data-label="{attr(label)}" '
            f'data-value="{v:g}"><title>{escape(label)} stars: {fmt_int(v)} repositories'
            "</title></rect>"
        )
        if v:
            parts.append(
                f'<text x="{x + (slot - 2) / 2:.1f}" y="{y_of(v) - 4:.1f}" '
                f'text-anchor="middle" class="value">{fmt_int(v)}</text>'
            )
        parts.append(
            f'<text x="{x + (slot - 2) / 2:.1f}" y="{bottom + 16}" text-anchor="middle" '
            f'class="tick">{escape(label.split(DASH)[0])}</text>'
        )
    parts.append(
        f'<text x="{(left + right) / 2}" y="{height - 8}" text-anchor="middle" class="axis">'
        f"{escape(x_title)}</text></svg>"
    )
    return "".join(parts)


def share_bar(key: str, parts_in: Sequence[tuple[str, Any]], *, unit: str) -> str:
    """One horizontal bar split into shares, with a legend of counts and percentages."""
    total = sum(num(v) for _, v in parts_in)
    if total <= 0:
        return empty(key, "No repository links yet.")
    height, left, right = 88, 12, WIDTH - 12
    parts = [svg_open(key, height)]
    x = float(left)
    for name, value in parts_in:
        v = num(value)
        if v <= 0:
            continue
        width = (right - left) * v / total
        colour = STATUS_COLOURS.get(name, GREY)
        pct = 100 * v / total
        parts.append(
            f'<rect x="{x:.1f}" y="12" width="{width:.1f}" height="36" fill="{colour}" '
            f'data-label="{attr(name)}" data-value="{v:g}"><title>{escape(name)}: '
            f"{fmt_int(v)} {escape(unit)} ({pct:.1f}%)</title></rect>"
        )
        if width > 60:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="35" text-anchor="middle" class="inside">'
                f"{pct:.1f}%</text>"
            )
        x += width
    x_legend = float(left)
    y_legend = 76
    for name, value in parts_in:
        text = f"{name.replace('_', ' ')} {fmt_int(value)}"
        colour = STATUS_COLOURS.get(name, GREY)
        parts.append(
            f'<rect x="{x_legend:.0f}" y="{y_legend - 10}" width="10" height="10" '
            f'fill="{colour}"/><text x="{x_legend + 14:.0f}" y="{y_legend}" class="legend">'
            f"{escape(text)}</text>"
        )
        x_legend += 30 + CHAR_WIDTH * len(text)
    parts.append("</svg>")
    return "".join(parts)


def bars(
    key: str,
    labels: Sequence[str],
    values: Sequence[Any],
    *,
    colour: str = BLUE,
    unit: str,
    notes: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, largest first as given, label on the left and value on the right."""
    if not values:
        return empty(key, "Nothing to show yet: run `harvester refresh` to fetch stats.")
    row, top, label_w = 24, 8, 250
    height = top * 2 + row * len(values)
    left, right = label_w + 8, WIDTH - 70
    peak = max(num(v) for v in values) or 1.0
    parts = [svg_open(key, height)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        v = num(value)
        y = top + i * row
        width = max(1.0, (right - left) * v / peak)
        shown = label if len(label) <= 36 else label[:35] + "…"
        note = f" ({notes[i]})" if notes and notes[i] else ""
        parts.append(
            f'<text x="{label_w}" y="{y + 16}" text-anchor="end" class="label">'
            f"{escape(shown)}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" rx="2" '
            f'fill="{colour}" data-label="{attr(label)}" data-value="{v:g}">'
            f"<title>{escape(label)}: {fmt_int(v)} {escape(unit)}{escape(note)}</title></rect>"
            f'<text x="{left + width + 6:.1f}" y="{y + 16}" class="value">{fmt_int(v)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
