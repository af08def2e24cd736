-- title: Stars 7, 30 and 90 days after publication
-- description: For each paper and repository it links, the repository's stars 7, 30 and 90
--   days after the paper's publication date (its listing date when it has none), read from
--   the snapshot closest to that day. A value is shown only when a snapshot is close enough:
--   within `tolerance` of the horizon either side, and never less than one day (with the
--   default 0.1: ±1 day at 7 days, ±3 days at 30, ±9 days at 90); otherwise it is empty.
--   Days are counted from midnight UTC of the publication date.
-- param: tolerance = 0.1 [0..1]   Largest distance from the target day, as a fraction of the horizon.
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: only_known = true   Leave out pairs with no value at any horizon.
-- param: category = ''   Only papers listed in this arXiv category, by prefix (cs: every cs.*;
--   cs.CV: that one only; a cross-listed paper counts in each); empty: all papers.
SET VARIABLE tolerance = COALESCE(getvariable('tolerance'), 0.1);
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE only_known = COALESCE(getvariable('only_known'), true);
SET VARIABLE category = COALESCE(getvariable('category'), '');

WITH pairs AS (
    SELECT DISTINCT paper_id, repo_id, published
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND published >= getvariable('since')::DATE
      AND (getvariable('category') = '' OR paper_id IN (
          SELECT paper_id FROM papers
          WHERE getvariable('category') <> ''  -- no scan without a category
            AND contains(' ' || lower(replace(array_to_string(categories, ' '), '.', ' .')) || ' ',
                         ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' ')))
),
targets AS (
    SELECT pairs.*, h.horizon,
           epoch(published::TIMESTAMP) + h.horizon * 86400                     AS target_s,
           greatest(1, getvariable('tolerance')::DOUBLE * h.horizon) * 86400   AS slack_s
    FROM pairs, (SELECT unnest([7, 30, 90]) AS horizon) h
),
closest AS (
    SELECT t.paper_id, t.repo_id, t.horizon,
           arg_min(s.stars, abs(epoch(s.fetched_at) - t.target_s)) AS stars
    FROM targets t
    JOIN repo_snapshots s
      ON s.repo_id = t.repo_id AND abs(epoch(s.fetched_at) - t.target_s) <= t.slack_s
    GROUP BY ALL
)
SELECT
    p.paper_id,
    r.full_name                                              AS repo,
    p.published,
    any_value(c.stars) FILTER (WHERE c.horizon = 7)          AS stars_7d,
    any_value(c.stars) FILTER (WHERE c.horizon = 30)         AS stars_30d,
    any_value(c.stars) FILTER (WHERE c.horizon = 90)         AS stars_90d,
    r.stars                                                  AS stars_now
FROM pairs p
JOIN repos r ON r.repo_id = p.repo_id
LEFT JOIN closest c ON c.paper_id = p.paper_id AND c.repo_id = p.repo_id
GROUP BY ALL
HAVING NOT getvariable('only_known')::BOOLEAN OR count(c.stars) > 0
ORDER BY p.published DESC, p.paper_id, repo;
