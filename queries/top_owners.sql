-- title: Owners with the most cited repositories
-- description: The GitHub users and organisations whose repositories the papers link to most:
--   how many of their repositories are cited, by how many papers, their total stars and their
--   most-starred cited repository. Owners are read from current names, so a repository moved
--   to another owner counts for its new owner.
-- param: top = 25 [1..10000]   How many owners to list.
-- param: min_repos = 1   Only owners with at least this many cited repositories.
SET VARIABLE top = COALESCE(getvariable('top'), 25);
SET VARIABLE min_repos = COALESCE(getvariable('min_repos'), 1);

WITH cited AS (
    SELECT repo_id, full_name, stars, split_part(full_name_lower, '/', 1) AS owner_key,
           count(DISTINCT paper_id) AS papers, list(DISTINCT paper_id) AS paper_ids
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
    GROUP BY ALL
)
SELECT
    split_part(arg_max(full_name, stars), '/', 1)         AS owner,
    count(*)                                              AS repos,
    length(list_distinct(flatten(list(paper_ids))))       AS papers,
    sum(stars)::BIGINT                                    AS total_stars,
    arg_max(full_name, stars)                             AS top_repo
FROM cited
GROUP BY owner_key
HAVING count(*) >= getvariable('min_repos')::INTEGER
ORDER BY repos DESC, papers DESC, total_stars DESC, owner
LIMIT getvariable('top')::INTEGER;
