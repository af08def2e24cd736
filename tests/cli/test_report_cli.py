"""``harvester report`` without a database: the list view and --describe."""

from __future__ import annotations

import json

from harvester import errors
from harvester.reports import list_reports
from tests.cli.conftest import Cli


def test_the_list_names_every_report_with_its_defaults(cli: Cli) -> None:
    out = cli("report", "--format", "json", db=False)
    assert out.code == 0, out.stderr
    rows = {r["report"]: r for r in json.loads(out.stdout)}
    assert set(rows) == {r.name for r in list_reports()}
    assert len(rows) >= 12
    assert rows["promised_code"]["parameters (defaults)"] == (
        "since=1900-01-01, include_pages=false, category="
    )
    assert rows["stale_repos"]["title"] == "Stale repositories"


def test_describe_shows_what_a_report_answers_and_its_parameters(cli: Cli) -> None:
    out = cli("report", "stale_repos", "--describe", db=False)
    assert out.code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Stale repositories (stale_repos)"
    assert "harvester report stale_repos --param idle_days=365" in out.stdout
    assert any(
        line.split()[:3] == ["idle_days", "integer", "365"] and "without a push" in line
        for line in lines
    )
    as_json = json.loads(cli("report", "star_growth", "--describe", "-f", "json").stdout)
    assert [p["parameter"] for p in as_json] == ["min_growth", "top"]
    # a help text that continues on a second header line is shown whole
    assert as_json[0]["help"].endswith("a negative value lists losses too).")
    bad = cli("report", "nope", "--describe", db=False)
    assert bad.code == errors.EXIT_USAGE and "no report named 'nope'" in bad.stderr
