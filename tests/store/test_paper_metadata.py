"""Schema 6: the papers' bibliographic columns (authors, categories, primary_category, doi,
journal_ref, license), how a paper seen again gains them, and the OAI resume points."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from harvester.models import Paper
from harvester.store import ResumePoint, Store, migrate
from tests.store.schemas import at_version

NEW_COLUMNS = [
    ("authors", "VARCHAR[]"),
    ("categories", "VARCHAR[]"),
    ("primary_category", "VARCHAR"),
    ("doi", "VARCHAR"),
    ("journal_ref", "VARCHAR"),
    ("license", "VARCHAR"),
]
FIELDS = "SELECT authors, categories, primary_category, doi, journal_ref, license FROM papers"


def test_version_4_papers_keep_every_row_and_gain_null_columns(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    con = at_version(db, 4)
    con.execute(
        "INSERT INTO papers (paper_id, source, title, published_at, first_run_id)"
        " VALUES ('2401.00001', 'arxiv', 'T', DATE '2024-01-02', 1),"
        " ('cs/0101001', 'jsonl', 'Old', NULL, 1)"
    )
    describe = "SELECT column_name, column_type FROM (DESCRIBE papers)"
    before_columns = con.execute(describe).fetchall()
    before_rows = con.execute("SELECT * FROM papers ORDER BY paper_id").fetchall()
    con.close()
    store = Store(db)
    assert store.ensure() == migrate.LATEST >= 6
    con = duckdb.connect(str(db), read_only=True)
    try:
        after = con.execute(describe).fetchall()
        assert after == [*before_columns, *NEW_COLUMNS]
        old = [c for c, _ in before_columns]
        assert (
            con.execute(f"SELECT {', '.join(old)} FROM papers ORDER BY paper_id").fetchall()
            == before_rows
        )
        assert con.execute(FIELDS).fetchall() == [(None,) * 6] * 2  # nothing to fill them from
        assert con.execute("SELECT count(*) FROM source_resume").fetchone() == (0,)
    finally:
        con.close()
    # harvesting the paper again from a richer source fills them in
    run, _ = store.begin_run("harvest", "t")
    store.save_papers([Paper("2401.00001", "arxiv_oai", categories=("cs.CV",))], [], run)
    assert store.query(
        ["SELECT source, title, categories FROM papers WHERE paper_id = '2401.00001'"]
    ).rows == [("arxiv", "T", ["cs.CV"])]


def test_a_paper_gains_fields_from_a_richer_source_and_keeps_them_from_a_poorer_one(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "h.duckdb")
    run, _ = store.begin_run("harvest", "t")
    listing = Paper("2501.00001", "hf_daily", title="A", authors=("Jane Doe", "Ann Lee"))
    oai = Paper(
        "2501.00001",
        "arxiv_oai",
        title="A (arXiv)",
        authors=("Jane Doe", "Ann Lee", "Chen, Bo Jr. (Lab, 'X')"),
        categories=("cs.CV", "cs.LG"),
        primary_category="cs.CV",
        doi="10.1/x",
        journal_ref="CVPR 2025",
        license="http://creativecommons.org/licenses/by/4.0/",
    )
    store.save_papers([listing], [], run)
    assert store.query([FIELDS]).rows == [(["Jane Doe", "Ann Lee"], None, None, None, None, None)]
    store.save_papers([oai], [], run)
    rich = (
        ["Jane Doe", "Ann Lee", "Chen, Bo Jr. (Lab, 'X')"],  # commas, quotes: intact
        ["cs.CV", "cs.LG"],
        "cs.CV",
        "10.1/x",
        "CVPR 2025",
        "http://creativecommons.org/licenses/by/4.0/",
    )
    assert store.query([FIELDS]).rows == [rich]
    store.save_papers([Paper("2501.00001", "jsonl", title="A")], [], run)  # no fields at all
    assert store.query([FIELDS]).rows == [rich]
    # the descriptive fields keep the first value, and the source the first source
    assert store.query(["SELECT source, title FROM papers"]).rows == [("hf_daily", "A")]
    # a newer record's value replaces an older one (arXiv reclassified it, a new DOI)
    store.save_papers([Paper("2501.00001", "arxiv_oai", doi="10.1/y")], [], run)
    assert store.query(["SELECT doi, primary_category FROM papers"]).rows == [("10.1/y", "cs.CV")]


def test_resume_points_are_saved_replaced_and_forgotten(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    assert store.resume_point("arxiv_oai", "cs") is None  # no file yet: nothing, nothing created
    assert not store.path.exists()
    first = ResumePoint("verb=ListRecords&set=cs", "t1", 1000, 5000, dt.date(2025, 1, 2))
    store.save_resume_point("arxiv_oai", "cs", first)
    store.save_resume_point("arxiv_oai", "math", ResumePoint("verb=ListRecords&set=math", "m1"))
    assert store.resume_point("arxiv_oai", "cs") == first
    second = ResumePoint("verb=ListRecords&set=cs", "t2", 2000, 5000, dt.date(2025, 1, 3))
    store.save_resume_point("arxiv_oai", "cs", second)
    assert store.resume_point("arxiv_oai", "cs") == second
    store.save_resume_point("arxiv_oai", "cs", None)
    assert store.resume_point("arxiv_oai", "cs") is None
    assert store.resume_point("arxiv_oai", "math") == ResumePoint("verb=ListRecords&set=math", "m1")
