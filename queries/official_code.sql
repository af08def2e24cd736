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
    c.published,                                          -- paper_code carries the paper's
    c.title,                                              -- date and title: no papers join
    coalesce(r.full_name, c.repo_name)                    AS repository,
    c.confidence,
    array_to_string(c.official_channels, ', ')            AS evidence,
    array_to_string(c.channels, ', ')                     AS channels,
    c.conflict,
    r.stars
FROM paper_code c
LEFT JOIN repos r ON r.repo_id = c.repo_id
WHERE c.role = 'official'
  AND c.rank = 1
  AND c.confidence >= getvariable('min_confidence')::DOUBLE
  AND coalesce(c.published, DATE '9999-12-31') >= getvariable('since')::DATE
ORDER BY c.published DESC NULLS LAST, c.paper_id;
