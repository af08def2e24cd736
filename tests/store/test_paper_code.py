"""The paper_code table (its rules: the paper_code_rules macro, schema 0009) applies the rules of
harvester/roles.py: the same rows on random evidence (forks, lists, references, conflicts), and
the decoys end as they should."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from harvester.roles import assign
from harvester.store import Store
from harvester.store.roles import evidence, paper_code_counts

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
FIELDS = [
    ("title", "title"),
    ("abstract", "abstract"),
    ("comment", None),
    ("hf_github_repo", None),
    ("text", None),
    ("fulltext", "first_page"),
    ("fulltext", "body"),
    ("fulltext", "references"),
    ("fulltext", "abstract"),
    ("project_page", "code_link"),
    ("project_page", "body"),
    ("readme_search", None),
]


def fill(store: Store, rng: random.Random) -> None:
    papers = [f"2501.{i:05d}" for i in range(1, 31)]
    names = [f"o{i}/r{i}" for i in range(12)]
    with store.transaction() as con:
        con.executemany(
            "INSERT INTO papers (paper_id, source) VALUES (?, 'test')", [[p] for p in papers]
        )
        for number, name in enumerate(names):
            if number % 4 == 3:
                continue  # never resolved: keyed by the name as cited
            repo_id = 1000 + number
            current = name.upper() if number % 5 == 0 else name  # GitHub's case
            con.execute(
                "INSERT INTO repos (repo_id, full_name, stars, forks, is_fork, fetched_at) "
                "VALUES (?, ?, 0, 0, ?, ?)",
                [repo_id, current, rng.random() < 0.25, NOW],
            )
            con.execute(
                "INSERT INTO repo_names (repo_name, repo_id, status) VALUES (?, ?, 'ok')",
                [name, repo_id],
            )
        seen = set()
        for _ in range(140):
            paper, name = rng.choice(papers), rng.choice(names)
            field, locus = rng.choice(FIELDS)
            if (paper, name, field) in seen:
                continue
            seen.add((paper, name, field))
            con.execute(
                "INSERT INTO mentions (paper_id, repo_name, source_field, kind, repo, url, locus) "
                "VALUES (?, ?, ?, 'repo', ?, '', ?)",
                [paper, name, field, name, locus],
            )
        for _ in range(40):
            paper, number = rng.choice(papers), rng.randrange(len(names))
            if number % 4 == 3:
                continue
            con.execute(
                "INSERT INTO readme_citations VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    1000 + number,
                    paper,
                    rng.choice(["link", "id", "doi", "title"]),
                    rng.choice([1, 2, 50, 51, 300]),
                    NOW,
                ],
            )


@pytest.mark.parametrize("seed", range(6))
def test_the_view_gives_the_rows_of_the_rules(tmp_path: Path, seed: int) -> None:
    store = Store(tmp_path / "h.duckdb")
    fill(store, random.Random(seed))
    # fill writes as another program would (raw SQL): the store sees it and rebuilds
    assert store.refresh_derived().mode == "full"
    items, forks = evidence(store)
    expected = {
        (r.paper_id, r.repo): (r.role, r.confidence, r.channels, r.official_channels, r.conflict)
        for r in assign(items, forks)
    }
    rows = store.query(
        [
            "SELECT paper_id, repo_name, role, confidence, channels, official_channels, conflict, "
            "rank FROM paper_code"
        ]
    ).rows
    got = {(r[0], r[1]): (r[2], r[3], r[4], r[5], r[6]) for r in rows}
    assert got.keys() == expected.keys()
    for key, (role, confidence, channels, official, conflict) in expected.items():
        view = got[key]
        assert (view[0], view[2], view[3], view[4]) == (role, channels, official, conflict), key
        assert view[1] == pytest.approx(confidence, abs=1e-3), key
    # ranks: 1..n per paper, in the order assign gives
    order = [(r.paper_id, r.repo) for r in assign(items, forks)]
    ranked = sorted(rows, key=lambda r: (r[0], r[7]))
    assert [(r[0], r[1]) for r in ranked] == order
    macro = store.query(["SELECT * FROM paper_code_rules(true)"]).rows
    assert sorted(macro, key=repr) == sorted(store.query(["FROM paper_code"]).rows, key=repr)
    counts = paper_code_counts(store)
    assert counts.rows == len(expected)
    assert counts.official == sum(v[0] == "official" for v in expected.values())
