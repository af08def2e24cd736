-- title: Languages
-- description: The primary language of the repositories papers link to: how many
--   repositories, how many citing papers, total and median stars.
-- param: min_repos = 1   Only languages with at least this many repositories.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date (and only those papers are counted).
-- param: category = ''   Only papers listed in this arXiv category, by prefix (cs: every cs.*;
--   cs.CV: that one only; a cross-listed paper counts in each); empty: all papers.
SET VARIABLE min_repos = COALESCE(getvariable('min_repos'), 1);
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE category = COALESCE(getvariable('category'), '');

WITH linked AS (
    SELECT repo_id, coalesce(language, '(none)') AS language, stars,
           count(DISTINCT paper_id) AS papers
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
      AND coalesce(published, DATE '1900-01-01') >= getvariable('since')::DATE
      AND (getvariable('category') = '' OR paper_id IN (
          SELECT paper_id FROM papers
          WHERE getvariable('category') <> ''  -- no scan without a category
            AND contains(' ' || lower(replace(array_to_string(categories, ' '), '.', ' .')) || ' ',
                         ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' ')))
    GROUP BY ALL
)
SELECT
    language,
    count(*)                  AS repos,
    sum(papers)::BIGINT       AS citations,
    sum(stars)::BIGINT        AS total_stars,
    median(stars)::INTEGER    AS median_stars
FROM linked
GROUP BY language
HAVING count(*) >= getvariable('min_repos')::INTEGER
ORDER BY repos DESC, language;
