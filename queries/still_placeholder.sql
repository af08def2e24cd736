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

WITH pairs AS (
    SELECT DISTINCT paper_id, published, repo_id
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND published >= getvariable('since')::DATE
),
judged AS (
    -- the first snapshot with a verdict taken at least `days` days after publication
    SELECT p.paper_id, p.published, p.repo_id, s.fetched_at, s.verdict, s.verdict_reason
    FROM pairs p
    JOIN repo_snapshots s ON s.repo_id = p.repo_id
    WHERE s.verdict IS NOT NULL AND s.verdict <> 'unknown'
      AND (s.fetched_at AT TIME ZONE 'UTC')::DATE
          >= p.published + getvariable('days')::INTEGER
    QUALIFY row_number() OVER (PARTITION BY p.paper_id, p.repo_id ORDER BY s.fetched_at) = 1
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
