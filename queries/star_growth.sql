-- title: Star growth between the two latest snapshots
-- description: For every repository fetched at least twice (`harvester refresh`), its stars at
--   its two most recent snapshots, the change, and the change per day between them, with the
--   number of papers citing it. Biggest gains first.
-- param: min_growth = 1   Only repositories that gained at least this many stars (0 or less
--   also lists unchanged ones; a negative value lists losses too).
-- param: top = 25 [1..10000]   How many repositories to list.
SET VARIABLE min_growth = COALESCE(getvariable('min_growth'), 1);
SET VARIABLE top = COALESCE(getvariable('top'), 25);

WITH ranked AS (
    SELECT repo_id, fetched_at, stars,
           row_number() OVER (PARTITION BY repo_id ORDER BY fetched_at DESC, run_id DESC) AS nth
    FROM repo_snapshots
),
latest_two AS (
    SELECT repo_id,
           any_value(stars) FILTER (WHERE nth = 2)      AS stars_before,
           any_value(fetched_at) FILTER (WHERE nth = 2) AS before_at,
           any_value(stars) FILTER (WHERE nth = 1)      AS stars_now,
           any_value(fetched_at) FILTER (WHERE nth = 1) AS now_at
    FROM ranked
    WHERE nth <= 2
    GROUP BY repo_id
    HAVING count(*) = 2
),
citations AS (
    SELECT repo_id, count(DISTINCT paper_id) AS papers
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
    GROUP BY repo_id
)
SELECT
    r.full_name                                              AS repo,
    g.stars_before,
    g.stars_now,
    g.stars_now - g.stars_before                             AS growth,
    round(100.0 * (g.stars_now - g.stars_before) / nullif(g.stars_before, 0), 1) AS pct_growth,
    round((epoch(g.now_at) - epoch(g.before_at)) / 86400, 1) AS days,
    round((g.stars_now - g.stars_before)
          / nullif((epoch(g.now_at) - epoch(g.before_at)) / 86400, 0), 2) AS per_day,
    (g.before_at AT TIME ZONE 'UTC')::DATE                  AS since,
    coalesce(c.papers, 0)                                    AS papers
FROM latest_two g
JOIN repos r USING (repo_id)
LEFT JOIN citations c USING (repo_id)
WHERE g.stars_now - g.stars_before >= getvariable('min_growth')::INTEGER
ORDER BY growth DESC, r.stars DESC, repo
LIMIT getvariable('top')::INTEGER;
