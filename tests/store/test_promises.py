"""paper_promises_rules (schema 0009) answers exactly as the four promise patterns of
promised_code do when each runs over every text: its cheap gates (one pass of the loose words,
then the patterns' cores) only skip texts that no pattern matches. Checked on hand-written edge
cases, on seeded random texts built from the patterns' own words, and on the real Hugging Face
abstracts."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import duckdb
import pytest

from harvester.errors import HarvesterError
from harvester.sources.files import hf_daily
from tests.conftest import HF_DAYS

SCHEMA = Path(__file__).resolve().parents[2] / "harvester/store/schema/0009_derived_tables.sql"

# The four patterns as promised_code stated them before the gates: every one runs over every
# text (the specification the macro must keep).
REFERENCE = r"""
SELECT paper_id, title,
    CASE WHEN github_no_repo <> '' THEN 'github, no repo'
         WHEN will_be_released <> '' OR we_will_release <> '' THEN 'will release'
         ELSE 'available at' END AS signal,
    trim(regexp_replace(coalesce(nullif(github_no_repo, ''), nullif(will_be_released, ''),
                                 nullif(we_will_release, ''), available_at), '\s+', ' ', 'g'))
        AS evidence
FROM (
    SELECT paper_id, title,
        regexp_extract(body, '([^.]|\.\S){0,60}(github\.com/[A-Za-z0-9-]*/?|\b(on|at|via|in|'
            || 'from|through|to)\s+((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$)))'
            || '([^.]|\.\S){0,40}', 0, 'i') AS github_no_repo,
        regexp_extract(body, '\b(code|codes|source|implementations?|software|toolkit|library|'
            || 'pipeline|scripts)\b([^.]|\.\S){0,80}\b(will|would|shall)\s+be\b([^.]|\.\S){0,40}'
            || '\b(released|available|open[- ]?sourced?|public|published|shared|accessible)'
            || '([^.]|\.\S){0,60}', 0, 'i') AS will_be_released,
        regexp_extract(body, '\bwe\s+(will|plan\s+to|intend\s+to)\s+(release|open[- ]?source|'
            || 'publish|share|make)\b([^.]|\.\S){0,60}\b(code|codes|source|implementations?|'
            || 'software|toolkit|library)\b([^.]|\.\S){0,60}', 0, 'i') AS we_will_release,
        regexp_extract(body, '\b(code|codes|implementations?|source\s+code|software)\b'
            || '([^.]|\.\S){0,60}\b(is|are)\b([^.]|\.\S){0,30}\b(available|released|accessible|'
            || 'hosted)\b([^.]|\.\S){0,10}\b(at|on|in|via|from)\b:?\s*\S*', 0, 'i')
            AS available_at
    FROM (SELECT paper_id, title, concat_ws(' ', abstract, comment) AS body FROM papers)
)
WHERE github_no_repo <> '' OR will_be_released <> '' OR we_will_release <> ''
   OR available_at <> ''
