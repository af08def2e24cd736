"""``harvester chart``: one offline HTML page whose drawn numbers are the database's numbers."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harvester import errors
from tests.cli.conftest import Cli


class Marks(HTMLParser):
    """Collects every drawn mark (``data-label``/``data-value``) per chart, and anything that
    would need the network or run code."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str | None, str, float]]] = defaultdict(list)
        self.cards: dict[str, str] = {}
        self.tags: Counter[str] = Counter()
        self.external: list[str] = []
        self._chart = ""
        self._card: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags[tag] += 1
        for name in ("src", "href", "xlink:href"):
            if a.get(name):
                self.external.append(f"{tag} {name}={a[name]}")
        if tag == "svg" and a.get("data-chart"):
            self._chart = a["data-chart"] or ""
        if a.get("data-value") is not None:
            label, value = a.get("data-label") or "", float(a["data-value"] or 0)
            self.charts[self._chart].append((a.get("data-series"), label, value))
        if tag == "div" and a.get("data-card"):
            self._card = a["data-card"]

    def handle_data(self, data: str) -> None:
        if self._card is not None and data.strip():
            self.cards[self._card] = data.strip()
            self._card = None


def _parse(path: Path) -> Marks:
    text = path.read_text("utf-8")
    marks = Marks()
    marks.feed(text)
    marks.close()
    assert "url(" not in text and "@import" not in text
    return marks


def _bin(stars: int) -> str:
    """The label of the bin a star count falls in, as drawn: 0, 1, 3, 10, ..., 1k, 3k, 10k."""
    if stars <= 0:
        return "0"
    decade = int(math.log10(stars))
    low = 3 * 10**decade if stars >= 3 * 10**decade else 10**decade
    return f"{low // 1000}k" if low >= 1000 else str(low)


@pytest.mark.shared
def test_the_page_shows_the_databases_numbers(history: Cli, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    out = history("chart", "--output", str(page), "--top", "10")
    assert out.code == 0, out.stderr
    assert f"wrote {page}" in out.stderr
    marks = _parse(page)
    # offline: no scripts, no external resources
    assert marks.tags["script"] == 0 and marks.external == []
    assert set(marks.charts) == {"availability", "stars", "links", "top", "languages"}

    per_month = dict(
        history.rows(
            "SELECT strftime(date_trunc('month', coalesce(published_at, listed_on)), '%Y-%m-%d'),"
            " count(*) FROM papers WHERE coalesce(published_at, listed_on) IS NOT NULL"
            " GROUP BY 1"
        )
    )
    drawn = {label: v for series, label, v in marks.charts["availability"] if series == "papers"}
    assert {k: v for k, v in drawn.items() if v} == per_month
    assert len(drawn) > len(per_month)  # quiet months are drawn as 0, not skipped
    assert marks.cards["papers with a date"] == f"{sum(per_month.values()):,}"

    linked_stars = [
        int(str(s))
        for (s,) in history.rows(
            "SELECT stars FROM repos WHERE repo_id IN (SELECT repo_id FROM repo_names)"
        )
    ]
    bins = Counter(_bin(s) for s in linked_stars)
    drawn_bins = {label.split("\u2013")[0]: v for _, label, v in marks.charts["stars"]}
    assert {k: v for k, v in drawn_bins.items() if v} == bins

    names = dict(history.rows("SELECT status, count(*) FROM repo_names GROUP BY status"))
    assert {label: v for _, label, v in marks.charts["links"]} == names

    top = history.rows("SELECT full_name, stars FROM repos ORDER BY stars DESC LIMIT 10")
    assert [(label, v) for _, label, v in marks.charts["top"]] == [
        (name, float(str(stars))) for name, stars in top
    ]

    languages = dict(
        history.rows("SELECT coalesce(language, '(none)'), count(*) FROM repos GROUP BY 1")
    )
    assert {label: v for _, label, v in marks.charts["languages"]} == languages


@pytest.mark.shared
def test_grain_and_since(history: Cli, tmp_path: Path) -> None:
    page = tmp_path / "weekly.html"
    out = history("chart", "-o", str(page), "--grain", "week", "--since", "2025-06-01")
    assert out.code == 0, out.stderr
    marks = _parse(page)
    weeks = [label for s, label, _ in marks.charts["availability"] if s == "papers"]
    assert weeks[0] == "2025-05-26"  # the week (from Monday) holding Sunday 2025-06-01
    assert "papers published since 2025-06-01" in page.read_text("utf-8")
    for args, message in [
        (["--grain", "fortnight"], "--grain takes one of day, week, month, year"),
        (["--since", "June"], "since expects a date"),
    ]:
        bad = history("chart", "-o", str(tmp_path / "x.html"), *args)
        assert bad.code == errors.EXIT_USAGE and message in bad.stderr
        assert bad.stderr.count("\n") == 1


def test_a_database_without_stats_draws_empty_charts(cli: Cli, tmp_path: Path) -> None:
    papers = tmp_path / "p.jsonl"
    papers.write_text(
        '{"id": "2501.00001", "title": "A", "published": "2025-01-02",'
        ' "abstract": "code: github.com/a/b"}\n'
    )
    assert cli("harvest", str(papers), "--no-stats").code == 0
    page = tmp_path / "r.html"
    assert cli("chart", "-o", str(page)).code == 0
    marks = _parse(page)
    assert marks.charts["availability"] == [
        ("papers", "2025-01-01", 1.0),
        ("link a repository", "2025-01-01", 1.0),
        ("repository is live", "2025-01-01", 0.0),
    ]
    assert marks.charts["links"] == [(None, "pending", 1.0)]
    text = page.read_text("utf-8")
    assert "No repositories with stars yet" in text and "run `harvester refresh`" in text
