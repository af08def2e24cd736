-- harvester schema, version 4: one home for the lowercase-name rule, and one view for the
-- paper -> mention -> name -> repository join that the reports share.
--
-- repos.full_name_lower: the current name, lowercased, the form every name is compared in
-- (repo_names.repo_name and mentions.repo_name are lowercase). A generated column: it cannot
-- disagree with full_name and costs nothing to write. DuckDB cannot add a generated column to an
-- existing table, so repos is rebuilt (as 0003 rebuilt mentions); the new column goes last, so
-- every other column keeps its position.

CREATE TABLE repos_v4 (
    repo_id      BIGINT PRIMARY KEY,         -- GitHub's databaseId: names change, ids do not
    full_name    VARCHAR NOT NULL,           -- current owner/name, GitHub's case
    stars        INTEGER,
    forks        INTEGER,
    watchers     INTEGER,
    open_issues  INTEGER,
    language     VARCHAR,
    license      VARCHAR,
    topics       VARCHAR[],
    description  VARCHAR,
    homepage     VARCHAR,
    created_at   TIMESTAMPTZ,
    pushed_at    TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ,
    archived     BOOLEAN,
    is_fork      BOOLEAN,
    etag         VARCHAR,                    -- REST ETag for conditional refreshes
    fetched_at   TIMESTAMPTZ NOT NULL,
    full_name_lower VARCHAR GENERATED ALWAYS AS (lower(full_name)) VIRTUAL
);
INSERT INTO repos_v4
    SELECT repo_id, full_name, stars, forks, watchers, open_issues, language, license, topics,
           description, homepage, created_at, pushed_at, updated_at, archived, is_fork, etag,
           fetched_at
    FROM repos;
DROP TABLE repos;
ALTER TABLE repos_v4 RENAME TO repos;

-- repo_mentions: every mention of a repository (kind = 'repo'; github.io pages are not
-- repositories) with its paper's date, what GitHub answered for the name as cited, and the
-- repository that name resolves to. One row per mention (paper x name x where found): count
-- DISTINCT paper_id or repo_id for papers or repositories. A name not resolved (pending,
-- not_found, blocked, error) has a null repo_id and null repository columns, so
-- `WHERE repo_id IS NOT NULL` keeps the mentions of repositories that exist.
CREATE VIEW repo_mentions AS
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
    r.fetched_at
FROM mentions m
JOIN papers p ON p.paper_id = m.paper_id
LEFT JOIN repo_names n ON n.repo_name = m.repo_name
LEFT JOIN repos r ON r.repo_id = n.repo_id
WHERE m.kind = 'repo';
