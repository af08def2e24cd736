-- title: Link status at a glance
-- description: Every repository name the papers cite, by what GitHub answered: ok, renamed
--   (resolves under a new name), not_found (deleted, private or mistyped), blocked (DMCA or
--   terms-of-service takedown), error (kept failing) and pending (not asked yet: run
--   `harvester refresh`), with the papers citing names in each state. `link_health` lists
--   the problem names one by one.
-- param: since = '1900-01-01'   Only names cited by papers published on or after this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH cited AS (
    SELECT repo_name, status, paper_id
    FROM repo_mentions
    WHERE coalesce(published, DATE '1900-01-01') >= getvariable('since')::DATE
)
SELECT
    s.status,
    count(DISTINCT c.repo_name)                                             AS names,
    round(100.0 * count(DISTINCT c.repo_name)
          / nullif(sum(count(DISTINCT c.repo_name)) OVER (), 0), 1)         AS pct_names,
    count(DISTINCT c.paper_id)                                              AS papers
FROM (VALUES (1, 'ok'), (2, 'renamed'), (3, 'not_found'), (4, 'blocked'), (5, 'error'),
             (6, 'pending')) AS s(rank, status)
LEFT JOIN cited c ON c.status = s.status
GROUP BY s.rank, s.status
ORDER BY s.rank;
