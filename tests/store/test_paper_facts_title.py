"""Schema 0010: paper_facts carries each paper's title (pages_only reads no papers column), filled
in a file from version 9 without touching its other rows, and kept current by the refresh."""

from __future__ import annotations

from pathlib import Path

from harvester.models import Paper
from harvester.store import Store
from tests.store.schemas import at_version


def test_a_version_9_file_gets_the_titles_and_keeps_its_facts(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    con = at_version(db, 9)
    con.execute(
        "INSERT INTO papers (paper_id, source, title, abstract, published_at) VALUES "
        "('2401.00001', 't', 'First', 'Code: github.com/a/b', DATE '2024-01-05'), "
        "('2401.00002', 't', 'Second', 'See https://x.github.io/p', DATE '2024-01-06'), "
        "('2401.00003', 't', NULL, 'Nothing linked', NULL)"
    )
    con.execute(
        "INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo) VALUES "
        "('2401.00001', 'a/b', 'abstract', 'repo', 'a/b'), "
        "('2401.00002', 'x/p', 'abstract', 'pages', 'x/p')"
    )
    con.execute("INSERT INTO paper_code SELECT * FROM paper_code_rules(true)")
    con.execute("INSERT INTO paper_facts SELECT * FROM paper_facts_rules(true)")
    before = sorted(con.execute("FROM paper_facts").fetchall())
    con.close()

    store = Store(db)
    store.ensure()
    after = sorted(store.query(["FROM paper_facts"]).rows)
    assert [r[:-1] for r in after] == before  # every fact as it was, the title appended
    assert [(r[0], r[-1]) for r in after] == [
        ("2401.00001", "First"),
        ("2401.00002", "Second"),
        ("2401.00003", None),
    ]
    scratch = sorted(store.query(["FROM paper_facts_rules(true)"]).rows)
    assert after == scratch


def test_a_title_a_later_source_fills_in_reaches_paper_facts(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    store.ensure()
    for title in (None, "Its title"):  # a source without titles first, then one with them
        run, _ = store.begin_run("harvest", "test")
        store.save_papers([Paper("2401.00001", "t", title=title)], [], run)
        store.end_run(run, "ok")
        assert store.query(["SELECT paper_id, title FROM paper_facts"]).rows == [
            ("2401.00001", title)
        ]
