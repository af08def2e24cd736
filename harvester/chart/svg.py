"""What every chart shares: sizes, colours, number and date formats, scales and axes."""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

WIDTH = 760
DASH = "\u2013"  # en dash, for ranges
CHAR_WIDTH = 6.0  # average width of a 12px system-ui character, to lay legends out
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
BLUE, SKY, ORANGE, GREEN, YELLOW, VERMILION, PURPLE, GREY = (
    "#0072B2",
    "#56B4E9",
    "#E69F00",
    "#009E73",
    "#F0E442",
    "#D55E00",
    "#CC79A7",
    "#999999",
)
# One colour per line, in order; Okabe-Ito's yellow is too pale for a thin line or its label on
# white, so a darker ochre takes its place.
LINE_COLOURS = (BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY, "#A08A00", GREY)
STATUS_COLOURS = {
    "ok": GREEN,
    "renamed": SKY,
    "not_found": VERMILION,
    "blocked": PURPLE,
    "error": ORANGE,
    "pending": GREY,
}

Scale = Callable[[float], float]


# -- numbers -----------------------------------------------------------------------------------


def num(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, decimal.Decimal):
        return float(value)
    return float(value)


def fmt_int(value: Any) -> str:
    return f"{round(num(value)):,}"


def compact(value: float) -> str:
    """1200 -> '1.2k', 30000 -> '30k', 2500000 -> '2.5M'."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            text = f"{value / size:.1f}".removesuffix(".0")
            return text + suffix
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2 or 5 times 10^k)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def log_ticks(low: float, high: float) -> list[float]:
    """Ticks for counts on a log scale: 0 when ``low`` is 0, then powers of ten from the one at
    or below ``low`` to the one at or above ``high``; with 1, 2 and 5 times them when that would
    leave fewer than four ticks. Counts are drawn at ``log10(1 + n)`` (``symlog``), so 0 has a
    place."""
    high = max(high, 1.0)
    first = 0 if low < 1 else math.floor(math.log10(low))
    last = max(math.ceil(math.log10(high)), first + 1)
    ticks = [10.0**k for k in range(first, last + 1)]
    if len(ticks) < 4:
        ticks = [m * 10.0**k for k in range(first, last) for m in (1, 2, 5)] + [10.0**last]
    return ([0.0] if low <= 0 else []) + ticks


def symlog(value: float) -> float:
    return math.log10(1 + max(value, 0.0))


def linear_scale(low: float, high: float, out_low: float, out_high: float) -> Scale:
    span = (high - low) or 1.0

    def scale(v: float) -> float:
        return out_low + (v - low) / span * (out_high - out_low)

    return scale


def log_scale(low: float, high: float, out_low: float, out_high: float) -> Scale:
    inner = linear_scale(symlog(low), symlog(high), out_low, out_high)
    return lambda v: inner(symlog(v))


# -- text --------------------------------------------------------------------------------------


def label_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def attr(text: Any) -> str:
    return escape(label_text(text), quote=True)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def time_ticks(
    start: dt.datetime, end: dt.datetime, most: int = 6
) -> list[tuple[dt.datetime, str]]:
    """Calendar ticks between two times: first days of months (every 1, 2, 3, 6 or 12 months)
    over spans of two months or more, days (every 1, 2, 7 or 14) below that."""
    if (end - start).days >= 60:
        months = (end.year - start.year) * 12 + end.month - start.month
        step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= most), 120)
        ticks = []
        index = start.year * 12 + start.month - 1  # months since year 0
        while (when := dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=start.tzinfo)) <= end:
            if when >= start and index % step == 0:
                ticks.append((when, str(when.year) if step >= 12 else when.strftime("%Y-%m")))
            index += 1
        return ticks
    days = max((end - start).days, 1)
    step = next((s for s in (1, 2, 7, 14) if days / s <= most), 30)
    first = dt.datetime.combine(start.date(), dt.time(), start.tzinfo)
    if first < start:
        first += dt.timedelta(days=1)
    ticks = []
    while first <= end:
        ticks.append((first, first.date().isoformat()))
        first += dt.timedelta(days=step)
    return ticks


# -- pieces ------------------------------------------------------------------------------------


def svg_open(key: str, height: float) -> str:
    return f'<svg class="chart" data-chart="{key}" viewBox="0 0 {WIDTH} {height:g}" role="img">'


def empty(key: str, message: str, *, lines: Sequence[str] = ()) -> str:
    """A short panel that says why there is nothing to draw (and what would change that)."""
    height = 60 + 18 * len(lines)
    texts = [
        f'<text x="{WIDTH / 2}" y="{34 + 18 * i}" text-anchor="middle" class="muted">'
        f"{escape(line)}</text>"
        for i, line in enumerate([message, *lines])
    ]
    return f"{svg_open(key, height)}{''.join(texts)}</svg>"


def y_axis(ticks: Sequence[float], left: float, right: float, y_of: Scale) -> list[str]:
    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{compact(tick)}</text>"
        )
    return parts


def x_axis(ticks: Sequence[float], top: float, bottom: float, x_of: Scale) -> list[str]:
    parts = []
    for tick in ticks:
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" class="grid"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" class="tick">'
            f"{compact(tick)}</text>"
        )
    return parts


def spread_labels(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions for labels that want to sit at ``wanted`` (e.g. the ends of lines) but must be
    ``gap`` apart and inside ``low``..``high``: each moves as little as it can, in input order."""
    if not wanted:
        return []
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [min(max(wanted[i], low), high) for i in order]
    for i in range(1, len(placed)):  # push down what overlaps the one above
        placed[i] = max(placed[i], placed[i - 1] + gap)
    overflow = placed[-1] - high
    if overflow > 0:  # then push the whole run back up from the bottom
        placed[-1] = high
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    result = [0.0] * len(wanted)
    for position, i in zip(placed, order, strict=True):
        result[i] = position
    return result
