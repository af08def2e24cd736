-- harvester schema, version 9: derived tables, so that every shipped report answers in under a
-- second on all of arXiv (issue 14; docs/architecture.md, "Derived tables").
--
-- paper_code (a view in 0008) and repo_mentions (a view in 0004: the same columns, one row per
-- repository mention, its paper's date, the name's status and the repository's stats) become
-- ordinary tables, and two more derived tables join them:
--   paper_facts     one row per paper: its date, categories and what its mentions say (links a
--                   repository / a github.io page, a live repository, official code, a link in
--                   the title or abstract): code_availability and friends group it in one pass
--   paper_promises  one row per paper whose abstract or comment announces code (the regexes of
--                   promised_code), run once per paper text, not once per report
-- Their rules are the table macros below: macro(true) computes every paper, macro(false) only
-- the papers in derived_todo. The store refreshes them at the end of every job that writes
-- (harvester/store/derived.py): what a job wrote is marked in derived_dirty in the same
-- transaction as the write, so a killed job leaves its marks and the next job repairs first.
-- derived_state holds the row counts of the inputs as of the last refresh plus the job's own
-- writes: counts that differ mean another program wrote, and the next job rebuilds everything.
-- paper_code's rules are docs/roles.md, stated in Python in harvester/roles.py;
-- tests/store/test_paper_code.py checks that this macro gives the same rows. Change both together.

CREATE TABLE derived_dirty (                 -- what writes since the last refresh touched
    kind  VARCHAR NOT NULL,                  -- paper (its text) / mentions / name / repo / all
    key   VARCHAR NOT NULL                   -- paper_id, lowercase repo name, repo_id
);

CREATE TABLE derived_todo (                  -- a refresh's work list; empty between refreshes
    paper_id  VARCHAR NOT NULL,
    text      BOOLEAN NOT NULL               -- its text may have changed: rerun the regexes
);

CREATE TABLE derived_state (                 -- one row
    refreshed_at  TIMESTAMPTZ,
    papers        BIGINT,                    -- row counts of the inputs, kept by the store
    mentions      BIGINT,
    repo_names    BIGINT,
    repos         BIGINT,
    readme_checks BIGINT,
    readme_citations BIGINT
);

DROP VIEW paper_code;
DROP VIEW repo_mentions;

CREATE MACRO repo_mentions_rules(everything) AS TABLE
SELECT
    m.paper_id,
    coalesce(p.published_at, p.listed_on) AS published,  -- listing date when none
    m.repo_name,                                          -- lowercase owner/name as cited
    m.repo AS repo_as_written,                            -- owner/name, case as written
    m.source_field,
    m.url,
    n.status,                                             -- of the name as cited
    n.detail,
    n.checked_at,
    r.repo_id,
    r.full_name,                                          -- current name, GitHub's case
    r.full_name_lower,
    r.stars,
    r.forks,
    r.watchers,
    r.open_issues,
    r.language,
    r.license,
    r.topics,
    r.description,
    r.homepage,
    r.created_at,
    r.pushed_at,
    r.updated_at,
    r.archived,
    r.is_fork,
    r.fetched_at,
    p.title                                               -- so reports need no papers join
FROM mentions m
JOIN papers p ON p.paper_id = m.paper_id
LEFT JOIN repo_names n ON n.repo_name = m.repo_name
LEFT JOIN repos r ON r.repo_id = n.repo_id
WHERE m.kind = 'repo'
  AND (everything OR m.paper_id IN (SELECT paper_id FROM derived_todo));

CREATE TABLE repo_mentions AS SELECT * FROM repo_mentions_rules(true);

CREATE MACRO paper_code_rules(everything) AS TABLE
WITH
fields (source_field, channel) AS (VALUES
    ('title', 'abstract'), ('abstract', 'abstract'), ('comment', 'comment'),
    ('hf_github_repo', 'declared'), ('fulltext', 'fulltext'), ('project_page', 'pages'),
    ('readme_search', 'search')),
-- official evidence: (channel, locus) -> weight; a null locus: any locus of that channel
weights (channel, locus, weight) AS (VALUES
    ('abstract', 'title', 0.9), ('abstract', 'abstract', 0.9), ('abstract', NULL, 0.9),
    ('comment', NULL, 0.85),
    ('fulltext', 'title', 0.85), ('fulltext', 'abstract', 0.85), ('fulltext', 'first_page', 0.85),
    ('pages', 'code_link', 0.8),
    ('declared', NULL, 0.8),
    ('readme', 'link', 0.9), ('readme', 'id', 0.9), ('readme', 'doi', 0.9),
    ('readme', 'title', 0.75)),
evidence AS (
    SELECT m.paper_id, coalesce(r.full_name_lower, m.repo_name) AS repo, r.repo_id,
           coalesce(f.channel, 'text') AS channel, coalesce(m.locus, m.source_field) AS locus,
           0 AS cited_total
    FROM mentions m
    LEFT JOIN fields f ON f.source_field = m.source_field
    LEFT JOIN repo_names n ON n.repo_name = m.repo_name
    LEFT JOIN repos r ON r.repo_id = n.repo_id
    WHERE m.kind = 'repo'
      AND (everything OR m.paper_id IN (SELECT paper_id FROM derived_todo))
    UNION ALL
    SELECT c.paper_id, r.full_name_lower, c.repo_id, 'readme', c.how, c.cited_papers_total
    FROM readme_citations c
    JOIN repos r ON r.repo_id = c.repo_id
    JOIN papers p ON p.paper_id = c.paper_id
    WHERE everything OR c.paper_id IN (SELECT paper_id FROM derived_todo)
),
weighted AS (
    SELECT e.*,
           CASE WHEN e.channel = 'readme' AND e.cited_total > 50 THEN 0.0  -- a list (LIST_LIMIT)
                WHEN x.weight IS NOT NULL THEN x.weight
                WHEN e.channel IN ('fulltext', 'pages', 'readme') THEN 0.0  -- body, references
                ELSE coalesce(a.weight, 0.0) END AS w
    FROM evidence e
    LEFT JOIN weights x ON x.channel = e.channel AND x.locus = e.locus
    LEFT JOIN weights a ON a.channel = e.channel AND a.locus IS NULL
),
per_channel AS (
    SELECT paper_id, repo, max(repo_id) AS repo_id, channel, max(w) AS w,
           bool_or(channel = 'fulltext' AND locus = 'references') AS refs
    FROM weighted
    GROUP BY paper_id, repo, channel
),
pairs AS (
    SELECT paper_id, repo, max(repo_id) AS repo_id,
           list(channel ORDER BY channel) AS channels,
           coalesce(list(channel ORDER BY channel) FILTER (WHERE w > 0), []) AS official_channels,
           round(1 - product(1 - w), 3) AS official_confidence,
           bool_or(refs) AS refs,
           bool_or(channel = 'declared') AS declared,
           bool_or(w > 0 AND channel IN ('abstract', 'comment', 'fulltext', 'pages', 'readme'))
               AS own
    FROM per_channel
    GROUP BY paper_id, repo
),
typed AS (
    SELECT p.*,
           CASE WHEN len(p.official_channels) > 0 THEN 'official'
                WHEN p.refs THEN 'third_party' ELSE 'unknown' END AS base_role,
           p.repo IN (SELECT full_name_lower FROM repos WHERE is_fork) AS fork
    FROM pairs p
),
per_paper AS (
    SELECT paper_id,
           bool_or(base_role = 'official' AND NOT fork) AS has_original,
           bool_or(own AND NOT fork) AS has_supported,
           bool_or(declared AND NOT (own AND NOT fork)) AS has_unsupported_declared
    FROM typed
    GROUP BY paper_id
),
roled AS (
    SELECT t.*,
           CASE WHEN t.base_role = 'official' AND t.fork
                THEN CASE WHEN c.has_original THEN 'third_party' ELSE 'unknown' END
                ELSE t.base_role END AS role,
           CASE WHEN t.base_role = 'official' AND t.fork THEN 0.3
                WHEN t.base_role = 'official' THEN t.official_confidence
                WHEN t.base_role = 'third_party' THEN 0.6
                ELSE 0.2 END AS base_confidence,
           c.has_supported AND c.has_unsupported_declared
               AND ((t.own AND NOT t.fork) OR (t.declared AND NOT (t.own AND NOT t.fork)))
               AS conflict
    FROM typed t
    JOIN per_paper c ON c.paper_id = t.paper_id
),
scored AS (
    SELECT *, CASE WHEN conflict THEN round(base_confidence * 0.8, 3)
                   ELSE base_confidence END AS confidence
    FROM roled
)
SELECT
    s.paper_id,
    s.repo AS repo_name,           -- current lowercase owner/name, else the name as cited
    s.repo_id,                     -- null until the name resolves
    s.role,                        -- official / third_party / unknown
    s.confidence,                  -- 0-1
    s.channels,                    -- every channel with evidence for this pair
    s.official_channels,           -- those that count as official evidence
    s.conflict,                    -- declared repository and the paper's own evidence disagree
    row_number() OVER (
        PARTITION BY s.paper_id
        ORDER BY CASE s.role WHEN 'official' THEN 0 WHEN 'third_party' THEN 1 ELSE 2 END,
                 s.confidence DESC, s.repo
    ) AS rank,                     -- 1: the paper's best repository
    -- the paper's date and title, so that reports need no join with all the papers
    coalesce(p.published_at, p.listed_on) AS published,  -- listing date when none
    p.title
FROM scored s
LEFT JOIN papers p ON p.paper_id = s.paper_id;

-- Each table is filled here (a file from before this version has rows); the store keeps them
-- current from now on.
CREATE TABLE paper_code AS SELECT * FROM paper_code_rules(true);

CREATE MACRO paper_facts_rules(everything) AS TABLE
WITH
scope AS (
    SELECT paper_id FROM papers
    WHERE everything OR paper_id IN (SELECT paper_id FROM derived_todo)
),
cited AS (
    SELECT m.paper_id,
           bool_or(m.kind = 'repo')                                            AS links_repo,
           bool_or(m.kind = 'pages')                                           AS links_pages,
           bool_or(m.kind = 'repo' AND n.status IN ('ok', 'renamed'))          AS has_live_repo,
           bool_or(m.kind = 'repo' AND m.source_field IN ('title', 'abstract')) AS in_abstract
    FROM mentions m
    LEFT JOIN repo_names n ON n.repo_name = m.repo_name
    WHERE everything OR m.paper_id IN (SELECT paper_id FROM derived_todo)
    GROUP BY m.paper_id
),
official AS (
    SELECT DISTINCT paper_id FROM paper_code
    WHERE role = 'official'
      AND (everything OR paper_id IN (SELECT paper_id FROM derived_todo))
)
SELECT
    p.paper_id,
    coalesce(p.published_at, p.listed_on)       AS published,     -- listing date when none
    p.primary_category,
    p.categories,
    coalesce(c.links_repo, false)               AS links_repo,    -- a repository mention
    coalesce(c.links_pages, false)              AS links_pages,   -- an owner.github.io page
    coalesce(c.has_live_repo, false)            AS has_live_repo, -- a name that resolved
    o.paper_id IS NOT NULL                      AS has_official,  -- paper_code: official
    coalesce(c.in_abstract, false)              AS in_abstract    -- linked in title/abstract
FROM papers p
JOIN scope s ON s.paper_id = p.paper_id
LEFT JOIN cited c ON c.paper_id = p.paper_id
LEFT JOIN official o ON o.paper_id = p.paper_id;

CREATE TABLE paper_facts AS SELECT * FROM paper_facts_rules(true);

-- The promise regexes of queries/promised_code.sql over every paper's text: each signal quotes
-- the sentence fragment its pattern matched ("([^.]|\.\S)" keeps URLs whole); the report keeps
-- the papers that link no repository. Each pattern is a core inside leading and trailing context
-- that can match nothing ({0,n}, \S*), so it matches exactly when its core does. Most texts
-- promise nothing: one pass of the four cores (the only filter) picks the few that do, then
-- each core says which patterns to extract from them (a CASE evaluates its THEN only for the
-- rows whose WHEN holds; the patterns stay literals: a pattern from a column is compiled per
-- row). tests/store/test_derived.py checks that the cores decide as the whole patterns do.
CREATE MACRO paper_promises_rules(everything) AS TABLE
WITH
bodies AS (
    SELECT paper_id, title, concat_ws(' ', abstract, comment) AS body
    FROM papers
    WHERE everything OR paper_id IN (SELECT paper_id FROM derived_todo WHERE text)
),
signals AS (
    SELECT paper_id, title,
        CASE WHEN regexp_matches(body, 'github\.com/[A-Za-z0-9-]*/?|\b(on|at|via|in|from|through|to)\s+'
            || '((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$))', 'i')
        THEN regexp_extract(body, '([^.]|\.\S){0,60}(' || 'github\.com/[A-Za-z0-9-]*/?|\b(on|at|via|in|from|through|to)\s+'
            || '((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$))' || ')([^.]|\.\S){0,40}', 0, 'i')
        ELSE '' END AS github_no_repo,
        CASE WHEN regexp_matches(body, '\b(code|codes|source|implementations?|software|toolkit|library|pipeline|scripts)\b'
            || '([^.]|\.\S){0,80}\b(will|would|shall)\s+be\b([^.]|\.\S){0,40}\b(released|'
            || 'available|open[- ]?sourced?|public|published|shared|accessible)', 'i')
        THEN regexp_extract(body, '\b(code|codes|source|implementations?|software|toolkit|library|pipeline|scripts)\b'
            || '([^.]|\.\S){0,80}\b(will|would|shall)\s+be\b([^.]|\.\S){0,40}\b(released|'
            || 'available|open[- ]?sourced?|public|published|shared|accessible)'
            || '([^.]|\.\S){0,60}', 0, 'i')
        ELSE '' END AS will_be_released,
        CASE WHEN regexp_matches(body, '\bwe\s+(will|plan\s+to|intend\s+to)\s+(release|open[- ]?source|publish|share|make)'
            || '\b([^.]|\.\S){0,60}\b(code|codes|source|implementations?|software|toolkit|'
            || 'library)\b', 'i')
        THEN regexp_extract(body, '\bwe\s+(will|plan\s+to|intend\s+to)\s+(release|open[- ]?source|publish|share|make)'
            || '\b([^.]|\.\S){0,60}\b(code|codes|source|implementations?|software|toolkit|'
            || 'library)\b' || '([^.]|\.\S){0,60}', 0, 'i')
        ELSE '' END AS we_will_release,
        CASE WHEN regexp_matches(body, '\b(code|codes|implementations?|source\s+code|software)\b([^.]|\.\S){0,60}\b(is|are)'
            || '\b([^.]|\.\S){0,30}\b(available|released|accessible|hosted)\b([^.]|\.\S){0,10}'
            || '\b(at|on|in|via|from)\b', 'i')
        THEN regexp_extract(body, '\b(code|codes|implementations?|source\s+code|software)\b([^.]|\.\S){0,60}\b(is|are)'
            || '\b([^.]|\.\S){0,30}\b(available|released|accessible|hosted)\b([^.]|\.\S){0,10}'
            || '\b(at|on|in|via|from)\b' || ':?\s*\S*', 0, 'i')
        ELSE '' END AS available_at
    FROM bodies
    -- any of the four cores: exactly the texts where some signal is not ''; tested only on the
    -- texts that match the loose words every core contains (one cheaper pass first)
    WHERE CASE WHEN regexp_matches(body, 'github\.com/|\b(on|at|via|in|from|through|to)\s+'
            || '((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$))'
            || '|\b(will|would|shall)\s+be\b|\bwe\s+(will|plan\s+to|intend\s+to)\s'
            || '|\b(available|released|accessible|hosted)\b', 'i')
        THEN regexp_matches(body, 'github\.com/[A-Za-z0-9-]*/?|\b(on|at|via|in|from|through|to)\s+'
            || '((our|the|a|public)\s+)?github\b($|[^.\w]|\.(\s|$))'
            || '|' || '\b(code|codes|source|implementations?|software|toolkit|library|pipeline|scripts)\b'
            || '([^.]|\.\S){0,80}\b(will|would|shall)\s+be\b([^.]|\.\S){0,40}\b(released|'
            || 'available|open[- ]?sourced?|public|published|shared|accessible)'
            || '|' || '\bwe\s+(will|plan\s+to|intend\s+to)\s+(release|open[- ]?source|publish|share|make)'
            || '\b([^.]|\.\S){0,60}\b(code|codes|source|implementations?|software|toolkit|'
            || 'library)\b'
            || '|' || '\b(code|codes|implementations?|source\s+code|software)\b([^.]|\.\S){0,60}\b(is|are)'
            || '\b([^.]|\.\S){0,30}\b(available|released|accessible|hosted)\b([^.]|\.\S){0,10}'
            || '\b(at|on|in|via|from)\b', 'i')
        ELSE false END
)
SELECT
    paper_id,
    title,
    CASE
        WHEN github_no_repo <> '' THEN 'github, no repo'
        WHEN will_be_released <> '' OR we_will_release <> '' THEN 'will release'
        ELSE 'available at'
    END                                                             AS signal,
    trim(regexp_replace(coalesce(nullif(github_no_repo, ''), nullif(will_be_released, ''),
                                 nullif(we_will_release, ''), available_at), '\s+', ' ', 'g'))
                                                                    AS evidence
FROM signals;

CREATE TABLE paper_promises AS SELECT * FROM paper_promises_rules(true);
INSERT INTO derived_state
SELECT now(), (SELECT count(*) FROM papers), (SELECT count(*) FROM mentions),
       (SELECT count(*) FROM repo_names), (SELECT count(*) FROM repos),
       (SELECT count(*) FROM readme_checks), (SELECT count(*) FROM readme_citations);
