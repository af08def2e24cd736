-- title: Owners with the most cited repositories
-- description: The GitHub users and organisations whose repositories the papers link to most:
--   how many of their repositories are cited, by how many papers, their total stars and their
--   most-starred cited repository. Owners are read from current names, so a repository moved
--   to another owner counts for its new owner.
-- param: top = 25 [1..10000]   How many owners to list.
-- param: min_repos = 1   Only owners with at least this many cited repositories.
SET VARIABLE top = COALESCE(getvariable('top'), 25);
SET VARIABLE min_repos = COALESCE(getvariable('min_repos'), 1);

WITH cited AS (  -- one row per repository
    SELECT repo_id, full_name, stars, split_part(full_name_lower, '/', 1) AS owner_key
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
    GROUP BY ALL
),
owner_papers AS (  -- the papers citing any of an owner's repositories, once each
    SELECT split_part(full_name_lower, '/', 1) AS owner_key, count(DISTINCT paper_id) AS papers
    FROM repo_mentions
    WHERE repo_id IS NOT NULL
    GROUP BY 1
)
SELECT
    split_part(arg_max(c.full_name, c.stars), '/', 1)     AS owner,
    count(*)                                              AS repos,
    any_value(o.papers)                                   AS papers,
    sum(c.stars)::BIGINT                                  AS total_stars,
    arg_max(c.full_name, c.stars)                         AS top_repo
FROM cited c
JOIN owner_papers o ON o.owner_key = c.owner_key
GROUP BY c.owner_key
HAVING count(*) >= getvariable('min_repos')::INTEGER
ORDER BY repos DESC, papers DESC, total_stars DESC, owner
LIMIT getvariable('top')::INTEGER;
