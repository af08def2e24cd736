-- harvester schema, version 10: paper_facts carries the paper's title (its last column), as
-- paper_code and repo_mentions already do, so that a report listing papers by their facts
-- (pages_only) reads no column of the 2.7M-row papers table: a join with papers costs more
-- than the rest of such a report (issue 14; docs/architecture.md, "Derived tables").
--
-- The rule is 0009's paper_facts_rules with p.title appended; the store's refresh inserts
-- SELECT * FROM paper_facts_rules(...) into the table, so the macro and the table keep the same
-- columns in the same order. An existing file keeps its rows: the column is added and filled
-- from papers.

CREATE OR REPLACE MACRO paper_facts_rules(everything) AS TABLE
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
    coalesce(c.in_abstract, false)              AS in_abstract,   -- linked in title/abstract
    p.title                                                       -- so reports need no papers join
FROM papers p
JOIN scope s ON s.paper_id = p.paper_id
LEFT JOIN cited c ON c.paper_id = p.paper_id
LEFT JOIN official o ON o.paper_id = p.paper_id;

ALTER TABLE paper_facts ADD COLUMN title VARCHAR;
UPDATE paper_facts SET title = p.title FROM papers p WHERE p.paper_id = paper_facts.paper_id;
