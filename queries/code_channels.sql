-- title: Which channel finds papers' own code
-- description: Per channel (abstract, comment, declared = Hugging Face githubRepo, fulltext,
--   pages, readme), how many papers it supports an official repository for, and for how many
--   it is the only channel that does ("alone"): what each channel adds. From the paper_code
--   view; rules in docs/roles.md.
-- param: since = '1900-01-01'   Only papers published on or after this date.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');

WITH official AS (  -- each channel that supports an official repository of the paper, once
    SELECT DISTINCT c.paper_id, ch.channel
    FROM paper_code c
    JOIN paper_facts f ON f.paper_id = c.paper_id,
         unnest(c.official_channels) AS ch(channel)
    WHERE c.role = 'official'
      AND coalesce(f.published, DATE '9999-12-31') >= getvariable('since')::DATE
),
per_paper AS (
    SELECT paper_id, count(*) AS channels
    FROM official
    GROUP BY paper_id
)
SELECT
    o.channel,
    count(*)                                                   AS papers,
    count(*) FILTER (WHERE pp.channels = 1)                    AS alone,
    round(100.0 * count(*) / (SELECT nullif(count(*), 0) FROM per_paper), 1)
                                                               AS pct_of_papers_with_code
FROM official o
JOIN per_paper pp ON pp.paper_id = o.paper_id
GROUP BY o.channel
ORDER BY papers DESC, o.channel;
