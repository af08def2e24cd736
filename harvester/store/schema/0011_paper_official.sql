-- harvester schema, version 11: paper_official, one row per paper whose best-ranked repository
-- is official (paper_code's role = 'official' AND rank = 1), holding the official_code report's
-- row as it is read: the repository's current name and stars (the repos join done once) and
-- the channel lists as text. At 2.7M papers the report answers 405k rows, and joining 590k
-- paper_code rows with repos and turning two lists per row into text cost more than half of
-- its query every time it ran (issue 14; docs/architecture.md, "Derived tables").
--
-- A derived table like the others (harvester/store/derived.py): the store refreshes it with
-- them at the end of every job, after paper_code (which it reads). Its stars and name come
-- from repos: a fetch of a repository marks it, and the refresh recomputes every paper whose
-- paper_code rows point at a marked repository, so a refetched repository's new stars or name
-- reach this table as they reach repo_mentions.

CREATE MACRO paper_official_rules(everything) AS TABLE
SELECT
    c.paper_id,
    c.published,                                          -- publication, else listing date
    c.title,
    coalesce(r.full_name, c.repo_name)          AS repository,  -- current name, GitHub's case
    c.confidence,
    array_to_string(c.official_channels, ', ')  AS evidence,    -- the channels that count
    array_to_string(c.channels, ', ')           AS channels,    -- every channel with evidence
    c.conflict,
    r.stars,
    c.repo_id                                                   -- null until the name resolves
FROM paper_code c
LEFT JOIN repos r ON r.repo_id = c.repo_id
WHERE c.role = 'official'
  AND c.rank = 1
  AND (everything OR c.paper_id IN (SELECT paper_id FROM derived_todo));

-- Filled here (a file from before this version has paper_code rows); kept current from now on.
CREATE TABLE paper_official AS SELECT * FROM paper_official_rules(true);
