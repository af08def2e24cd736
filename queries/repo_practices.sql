-- title: Licence, citation file, release, something runnable
-- description: Per period of publication (of the first paper that links each), the repositories
--   papers link in their own text
--   (title, abstract, comment) or declare (Hugging Face githubRepo), and the share of them with
--   a licence (detected by GitHub or a LICENSE/COPYING file), a CITATION.cff, at least one
--   release, something runnable in the root (requirements.txt, pyproject.toml, environment.yml,
--   setup.py) and code at all (verdict `code`). Only repositories whose facts were read (with
--   a token) count. Which of a paper's repositories is its official one is not known yet: every
--   repository linked this way counts.
-- param: grain = 'month'   Period: day, week, month or year.
-- param: since = '1900-01-01'   Only repositories linked by papers published on or after this
--   date.
SET VARIABLE grain = COALESCE(getvariable('grain'), 'month');
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH linked AS (
    SELECT repo_id, min(published) AS published
    FROM repo_mentions
    WHERE repo_id IS NOT NULL AND published >= getvariable('since')::DATE
      AND source_field IN ('title', 'abstract', 'comment', 'hf_github_repo')
    GROUP BY repo_id
),
facts AS (
    SELECT
        date_trunc(getvariable('grain')::VARCHAR, l.published)::DATE      AS period,
        r.license IS NOT NULL OR coalesce(r.has_license_file, false)      AS licensed,
        coalesce(r.has_citation, false)                                   AS citation,
        coalesce(r.releases, 0) > 0                                       AS released,
        coalesce(r.has_runnable, false)                                   AS runnable,
        r.verdict = 'code'                                                AS code
    FROM repos r
    JOIN linked l USING (repo_id)
    WHERE r.verdict IS NOT NULL AND r.verdict <> 'unknown'
)
SELECT
    period,
    count(*)                                                       AS repos,
    count(*) FILTER (WHERE code)                                   AS with_code,
    count(*) FILTER (WHERE runnable)                               AS runnable,
    round(100.0 * count(*) FILTER (WHERE licensed) / count(*), 1)  AS pct_license,
    round(100.0 * count(*) FILTER (WHERE citation) / count(*), 1)  AS pct_citation,
    round(100.0 * count(*) FILTER (WHERE released) / count(*), 1)  AS pct_release,
    round(100.0 * count(*) FILTER (WHERE runnable) / count(*), 1)  AS pct_runnable,
    round(100.0 * count(*) FILTER (WHERE code) / count(*), 1)      AS pct_code
FROM facts
GROUP BY period
ORDER BY period;
