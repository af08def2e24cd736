-- title: Top repositories by stars
-- description: The most-starred repositories the harvested papers link to, with the papers that
--   cite them (by paper id) and where the link was found.
-- param: min_stars = 0   Only repositories with at least this many stars.
-- param: top = 25 [1..10000]   How many repositories to list.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date (and only those papers are counted).
-- param: category = ''   Only papers listed in this arXiv category, by prefix (cs: every cs.*;
--   cs.CV: that one only; a cross-listed paper counts in each); empty: all papers.
SET VARIABLE min_stars = COALESCE(getvariable('min_stars'), 0);
SET VARIABLE top = COALESCE(getvariable('top'), 25);
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE category = COALESCE(getvariable('category'), '');

WITH chosen AS (
    SELECT * FROM repo_mentions v
    WHERE v.repo_id IS NOT NULL AND v.stars >= getvariable('min_stars')::INTEGER
      AND coalesce(v.published, DATE '1900-01-01') >= getvariable('since')::DATE
      AND (getvariable('category') = '' OR v.paper_id IN (
          SELECT paper_id FROM papers
          WHERE getvariable('category') <> ''  -- no scan without a category
            AND contains(' ' || lower(replace(array_to_string(categories, ' '), '.', ' .')) || ' ',
                         ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' ')))
),
top AS (  -- the top repositories first, then the lists of their papers only
    SELECT DISTINCT full_name, stars, forks, language, pushed_at
    FROM chosen
    ORDER BY stars DESC, full_name
    LIMIT getvariable('top')::INTEGER
)
SELECT
    v.full_name                                   AS repo,
    v.stars,
    v.forks,
    v.language,
    count(DISTINCT v.paper_id)                    AS papers,
    string_agg(DISTINCT v.paper_id, ', ' ORDER BY v.paper_id) AS paper_ids,
    string_agg(DISTINCT v.source_field, ', ' ORDER BY v.source_field) AS found_in,
    (v.pushed_at AT TIME ZONE 'UTC')::DATE        AS last_push
FROM chosen v
JOIN top t ON t.full_name = v.full_name AND t.stars = v.stars
          AND t.forks IS NOT DISTINCT FROM v.forks AND t.language IS NOT DISTINCT FROM v.language
          AND t.pushed_at IS NOT DISTINCT FROM v.pushed_at
GROUP BY ALL
ORDER BY v.stars DESC, repo
LIMIT getvariable('top')::INTEGER;
