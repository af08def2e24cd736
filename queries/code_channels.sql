-- title: Which channel finds papers' own code
-- description: Per channel (abstract, comment, declared = Hugging Face githubRepo, fulltext,
--   pages, readme), how many papers it supports an official repository for, and for how many
--   it is the only channel that does ("alone"): what each channel adds. From the paper_code
--   view; rules in docs/roles.md.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH official AS (
    SELECT c.paper_id, c.repo_name, c.official_channels
    FROM paper_code c
    JOIN papers p ON p.paper_id = c.paper_id
    WHERE c.role = 'official'
      AND coalesce(p.published_at, p.listed_on, DATE '9999-12-31') >= getvariable('since')::DATE
),
per_paper AS (  -- the channels that support any official repository of the paper
    SELECT paper_id, list_distinct(flatten(list(official_channels))) AS channels
    FROM official
    GROUP BY paper_id
)
SELECT
    ch.channel,
    count(*)                                                   AS papers,
    count(*) FILTER (WHERE len(pp.channels) = 1)               AS alone,
    round(100.0 * count(*) / (SELECT nullif(count(*), 0) FROM per_paper), 1)
                                                               AS pct_of_papers_with_code
FROM per_paper pp, unnest(pp.channels) AS ch(channel)
GROUP BY ch.channel
ORDER BY papers DESC, ch.channel;
