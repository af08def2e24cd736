"""Lines over time, one per series, each labelled at its end: the star history of the top
repositories, read from harvester's own snapshots.

Both a linear and a log drawing are in the ``<svg>`` (groups ``linear-scale``/``log-scale``,
each with ``data-scale``); the page shows one and a checkbox switches them, so the page needs
no script. Every snapshot is a dot with ``data-series`` (the repository), ``data-label`` (when)
and ``data-value`` (stars), in each drawing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape

from harvester.chart.svg import (
    LINE_COLOURS,
    WIDTH,
    Scale,
    attr,
    compact,
    empty,
    fmt_int,
    linear_scale,
    log_scale,
    log_ticks,
    nice_ticks,
    shorten,
    spread_labels,
    svg_open,
    time_ticks,
    y_axis,
)

Point = tuple[dt.datetime, float]
Series = tuple[str, Sequence[Point]]
TimeScale = Callable[[dt.datetime], float]

HEIGHT, TOP, BOTTOM, LEFT = 330, 14, 280, 52
LABEL_GAP = 14.0  # px between the baselines of two end labels
LABEL_CHAR = 7.0  # width of an end label's characters (12px), generous: a cut label is worse
# The log drawing is shown first when the highest line ends this many times above the lowest:
# the linear one would press the lower lines into a band at the bottom.
WIDE_RANGE = 10


def prefers_log(series: Sequence[Series]) -> bool:
    """Whether the lines end so far apart that the linear drawing would flatten most of them."""
    ends = [points[-1][1] for _, points in series if points]
    return bool(ends) and max(ends) >= WIDE_RANGE * max(min(ends), 1.0)


def history_lines(key: str, series: Sequence[Series], *, unit: str = "stars") -> str:
    """One line per series through its points (oldest first), labelled at its last point with
    its name and last value, on a time axis; one-point series are a single dot."""
    drawn = [(name, points) for name, points in series if points]
    if not drawn:
        return empty(key, "No repositories with stats yet: run `harvester refresh`.")
    if max(len(points) for _, points in drawn) < 2:
        first = min(t for _, points in drawn for t, _ in points)
        return empty(
            key,
            f"One snapshot so far (fetched {first:%Y-%m-%d}), so no history to draw yet.",
            lines=[
                "A `harvester refresh` a week later (or with `--stale-after 0s` now) adds a",
                "second one, and this chart then draws how each top repository's stars grow.",
            ],
        )
    times = [t for _, points in drawn for t, _ in points]
    values = [v for _, points in drawn for _, v in points]
    start, end = min(times), max(times)
    texts = [f"{shorten(name, 30)} {compact(points[-1][1])}" for name, points in drawn]
    right = WIDTH - 6 - min(270.0, max(len(t) for t in texts) * LABEL_CHAR + 14)
    span = (end - start).total_seconds() or 1.0

    def x_of(t: dt.datetime) -> float:
        return LEFT + (t - start).total_seconds() / span * (right - LEFT)

    linear_ticks = nice_ticks(max(values))
    logs = log_ticks(min(values), max(values))
    drawings: list[tuple[str, list[float], Scale]] = [
        ("linear", linear_ticks, linear_scale(0, linear_ticks[-1], BOTTOM, TOP)),
        ("log", logs, log_scale(logs[0], logs[-1], BOTTOM, TOP)),
    ]
    parts = [svg_open(key, HEIGHT)]
    for scale, ticks, y_of in drawings:
        parts.append(f'<g class="{scale}-scale" data-scale="{scale}">')
        parts += y_axis(ticks, LEFT, right, y_of)
        parts += _lines(drawn, x_of, y_of, unit)
        parts += _end_labels(drawn, texts, x_of, y_of)
        parts.append("</g>")
    for when, text in time_ticks(start, end):
        x = x_of(when)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{BOTTOM}" y2="{BOTTOM + 4}" class="grid"/>'
            f'<text x="{x:.1f}" y="{BOTTOM + 17}" text-anchor="middle" class="tick">'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 6}" class="axis">{escape(unit)} at each fetch '
        f"({start:%Y-%m-%d} to {end:%Y-%m-%d}, UTC)</text></svg>"
    )
    return "".join(parts)


def _lines(drawn: Sequence[Series], x_of: TimeScale, y_of: Scale, unit: str) -> list[str]:
    parts = []
    for i, (name, points) in enumerate(drawn):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        xy = [(x_of(t), y_of(v)) for t, v in points]
        if len(xy) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
            parts.append(
                f'<polyline class="line" stroke="{colour}" points="{path}" '
                f'data-line="{attr(name)}"/>'
            )
        for (t, v), (x, y) in zip(points, xy, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}" '
                f'data-series="{attr(name)}" data-label="{attr(t)}" data-value="{v:g}">'
                f"<title>{escape(name)}: {fmt_int(v)} {escape(unit)} on {t:%Y-%m-%d}</title>"
                "</circle>"
            )
    return parts


def _end_labels(
    drawn: Sequence[Series], texts: Sequence[str], x_of: TimeScale, y_of: Scale
) -> list[str]:
    ends = [(x_of(points[-1][0]), y_of(points[-1][1])) for _, points in drawn]
    placed = spread_labels([y for _, y in ends], LABEL_GAP, TOP + 4, BOTTOM)
    parts = []
    for i, ((x, y), label_y, text) in enumerate(zip(ends, placed, texts, strict=True)):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        if abs(label_y - y) > 1:  # moved off its line's end to stay legible: show whose it is
            parts.append(
                f'<polyline class="leader" stroke="{colour}" '
                f'points="{x + 4:.1f},{y:.1f} {x + 8:.1f},{label_y:.1f}"/>'
            )
        parts.append(
            f'<text x="{x + 10:.1f}" y="{label_y + 4:.1f}" class="series" fill="{colour}" '
            f'data-end="{attr(drawn[i][0])}">{escape(text)}</text>'
        )
    return parts
