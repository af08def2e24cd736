-- title: The official repository of each paper
-- description: Per paper, its best-ranked official repository (the paper's own code by the
--   rules of docs/roles.md), its confidence 0-1, the channels that support it, and whether the
--   author-declared repository disagrees with the paper's own text or back-links (conflict).
--   Papers with no official repository are left out (see code_availability for the counts).
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: min_confidence = 0.0   Only rows at least this confident.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE min_confidence = COALESCE(getvariable('min_confidence'), 0.0);

SELECT
    c.paper_id,
    coalesce(p.published_at, p.listed_on)                 AS published,
    p.title,
    coalesce(r.full_name, c.repo_name)                    AS repository,
    c.confidence,
    array_to_string(c.official_channels, ', ')            AS evidence,
    array_to_string(c.channels, ', ')                     AS channels,
    c.conflict,
    r.stars
FROM paper_code c
JOIN papers p ON p.paper_id = c.paper_id
LEFT JOIN repos r ON r.repo_id = c.repo_id
WHERE c.role = 'official'
  AND c.rank = 1
  AND c.confidence >= getvariable('min_confidence')::DOUBLE
  AND coalesce(p.published_at, p.listed_on, DATE '9999-12-31') >= getvariable('since')::DATE
ORDER BY published DESC NULLS LAST, c.paper_id;
