"""A self-contained HTML page of charts, drawn as inline SVG. Pure: rows in, text out.

No script, no fonts or stylesheets to fetch, no charting library: the page opens offline in
any browser, can be mailed or attached, and adds no dependency. Hovering a mark shows its
exact number (an SVG ``<title>``), every chart has its numbers in a table underneath, and every
mark carries ``data-label``/``data-value`` attributes, so what is drawn can be checked. A chart
that has a log and a linear reading draws both and a checkbox (CSS ``:checked``) shows one.

The data are query results (``columns``, ``rows``) of the shipped reports; this package only
draws them: the caller (``harvester.dashboard``) decides which reports feed which chart.

    svg.py       sizes, colours, number/date formats, scales, axes, label placement
    kinds.py     columns over time, histogram, share bar, horizontal bars
    lines.py     lines over time (star history), linear and log
    spread.py    dots + box + median per group (stars after publication)
    page.py      Table, Section, the tables of numbers, the stylesheet, the page shell
    sections.py  the dashboard: which report feeds which chart, and the words around them
"""

from harvester.chart.kinds import bars, columns_over_time, histogram, share_bar
from harvester.chart.lines import history_lines
from harvester.chart.page import Section, Table, data_table, page, pct
from harvester.chart.sections import (
    AFTER,
    AVAILABILITY,
    CODE_THERE,
    HISTORY,
    LANGUAGES,
    LINKS,
    STARS,
    TOP,
    dashboard_html,
)
from harvester.chart.spread import spread
from harvester.chart.svg import compact, fmt_int, log_ticks, nice_ticks

__all__ = [
    "AFTER",
    "AVAILABILITY",
    "CODE_THERE",
    "HISTORY",
    "LANGUAGES",
    "LINKS",
    "STARS",
    "TOP",
    "Section",
    "Table",
    "bars",
    "columns_over_time",
    "compact",
    "dashboard_html",
    "data_table",
    "fmt_int",
    "histogram",
    "history_lines",
    "log_ticks",
    "nice_ticks",
    "page",
    "pct",
    "share_bar",
    "spread",
]
