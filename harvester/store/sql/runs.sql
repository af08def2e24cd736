-- Runs and the cursors of the live sources (harvester/store/runs.py). `-- name:` starts a
-- statement; parameters are named ($now).

-- name: running
SELECT run_id FROM runs WHERE status = 'running' ORDER BY run_id;

-- name: mark_interrupted
-- Runs still 'running' when a new one begins were left by a dead process (the caller holds the
-- job lock, so no live job owns them).
UPDATE runs
SET status = 'interrupted',
    message = coalesce(message || ' ', '') || '(process ended without finishing: killed or crashed)'
WHERE status = 'running';

-- name: start
INSERT INTO runs (command, args, started_at, status, pid, hostname)
VALUES ($command, $args, $now, 'running', $pid, $hostname)
RETURNING run_id;

-- name: finish
UPDATE runs SET status = $status, message = $message, finished_at = $now WHERE run_id = $run_id;

-- name: cursor
SELECT newest_date FROM source_cursors WHERE source = $source AND query = $query;

-- name: set_cursor
INSERT OR REPLACE INTO source_cursors (source, query, newest_date, updated_at, run_id)
VALUES ($source, $query, $newest, $now, $run_id);

-- name: resume_point
SELECT list_request, token, list_cursor, complete_list_size, newest_datestamp
FROM source_resume WHERE source = $source AND query = $query;

-- name: resume_points
-- Every unfinished list, for `harvester status`.
SELECT source, query, list_request, token, list_cursor, complete_list_size, newest_datestamp,
       updated_at
FROM source_resume ORDER BY source, query;

-- name: save_resume_point
INSERT OR REPLACE INTO source_resume
    (source, query, list_request, token, list_cursor, complete_list_size, newest_datestamp,
     updated_at)
VALUES ($source, $query, $list_request, $token, $list_cursor, $complete_list_size,
        $newest_datestamp, $now);

-- name: clear_resume_point
DELETE FROM source_resume WHERE source = $source AND query = $query;
