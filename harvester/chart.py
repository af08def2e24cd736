"""A self-contained HTML page of charts, drawn as inline SVG. Pure: rows in, text out.

No JavaScript, no fonts or stylesheets to fetch, no charting library: the page opens offline in
any browser, can be mailed or attached, and adds no dependency. Hovering a bar shows its
exact number (an SVG ``<title>``), every chart has its numbers in a table underneath, and every
mark carries ``data-label``/``data-value`` attributes, so what is drawn can be checked.

The data are query results (``columns``, ``rows``) of the shipped reports; this module only
draws them: the caller (``dashboard``) decides which reports feed which chart.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
STATUS_COLOURS = {
    "ok": GREEN,
    "renamed": SKY,
    "not_found": VERMILION,
    "blocked": PURPLE,
    "error": ORANGE,
    "pending": GREY,
}


@dataclass(frozen=True, slots=True)
class Table:
    """One report's result."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    note: str
    svg: str
    table: str


# -- numbers -----------------------------------------------------------------------------------


def _num(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, decimal.Decimal):
        return float(value)
    return float(value)


def fmt_int(value: Any) -> str:
    return f"{round(_num(value)):,}"


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


def _label(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _attr(text: Any) -> str:
    return escape(_label(text), quote=True)


# -- charts ------------------------------------------------------------------------------------


def _empty(key: str, message: str) -> str:
    return (
        f'<svg class="chart" data-chart="{key}" viewBox="0 0 {WIDTH} 60" role="img">'
        f'<text x="{WIDTH / 2}" y="34" text-anchor="middle" class="muted">{escape(message)}</text>'
        "</svg>"
    )


def _y_axis(ticks: list[float], left: float, right: float, y_of: Any) -> list[str]:
    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{compact(tick)}</text>"
        )
    return parts


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
        return _empty(key, "No papers with a date yet.")
    height, left, right, top, bottom = 300, 52, WIDTH - 12, 16, 250
    peak = max(_num(v) for _, _, values in series for v in values)
    ticks = nice_ticks(peak)
    scale = (bottom - top) / ticks[-1]

    def y_of(v: float) -> float:
        return bottom - v * scale

    slot = (right - left) / len(periods)
    bar = max(1.0, slot * 0.8)
    parts = [
        f'<svg class="chart" data-chart="{key}" viewBox="0 0 {WIDTH} {height}" role="img">',
        *_y_axis(ticks, left, right, y_of),
    ]
    for s_index, (name, colour, values) in enumerate(series):
        shrink = bar * (1 - 0.22 * s_index)  # nested series are narrower, so all stay visible
        for i, (period, value) in enumerate(zip(periods, values, strict=True)):
            v = _num(value)
            x = left + i * slot + (slot - shrink) / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{y_of(v):.1f}" width="{shrink:.1f}" '
                f'height="{v * scale:.1f}" fill="{colour}" data-series="{_attr(name)}" '
                f'data-label="{_attr(period)}" data-value="{v:g}">'
                f"<title>{escape(_label(period))}: {fmt_int(v)} {escape(name)}</title></rect>"
            )
    every = max(1, math.ceil(len(periods) / 12))
    for i, period in enumerate(periods):
        if i % every == 0:
            x = left + (i + 0.5) * slot
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
    return _label(period)


