-- title: Code availability over time
-- description: Per period of publication, how many papers link at least one GitHub repository
--   (in their text or Hugging Face githubRepo), and how many of those repositories exist on
--   GitHub today; how many have official code by every channel (paper_code, docs/roles.md)
--   beside those whose title or abstract links a repository (the old abstract-only figure).
--   Papers without a publication date are counted under their listing date;
--   periods without papers are listed with 0, so the rows draw a time line as they are.
-- param: grain = 'month' [day|week|month|year]   Period: day, week, month or year.
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: category = ''   Only papers listed in this arXiv category, by prefix (cs: every cs.*;
--   cs.CV: that one only; a cross-listed paper counts in each); empty: all papers.
SET VARIABLE grain = COALESCE(getvariable('grain'), 'month');
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE category = COALESCE(getvariable('category'), '');

WITH paper_code AS (  -- paper_facts: one row per paper, kept current by the store
    SELECT
        f.paper_id,
        date_trunc(getvariable('grain')::VARCHAR, f.published)::DATE AS period,
        f.links_repo,
        f.has_live_repo,
        f.has_official,
        f.in_abstract
    FROM paper_facts f
    WHERE f.published >= getvariable('since')::DATE
      AND (getvariable('category') = ''
           OR contains(' ' || lower(replace(array_to_string(f.categories, ' '), '.', ' .')) || ' ',
                       ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' '))
),
periods AS (
    SELECT unnest(generate_series(min(period), max(period),
                                  ('1 ' || getvariable('grain')::VARCHAR)::INTERVAL))::DATE
               AS period
    FROM paper_code
)
SELECT
    t.period,
    count(c.paper_id)                                     AS papers,
    count(c.paper_id) FILTER (WHERE c.links_repo)         AS with_repo_link,
    round(100.0 * count(c.paper_id) FILTER (WHERE c.links_repo)
          / nullif(count(c.paper_id), 0), 1)              AS pct_with_repo,
    count(c.paper_id) FILTER (WHERE c.has_live_repo)      AS with_live_repo,
    round(100.0 * count(c.paper_id) FILTER (WHERE c.has_live_repo)
          / nullif(count(c.paper_id), 0), 1)              AS pct_live,
    count(c.paper_id) FILTER (WHERE c.has_official)       AS with_official_code,
    round(100.0 * count(c.paper_id) FILTER (WHERE c.has_official)
          / nullif(count(c.paper_id), 0), 1)              AS pct_official,
    round(100.0 * count(c.paper_id) FILTER (WHERE c.in_abstract)
          / nullif(count(c.paper_id), 0), 1)              AS pct_abstract_only
FROM periods t
LEFT JOIN paper_code c ON c.period = t.period
GROUP BY t.period
ORDER BY t.period;
