-- Repository names and repositories (harvester/store/repos.py). `-- name:` starts a statement;
-- parameters are named ($now). Names are compared lowercase: repo_names.repo_name as cited,
-- repos.full_name_lower for a repository's current name (schema 0004). The repository upsert is
-- built in Python from the column list.

-- name: names_to_fetch
-- Names in $statuses, plus the current names of repositories last fetched before
-- $stale_before (null: none); each repository once, the never-asked first.
SELECT name
FROM (
    SELECT repo_name AS name, 0 AS pri, first_seen_at AS t
    FROM repo_names
    WHERE status IN (SELECT unnest($statuses::VARCHAR[]))
    UNION ALL
    SELECT r.full_name_lower, 1, r.fetched_at
    FROM repos r
    WHERE r.fetched_at < $stale_before::TIMESTAMPTZ
      AND EXISTS (SELECT 1 FROM repo_names n
                  WHERE n.repo_id = r.repo_id AND n.status IN ('ok', 'renamed'))
)
GROUP BY name
ORDER BY min(pri), min(t) NULLS FIRST, name
LIMIT $limit;

-- name: count_names
SELECT count(*) FROM repo_names WHERE status IN (SELECT unnest($statuses::VARCHAR[]));

-- name: settled_names
SELECT repo_name FROM repo_names WHERE status NOT IN ('pending', 'error');

-- name: etags
-- The stored ETag of the repository each of $names points at (by the name as cited, or by
-- the repository's current name).
SELECT q.name, r.etag
FROM (SELECT unnest($names::VARCHAR[]) AS name) q
LEFT JOIN repo_names n ON n.repo_name = q.name
JOIN repos r ON r.repo_id = n.repo_id OR r.full_name_lower = q.name
WHERE r.etag IS NOT NULL;

-- name: stage_names
CREATE OR REPLACE TEMP TABLE stage_names
    (name VARCHAR, repo_id BIGINT, status VARCHAR, detail VARCHAR);

-- name: stage_unchanged
-- The repositories behind $names that answered 304 Not Modified.
CREATE OR REPLACE TEMP TABLE stage_unchanged AS
SELECT DISTINCT r.repo_id
FROM (SELECT unnest($names::VARCHAR[]) AS name) q
LEFT JOIN repo_names n ON n.repo_name = q.name
JOIN repos r ON r.repo_id = n.repo_id OR r.full_name_lower = q.name;

-- name: touch_unchanged
UPDATE repos SET fetched_at = $now WHERE repo_id IN (SELECT repo_id FROM stage_unchanged);

-- name: keep_aliases
-- A rename seen under a name nobody cited (a refresh asks by the current name) is kept as an
-- alias of the same repository id, so it resolves if cited later.
INSERT INTO repo_names (repo_name, repo_id, status, detail, first_seen_at)
SELECT name, repo_id, 'renamed', detail, $now FROM stage_names
WHERE status = 'renamed'
ON CONFLICT DO NOTHING;

-- name: point_names
-- Names that resolved: point them at their repository.
UPDATE repo_names SET repo_id = s.repo_id, attempts = attempts + 1
FROM stage_names s
WHERE repo_names.repo_name = s.name AND s.repo_id IS NOT NULL;

-- name: mark_fetched_names
-- Every name of a fetched repository: ok when it is the current name, else renamed.
UPDATE repo_names SET
    status = CASE WHEN repo_names.repo_name = r.full_name_lower THEN 'ok' ELSE 'renamed' END,
    detail = CASE WHEN repo_names.repo_name = r.full_name_lower THEN NULL
                  ELSE 'now ' || r.full_name END,
    checked_at = $now
FROM repos r
WHERE repo_names.repo_id = r.repo_id
  AND r.repo_id IN (SELECT repo_id FROM stage_repos UNION SELECT repo_id FROM stage_unchanged);

-- name: mark_gone_names
-- Names that are gone (not_found / blocked), also when asked by a repository's current name.
UPDATE repo_names SET
    status = s.status, detail = s.detail, repo_id = NULL, checked_at = $now,
    attempts = attempts + 1
FROM stage_names s
WHERE s.status IN ('not_found', 'blocked')
  AND (repo_names.repo_name = s.name
       OR repo_names.repo_id IN (SELECT repo_id FROM repos WHERE full_name_lower = s.name));

-- name: mark_failed_names
-- Failures: a name that never resolved becomes 'error'; one that did keeps its status and
-- repository, with the failure noted.
UPDATE repo_names SET
    status = CASE WHEN repo_names.status IN ('ok', 'renamed') THEN repo_names.status
                  ELSE 'error' END,
    detail = s.detail, checked_at = $now, attempts = attempts + 1
FROM stage_names s
WHERE s.status = 'error' AND repo_names.repo_name = s.name;

-- name: snapshots
-- One snapshot per repository fetched in this run. The facts and the verdict are what this
-- fetch read (stage_repos), not what repos kept from an earlier one: null after a 304.
INSERT INTO repo_snapshots (repo_id, run_id, fetched_at, stars, forks, open_issues, pushed_at,
                            archived, disk_usage, is_empty, commits, last_commit_at, releases,
                            latest_release, verdict, verdict_reason)
SELECT r.repo_id, $run_id, r.fetched_at, r.stars, r.forks, r.open_issues, r.pushed_at,
       r.archived, s.disk_usage, s.is_empty, s.commits, s.last_commit_at, s.releases,
       s.latest_release, s.verdict, s.verdict_reason
FROM repos r
LEFT JOIN stage_repos s ON s.repo_id = r.repo_id
WHERE r.repo_id IN (SELECT repo_id FROM stage_repos UNION SELECT repo_id FROM stage_unchanged)
  AND r.repo_id NOT IN (SELECT repo_id FROM repo_snapshots WHERE run_id = $run_id);

-- name: code_dates
-- code_seen_at: the first snapshot whose verdict is code. code_arrived_at: the first snapshot
-- with code that follows one that saw none (placeholder or empty): an observed arrival, so it
-- stays null for a repository that had code when first fetched. Both are set once.
UPDATE repos SET
    code_seen_at = coalesce(repos.code_seen_at, d.seen),
    code_arrived_at = coalesce(repos.code_arrived_at, d.arrived)
FROM (
    SELECT c.repo_id,
           min(c.fetched_at) AS seen,
           min(c.fetched_at) FILTER (WHERE EXISTS (
               SELECT 1 FROM repo_snapshots b
               WHERE b.repo_id = c.repo_id AND b.fetched_at < c.fetched_at
                 AND b.verdict IN ('placeholder', 'empty'))) AS arrived
    FROM repo_snapshots c
    WHERE c.verdict = 'code' AND c.repo_id IN (SELECT repo_id FROM stage_repos)
    GROUP BY c.repo_id
) d
WHERE repos.repo_id = d.repo_id;

-- name: count_fetched
SELECT count(*) FROM (SELECT repo_id FROM stage_repos UNION SELECT repo_id FROM stage_unchanged);
