-- title: Licenses
-- description: The licenses of the repositories papers link to (SPDX ids where GitHub detects
--   one), with repository counts and their share of all linked repositories.
-- param: min_repos = 1   Only licenses with at least this many repositories.
SET VARIABLE min_repos = COALESCE(getvariable('min_repos'), 1);

WITH linked AS (
    SELECT DISTINCT repo_id, license, stars
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
)
SELECT
    coalesce(license, '(none detected)')            AS license,
    count(*)                                        AS repos,
    round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS pct_repos,
    median(stars)::INTEGER                          AS median_stars
FROM linked
GROUP BY ALL
HAVING count(*) >= getvariable('min_repos')::INTEGER
ORDER BY repos DESC, license;
