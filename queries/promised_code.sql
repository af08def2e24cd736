-- title: Papers that promise code but link no repository
-- description: Papers with no GitHub repository link (in the text or on Hugging Face) whose
--   abstract or comment nevertheless announces code. Three signals, strongest first:
--   `github, no repo` (GitHub named without an owner/name link: "available on GitHub", an
--   organisation-only github.com/ORG URL); `will release` (code, an implementation, a toolkit
--   ... "will be released / made available / open-sourced", or "we will release our code");
--   `available at` (code "is available at / on / via" somewhere that is not a GitHub
--   repository: a project page, an anonymous mirror, Hugging Face). `evidence` quotes the
--   sentence fragment that matched. Heuristic: read the evidence.
-- param: since = '1900-01-01'   Only papers published on or after this date.
-- param: include_pages = false   Also list papers that link a github.io page (see pages_only).
-- param: category = ''   Only papers listed in this arXiv category, by prefix (cs: every cs.*;
--   cs.CV: that one only; a cross-listed paper counts in each); empty: all papers.
SET VARIABLE since = COALESCE(getvariable('since'), DATE '1900-01-01');
SET VARIABLE include_pages = COALESCE(getvariable('include_pages'), false);
SET VARIABLE category = COALESCE(getvariable('category'), '');

-- paper_promises holds every paper whose text announces code (the regexes, run once per paper
-- text by the store: schema 0009); paper_facts says which of them link no repository.
SELECT
    x.paper_id,
    f.published,
    x.title,
    x.signal,
    x.evidence,
    f.links_pages
FROM paper_promises x
JOIN paper_facts f ON f.paper_id = x.paper_id
WHERE NOT f.links_repo
  AND (NOT f.links_pages OR getvariable('include_pages')::BOOLEAN)
  AND coalesce(f.published, DATE '1900-01-01') >= getvariable('since')::DATE
  AND (getvariable('category') = ''
       OR contains(' ' || lower(replace(array_to_string(f.categories, ' '), '.', ' .')) || ' ',
                   ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' '))
ORDER BY x.signal, f.published DESC NULLS LAST, x.paper_id;
