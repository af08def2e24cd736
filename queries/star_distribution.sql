-- title: Star distribution
-- description: How many linked repositories have how many stars, in bins that grow by steps of
--   1, 3, 10, 30, 100, ... (even steps on a log scale), plus a bin for repositories with no
--   stars. Empty bins between the smallest and the largest are listed too, so the rows draw a
--   histogram as they are.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after
--   this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH linked AS (
    SELECT DISTINCT repo_id, stars
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND stars IS NOT NULL
      AND coalesce(published, DATE '1900-01-01') >= getvariable('since')::DATE
),
binned AS (
    -- bin 0 holds 0 stars; bin k >= 1 starts at 1, 3, 10, 30, 100, ... (k = 1, 2, 3, 4, 5, ...)
    SELECT repo_id,
           CASE WHEN stars <= 0 THEN 0
                ELSE 1 + 2 * floor(log10(stars))::INTEGER
                       + CASE WHEN stars >= 3 * 10 ** floor(log10(stars)) THEN 1 ELSE 0 END
           END AS bin
    FROM linked
),
bins AS (
    SELECT unnest(range(0, coalesce((SELECT max(bin) FROM binned), -1) + 1)) AS bin
),
bounds AS (
    SELECT bin,
           CASE WHEN bin = 0 THEN 0
                WHEN bin % 2 = 1 THEN (10 ** ((bin - 1) // 2))::BIGINT
                ELSE (3 * 10 ** ((bin - 1) // 2))::BIGINT END AS stars_from
    FROM bins
)
SELECT
    b.stars_from,
    CASE WHEN b.bin = 0 THEN 0
         WHEN b.bin % 2 = 1 THEN 3 * b.stars_from - 1
         ELSE (b.stars_from // 3) * 10 - 1 END                      AS stars_to,
    count(x.repo_id)                                                 AS repos,
    round(100.0 * count(x.repo_id) / nullif(sum(count(x.repo_id)) OVER (), 0), 1) AS pct_repos
FROM bounds b
LEFT JOIN binned x ON x.bin = b.bin
GROUP BY b.bin, b.stars_from
ORDER BY b.bin;
