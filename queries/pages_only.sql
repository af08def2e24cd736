-- title: Papers that link only a github.io page
-- description: Papers whose only GitHub link is an `owner.github.io` project page: no
--   repository is linked in the text or on Hugging Face. A project page often, but not always,
--   leads to the code. `owner_repos` lists repositories of the page's owner that other papers
--   link, a hint where the code may live.
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: category = ''   Only papers listed in this arXiv category, by prefix (cs: every cs.*;
--   cs.CV: that one only; a cross-listed paper counts in each); empty: all papers.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE category = COALESCE(getvariable('category'), '');

WITH pages AS (  -- paper_facts (kept current by the store): the papers linking no repository
    SELECT m.paper_id, m.url, split_part(m.repo_name, '/', 1) AS owner  -- lowercase already
    FROM mentions m
    JOIN paper_facts f ON f.paper_id = m.paper_id AND NOT f.links_repo
    WHERE m.kind = 'pages'
),
owner_repos AS (
    SELECT split_part(r.full_name_lower, '/', 1) AS owner,
           string_agg(DISTINCT r.full_name, ', ' ORDER BY r.full_name) AS repos
    FROM repos r
    WHERE r.repo_id IN (SELECT repo_id FROM repo_names WHERE repo_id IS NOT NULL)
      AND split_part(r.full_name_lower, '/', 1) IN (SELECT owner FROM pages)  -- those asked for
    GROUP BY ALL
)
SELECT
    p.paper_id,
    coalesce(p.published_at, p.listed_on)                         AS published,
    p.title,
    string_agg(DISTINCT g.url, ', ' ORDER BY g.url)               AS pages,
    string_agg(DISTINCT o.repos, ', ' ORDER BY o.repos)           AS owner_repos
FROM pages g
JOIN papers p ON p.paper_id = g.paper_id
LEFT JOIN owner_repos o ON o.owner = g.owner
WHERE coalesce(p.published_at, p.listed_on, DATE '1900-01-01') >= getvariable('since')::DATE
  AND (getvariable('category') = ''
       OR contains(' ' || lower(replace(array_to_string(p.categories, ' '), '.', ' .')) || ' ',
                   ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' '))
GROUP BY ALL
ORDER BY published DESC NULLS LAST, p.paper_id;
