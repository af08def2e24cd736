-- harvester schema, version 8: README back-links, reverse search, and a role per paper x repository
-- (issue 12). What a README cites is stored, never the README itself: rechecking a README
-- replaces its rows. paper_code is a view over every channel's evidence, always current.

-- One row per repository whose README was asked for.
CREATE TABLE readme_checks (
    repo_id             BIGINT PRIMARY KEY,
    checked_at          TIMESTAMPTZ NOT NULL,
    status              VARCHAR NOT NULL,     -- ok / missing (no README) / error
    cited_papers_total  INTEGER,              -- distinct arXiv ids and DOIs the README cites
    detail              VARCHAR               -- why not ok
);

-- One row per repository x paper its README cites (papers we know only).
CREATE TABLE readme_citations (
    repo_id             BIGINT NOT NULL,
    paper_id            VARCHAR NOT NULL,
    how                 VARCHAR NOT NULL,     -- link / id / doi / title (the strongest found)
    cited_papers_total  INTEGER NOT NULL,     -- over LIST_LIMIT (50): a list, not this paper's code
    checked_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repo_id, paper_id)
);

-- One row per paper searched for on GitHub (`"ID" in:readme`), so a rerun does not ask again.
CREATE TABLE readme_searches (
    paper_id     VARCHAR PRIMARY KEY,
    searched_at  TIMESTAMPTZ NOT NULL,
    hits         INTEGER NOT NULL,            -- repositories the search returned
    confirmed    INTEGER NOT NULL             -- of them, those whose README cites the paper
);

-- The locus of a mention (title/abstract/first_page/body/references/code_link) is added by
-- schema 0007 (full text and pages); a database without it gets the column here, empty.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS locus VARCHAR;

-- paper_code: one row per paper x repository with any evidence, and its role. The rules are
-- docs/roles.md, stated in Python in harvester/roles.py; tests/store/test_paper_code.py checks
-- that this view gives the same rows as roles.assign. Change both together.
CREATE VIEW paper_code AS
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
    UNION ALL
    SELECT c.paper_id, r.full_name_lower, c.repo_id, 'readme', c.how, c.cited_papers_total
    FROM readme_citations c
    JOIN repos r ON r.repo_id = c.repo_id
    JOIN papers p ON p.paper_id = c.paper_id
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
    paper_id,
    repo AS repo_name,             -- current lowercase owner/name, else the name as cited
    repo_id,                       -- null until the name resolves
    role,                          -- official / third_party / unknown
    confidence,                    -- 0-1
    channels,                      -- every channel with evidence for this pair
    official_channels,             -- those that count as official evidence
    conflict,                      -- declared repository and the paper's own evidence disagree
    row_number() OVER (
        PARTITION BY paper_id
        ORDER BY CASE role WHEN 'official' THEN 0 WHEN 'third_party' THEN 1 ELSE 2 END,
                 confidence DESC, repo
    ) AS rank                      -- 1: the paper's best repository
FROM scored;
