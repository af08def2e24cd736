-- title: Days from publication to code
-- description: For repositories harvester saw go from no code (`placeholder` or `empty`) to
--   code (`code_arrived_at`, an observed arrival between two fetches), the days from the first
--   citing paper's publication to the fetch that first saw the code (an upper bound: the code
--   came between that fetch and the one before), grouped by month of publication or by owner.
--   `code_from_start` counts repositories that had code at their first fetch, `waiting` those
--   still without code. Arrivals are only seen by refreshing: see docs/placeholder.md.
-- param: per = 'month'   One row per month (of publication) or per owner.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date.
SET VARIABLE per = COALESCE(getvariable('per'), 'month');
SET VARIABLE per = CASE WHEN getvariable('per')::VARCHAR IN ('month', 'owner')
                        THEN getvariable('per')::VARCHAR
                        ELSE error('per takes month or owner, got ' || getvariable('per')) END;
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH linked AS (
    SELECT repo_id, min(published) AS published
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND published >= getvariable('since')::DATE
    GROUP BY repo_id
),
repos_judged AS (
    SELECT
        CASE WHEN getvariable('per')::VARCHAR = 'owner' THEN split_part(r.full_name, '/', 1)
             ELSE strftime(date_trunc('month', l.published), '%Y-%m') END     AS grp,
        r.verdict,
        r.code_seen_at,
        (r.code_arrived_at AT TIME ZONE 'UTC')::DATE - l.published          AS days
    FROM repos r
    JOIN linked l USING (repo_id)
    WHERE r.verdict <> 'unknown' OR r.code_seen_at IS NOT NULL
)
SELECT
    grp                                                     AS "group",
    count(days)                                             AS arrivals,
    median(days)                                            AS median_days,
    min(days)                                               AS min_days,
    max(days)                                               AS max_days,
    count(*) FILTER (WHERE code_seen_at IS NOT NULL AND days IS NULL) AS code_from_start,
    count(*) FILTER (WHERE code_seen_at IS NULL)            AS waiting
FROM repos_judged
GROUP BY grp
ORDER BY CASE WHEN getvariable('per')::VARCHAR = 'owner' THEN NULL ELSE grp END,
         arrivals DESC, "group";
