"""How values spread, one row per group: every value a dot, the middle half a box, the median a
bar, on a log axis (0 included). Used for the stars repositories had 7, 30 and 90 days after
their paper came out: a median alone would hide that most stay near 0 and a few take off.

Dots carry ``data-series`` (the row), ``data-label`` and ``data-value``; the median bar and
the box carry ``data-median`` and ``data-q1``/``data-q3``.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from html import escape

from harvester.chart.svg import (
    BLUE,
    WIDTH,
    Scale,
    attr,
    compact,
    empty,
    fmt_int,
    log_scale,
    log_ticks,
    svg_open,
    x_axis,
)

Row = tuple[str, Sequence[tuple[str, float]]]  # (row title, [(what a dot is, value)])

TOP, ROW, LEFT, RIGHT = 10, 64, 112, WIDTH - 150
DOT, STEP = 3.5, 8.0  # dot radius; distance between lanes
LANES = (0, -1, 1, -2, 2, -3, 3)  # where a dot goes when it would touch one already drawn


def spread(key: str, rows: Sequence[Row], *, unit: str, when_empty: Sequence[str]) -> str:
    values = [v for _, marks in rows for _, v in marks]
    if not values:
        return empty(key, when_empty[0], lines=when_empty[1:])
    ticks = log_ticks(min(values), max(values))
    x_of = log_scale(ticks[0], ticks[-1], LEFT, RIGHT)
    bottom = TOP + ROW * len(rows)
    height = bottom + 40
    parts = [svg_open(key, height), *x_axis(ticks, TOP, bottom, x_of)]
    for i, (title, marks) in enumerate(rows):
        middle = TOP + ROW * (i + 0.5)
        count = len(marks)
        parts.append(
            f'<text x="{LEFT - 14}" y="{middle - 2:.1f}" text-anchor="end" class="label">'
            f"{escape(title)}</text>"
            f'<text x="{LEFT - 14}" y="{middle + 14:.1f}" text-anchor="end" class="tick">'
            f"{count:,} {'repository' if count == 1 else 'repositories'}</text>"
        )
        if not marks:
            parts.append(
                f'<text x="{(LEFT + RIGHT) / 2}" y="{middle + 4:.1f}" text-anchor="middle" '
                f'class="muted">no snapshot near that day yet</text>'
            )
            continue
        numbers = sorted(v for _, v in marks)
        median = statistics.median(numbers)
        if count >= 3:
            q1, _, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
            parts.append(
                f'<rect class="box" x="{x_of(q1):.1f}" y="{middle - 15:.1f}" '
                f'width="{max(x_of(q3) - x_of(q1), 1.0):.1f}" height="30" rx="3" '
                f'data-series="{attr(title)}" data-q1="{q1:g}" data-q3="{q3:g}">'
                f"<title>{escape(title)}: the middle half has {fmt_int(q1)} to {fmt_int(q3)} "
                f"{escape(unit)}</title></rect>"
            )
        parts += _dots(title, marks, x_of, middle, unit)
        x = x_of(median)
        parts.append(
            f'<line class="median" x1="{x:.1f}" x2="{x:.1f}" y1="{middle - 19:.1f}" '
            f'y2="{middle + 19:.1f}" data-series="{attr(title)}" data-median="{median:g}">'
            f"<title>{escape(title)}: median {fmt_int(median)} {escape(unit)}</title></line>"
            f'<text x="{RIGHT + 14}" y="{middle - 2:.1f}" class="value">median '
            f"{compact(median)}</text>"
        )
        if count >= 3:
            parts.append(
                f'<text x="{RIGHT + 14}" y="{middle + 14:.1f}" class="tick">middle half '
                f"{compact(q1)}\u2013{compact(q3)}</text>"
            )
    parts.append(
        f'<text x="{(LEFT + RIGHT) / 2}" y="{height - 8}" text-anchor="middle" class="axis">'
        f"{escape(unit)} (log scale, 0 at the left)</text></svg>"
    )
    return "".join(parts)


def _dots(
    title: str, marks: Sequence[tuple[str, float]], x_of: Scale, middle: float, unit: str
) -> list[str]:
    """A dot per value, nudged up or down (never sideways) off dots it would touch; when the
    lanes are full it goes on the middle lane, and a value held by more dots than there are
    lanes gets its count written next to it."""
    taken: dict[int, list[float]] = {lane: [] for lane in LANES}
    parts = []
    for label, value in sorted(marks, key=lambda m: m[1]):
        x = x_of(value)
        lane = next((n for n in LANES if all(abs(x - o) >= STEP for o in taken[n])), 0)
        taken[lane].append(x)
        parts.append(
            f'<circle class="dot" cx="{x:.1f}" cy="{middle + lane * STEP:.1f}" r="{DOT}" '
            f'fill="{BLUE}" data-series="{attr(title)}" data-label="{attr(label)}" '
            f'data-value="{value:g}"><title>{escape(label)}: {fmt_int(value)} {escape(unit)}'
            "</title></circle>"
        )
    for value, count in sorted(Counter(v for _, v in marks).items()):
        if count > len(LANES):
            parts.append(
                f'<text x="{x_of(value) + DOT + 3:.1f}" y="{middle - 3 * STEP - 2:.1f}" '
                f'class="tick" data-count="{count}">\u00d7{count:,}</text>'
            )
    return parts
