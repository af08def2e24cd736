-- title: Placeholder repositories
-- description: Linked repositories that hold no code at their last fetch: `placeholder` (commits,
--   but only a README, a licence, pictures or docs in the root) or `empty` (no commits), with
--   the reason (e.g. "1 commit, README only, README says: code will be released soon"), the
--   papers that cite them and how long ago the first of those came out. Rules:
--   docs/placeholder.md. Repositories fetched without a token have verdict `unknown` and are
--   not listed. Oldest promises first.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH linked AS (
    SELECT repo_id, count(DISTINCT paper_id) AS papers, min(published) AS first_published
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND published >= getvariable('since')::DATE
    GROUP BY repo_id
)
SELECT
    r.full_name                                                   AS repo,
    r.verdict,
    r.verdict_reason                                              AS reason,
    r.commits,
    (r.last_commit_at AT TIME ZONE 'UTC')::DATE                   AS last_commit,
    r.readme_bytes,
    l.papers,
    l.first_published,
    (r.fetched_at AT TIME ZONE 'UTC')::DATE - l.first_published   AS days_since_publication,
    (r.fetched_at AT TIME ZONE 'UTC')::DATE                       AS checked
FROM repos r
JOIN linked l USING (repo_id)
WHERE r.verdict IN ('placeholder', 'empty')
ORDER BY l.first_published NULLS LAST, repo;
