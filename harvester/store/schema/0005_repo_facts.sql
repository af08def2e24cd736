-- harvester schema, version 5: is the code really there? (issue 13; harvester/placeholder.py and
-- docs/placeholder.md give the rules.)
--
-- repos gains the facts the GraphQL batch reads (null: not known, e.g. fetched over REST or
-- before this version), the verdict with its reason, and two dates kept across fetches:
--   code_seen_at     the first snapshot whose verdict was `code` (the earliest evidence we hold:
--                    the date of a repository's first commit is not available cheaply)
--   code_arrived_at  the first snapshot that saw code after one that saw none (`placeholder` or
--                    `empty`): an observed arrival. Null when code was there at the first fetch.
-- repo_snapshots keeps the facts that change, so the verdict has a history.
-- ALTER TABLE ADD COLUMN appends: every existing column keeps its position.

ALTER TABLE repos ADD COLUMN disk_usage INTEGER;          -- kilobytes
ALTER TABLE repos ADD COLUMN is_empty BOOLEAN;            -- no commits at all
ALTER TABLE repos ADD COLUMN commits INTEGER;             -- on the default branch
ALTER TABLE repos ADD COLUMN last_commit_at TIMESTAMPTZ;  -- committed date of its head
ALTER TABLE repos ADD COLUMN releases INTEGER;
ALTER TABLE repos ADD COLUMN latest_release VARCHAR;      -- tag of the newest release
ALTER TABLE repos ADD COLUMN latest_release_at TIMESTAMPTZ;
ALTER TABLE repos ADD COLUMN has_citation BOOLEAN;        -- CITATION.cff in the root
ALTER TABLE repos ADD COLUMN has_license_file BOOLEAN;    -- LICENSE*/LICENCE*/COPYING* in the root
ALTER TABLE repos ADD COLUMN has_runnable BOOLEAN;        -- requirements.txt/pyproject.toml/environment.yml/setup.py
ALTER TABLE repos ADD COLUMN readme_bytes INTEGER;        -- root README size (0: none); the text is never stored
ALTER TABLE repos ADD COLUMN verdict VARCHAR DEFAULT 'unknown';  -- code/placeholder/empty/unknown
ALTER TABLE repos ADD COLUMN verdict_reason VARCHAR;
ALTER TABLE repos ADD COLUMN code_seen_at TIMESTAMPTZ;
ALTER TABLE repos ADD COLUMN code_arrived_at TIMESTAMPTZ;
UPDATE repos SET verdict = 'unknown', verdict_reason = 'fetched before harvester read these facts';

ALTER TABLE repo_snapshots ADD COLUMN disk_usage INTEGER;
ALTER TABLE repo_snapshots ADD COLUMN is_empty BOOLEAN;
ALTER TABLE repo_snapshots ADD COLUMN commits INTEGER;
ALTER TABLE repo_snapshots ADD COLUMN last_commit_at TIMESTAMPTZ;
ALTER TABLE repo_snapshots ADD COLUMN releases INTEGER;
ALTER TABLE repo_snapshots ADD COLUMN latest_release VARCHAR;
ALTER TABLE repo_snapshots ADD COLUMN verdict VARCHAR;
ALTER TABLE repo_snapshots ADD COLUMN verdict_reason VARCHAR;
