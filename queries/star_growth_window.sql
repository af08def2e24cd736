-- title: Star growth per day over a window
-- description: Stars gained per day over the last `days` days of the database's history (the
--   window ends at the most recent snapshot of any repository). Each repository is measured
--   from its last snapshot at or before the window's start (or, failing that, its first one
--   inside the window) to its latest snapshot, so `per_day` is the gain divided by the days
--   actually measured (`from` .. `to`), which can be longer or shorter than the window.
-- param: days = 30 [1..36500]   Length of the window in days.
-- param: top = 25 [1..10000]   How many repositories to list.
SET VARIABLE days = COALESCE(getvariable('days'), 30);
SET VARIABLE top = COALESCE(getvariable('top'), 25);

WITH bounds AS (
    SELECT epoch(max(fetched_at)) AS end_s,
           epoch(max(fetched_at)) - getvariable('days')::DOUBLE * 86400 AS start_s
    FROM repo_snapshots
),
snaps AS (
    SELECT s.repo_id, epoch(s.fetched_at) AS t, s.fetched_at, s.stars, b.start_s
    FROM repo_snapshots s, bounds b
),
measured AS (
    SELECT repo_id,
           -- the base: the last snapshot at or before the start, else the first after it
           coalesce(max_by(stars, t) FILTER (WHERE t <= start_s),
                    min_by(stars, t) FILTER (WHERE t > start_s))         AS stars_from,
           coalesce(max(t) FILTER (WHERE t <= start_s),
                    min(t) FILTER (WHERE t > start_s))                   AS from_s,
           max_by(stars, t)                                              AS stars_to,
           max(t)                                                        AS to_s
    FROM snaps
    GROUP BY repo_id
)
SELECT
    r.full_name                                                   AS repo,
    m.stars_from,
    m.stars_to,
    m.stars_to - m.stars_from                                     AS growth,
    round((m.stars_to - m.stars_from) / ((m.to_s - m.from_s) / 86400), 2) AS per_day,
    (to_timestamp(m.from_s) AT TIME ZONE 'UTC')::DATE             AS "from",
    (to_timestamp(m.to_s) AT TIME ZONE 'UTC')::DATE               AS "to",
    round((m.to_s - m.from_s) / 86400, 1)                         AS days_measured
FROM measured m
JOIN repos r USING (repo_id)
WHERE m.to_s > m.from_s
ORDER BY per_day DESC, r.stars DESC, repo
LIMIT getvariable('top')::INTEGER;
