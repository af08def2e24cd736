-- title: Top repositories by stars
-- description: The most-starred repositories the harvested papers link to, with the papers that
--   cite them (by paper id) and where the link was found.
-- param: min_stars = 0   Only repositories with at least this many stars.
-- param: top = 25 [1..10000]   How many repositories to list.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date (and only those papers are counted).
SET VARIABLE min_stars = COALESCE(getvariable('min_stars'), 0);
SET VARIABLE top = COALESCE(getvariable('top'), 25);
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

SELECT
    r.full_name                                   AS repo,
    r.stars,
    r.forks,
    r.language,
    count(DISTINCT m.paper_id)                    AS papers,
    string_agg(DISTINCT m.paper_id, ', ' ORDER BY m.paper_id) AS paper_ids,
    string_agg(DISTINCT m.source_field, ', ' ORDER BY m.source_field) AS found_in,
    (r.pushed_at AT TIME ZONE 'UTC')::DATE        AS last_push
FROM repos r
JOIN repo_names n ON n.repo_id = r.repo_id
JOIN mentions m ON m.repo_name = n.repo_name AND m.kind = 'repo'
JOIN papers p ON p.paper_id = m.paper_id
WHERE r.stars >= getvariable('min_stars')::INTEGER
  AND coalesce(p.published_at, p.listed_on, DATE '1900-01-01') >= getvariable('since')::DATE
GROUP BY ALL
ORDER BY r.stars DESC, repo
LIMIT getvariable('top')::INTEGER;
