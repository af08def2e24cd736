"""Render the page of ``harvester chart`` in headless Chromium to a PNG, to look at it.

    python benchmarks/render_chart.py [--db DB] [--out chart.png] [--since YYYY-MM-DD]

Without ``--db`` it builds the test suite's history database (real papers from ../shared, the
fake GitHub, three fetches weeks apart: tests/cli/history.py) in a temporary directory.
Prints how long the page took to build (the reports' queries and the drawing, separately),
its size, and how long Chromium took to render it; prints a note and exits 0 when no Chromium
is installed (Debian: ``apt-get install chromium``). Chromium runs with no network use and a
fresh profile, so it renders exactly what a reader opening the file offline sees. Unless
``--height`` is given, a first Chromium run measures the page so the screenshot holds all of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harvester import chart, dashboard  # noqa: E402
from harvester.store import Store  # noqa: E402

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def build_history(directory: Path) -> Path:
    from tests.cli import history

    db = directory / "history.duckdb"
    if history.main([str(db)]) != 0:
        raise SystemExit("could not build the history database")
    return db


def page_height(browser: str, html: str, work: Path, width: int) -> int:
    """The page's full height at ``width``, read from the DOM Chromium dumps after a probe
    script wrote it there (the page itself has no script)."""
    probe = (
        '<script>addEventListener("load", () => document.body.insertAdjacentHTML("beforeend",'
        ' `<pre id="height">${document.documentElement.scrollHeight}</pre>`));</script>'
    )
    measured = work / "measure.html"
    measured.write_text(html.replace("</head>", probe + "</head>", 1), "utf-8")
    result = subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--window-size={width},1000",
            "--dump-dom",
            measured.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="height">(\d+)</pre>', result.stdout)
    return int(found.group(1)) if found else 3600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="database to chart (default: build one)")
    parser.add_argument("--out", type=Path, default=Path("chart.png"), help="PNG to write")
    parser.add_argument("--since", help="only papers published on or after this date")
    parser.add_argument("--width", type=int, default=900)
    parser.add_argument("--height", type=int, help="window height (default: the page's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = args.db or build_history(work)
        drawing = 0.0
        dashboard_html = chart.dashboard_html

        def timed(*args: object, **kwargs: object) -> str:
            nonlocal drawing
            started = time.perf_counter()
            try:
                return dashboard_html(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                drawing += time.perf_counter() - started

        chart.dashboard_html = timed  # type: ignore[assignment]
        started = time.perf_counter()
        html = dashboard.build(Store(db), since=args.since, now=dt.datetime.now(dt.UTC))
        built = time.perf_counter() - started
        chart.dashboard_html = dashboard_html  # type: ignore[assignment]
        page = work / "report.html"
        page.write_text(html, "utf-8")
        scripts = html.count("<script")
        print(
            f"page built in {built * 1000:.0f} ms ({(built - drawing) * 1000:.0f} ms running "
            f"the reports, {drawing * 1000:.0f} ms drawing): {len(html.encode()):,} bytes, "
            f"{scripts} scripts"
        )

        browser = chromium()
        if browser is None:
            print("no Chromium installed: skipped the screenshot")
            return 0
        height = args.height or page_height(browser, html, work, args.width)
        started = time.perf_counter()
        result = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={work / 'profile'}",
                f"--window-size={args.width},{height}",
                f"--screenshot={args.out.resolve()}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        rendered = time.perf_counter() - started
        if result.returncode != 0 or not args.out.exists():
            print(result.stderr[-2000:], file=sys.stderr)
            return 1
        print(f"rendered by {Path(browser).name} in {rendered:.1f} s: {args.out} ({height} px)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
