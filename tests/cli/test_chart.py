"""``harvester chart``: one offline HTML page whose drawn numbers are the database's numbers."""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import statistics
import subprocess
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harvester import errors
from tests.cli import history as h
from tests.cli.conftest import Cli

Mark = tuple[str | None, str, float]  # (data-series, data-label, data-value)


class Marks(HTMLParser):
    """Collects every drawn mark (``data-label``/``data-value``) per chart, and anything that
    would need the network or run code. A chart drawn on two scales (``g[data-scale]``) has its
    linear marks in ``charts`` and its log ones in ``log``; other attributes of interest
    (``data-median``, ``data-end``, ...) are kept per chart in ``attrs``."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[Mark]] = defaultdict(list)
        self.log: dict[str, list[Mark]] = defaultdict(list)
        self.attrs: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        self.cards: dict[str, str] = {}
        self.tags: Counter[str] = Counter()
        self.external: list[str] = []
        self.toggles: dict[str, bool] = {}
        self._chart = ""
        self._scales: list[str | None] = []
        self._card: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags[tag] += 1
        for name in ("src", "href", "xlink:href"):
            if a.get(name):
                self.external.append(f"{tag} {name}={a[name]}")
        if tag == "svg" and a.get("data-chart"):
            self._chart = a["data-chart"] or ""
        if tag == "g":
            self._scales.append(a.get("data-scale"))
        if tag == "input" and a.get("type") == "checkbox":
            self.toggles[a.get("id") or ""] = "checked" in a
        if a.get("data-value") is not None:
            label, value = a.get("data-label") or "", float(a["data-value"] or 0)
            target = self.log if "log" in self._scales else self.charts
            target[self._chart].append((a.get("data-series"), label, value))
        elif any(k.startswith("data-") for k in a) and "log" not in self._scales:
            self.attrs[self._chart].append(a)
        if tag == "div" and a.get("data-card"):
            self._card = a["data-card"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "g" and self._scales:
            self._scales.pop()

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
    assert set(marks.charts) == {
        "availability",
        "code_there",
        "history",
        "after_publication",
        "stars",
        "links",
        "top",
        "languages",
    }

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
        ("official code", "2025-01-01", 1.0),  # linked from its own abstract (docs/roles.md)
    ]
    assert marks.charts["links"] == [(None, "pending", 1.0)]
    text = page.read_text("utf-8")
    assert "No repositories with stars yet" in text and "run `harvester refresh`" in text


def _history_marks(history: Cli, tmp_path: Path) -> tuple[Marks, str]:
    page = tmp_path / "history.html"
    out = history("chart", "-o", str(page), "--top", "10")
    assert out.code == 0, out.stderr
    return _parse(page), page.read_text("utf-8")


@pytest.mark.shared
def test_the_star_history_draws_every_snapshot_of_the_top_repositories(
    history: Cli, tmp_path: Path
) -> None:
    marks, text = _history_marks(history, tmp_path)
    top = [
        str(name)
        for (name,) in history.rows(
            "SELECT full_name FROM repos WHERE repo_id IN (SELECT repo_id FROM repo_names)"
            " ORDER BY stars DESC, full_name LIMIT 8"  # --top 10, but at most 8 lines
        )
    ]
    snapshots = history.rows(
        "SELECT r.full_name, strftime(s.fetched_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M'),"
        " s.stars FROM repo_snapshots s JOIN repos r USING (repo_id)"
    )
    expected = sorted((str(n), str(t), float(str(v))) for n, t, v in snapshots if n in top)
    drawn = sorted((str(s), label, v) for s, label, v in marks.charts["history"])
    assert drawn == expected and len(drawn) == 3 * len(top)  # three fetches each
    assert sorted(marks.log["history"]) == sorted(marks.charts["history"])  # both drawings
    vision = [v for s, _, v in marks.charts["history"] if s == "hkust-nlp/Vision4Chart"]
    assert vision == [float(v) for v in h.STARS["hkust-nlp/Vision4Chart"]]  # oldest first
    # every line is labelled at its end with its latest count; 91k vs 2k opens on log
    assert {a["data-end"] for a in marks.attrs["history"] if "data-end" in a} == set(top)
    assert "hkust-nlp/Vision4Chart 91.2k</text>" in text
    assert marks.toggles == {"history-log": True}


@pytest.mark.shared
def test_stars_after_publication_draws_each_value_and_the_spread(
    history: Cli, tmp_path: Path
) -> None:
    marks, _ = _history_marks(history, tmp_path)
    out = history("report", "stars_after_publication", "--format", "json")
    report = json.loads(out.stdout)
    drawn = marks.charts["after_publication"]
    for days in (7, 30, 90):
        column, row = f"stars_{days}d", f"{days} days after"
        values = sorted(float(r[column]) for r in report if r[column] is not None)
        assert sorted(v for s, _, v in drawn if s == row) == values
        stats = {
            k: v
            for a in marks.attrs["after_publication"]
            if a.get("data-series") == row
            for k, v in a.items()
        }
        assert float(stats["data-median"] or "nan") == statistics.median(values)
    anah = [(s, v) for s, label, v in drawn if label == "2503.02846 \u00b7 open-compass/ANAH"]
    assert anah == [  # published 2025-03-04, fetched 7, 30 and 90 days later (history.py)
        (f"{days} days after", float(stars))
        for days, stars in zip((7, 30, 90), h.STARS["open-compass/ANAH"], strict=True)
    ]


def test_one_snapshot_says_what_a_refresh_adds_and_the_next_one_draws_it(
    cli: Cli, tmp_path: Path
) -> None:
    papers = tmp_path / "p.jsonl"
    papers.write_text(
        '{"id": "2501.00001", "title": "A", "published": "2025-01-02",'
        ' "abstract": "code: github.com/lab/alpha"}\n'
        '{"id": "2502.00002", "title": "B", "published": "2025-02-03",'
        ' "abstract": "code: github.com/lab/beta"}\n'
    )
    assert cli("harvest", str(papers)).code == 0
    page = tmp_path / "r.html"
    assert cli("chart", "-o", str(page)).code == 0
    marks, text = _parse(page), page.read_text("utf-8")
    assert marks.charts["history"] == [] and marks.charts["after_publication"] == []
    assert "One snapshot so far" in text and "`harvester refresh` a week later" in text
    assert "No snapshot was taken 7, 30 or 90 days after a paper came out yet" in text
    assert marks.toggles == {}  # nothing to switch

    assert cli("refresh", "--stale-after", "0s").code == 0
    assert cli("chart", "-o", str(page)).code == 0
    marks, text = _parse(page), page.read_text("utf-8")
    names = {str(n) for (n,) in cli.rows("SELECT full_name FROM repos")}
    assert Counter(s for s, _, _ in marks.charts["history"]) == dict.fromkeys(names, 2)
    assert "One snapshot so far" not in text and "history-log" in marks.toggles


PROBE = """<script>
window.probeErrors = [];
window.addEventListener("error", (e) => window.probeErrors.push(String(e.message || e.target
  && e.target.outerHTML)), true);
