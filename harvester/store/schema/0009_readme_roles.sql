-- harvester schema, version 9: README back-links, reverse search, and a role per paper x repository
-- (issue 12). What a README cites is stored, never the README itself. All four tables are
-- derived from GitHub or from other tables: rechecking a README replaces its rows, and
-- paper_code is rebuilt at the end of a job (harvester/store/roles.py); nothing harvested is lost.

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

-- One row per paper x repository with any evidence (docs/roles.md). Rebuilt as a whole.
CREATE TABLE paper_code (
    paper_id           VARCHAR NOT NULL,
    repo_name          VARCHAR NOT NULL,      -- current lowercase owner/name, else as cited
    repo_id            BIGINT,                -- null until the name resolves
    role               VARCHAR NOT NULL,      -- official / third_party / unknown
    confidence         DOUBLE NOT NULL,       -- 0-1
    channels           VARCHAR[] NOT NULL,    -- every channel with evidence for this pair
    official_channels  VARCHAR[] NOT NULL,    -- those that count as official evidence
    conflict           BOOLEAN NOT NULL,      -- declared repository and own evidence disagree
    rank               INTEGER NOT NULL,      -- 1: the paper's best repository
    refreshed_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (paper_id, repo_name)
);