def histogram(key: str, labels: Sequence[str], counts: Sequence[Any], *, x_title: str) -> str:
    """Adjacent columns, one per bin, the bins' lower edges under them."""
    if not counts or not any(_num(c) for c in counts):
        return _empty(key, "No repositories with stars yet: run `harvester refresh`.")
    height, left, right, top, bottom = 280, 52, WIDTH - 12, 24, 230
    ticks = nice_ticks(max(_num(c) for c in counts))
    scale = (bottom - top) / ticks[-1]

    def y_of(v: float) -> float:
        return bottom - v * scale

    slot = (right - left) / len(counts)
    parts = [
        f'<svg class="chart" data-chart="{key}" viewBox="0 0 {WIDTH} {height}" role="img">',
        *_y_axis(ticks, left, right, y_of),
    ]
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        v = _num(count)
        x = left + i * slot + 1
        parts.append(
            f'<rect x="{x:.1f}" y="{y_of(v):.1f}" width="{slot - 2:.1f}" '
            f'height="{v * scale:.1f}" fill="{BLUE}" data-label="{_attr(label)}" '
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
    total = sum(_num(v) for _, v in parts_in)
    if total <= 0:
        return _empty(key, "No repository links yet.")
    height, left, right = 88, 12, WIDTH - 12
    parts = [f'<svg class="chart" data-chart="{key}" viewBox="0 0 {WIDTH} {height}" role="img">']
    x = float(left)
    for name, value in parts_in:
        v = _num(value)
        if v <= 0:
            continue
        width = (right - left) * v / total
        colour = STATUS_COLOURS.get(name, GREY)
        pct = 100 * v / total
        parts.append(
            f'<rect x="{x:.1f}" y="12" width="{width:.1f}" height="36" fill="{colour}" '
            f'data-label="{_attr(name)}" data-value="{v:g}"><title>{escape(name)}: '
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
        return _empty(key, "Nothing to show yet: run `harvester refresh` to fetch stats.")
    row, top, label_w = 24, 8, 250
    height = top * 2 + row * len(values)
    left, right = label_w + 8, WIDTH - 70
    peak = max(_num(v) for v in values) or 1.0
    parts = [f'<svg class="chart" data-chart="{key}" viewBox="0 0 {WIDTH} {height}" role="img">']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        v = _num(value)
        y = top + i * row
        width = max(1.0, (right - left) * v / peak)
        shown = label if len(label) <= 36 else label[:35] + "…"
        note = f" ({notes[i]})" if notes and notes[i] else ""
        parts.append(
            f'<text x="{label_w}" y="{y + 16}" text-anchor="end" class="label">'
            f"{escape(shown)}</text>"
            f'<rect x="{left}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" rx="2" '
            f'fill="{colour}" data-label="{_attr(label)}" data-value="{v:g}">'
            f"<title>{escape(label)}: {fmt_int(v)} {escape(unit)}{escape(note)}</title></rect>"
            f'<text x="{left + width + 6:.1f}" y="{y + 16}" class="value">{fmt_int(v)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# -- tables and the page -----------------------------------------------------------------------


def data_table(table: Table, columns: Sequence[str] | None = None) -> str:
    cols = list(columns or table.columns)
    records = table.records()
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if isinstance(r[c], (int, float, decimal.Decimal)) else ""}">'
            f"{escape(_cell(r[c]))}</td>"
            for c in cols
        )
        + "</tr>"
        for r in records
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, decimal.Decimal)):
        return f"{float(value):,.1f}"
    return _label(value)


CSS = f"""
:root {{ color-scheme: light dark; --fg: #1d1d1f; --muted: #6e6e73; --grid: #e5e5ea;
  --bg: #ffffff; --card: #f5f5f7; }}
@media (prefers-color-scheme: dark) {{ :root {{ --fg: #f5f5f7; --muted: #a1a1a6;
  --grid: #3a3a3c; --bg: #1c1c1e; --card: #2c2c2e; }} }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 {FONT}; }}
main {{ max-width: 820px; margin: 0 auto; padding: 32px 24px 48px; }}
h1 {{ font-size: 26px; margin: 0 0 4px; }}
h2 {{ font-size: 18px; margin: 0 0 2px; }}
p.sub, p.note {{ color: var(--muted); margin: 0 0 12px; font-size: 13px; }}
.cards {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 20px 0 28px; }}
.card {{ background: var(--card); border-radius: 10px; padding: 12px 14px; }}
.card b {{ display: block; font-size: 24px; font-variant-numeric: tabular-nums; }}
.card span {{ color: var(--muted); font-size: 12px; }}
section {{ margin: 0 0 36px; }}
svg.chart {{ width: 100%; height: auto; display: block; font-family: {FONT}; }}
svg .grid {{ stroke: var(--grid); stroke-width: 1; }}
svg .tick, svg .legend, svg .axis, svg .muted {{ fill: var(--muted); font-size: 12px; }}
svg .label, svg .value {{ fill: var(--fg); font-size: 12px; }}
svg .inside {{ fill: #ffffff; font-size: 12px; font-weight: 600; }}
svg rect[data-value]:hover {{ opacity: 0.8; }}
details {{ margin-top: 6px; font-size: 13px; }}
summary {{ color: var(--muted); cursor: pointer; }}
table {{ border-collapse: collapse; margin-top: 6px; font-variant-numeric: tabular-nums; }}
th, td {{ padding: 2px 10px; border-bottom: 1px solid var(--grid); text-align: left; }}
td.num {{ text-align: right; }}
footer {{ color: var(--muted); font-size: 12px; border-top: 1px solid var(--grid);
  padding-top: 12px; }}
"""


def page(
    title: str,
    subtitle: str,
    cards: Sequence[tuple[str, str]],
    sections: Sequence[Section],
    footer: str,
) -> str:
    card_html = "".join(
        f'<div class="card" data-card="{_attr(label)}"><b>{escape(value)}</b>'
        f"<span>{escape(label)}</span></div>"
        for label, value in cards
    )
    body = "".join(
        f'<section id="{s.key}"><h2>{escape(s.title)}</h2><p class="note">{escape(s.note)}</p>'
        f"{s.svg}<details><summary>The numbers</summary>{s.table}</details></section>"
        for s in sections
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f'<body><main><h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>'
        f'<div class="cards">{card_html}</div>{body}'
        f"<footer>{escape(footer)}</footer></main></body></html>\n"
    )


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else DASH


