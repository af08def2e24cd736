-- title: Link health
-- description: Repository names that papers cite but that no longer resolve as written:
--   renamed (and what they are now), not found (deleted, private or mistyped) and blocked
--   (DMCA or terms-of-service takedowns), with the papers that cite each one.
-- param: status = 'all' [renamed|not_found|blocked|error|all]   One of renamed, not_found, blocked, error, or all.
SET VARIABLE status = COALESCE(getvariable('status'), 'all');

SELECT
    n.status,
    n.repo_name                                    AS name_as_cited,
    r.full_name                                    AS now_at,
    n.detail,
    count(DISTINCT m.paper_id)                     AS papers,
    string_agg(DISTINCT m.paper_id, ', ' ORDER BY m.paper_id) AS paper_ids,
    (n.checked_at AT TIME ZONE 'UTC')::DATE        AS checked
FROM repo_names n
JOIN mentions m ON m.repo_name = n.repo_name AND m.kind = 'repo'
LEFT JOIN repos r ON r.repo_id = n.repo_id
WHERE n.status IN ('renamed', 'not_found', 'blocked', 'error')
  AND (getvariable('status')::VARCHAR = 'all' OR n.status = getvariable('status')::VARCHAR)
GROUP BY ALL
ORDER BY n.status, papers DESC, name_as_cited;
