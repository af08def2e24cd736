-- title: Licenses
-- description: The licenses of the repositories papers link to (SPDX ids where GitHub detects
--   one), with repository counts and their share of all linked repositories.
-- param: min_repos = 1   Only licenses with at least this many repositories.
SET VARIABLE min_repos = COALESCE(getvariable('min_repos'), 1);

WITH linked AS (
    SELECT DISTINCT r.repo_id, r.license, r.stars
    FROM repos r
    JOIN repo_names n ON n.repo_id = r.repo_id
    JOIN mentions m ON m.repo_name = n.repo_name AND m.kind = 'repo'
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