# -- the dashboard -----------------------------------------------------------------------------

# The reports each chart draws (see ``dashboard.CHART_REPORTS``), by key.
AVAILABILITY, STARS, LINKS, TOP, LANGUAGES = "availability", "stars", "links", "top", "languages"


def dashboard_html(
    tables: Mapping[str, Table],
    *,
    database: str,
    generated: dt.datetime,
    grain: str,
    since: str | None = None,
) -> str:
    """The whole page from the five reports' results."""
    availability = tables[AVAILABILITY].records()
    stars = tables[STARS].records()
    links = tables[LINKS].records()
    top = tables[TOP].records()
    languages = tables[LANGUAGES].records()

    papers = sum(_num(r["papers"]) for r in availability)
    with_link = sum(_num(r["with_repo_link"]) for r in availability)
    with_live = sum(_num(r["with_live_repo"]) for r in availability)
    names = sum(_num(r["names"]) for r in links)
    ok = sum(_num(r["names"]) for r in links if r["status"] in ("ok", "renamed"))
    repos = sum(_num(r["repos"]) for r in stars)
    cards = [
        ("papers with a date", fmt_int(papers)),
        ("link a repository", pct(with_link, papers)),
        ("repository names resolve", pct(ok, names)),
        ("repositories with stats", fmt_int(repos)),
    ]
    periods = [r["period"] for r in availability]
    sections = [
        Section(
            AVAILABILITY,
            "Code availability over time",
            f"Papers per {grain} of publication; of those, how many link a GitHub repository, "
            "and how many of those repositories exist on GitHub today. Overall: "
            f"{pct(with_link, papers)} link one, {pct(with_live, papers)} link a live one.",
            columns_over_time(
                AVAILABILITY,
                periods,
                [
                    ("papers", "#C7D3E0", [r["papers"] for r in availability]),
                    ("link a repository", SKY, [r["with_repo_link"] for r in availability]),
                    ("repository is live", BLUE, [r["with_live_repo"] for r in availability]),
                ],
                unit="papers",
            ),
            data_table(tables[AVAILABILITY]),
        ),
        Section(
            STARS,
            "Star distribution",
            "Linked repositories by stars, in bins starting at 0, 1, 3, 10, 30, 100, ...: even "
            "steps on a log scale, so a typical paper's repository and a famous one fit on one "
            "chart.",
            histogram(
                STARS,
                [_bin_label(r["stars_from"], r["stars_to"]) for r in stars],
                [r["repos"] for r in stars],
                x_title="stars (log scale; each bin starts at the number shown)",
            ),
            data_table(tables[STARS]),
        ),
        Section(
            LINKS,
            "Link health",
            "What GitHub answered for each repository name papers cite. Renamed names still "
            "resolve (GitHub redirects them); not found and blocked ones are lost.",
            share_bar(LINKS, [(r["status"], r["names"]) for r in links], unit="names"),
            data_table(tables[LINKS]),
        ),
        Section(
            TOP,
            "Top repositories",
            "The most-starred repositories papers link to (stars at the last fetch).",
            bars(
                TOP,
                [r["repo"] for r in top],
                [r["stars"] for r in top],
                unit="stars",
                notes=[f"{r['papers']} papers" for r in top],
            ),
            data_table(tables[TOP], ["repo", "stars", "forks", "language", "papers", "last_push"]),
        ),
        Section(
            LANGUAGES,
            "Languages",
            "Primary language of the linked repositories (number of repositories).",
            bars(
                LANGUAGES,
                [r["language"] for r in languages],
                [r["repos"] for r in languages],
                colour=GREEN,
                unit="repositories",
            ),
            data_table(tables[LANGUAGES]),
        ),
    ]
    when = generated.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return page(
        "What the papers' code looks like",
        f"{database} · generated {when}" + (f" · papers published since {since}" if since else ""),
        cards,
        sections,
        "Made by harvester chart from the reports code_availability, star_distribution, "
        "name_status, top_repos and languages (harvester report NAME shows each one). "
        "This page needs no network: the charts are inline SVG.",
    )


def _bin_label(low: Any, high: Any) -> str:
    low_n, high_n = round(_num(low)), round(_num(high))
    return compact(low_n) if low_n == high_n else f"{compact(low_n)}{DASH}{compact(high_n)}"
