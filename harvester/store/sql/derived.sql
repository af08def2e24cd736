-- The derived tables (schema 0009; paper_official 0011; harvester/store/derived.py): marks,
-- state, refresh.

-- name: counts
SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM mentions),
       (SELECT count(*) FROM repo_names), (SELECT count(*) FROM repos),
       (SELECT count(*) FROM readme_checks), (SELECT count(*) FROM readme_citations);

-- name: state
SELECT papers, mentions, repo_names, repos, readme_checks, readme_citations, refreshed_at,
       (SELECT count(*) FROM derived_dirty),
       (SELECT count(*) FROM derived_dirty WHERE kind = 'all')
FROM derived_state;

-- name: account
-- The job's own writes are accounted for (they are marked): counts that differ at the next
-- refresh were written by another program.
UPDATE derived_state SET papers = $papers, mentions = $mentions, repo_names = $repo_names,
    repos = $repos, readme_checks = $readme_checks, readme_citations = $readme_citations;

-- name: refreshed
UPDATE derived_state SET refreshed_at = $now;

-- name: mark_staged_repos
-- A fetch batch (sql/repos.sql's staging tables): the repositories, their current names (a
-- mention of that name now resolves through an alias) and the names as asked for.
INSERT INTO derived_dirty
SELECT 'repo', repo_id::VARCHAR FROM stage_repos
UNION ALL SELECT 'name', lower(full_name) FROM stage_repos
UNION ALL SELECT 'name', lower(name) FROM stage_names;

-- name: mark_unchanged
-- Repositories that answered 304 Not Modified: only their fetched_at moved (repo_mentions).
INSERT INTO derived_dirty SELECT 'repo', repo_id::VARCHAR FROM stage_unchanged;

