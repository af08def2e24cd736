-- title: Renamed repositories and the old names papers still use
-- description: Repositories that were renamed or moved to another owner since papers cited
--   them: the old name as cited, where it lives now, which papers still cite the old name, and
--   how many cite the current one. GitHub redirects old names, but only until someone takes
--   the old name, so these links are fragile.
-- param: min_citing = 1   Only old names cited by at least this many papers.
SET VARIABLE min_citing = COALESCE(getvariable('min_citing'), 1);

WITH current_citations AS (
    SELECT n.repo_id, count(DISTINCT m.paper_id) AS papers
    FROM repo_names n
    JOIN mentions m ON m.repo_name = n.repo_name AND m.kind = 'repo'
    WHERE n.status = 'ok'
    GROUP BY n.repo_id
)
SELECT
    n.repo_name                                                    AS old_name,
    r.full_name                                                    AS now_at,
    CASE WHEN split_part(n.repo_name, '/', 1) = split_part(lower(r.full_name), '/', 1)
         THEN 'renamed' ELSE 'moved to another owner' END          AS change,
    count(DISTINCT m.paper_id)                                     AS papers_citing_old,
    string_agg(DISTINCT m.paper_id, ', ' ORDER BY m.paper_id)      AS paper_ids,
    coalesce(any_value(c.papers), 0)                               AS papers_citing_new,
    r.stars,
    (n.checked_at AT TIME ZONE 'UTC')::DATE                        AS checked
FROM repo_names n
JOIN repos r ON r.repo_id = n.repo_id
JOIN mentions m ON m.repo_name = n.repo_name AND m.kind = 'repo'
LEFT JOIN current_citations c ON c.repo_id = n.repo_id
WHERE n.status = 'renamed'
GROUP BY n.repo_name, r.full_name, r.stars, n.checked_at
HAVING count(DISTINCT m.paper_id) >= getvariable('min_citing')::INTEGER
ORDER BY papers_citing_old DESC, r.stars DESC, old_name;
