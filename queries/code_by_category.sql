-- title: Code availability per arXiv category
-- description: Per primary arXiv category, how many papers link at least one GitHub repository
--   (in their text or Hugging Face githubRepo), and how many of those repositories exist on
--   GitHub today. A paper counts under its primary category only (its first listed one); papers
--   from sources without categories (Hugging Face listings, plain records) are the row
--   `(none)`, shown when no category is asked for. Categories come from arXiv OAI-PMH
--   (`harvest arxiv-oai`), the arXiv API and the arXiv metadata snapshot.
-- param: category = ''   Only these primary categories, by prefix: cs (every cs.*), cs.CV (that
--   one only); empty: all.
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: min_category_papers = 1   Only categories with at least this many papers.
SET VARIABLE category = COALESCE(getvariable('category'), '');
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE min_category_papers = COALESCE(getvariable('min_category_papers'), 1);

WITH chosen AS (
    SELECT p.paper_id, coalesce(p.primary_category, '(none)') AS primary_category
    FROM papers p
    WHERE coalesce(p.published_at, p.listed_on, DATE '1900-01-01') >= getvariable('since')::DATE
      AND (getvariable('category') = ''
           OR lower(p.primary_category) = lower(getvariable('category'))
           OR starts_with(lower(p.primary_category), lower(getvariable('category')) || '.'))
),
linked AS (
    SELECT DISTINCT paper_id FROM mentions WHERE kind = 'repo'
),
live AS (
    SELECT DISTINCT paper_id FROM repo_mentions WHERE status IN ('ok', 'renamed')
)
SELECT
    c.primary_category,
    count(*)                                               AS papers,
    count(l.paper_id)                                      AS with_repo_link,
    round(100.0 * count(l.paper_id) / count(*), 1)         AS pct_with_repo,
    count(v.paper_id)                                      AS with_live_repo,
    round(100.0 * count(v.paper_id) / count(*), 1)         AS pct_live
FROM chosen c
LEFT JOIN linked l ON l.paper_id = c.paper_id
LEFT JOIN live v ON v.paper_id = c.paper_id
GROUP BY c.primary_category
HAVING count(*) >= getvariable('min_category_papers')::INTEGER
ORDER BY papers DESC, c.primary_category;
