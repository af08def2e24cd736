-- Papers and mentions (harvester/store/papers.py). `-- name:` starts a statement; parameters
-- are named ($now). The paper upsert is built in Python from the column lists.

-- name: counts
SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM mentions),
       (SELECT count(*) FROM repo_names);

-- name: known_papers
-- The batch's papers stored before: only their mentions can be stored already.
CREATE OR REPLACE TEMP TABLE stage_known AS
SELECT DISTINCT s.paper_id
FROM stage_mentions s
JOIN papers p ON p.paper_id = s.paper_id;

-- name: known_papers_of_batch
-- The batch's papers and its mentions' papers stored before (Store.save_papers): the papers to
-- merge rather than insert, and the only papers whose mentions can be stored already.
CREATE OR REPLACE TEMP TABLE stage_known AS
SELECT DISTINCT b.paper_id
FROM (SELECT paper_id FROM stage_papers UNION ALL SELECT paper_id FROM stage_mentions) b
JOIN papers p ON p.paper_id = b.paper_id;

-- name: count_known
SELECT count(*) FROM stage_known;

-- name: insert_mentions_of_new_papers
-- BY NAME: columns a later schema adds (mentions.locus, 0008) stay null until written.
INSERT INTO mentions BY NAME
SELECT s.* FROM stage_mentions s
WHERE s.paper_id NOT IN (SELECT paper_id FROM stage_known);

-- name: insert_new_mentions_of_known_papers
-- Compared only with the stored mentions of the batch's known papers: every join builds on the
-- batch's side, so memory does not grow with the table.
INSERT INTO mentions BY NAME
SELECT s.* FROM stage_mentions s
JOIN stage_known k ON k.paper_id = s.paper_id
WHERE NOT EXISTS (
    SELECT 1
    FROM (SELECT m.paper_id, m.repo_name, m.source_field, m.kind
          FROM mentions m
          JOIN stage_known k2 ON k2.paper_id = m.paper_id) e
    WHERE e.paper_id = s.paper_id AND e.repo_name = s.repo_name
      AND e.source_field = s.source_field AND e.kind = s.kind
);

-- name: pending_names
-- Every repository name cited (github.io pages are not resolved), pending until fetched.
INSERT INTO repo_names (repo_name, status, first_seen_at)
SELECT DISTINCT repo_name, 'pending', $now FROM stage_mentions WHERE kind = 'repo'
ON CONFLICT DO NOTHING;
