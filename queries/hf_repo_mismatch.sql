-- title: Hugging Face githubRepo that disagrees with the paper's text
-- description: Papers whose Hugging Face `githubRepo` (entered by the authors on Hugging Face)
--   points at a repository that none of the links in the paper's own text (title, abstract,
--   comment) point at. Names are compared by GitHub's repository id once resolved, so an old
--   name and the new name of one renamed repository agree; unresolved names are compared as
--   written (case-insensitive). Papers with only one of the two sources are not listed.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH linked AS (
    SELECT paper_id, published, title,
           source_field = 'hf_github_repo'                 AS from_hf,
           coalesce(repo_id::VARCHAR, repo_name)           AS identity,
           coalesce(full_name, repo_as_written)            AS now_at,
           split_part(coalesce(full_name_lower, repo_name), '/', 1) AS owner_key
    FROM repo_mentions
    -- only papers with a Hugging Face githubRepo can disagree with it
    WHERE paper_id IN (SELECT paper_id FROM repo_mentions WHERE source_field = 'hf_github_repo')
),
per_paper AS (  -- plain lists (DISTINCT aggregates cost a join each): only tested, not shown
    SELECT paper_id,
           any_value(published)                                    AS published,
           any_value(title)                                        AS title,
           list(identity) FILTER (WHERE from_hf)                   AS hf_ids,
           list(identity) FILTER (WHERE NOT from_hf)               AS text_ids,
           any_value(now_at) FILTER (WHERE from_hf)                AS hf_repo,
           list(now_at) FILTER (WHERE NOT from_hf)                 AS text_now_at,
           any_value(owner_key) FILTER (WHERE from_hf)             AS hf_owner,
           list(owner_key) FILTER (WHERE NOT from_hf)              AS text_owners
    FROM linked
    GROUP BY paper_id
)
SELECT
    x.paper_id,
    x.published,                      -- repo_mentions carries the paper's date and title:
    x.title,                          -- no join with all the papers
    x.hf_repo                                                      AS hf_github_repo,
    nullif(array_to_string(list_sort(list_distinct(x.text_now_at)), ', '), '')
                                                                   AS linked_in_text,
    CASE WHEN list_contains(x.text_owners, x.hf_owner)
         THEN 'same owner, other repository' ELSE 'different owner' END AS difference
FROM per_paper x
WHERE x.hf_ids IS NOT NULL AND x.text_ids IS NOT NULL
  AND NOT list_has_any(x.hf_ids, x.text_ids)
  AND coalesce(x.published, DATE '1900-01-01') >= getvariable('since')::DATE
ORDER BY x.published DESC NULLS LAST, x.paper_id;
