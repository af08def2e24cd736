-- What `harvester status` shows (harvester/store/read.py). `-- name:` starts a statement.

-- name: overview
SELECT count(*),
       count(*) FILTER (WHERE paper_id IN (SELECT paper_id FROM mentions WHERE kind = 'repo')),
       (SELECT count(*) FROM mentions),
       (SELECT count(*) FROM repos)
FROM papers;

-- name: snapshots
SELECT count(*), min(fetched_at), max(fetched_at) FROM repo_snapshots;

-- name: names_by_status
SELECT status, count(*) FROM repo_names GROUP BY status ORDER BY status;

-- name: last_runs
SELECT run_id, command, status, started_at, finished_at, papers, new_papers, new_mentions,
       repos_fetched, requests, message, pid, hostname
FROM runs
ORDER BY run_id DESC
LIMIT 5;

-- name: cursors
SELECT source, query, newest_date FROM source_cursors ORDER BY source, query;

-- name: verdicts
-- Repositories by placeholder verdict (schema 0005).
SELECT coalesce(verdict, 'unknown'), count(*) FROM repos GROUP BY ALL ORDER BY 1;