const original = console.error;
console.error = (...args) => { window.probeErrors.push(args.join(" ")); original(...args); };
window.addEventListener("load", () => {
  const svgs = [...document.querySelectorAll("svg")].map((s) => {
    const box = s.getBoundingClientRect();
    return [s.dataset.chart, box.width, box.height];
  });
  const shown = () => [...document.querySelectorAll("g[data-scale]")].map((g) => {
    const box = g.getBoundingClientRect();
    return [g.closest("svg").dataset.chart, g.dataset.scale, box.width * box.height > 0];
  });
  const result = {svgs, before: shown()};
  document.querySelectorAll(".scale-toggle").forEach((box) => box.click());
  result.after = shown();
  result.errors = window.probeErrors;
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
});
</script>"""
CHROMIUM = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.mark.shared
@pytest.mark.slow
def test_every_chart_has_a_size_in_a_browser_and_the_page_logs_no_errors(
    history: Cli, tmp_path: Path
) -> None:
    """Headless Chromium opens the page with a probe script put in front of it: the probe
    records errors and console errors, measures every chart, and clicks the log-scale switch."""
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium)")
    page = tmp_path / "report.html"
    assert history("chart", "-o", str(page)).code == 0
    probed = tmp_path / "probed.html"
    head = '<meta charset="utf-8">'
    probed.write_text(page.read_text("utf-8").replace(head, head + PROBE, 1), "utf-8")
    out = subprocess.run(
        [
            browser,
            *CHROMIUM,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', out.stdout, re.DOTALL)
    assert found, out.stderr[-2000:]
    result = json.loads(html.unescape(found.group(1)))
    assert result["errors"] == []
    sizes = {chart: (width, height) for chart, width, height in result["svgs"]}
    assert len(sizes) == len(result["svgs"]) == 8
    assert all(width > 0 and height > 0 for width, height in sizes.values()), sizes
    # one drawing of the star history is shown at a time, and the switch swaps them
    assert result["before"] == [["history", "linear", False], ["history", "log", True]]
    assert result["after"] == [["history", "linear", True], ["history", "log", False]]
