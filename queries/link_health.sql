-- title: Link health
-- description: Repository names that papers cite but that no longer resolve as written:
--   renamed (and what they are now), not found (deleted, private or mistyped) and blocked
--   (DMCA or terms-of-service takedowns), with the papers that cite each one.
-- param: status = 'all' [renamed|not_found|blocked|error|all]   One of renamed, not_found, blocked, error, or all.
SET VARIABLE status = COALESCE(getvariable('status'), 'all');

SELECT
    v.status,
    v.repo_name                                    AS name_as_cited,
    v.full_name                                    AS now_at,
    v.detail,
    count(DISTINCT v.paper_id)                     AS papers,
    string_agg(DISTINCT v.paper_id, ', ' ORDER BY v.paper_id) AS paper_ids,
    (v.checked_at AT TIME ZONE 'UTC')::DATE        AS checked
FROM repo_mentions v
WHERE v.status IN ('renamed', 'not_found', 'blocked', 'error')
  AND (getvariable('status')::VARCHAR = 'all' OR v.status = getvariable('status')::VARCHAR)
GROUP BY ALL
ORDER BY v.status, papers DESC, name_as_cited;