-- name: mark_old_names
-- Before the upsert: the names these repositories had (a fork's old name keyed a pair).
INSERT INTO derived_dirty
SELECT 'name', full_name_lower FROM repos WHERE repo_id IN (SELECT repo_id FROM stage_repos);

-- name: mark_checks
-- A README check replaces the repository's citations: its papers, before and after.
INSERT INTO derived_dirty SELECT 'repo', repo_id::VARCHAR FROM stage_checks;

-- name: todo
-- Every paper whose derived rows may have changed, from the marks: its own (text: the regexes
-- run again), those citing a marked name, those linked to a marked repository in any way
-- (through a name, a README, or the paper_code rows written before).
INSERT INTO derived_todo
WITH
dirty_names AS (SELECT DISTINCT key AS repo_name FROM derived_dirty WHERE kind = 'name'),
dirty_repos AS (SELECT DISTINCT TRY_CAST(key AS BIGINT) AS repo_id FROM derived_dirty
                WHERE kind = 'repo'),
touched (paper_id, text) AS (
    SELECT key, kind = 'paper' FROM derived_dirty WHERE kind IN ('paper', 'mentions')
    UNION ALL
    SELECT m.paper_id, false FROM mentions m WHERE m.repo_name IN (SELECT repo_name FROM dirty_names)
    UNION ALL
    SELECT m.paper_id, false FROM mentions m
    JOIN repo_names n ON n.repo_name = m.repo_name
    WHERE n.repo_id IN (SELECT repo_id FROM dirty_repos)
    UNION ALL
    SELECT m.paper_id, false FROM mentions m
    WHERE m.repo_name IN (SELECT full_name_lower FROM repos
                          WHERE repo_id IN (SELECT repo_id FROM dirty_repos))
    UNION ALL
    SELECT paper_id, false FROM readme_citations WHERE repo_id IN (SELECT repo_id FROM dirty_repos)
    UNION ALL
    SELECT paper_id, false FROM paper_code
    WHERE repo_id IN (SELECT repo_id FROM dirty_repos)
       OR repo_name IN (SELECT repo_name FROM dirty_names)
)
SELECT paper_id, bool_or(text) FROM touched GROUP BY paper_id;

-- name: todo_everything
-- A rebuild: every paper, and every paper id the inputs cite (rows of a paper since deleted).
INSERT INTO derived_todo
SELECT paper_id, true FROM papers
UNION SELECT paper_id, true FROM mentions
UNION SELECT paper_id, true FROM readme_citations;

-- name: count_todo
SELECT count(*), count(*) FILTER (WHERE text) FROM derived_todo;

-- name: papers_left_out
-- Papers the work list does not reach (none: every paper is recomputed, a rebuild is the same).
SELECT count(*) FROM papers WHERE paper_id NOT IN (SELECT paper_id FROM derived_todo);

-- name: path
SELECT path FROM duckdb_databases() WHERE database_name = current_database();

-- name: number_chunks
-- The work list in chunks of consecutive paper ids, each of at most $chunk papers plus their
-- mentions (a paper with more is a chunk of its own): a refresh of 1M papers holds one chunk's
-- hash tables at a time, and a chunk's scans skip the row groups of the other papers.
CREATE OR REPLACE TEMP TABLE derived_chunks AS
WITH weighed AS (
    SELECT t.paper_id, t.text, 1 + count(m.paper_id) AS weight
    FROM derived_todo t
    LEFT JOIN mentions m ON m.paper_id = t.paper_id
    GROUP BY t.paper_id, t.text
)
SELECT paper_id, text,
       (sum(weight) OVER (ORDER BY paper_id ROWS UNBOUNDED PRECEDING) - weight) // $chunk AS chunk
FROM weighed;

-- name: chunks
SELECT DISTINCT chunk FROM derived_chunks ORDER BY chunk;

-- name: chunk_todo
INSERT INTO derived_todo SELECT paper_id, text FROM derived_chunks WHERE chunk = $chunk;

-- name: drop_chunks
DROP TABLE derived_chunks;

-- Each chunk's papers: their rows are replaced (paper_official after paper_code: it reads it).
-- name: forget_paper_code
DELETE FROM paper_code WHERE paper_id IN (SELECT paper_id FROM derived_todo);

-- name: update_paper_code
INSERT INTO paper_code SELECT * FROM paper_code_rules(false);

-- name: forget_paper_official
DELETE FROM paper_official WHERE paper_id IN (SELECT paper_id FROM derived_todo);

-- name: update_paper_official
INSERT INTO paper_official SELECT * FROM paper_official_rules(false);

-- name: forget_repo_mentions
DELETE FROM repo_mentions WHERE paper_id IN (SELECT paper_id FROM derived_todo);

-- name: update_repo_mentions
INSERT INTO repo_mentions SELECT * FROM repo_mentions_rules(false);

-- name: forget_paper_facts
DELETE FROM paper_facts WHERE paper_id IN (SELECT paper_id FROM derived_todo);

-- name: update_paper_facts
INSERT INTO paper_facts SELECT * FROM paper_facts_rules(false);

-- name: forget_paper_promises
DELETE FROM paper_promises WHERE paper_id IN (SELECT paper_id FROM derived_todo WHERE text);

-- name: update_paper_promises
INSERT INTO paper_promises SELECT * FROM paper_promises_rules(false);

-- A rebuild empties them first, then (when the work list is every paper) reads the rules of
-- every paper in one pass each, which needs no hash table of the work list's ids.
-- name: rebuild_paper_code
INSERT INTO paper_code SELECT * FROM paper_code_rules(true);

-- name: rebuild_paper_official
INSERT INTO paper_official SELECT * FROM paper_official_rules(true);

-- name: rebuild_repo_mentions
INSERT INTO repo_mentions SELECT * FROM repo_mentions_rules(true);

-- name: rebuild_paper_facts
INSERT INTO paper_facts SELECT * FROM paper_facts_rules(true);

-- name: rebuild_paper_promises
INSERT INTO paper_promises SELECT * FROM paper_promises_rules(true);

-- name: empty_paper_code
DELETE FROM paper_code;

-- name: empty_paper_official
DELETE FROM paper_official;

-- name: empty_repo_mentions
DELETE FROM repo_mentions;

-- name: empty_paper_facts
DELETE FROM paper_facts;

-- name: empty_paper_promises
DELETE FROM paper_promises;

-- name: clear_todo
DELETE FROM derived_todo;

-- name: clear_dirty
DELETE FROM derived_dirty;
