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

WITH pages AS (  -- paper_facts (kept current by the store) carries the date, categories and
    -- title: the papers linking a github.io page and no repository, without reading papers
    SELECT f.paper_id, f.published, f.title, m.url,
           split_part(m.repo_name, '/', 1) AS owner  -- lowercase already
    FROM paper_facts f
    JOIN mentions m ON m.paper_id = f.paper_id AND m.kind = 'pages'
    WHERE f.links_pages AND NOT f.links_repo
      AND coalesce(f.published, DATE '1900-01-01') >= getvariable('since')::DATE
      AND (getvariable('category') = ''
           OR contains(' ' || lower(replace(array_to_string(f.categories, ' '), '.', ' .')) || ' ',
                       ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' '))
),
owner_repos AS (
    SELECT split_part(r.full_name_lower, '/', 1) AS owner,
           string_agg(DISTINCT r.full_name, ', ' ORDER BY r.full_name) AS repos
    FROM repos r
    WHERE r.repo_id IN (SELECT repo_id FROM repo_names WHERE repo_id IS NOT NULL)
      AND split_part(r.full_name_lower, '/', 1) IN (SELECT owner FROM pages)  -- those asked for
    GROUP BY ALL
)
SELECT  -- one row per paper: its distinct pages and owners' repositories, sorted, ', '-joined
    g.paper_id,
    any_value(g.published)                                             AS published,
    any_value(g.title)                                                 AS title,
    nullif(array_to_string(list_sort(list_distinct(list(g.url))), ', '), '')   AS pages,
    nullif(array_to_string(list_sort(list_distinct(list(o.repos))), ', '), '') AS owner_repos
FROM pages g
LEFT JOIN owner_repos o ON o.owner = g.owner
GROUP BY g.paper_id
ORDER BY published DESC NULLS LAST, g.paper_id;
