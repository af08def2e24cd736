-- title: Repositories created before or after their paper
-- description: When each linked repository was created, relative to the publication date of
--   the paper that links it (its listing date when it has none): long before (an existing
--   toolkit or a lab's monorepo), just before (code pushed ahead of the preprint), or after
--   (code released later). Counted per paper × repository pair; `examples` names the most
--   starred repositories in each group.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH pairs AS (
    SELECT DISTINCT paper_id, repo_id, full_name, stars,
           (epoch(created_at) - epoch(published::TIMESTAMP)) / 86400 AS days_after
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND created_at IS NOT NULL
      AND published >= getvariable('since')::DATE
),
grouped AS (
    SELECT *,
        CASE WHEN days_after < 0 THEN 'before' ELSE 'after' END AS created,
        CASE
            WHEN days_after < -365 THEN 'more than a year before'
            WHEN days_after < -30  THEN '1 to 12 months before'
            WHEN days_after < 0    THEN 'up to 30 days before'
            WHEN days_after < 30   THEN 'up to 30 days after'
            WHEN days_after < 365  THEN '1 to 12 months after'
            ELSE 'more than a year after'
        END AS "when"
    FROM pairs
),
examples AS (
    SELECT "when", string_agg(full_name, ', ' ORDER BY stars DESC, full_name) AS examples
    FROM (
        SELECT DISTINCT "when", full_name, stars FROM grouped
        QUALIFY dense_rank() OVER (PARTITION BY "when" ORDER BY stars DESC, full_name) <= 3
    )
    GROUP BY "when"
)
SELECT
    created,
    "when",
    count(*)                                                  AS pairs,
    count(DISTINCT paper_id)                                  AS papers,
    count(DISTINCT repo_id)                                   AS repos,
    round(100.0 * count(*) / sum(count(*)) OVER (), 1)        AS pct_pairs,
    median(stars)::INTEGER                                    AS median_stars,
    any_value(e.examples)                                     AS examples
FROM grouped
JOIN examples e USING ("when")
GROUP BY created, "when"
ORDER BY min(days_after);
