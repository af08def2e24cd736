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

WITH chosen AS (  -- paper_facts: one row per paper, kept current by the store
    SELECT f.paper_id, coalesce(f.primary_category, '(none)') AS primary_category,
           f.links_repo, f.has_live_repo
    FROM paper_facts f
    WHERE coalesce(f.published, DATE '1900-01-01') >= getvariable('since')::DATE
      AND (getvariable('category') = ''
           OR lower(f.primary_category) = lower(getvariable('category'))
           OR starts_with(lower(f.primary_category), lower(getvariable('category')) || '.'))
)
SELECT
    c.primary_category,
    count(*)                                                          AS papers,
    count(*) FILTER (WHERE c.links_repo)                              AS with_repo_link,
    round(100.0 * count(*) FILTER (WHERE c.links_repo) / count(*), 1) AS pct_with_repo,
    count(*) FILTER (WHERE c.has_live_repo)                           AS with_live_repo,
    round(100.0 * count(*) FILTER (WHERE c.has_live_repo) / count(*), 1) AS pct_live
FROM chosen c
GROUP BY c.primary_category
HAVING count(*) >= getvariable('min_category_papers')::INTEGER
ORDER BY papers DESC, c.primary_category;
