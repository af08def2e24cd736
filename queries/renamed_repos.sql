-- title: Renamed repositories and the old names papers still use
-- description: Repositories that were renamed or moved to another owner since papers cited
--   them: the old name as cited, where it lives now, which papers still cite the old name, and
--   how many cite the current one. GitHub redirects old names, but only until someone takes
--   the old name, so these links are fragile.
-- param: min_citing = 1   Only old names cited by at least this many papers.
SET VARIABLE min_citing = COALESCE(getvariable('min_citing'), 1);

WITH current_citations AS (
    SELECT repo_id, count(DISTINCT paper_id) AS papers
    FROM repo_mentions
    WHERE status = 'ok' AND repo_id IS NOT NULL
    GROUP BY repo_id
)
SELECT
    v.repo_name                                                    AS old_name,
    v.full_name                                                    AS now_at,
    CASE WHEN split_part(v.repo_name, '/', 1) = split_part(v.full_name_lower, '/', 1)
         THEN 'renamed' ELSE 'moved to another owner' END          AS change,
    count(DISTINCT v.paper_id)                                     AS papers_citing_old,
    string_agg(DISTINCT v.paper_id, ', ' ORDER BY v.paper_id)      AS paper_ids,
    coalesce(any_value(c.papers), 0)                               AS papers_citing_new,
    v.stars,
    (v.checked_at AT TIME ZONE 'UTC')::DATE                        AS checked
FROM repo_mentions v
LEFT JOIN current_citations c ON c.repo_id = v.repo_id
WHERE v.status = 'renamed' AND v.repo_id IS NOT NULL
GROUP BY v.repo_name, v.full_name, v.full_name_lower, v.stars, v.checked_at
HAVING count(DISTINCT v.paper_id) >= getvariable('min_citing')::INTEGER
ORDER BY papers_citing_old DESC, v.stars DESC, old_name;
