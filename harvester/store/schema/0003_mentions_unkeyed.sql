-- harvester schema, version 3: mentions without a primary key.
-- The 4-column text key made every bulk insert ~2.5x slower (benchmarks/store.py) and its index
-- grows with the table. The store keeps mentions unique itself: rows are deduplicated within a
-- batch, and a batch inserts only rows not already stored (an anti-join); one job writes at a
-- time (the job lock), so no two writers race.

CREATE TABLE mentions_unkeyed (
    paper_id      VARCHAR NOT NULL,
    repo_name     VARCHAR NOT NULL,          -- lowercase owner/name as mentioned
    source_field  VARCHAR NOT NULL,          -- title / abstract / comment / text / hf_github_repo
    kind          VARCHAR NOT NULL,          -- repo / pages (owner.github.io/project)
    repo          VARCHAR NOT NULL,          -- owner/name with the case as written
    url           VARCHAR,                   -- the cleaned link as found
    first_run_id  BIGINT
);
INSERT INTO mentions_unkeyed
    SELECT paper_id, repo_name, source_field, kind, repo, url, first_run_id FROM mentions;
DROP TABLE mentions;
ALTER TABLE mentions_unkeyed RENAME TO mentions;
