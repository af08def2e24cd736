"""``harvester chart``: run the reports the charts are drawn from, then draw them (``chart``).

The numbers on the page come only from the shipped report files, run with the parameters
below, so the page and ``harvester report NAME`` always agree.
"""

from __future__ import annotations

import datetime as dt

from harvester import chart, reports
from harvester.errors import UsageError
from harvester.store import Store

GRAINS = ("day", "week", "month", "year")

# Lines in the star history: more than this many would be a tangle (and run out of colours).
HISTORY_LINES = 8

# chart key -> (report, parameters); {grain} and {top} come from the command line ({lines} is
# {top} up to HISTORY_LINES), and so does `since`, given to every one of them when set.
CHART_REPORTS: dict[str, tuple[str, dict[str, str]]] = {
    chart.AVAILABILITY: ("code_availability", {"grain": "{grain}"}),
    chart.CODE_THERE: ("repo_practices", {"grain": "{grain}"}),
    chart.HISTORY: ("star_history", {"top": "{lines}"}),
    chart.AFTER: ("stars_after_publication", {}),
    chart.STARS: ("star_distribution", {}),
    chart.LINKS: ("name_status", {}),
    chart.TOP: ("top_repos", {"top": "{top}"}),
    chart.LANGUAGES: ("languages", {}),
}


def build(
    store: Store,
    *,
    grain: str = "month",
    top: int = 15,
    since: str | None = None,
    now: dt.datetime,
) -> str:
    if grain not in GRAINS:
        raise UsageError(f"--grain takes one of {', '.join(GRAINS)}, got {grain!r}")
    if top < 1:
        raise UsageError(f"--top takes a positive number, got {top}")
    tables: dict[str, chart.Table] = {}
    for key, (name, params) in CHART_REPORTS.items():
        report = reports.find_report(name)
        given = {
            k: v.format(grain=grain, top=top, lines=min(top, HISTORY_LINES))
            for k, v in params.items()
        }
        if since is not None:
            given["since"] = since
        result = store.query([report.sql], report.bind(given))
        tables[key] = chart.Table(result.columns, result.rows)
    return chart.dashboard_html(
        tables, database=store.path.name, generated=now, grain=grain, since=since
    )
