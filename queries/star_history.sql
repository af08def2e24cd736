-- title: Star history of the top repositories
-- description: Every snapshot of the most-starred linked repositories, oldest first: one row
--   per repository and fetch (`harvester harvest` or `refresh`), with the stars it had then.
--   GitHub shows when stars were given only to a repository's admins, so this history exists
--   only in the database's own snapshots; each refresh adds a row per repository. Times are
--   UTC. Repositories are ranked by stars at their last fetch, as in top_repos.
-- param: top = 25 [1..10000]   How many repositories.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date.
SET VARIABLE top = COALESCE(getvariable('top'), 25);
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH linked AS (  -- repo_mentions: a derived table (schema 0009), no 2.7M-paper join
    SELECT DISTINCT repo_id
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
      AND coalesce(published, DATE '1900-01-01') >= getvariable('since')::DATE
),
top AS (
    SELECT r.repo_id, r.full_name, r.stars
    FROM repos r
    JOIN linked USING (repo_id)
    ORDER BY r.stars DESC, r.full_name
    LIMIT getvariable('top')::INTEGER
)
SELECT
    t.full_name                                  AS repo,
    (s.fetched_at AT TIME ZONE 'UTC')            AS fetched_at,
    s.stars
FROM top t
JOIN repo_snapshots s USING (repo_id)
ORDER BY t.stars DESC, repo, s.fetched_at;
