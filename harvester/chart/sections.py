"""The dashboard page: which report's result feeds which chart, with what words around it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from harvester.chart import lines, spread
from harvester.chart.kinds import bars, columns_over_time, histogram, share_bar
from harvester.chart.page import Section, Table, data_table, page, pct, scale_toggle
from harvester.chart.svg import BLUE, DASH, GREEN, SKY, compact, fmt_int, num

# The reports each chart draws (see ``dashboard.CHART_REPORTS``), by key.
AVAILABILITY, STARS, LINKS, TOP, LANGUAGES = "availability", "stars", "links", "top", "languages"
HISTORY, AFTER = "history", "after_publication"
CODE_THERE = "code_there"


def dashboard_html(
    tables: Mapping[str, Table],
    *,
    database: str,
    generated: dt.datetime,
    grain: str,
    since: str | None = None,
) -> str:
    """The whole page from the eight reports' results."""
    availability = tables[AVAILABILITY].records()
    stars = tables[STARS].records()
    links = tables[LINKS].records()
    top = tables[TOP].records()
    languages = tables[LANGUAGES].records()
    history = _history(tables[HISTORY])

    papers = sum(num(r["papers"]) for r in availability)
    with_link = sum(num(r["with_repo_link"]) for r in availability)
    with_live = sum(num(r["with_live_repo"]) for r in availability)
    official = sum(num(r["with_official_code"]) for r in availability)
    in_abstract = sum(num(r["pct_abstract_only"]) * num(r["papers"]) / 100 for r in availability)
    names = sum(num(r["names"]) for r in links)
    ok = sum(num(r["names"]) for r in links if r["status"] in ("ok", "renamed"))
    repos = sum(num(r["repos"]) for r in stars)
    cards = [
        ("papers with a date", fmt_int(papers)),
        ("link a repository", pct(with_link, papers)),
        ("have their own code (official)", pct(official, papers)),
        ("link one in the abstract alone", pct(round(in_abstract), papers)),
        ("repository names resolve", pct(ok, names)),
        ("repositories with stats", fmt_int(repos)),
    ]
    periods = [r["period"] for r in availability]
    there = tables[CODE_THERE].records()
    judged = sum(num(r["repos"]) for r in there)
    no_code = judged - sum(num(r["with_code"]) for r in there)
    cards.append(("linked repositories hold no code", pct(no_code, judged)))
    sections = [
        Section(
            AVAILABILITY,
            "Code availability over time",
            f"Papers per {grain} of publication; of those, how many link a GitHub repository, "
            "and how many of those repositories exist on GitHub today. Overall: "
            f"{pct(with_link, papers)} link one, {pct(with_live, papers)} link a live one; "
            f"{pct(official, papers)} have their own (official) code by every channel "
            f"(docs/roles.md), against {pct(round(in_abstract), papers)} found from the title "
            "or abstract alone.",
            columns_over_time(
                AVAILABILITY,
                periods,
                [
                    ("papers", "#C7D3E0", [r["papers"] for r in availability]),
                    ("link a repository", SKY, [r["with_repo_link"] for r in availability]),
                    ("repository is live", BLUE, [r["with_live_repo"] for r in availability]),
                    ("official code", "#1B4F8A", [r["with_official_code"] for r in availability]),
                ],
                unit="papers",
            ),
            data_table(tables[AVAILABILITY]),
        ),
        Section(
            CODE_THERE,
            "Is the code there?",
            f"Repositories papers link in their text or declare on Hugging Face, per {grain} of "
            "publication (of the first paper linking each), whose contents were read with a "
            "token: how many hold code, and how many hold something runnable "
            "(requirements.txt, pyproject.toml, environment.yml, setup.py). The rest are "
            f"placeholders or empty: {pct(no_code, judged)} overall (harvester report "
            "placeholder_repos lists them; docs/placeholder.md has the rules).",
            columns_over_time(
                CODE_THERE,
                [r["period"] for r in there],
                [
                    ("repositories", "#C7D3E0", [r["repos"] for r in there]),
                    ("hold code", SKY, [r["with_code"] for r in there]),
                    ("something runnable", BLUE, [r["runnable"] for r in there]),
                ],
                unit="repositories",
            ),
            data_table(tables[CODE_THERE]),
        ),
        Section(
            HISTORY,
            "Star history",
            f"Stars of the {len(history)} most-starred linked repositories at each fetch "
            "(harvest or refresh), one line each, labelled at its end. GitHub shows when stars "
            "were given only to a repository's admins, so this history exists only in "
            "harvester's own snapshots.",
            lines.history_lines(HISTORY, history),
            data_table(tables[HISTORY]),
            controls=scale_toggle(HISTORY, log=lines.prefers_log(history))
            if any(len(points) > 1 for _, points in history)
            else "",
        ),
        Section(
            AFTER,
            "Stars after publication",
            "For each paper and repository it links, the repository's stars 7, 30 and 90 days "
            "after the paper came out, from the snapshot nearest that day (within a tenth of "
            "it). Each dot is one paper's repository; the box holds the middle half, the bar "
            "is the median.",
            spread.spread(
                AFTER,
                _after_rows(tables[AFTER]),
                unit="stars",
                when_empty=(
                    "No snapshot was taken 7, 30 or 90 days after a paper came out yet.",
                    "Snapshots come from `harvester refresh`: refreshing on a schedule (say",
                    "weekly) fills this in for papers published after the first harvest.",
                ),
            ),
            data_table(tables[AFTER]),
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
        "Made by harvester chart from the reports code_availability, repo_practices, star_history, "
        "stars_after_publication, star_distribution, name_status, top_repos and languages "
        "(harvester report NAME shows each one). "
        "This page needs no network: the charts are inline SVG.",
    )


def _bin_label(low: Any, high: Any) -> str:
    low_n, high_n = round(num(low)), round(num(high))
    return compact(low_n) if low_n == high_n else f"{compact(low_n)}{DASH}{compact(high_n)}"


def _history(table: Table) -> list[lines.Series]:
    """The star_history report's rows (repository, fetched_at, stars), a series per
    repository, in the report's order."""
    points: dict[str, list[tuple[dt.datetime, float]]] = {}
    for r in table.records():
        if r["stars"] is not None:  # a snapshot without a count is not a zero
            points.setdefault(r["repo"], []).append((r["fetched_at"], num(r["stars"])))
    return list(points.items())


def _after_rows(table: Table) -> list[spread.Row]:
    records = table.records()
    return [
        (
            f"{days} days after",
            [
                (f"{r['paper_id']} · {r['repo']}", num(r[column]))
                for r in records
                if r[column] is not None
            ],
        )
        for days, column in ((7, "stars_7d"), (30, "stars_30d"), (90, "stars_90d"))
    ]
