-- title: Papers whose code is still not there N days after publication
-- description: Papers whose linked repository held no code (`placeholder` or `empty`) at the
--   first fetch made `days` days or more after the paper came out: the promise was not kept by
--   then. `checked` is that fetch, `verdict_now` the verdict at the last fetch and
--   `code_arrived` the first fetch that saw code after one that did not (empty while it has not
--   come). Only papers with such a fetch are judged: keep refreshing to judge the others.
-- param: days = 30   Days after publication.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE days = COALESCE(getvariable('days'), 30);
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH once_empty AS (
    -- only a repository that some fetch saw without code can be judged so: the others are
    -- left out before the join (a fifth of them)
    SELECT DISTINCT repo_id FROM repo_snapshots WHERE verdict IN ('placeholder', 'empty')
),
pairs AS (
    SELECT DISTINCT paper_id, published, repo_id,
           -- a fetch counts from this moment on: its UTC date is `days` or more after
           (published + getvariable('days')::INTEGER)::TIMESTAMP AS due
    FROM repo_mentions
    WHERE repo_id IN (SELECT repo_id FROM once_empty)
      AND published >= getvariable('since')::DATE
),
verdicts AS (
    SELECT repo_id, fetched_at AT TIME ZONE 'UTC' AS fetched_utc, fetched_at, verdict,
           verdict_reason
    FROM repo_snapshots
    WHERE verdict IS NOT NULL AND verdict <> 'unknown'
      AND repo_id IN (SELECT repo_id FROM once_empty)
),
judged AS (
    -- the first snapshot with a verdict taken at least `days` days after publication (an
    -- as-of join: per pair, the earliest fetch at or after `due`)
    SELECT p.paper_id, p.published, p.repo_id, s.fetched_at, s.verdict, s.verdict_reason
    FROM pairs p
    ASOF JOIN verdicts s ON s.repo_id = p.repo_id AND p.due <= s.fetched_utc
)
SELECT
    j.paper_id,
    j.published,
    r.full_name                                                      AS repo,
    j.verdict                                                        AS verdict_then,
    j.verdict_reason                                                 AS reason_then,
    (j.fetched_at AT TIME ZONE 'UTC')::DATE                          AS checked,
    (j.fetched_at AT TIME ZONE 'UTC')::DATE - j.published            AS days_after,
    r.verdict                                                        AS verdict_now,
    (r.code_arrived_at AT TIME ZONE 'UTC')::DATE                     AS code_arrived
FROM judged j
JOIN repos r USING (repo_id)
WHERE j.verdict IN ('placeholder', 'empty')
ORDER BY j.published, j.paper_id, repo;
