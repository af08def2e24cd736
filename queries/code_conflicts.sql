-- title: Declared repositories the evidence disagrees with
-- description: Papers whose author-declared repository (Hugging Face githubRepo) has none of
--   the paper's own-text or README back-link evidence while another repository has: the
--   declared one may be outdated, an organisation's other project, or a placeholder. One row
--   per repository involved, the declared one marked.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

SELECT
    c.paper_id,
    p.title,
    coalesce(r.full_name, c.repo_name)                    AS repository,
    list_contains(c.channels, 'declared')                 AS declared,
    c.role,
    c.confidence,
    array_to_string(c.channels, ', ')                     AS channels
FROM paper_code c
JOIN papers p ON p.paper_id = c.paper_id
LEFT JOIN repos r ON r.repo_id = c.repo_id
WHERE c.conflict
  AND coalesce(p.published_at, p.listed_on, DATE '9999-12-31') >= getvariable('since')::DATE
ORDER BY c.paper_id, declared DESC, c.rank;
