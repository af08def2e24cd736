-- harvester schema, version 2: where `--since-last` continues from, per live source and query.
-- A row is written only after the papers of a range are committed, so a failed run skips nothing.

CREATE TABLE source_cursors (
    source       VARCHAR NOT NULL,           -- arxiv / hf_daily (the papers' source)
    query        VARCHAR NOT NULL,           -- the query, whitespace collapsed; '' = HF daily lists
    newest_date  DATE NOT NULL,              -- newest paper date committed; never moves back
    updated_at   TIMESTAMPTZ NOT NULL,
    run_id       BIGINT,                     -- the run that last advanced it
    PRIMARY KEY (source, query)
);
