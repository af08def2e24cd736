-- title: Stale repositories
-- description: Linked repositories that look abandoned: archived by their owners, or with no
--   push for at least `idle_days` days before they were last fetched (so the answer does not
--   change between refreshes by itself). Most-cited first.
-- param: idle_days = 365 [0..36500]   Days without a push that make a repository stale.
SET VARIABLE idle_days = COALESCE(getvariable('idle_days'), 365);

WITH linked AS (
    SELECT repo_id, count(DISTINCT paper_id) AS papers
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
    GROUP BY repo_id
)
SELECT
    r.full_name                                                         AS repo,
    CASE WHEN r.archived THEN 'archived' ELSE 'no push' END             AS why,
    (r.pushed_at AT TIME ZONE 'UTC')::DATE                              AS last_push,
    floor((epoch(r.fetched_at) - epoch(r.pushed_at)) / 86400)::INTEGER AS days_without_push,
    r.stars,
    l.papers,
    (r.fetched_at AT TIME ZONE 'UTC')::DATE                             AS checked
FROM repos r
JOIN linked l USING (repo_id)
WHERE r.archived
   OR epoch(r.fetched_at) - epoch(r.pushed_at) >= getvariable('idle_days')::DOUBLE * 86400
ORDER BY l.papers DESC, r.stars DESC, repo;
