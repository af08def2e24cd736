-- title: The official repository of each paper
-- description: Per paper, its best-ranked official repository (the paper's own code by the
--   rules of docs/roles.md), its confidence 0-1, the channels that support it, and whether the
--   author-declared repository disagrees with the paper's own text or back-links (conflict).
--   Papers with no official repository are left out (see code_availability for the counts).
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: min_confidence = 0.0   Only rows at least this confident.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE min_confidence = COALESCE(getvariable('min_confidence'), 0.0);

-- paper_official holds these rows as read (paper_code's official rank-1 rows, the repository's
-- current name and stars, the channel lists as text), kept current by the store: no join here
SELECT
    paper_id,
    published,
    title,
    repository,
    confidence,
    evidence,
    channels,
    conflict,
    stars
FROM paper_official
WHERE confidence >= getvariable('min_confidence')::DOUBLE
  AND coalesce(published, DATE '9999-12-31') >= getvariable('since')::DATE
ORDER BY published DESC NULLS LAST, paper_id;