"""

EDGES = [
    "",
    "We study a problem.",
    "The code will be released upon acceptance.",
    "The CODE WILL BE RELEASED upon acceptance.",
    "Our implementation is available on GitHub.",
    "Our implementation is available on GitHub",
    "Our implementation is available on GitHub.io pages.",
    "Code is available at https://example.org/p1 for all.",
    "Code is available at: https://example.org/p1",
    "Code is available",
    "We will release our code and models.",
    "We plan to make the toolkit public.",
    "We intend to\tshare the library soon.",
    "It will be released. The code is elsewhere.",
    "see github.com/ orgname for more",
    "see GITHUB.COM/Org/Repo. Then more text.",
    "The software, which we describe at length in section 3.1 of this paper, would be made "
    "available after review.",
    "The software " + "x" * 90 + " will be released.",
    "Models will be available. The pipeline shall be open-sourced.",
    "Code shall be open sourced at from to via.",
    "\u017foftware is available at example.org",  # RE2's 'i' folds U+017F to s
    "The \u017fource code i\u017f ho\u017fted on zenodo.",
    "code\u212a is available at K",
    "We will release the co de.",
    "codes are accessible via https://x.y/z.",
    "Implementation is hosted in the supplementary material.",
]
WORDS = ("we", "will", "would", "shall", "plan", "to", "intend", "release", "open-source", "open",
         "source", "publish", "share", "make", "code", "codes", "implementation", "implementations",
         "software", "toolkit", "library", "pipeline", "scripts", "be", "is", "are", "available",
         "released", "accessible", "hosted", "public", "published", "shared", "at", "on", "in",
         "via", "from", "through", "the", "a", "our", "github", "github.com/",
         "github.com/org/repo",
         "GitHub.", "GITHUB:", "https://example.org/x", "models", "data", "results", "paper",
         "method", ".", ",", ";", ":", "\n", "\t")  # fmt: skip


def _macro() -> str:
    text = SCHEMA.read_text()
    start = text.index("CREATE MACRO paper_promises_rules")
    return text[start : text.index(";", text.index("FROM signals", start)) + 1]


def _connection(texts: list[tuple[str, str | None, str | None]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE papers (paper_id VARCHAR, title VARCHAR, abstract VARCHAR, comment VARCHAR)"
    )
    con.execute("CREATE TABLE derived_todo (paper_id VARCHAR, text BOOLEAN)")
    con.execute(
        "INSERT INTO papers SELECT 'p' || i, 't' || i, a, c "
        "FROM (SELECT unnest($a) AS a, unnest($c) AS c, unnest(range(len($a))) AS i)",
        {"a": [t[1] for t in texts], "c": [t[2] for t in texts]},
    )
    con.execute(_macro())
    return con


def _same_answers(con: duckdb.DuckDBPyConnection) -> int:
    got = sorted(con.execute("FROM paper_promises_rules(true)").fetchall())
    want = sorted(con.execute(REFERENCE).fetchall())
    assert got == want
    # only the papers in derived_todo (text): the same rows, no others
    con.execute("INSERT INTO derived_todo SELECT paper_id, hash(paper_id) % 3 = 0 FROM papers")
    part = sorted(con.execute("FROM paper_promises_rules(false)").fetchall())
    todo = {r[0] for r in con.execute("SELECT paper_id FROM derived_todo WHERE text").fetchall()}
    assert part == [r for r in want if r[0] in todo]
    con.execute("DELETE FROM derived_todo")
    return len(want)


def test_edge_cases_answer_as_the_patterns_run_over_every_text() -> None:
    texts = [("", e, None) for e in EDGES] + [("", None, e) for e in EDGES]
    texts += [("", a, b) for a, b in zip(EDGES, reversed(EDGES), strict=True)]
    assert _same_answers(_connection(texts)) > 20


def test_random_texts_of_the_patterns_words_answer_the_same() -> None:
    rng = random.Random(14)
    texts: list[tuple[str, str | None, str | None]] = []
    for _ in range(800):
        n = rng.randint(1, 25)
        body = " ".join(rng.choice(WORDS) for _ in range(n))
        if rng.random() < 0.3:
            body = body.upper()
        texts.append(("", body, rng.choice([None, "", "Code: github.com/x", body[::-1]])))
    found = _same_answers(_connection(texts))
    assert 50 < found < 800  # both kinds of text are there


@pytest.mark.shared
def test_real_abstracts_answer_the_same() -> None:
    texts: list[tuple[str, str | None, str | None]] = []
    for path in sorted(HF_DAYS.glob("*.json.gz"))[::3]:
        try:
            papers = list(hf_daily.read_text(gzip.decompress(path.read_bytes()).decode()))
        except HarvesterError:  # a day the parser refuses is not this test's subject
            continue
        texts += [("", p.abstract, p.comment) for p in papers]
    assert len(texts) > 1000
    found = _same_answers(_connection(texts))
    assert found > 100
