-- title: Code availability over time
-- description: Per period of publication, how many papers link at least one GitHub repository
--   (in their text or Hugging Face githubRepo), and how many of those repositories exist on
--   GitHub today. Papers without a publication date are counted under their listing date.
-- param: grain = 'month'   Period: day, week, month or year.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE grain = COALESCE(getvariable('grain'), 'month');
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH paper_code AS (
    SELECT
        p.paper_id,
        coalesce(p.published_at, p.listed_on) AS day,
        EXISTS (SELECT 1 FROM mentions m WHERE m.paper_id = p.paper_id AND m.kind = 'repo')
            AS links_repo,
        EXISTS (SELECT 1 FROM mentions m
                JOIN repo_names n ON n.repo_name = m.repo_name
                WHERE m.paper_id = p.paper_id AND m.kind = 'repo'
                  AND n.status IN ('ok', 'renamed'))
            AS has_live_repo
    FROM papers p
    WHERE coalesce(p.published_at, p.listed_on) >= getvariable('since')::DATE
)
SELECT
    date_trunc(getvariable('grain')::VARCHAR, day)::DATE  AS period,
    count(*)                                              AS papers,
    count(*) FILTER (WHERE links_repo)                    AS with_repo_link,
    round(100.0 * count(*) FILTER (WHERE links_repo) / count(*), 1) AS pct_with_repo,
    count(*) FILTER (WHERE has_live_repo)                 AS with_live_repo,
    round(100.0 * count(*) FILTER (WHERE has_live_repo) / count(*), 1) AS pct_live
FROM paper_code
WHERE day IS NOT NULL
GROUP BY ALL
ORDER BY period;
