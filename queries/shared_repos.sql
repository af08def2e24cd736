-- title: Repositories cited by several papers
-- description: Repositories linked from more than one paper: shared toolkits, benchmarks and
--   follow-up work. Old and new names of a renamed repository count as one repository.
-- param: min_papers = 2   Only repositories cited by at least this many papers.
SET VARIABLE min_papers = COALESCE(getvariable('min_papers'), 2);

SELECT
    r.full_name                                     AS repo,
    count(DISTINCT m.paper_id)                      AS papers,
    r.stars,
    string_agg(DISTINCT m.paper_id, ', ' ORDER BY m.paper_id) AS paper_ids,
    string_agg(DISTINCT n.repo_name, ', ' ORDER BY n.repo_name) AS cited_as
FROM repos r
JOIN repo_names n ON n.repo_id = r.repo_id
JOIN mentions m ON m.repo_name = n.repo_name AND m.kind = 'repo'
GROUP BY ALL
HAVING count(DISTINCT m.paper_id) >= getvariable('min_papers')::INTEGER
ORDER BY papers DESC, r.stars DESC, repo;
