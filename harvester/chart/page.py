"""The page around the charts: its sections, the tables of numbers under them, the stylesheet."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from harvester.chart.svg import BLUE, DASH, FONT, SKY, attr, label_text


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
    controls: str = ""  # HTML placed just before the chart (the chart is its next sibling)


def scale_toggle(key: str, *, log: bool) -> str:
    """A checkbox that switches the chart after it between its linear and log drawings."""
    checked = " checked" if log else ""
    return (
        f'<input type="checkbox" class="scale-toggle" id="{key}-log"{checked}>'
        f'<label for="{key}-log">log scale</label>'
    )


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
    return label_text(value)


CSS = f"""
:root {{ color-scheme: light dark; --fg: #1d1d1f; --muted: #6e6e73; --grid: #e5e5ea;
  --bg: #ffffff; --card: #f5f5f7; --dot: {BLUE}; }}
@media (prefers-color-scheme: dark) {{ :root {{ --fg: #f5f5f7; --muted: #a1a1a6;
  --grid: #3a3a3c; --bg: #1c1c1e; --card: #2c2c2e; --dot: {SKY}; }} }}
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
svg rect[data-value]:hover, svg circle[data-value]:hover {{ opacity: 0.8; }}
svg .line {{ fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }}
svg .leader {{ fill: none; stroke-width: 1; }}
svg .series {{ font-size: 12px; }}
svg .box {{ fill: var(--card); stroke: var(--muted); stroke-width: 1; }}
svg .median {{ stroke: var(--fg); stroke-width: 2.5; }}
svg .dot {{ fill: var(--dot); fill-opacity: 0.65; }}
/* both scales are drawn; the checkbox before the chart shows one (no script needed) */
svg .log-scale {{ display: none; }}
.scale-toggle:checked ~ svg .log-scale {{ display: inline; }}
.scale-toggle:checked ~ svg .linear-scale {{ display: none; }}
.scale-toggle {{ margin: 0 4px 8px 0; vertical-align: middle; }}
.scale-toggle + label {{ color: var(--muted); font-size: 13px; cursor: pointer; }}
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
        f'<div class="card" data-card="{attr(label)}"><b>{escape(value)}</b>'
        f"<span>{escape(label)}</span></div>"
        for label, value in cards
    )
    body = "".join(
        f'<section id="{s.key}"><h2>{escape(s.title)}</h2><p class="note">{escape(s.note)}</p>'
        f"{s.controls}{s.svg}<details><summary>The numbers</summary>{s.table}</details></section>"
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
