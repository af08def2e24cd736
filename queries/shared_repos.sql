-- title: Repositories cited by several papers
-- description: Repositories linked from more than one paper: shared toolkits, benchmarks and
--   follow-up work. Old and new names of a renamed repository count as one repository.
-- param: min_papers = 2   Only repositories cited by at least this many papers.
SET VARIABLE min_papers = COALESCE(getvariable('min_papers'), 2);

WITH shared AS (  -- cheap first: which repositories reach min_papers (most do not)
    SELECT full_name, stars
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
    GROUP BY full_name, stars
    HAVING count(DISTINCT paper_id) >= getvariable('min_papers')::INTEGER
)
SELECT
    v.full_name                                     AS repo,
    count(DISTINCT v.paper_id)                      AS papers,
    v.stars,
    string_agg(DISTINCT v.paper_id, ', ' ORDER BY v.paper_id) AS paper_ids,
    string_agg(DISTINCT v.repo_name, ', ' ORDER BY v.repo_name) AS cited_as
FROM repo_mentions v
JOIN shared s ON s.full_name = v.full_name AND s.stars IS NOT DISTINCT FROM v.stars
WHERE v.repo_id IS NOT NULL
GROUP BY ALL
ORDER BY papers DESC, v.stars DESC, repo;
