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

WITH candidates AS (
    SELECT
        p.paper_id,
        coalesce(p.published_at, p.listed_on) AS published,
        p.title,
        concat_ws(' ', p.abstract, p.comment) AS body,
        EXISTS (SELECT 1 FROM mentions m WHERE m.paper_id = p.paper_id AND m.kind = 'pages')
            AS links_pages
    FROM papers p
    WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.paper_id = p.paper_id AND m.kind = 'repo')
      AND coalesce(p.published_at, p.listed_on, DATE '1900-01-01') >= getvariable('since')::DATE
      AND (getvariable('category') = ''
           OR contains(' ' || lower(replace(array_to_string(p.categories, ' '), '.', ' .')) || ' ',
                       ' ' || lower(replace(getvariable('category'), '.', ' .')) || ' '))
),
gated AS (
    -- cheap tests first (no context to capture): most abstracts fail all three
    SELECT *,
        regexp_matches(body, 'github\.com/|\b(on|at|via|in|from|through|to)\s+'
            || '((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$))', 'i')     AS has_github,
        regexp_matches(body, '\b(will|would|shall)\s+be\b|\bwe\s+(will|plan\s+to|intend\s+to)\s',
            'i')                                                                AS has_future,
        regexp_matches(body, '\b(available|released|accessible|hosted)\b', 'i') AS has_available
    FROM candidates
    WHERE NOT links_pages OR getvariable('include_pages')::BOOLEAN
),
signals AS (
    -- then the sentence fragment each signal matched ("([^.]|\.\S)" keeps URLs whole)
    SELECT *,
        CASE WHEN has_github THEN regexp_extract(body,
            '([^.]|\.\S){0,60}(github\.com/[A-Za-z0-9-]*/?|\b(on|at|via|in|from|through|to)\s+'
            || '((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$)))([^.]|\.\S){0,40}', 0, 'i')
        ELSE '' END AS github_no_repo,
        CASE WHEN has_future THEN regexp_extract(body,
            '\b(code|codes|source|implementations?|software|toolkit|library|pipeline|scripts)\b'
            || '([^.]|\.\S){0,80}\b(will|would|shall)\s+be\b([^.]|\.\S){0,40}\b(released|'
            || 'available|open[- ]?sourced?|public|published|shared|accessible)'
            || '([^.]|\.\S){0,60}', 0, 'i')
        ELSE '' END AS will_be_released,
        CASE WHEN has_future THEN regexp_extract(body,
            '\bwe\s+(will|plan\s+to|intend\s+to)\s+(release|open[- ]?source|publish|share|make)'
            || '\b([^.]|\.\S){0,60}\b(code|codes|source|implementations?|software|toolkit|'
            || 'library)\b([^.]|\.\S){0,60}', 0, 'i')
        ELSE '' END AS we_will_release,
        CASE WHEN has_available THEN regexp_extract(body,
            '\b(code|codes|implementations?|source\s+code|software)\b([^.]|\.\S){0,60}\b(is|are)'
            || '\b([^.]|\.\S){0,30}\b(available|released|accessible|hosted)\b([^.]|\.\S){0,10}'
            || '\b(at|on|in|via|from)\b:?\s*\S*', 0, 'i')
        ELSE '' END AS available_at
    FROM gated
    WHERE has_github OR has_future OR has_available
)
SELECT
    paper_id,
    published,
    title,
    CASE
        WHEN github_no_repo <> '' THEN 'github, no repo'
        WHEN will_be_released <> '' OR we_will_release <> '' THEN 'will release'
        ELSE 'available at'
    END                                                             AS signal,
    trim(regexp_replace(coalesce(nullif(github_no_repo, ''), nullif(will_be_released, ''),
                                 nullif(we_will_release, ''), available_at), '\s+', ' ', 'g'))
                                                                    AS evidence,
    links_pages
FROM signals
WHERE github_no_repo <> '' OR will_be_released <> '' OR we_will_release <> ''
   OR available_at <> ''
ORDER BY signal, published DESC NULLS LAST, paper_id;
