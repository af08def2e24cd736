-- harvester schema, version 1. The contract is ../shared/DESIGN.md §2: reports and checks rely on
-- these table and column names. Later changes go in new numbered files; never edit this one.

CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1;

CREATE TABLE runs (
    run_id       BIGINT PRIMARY KEY DEFAULT nextval('run_id_seq'),
    command      VARCHAR NOT NULL,           -- harvest / refresh / ...
    args         VARCHAR,                    -- the command line as given (never the token)
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    status       VARCHAR NOT NULL,           -- running / ok / partial / failed / interrupted
    pid          INTEGER,                    -- to recognise a run left 'running' by a dead process
    hostname     VARCHAR,
    papers       BIGINT DEFAULT 0,           -- papers read by this run
    new_papers   BIGINT DEFAULT 0,
    new_mentions BIGINT DEFAULT 0,
    repos_fetched BIGINT DEFAULT 0,
    requests     BIGINT DEFAULT 0,           -- requests sent to GitHub
    message      VARCHAR                     -- the one-line summary or the error
);

CREATE TABLE papers (
    paper_id        VARCHAR PRIMARY KEY,     -- arXiv id without version when known
    source          VARCHAR NOT NULL,        -- hf_daily / jsonl / listing / arxiv / ...
    title           VARCHAR,
    abstract        VARCHAR,
    comment         VARCHAR,
    published_at    DATE,
    url             VARCHAR,
    hf_github_repo  VARCHAR,                 -- githubRepo as entered on Hugging Face
    hf_github_stars INTEGER,                 -- HF's cached star count (a hint only)
    project_page    VARCHAR,
    upvotes         INTEGER,
    organization    VARCHAR,
    listed_on       DATE,                    -- day an HF Daily Papers listing showed it
    first_run_id    BIGINT,
    harvested_at    TIMESTAMPTZ
);

CREATE TABLE mentions (
    paper_id      VARCHAR NOT NULL,
    repo_name     VARCHAR NOT NULL,          -- lowercase owner/name as mentioned
    source_field  VARCHAR NOT NULL,          -- title / abstract / comment / text / hf_github_repo
    kind          VARCHAR NOT NULL,          -- repo / pages (owner.github.io/project)
    repo          VARCHAR NOT NULL,          -- owner/name with the case as written
    url           VARCHAR,                   -- the cleaned link as found
    first_run_id  BIGINT,
    PRIMARY KEY (paper_id, repo_name, source_field, kind)
);

CREATE TABLE repo_names (
    repo_name     VARCHAR PRIMARY KEY,       -- lowercase owner/name (kind = repo mentions only)
    repo_id       BIGINT,                    -- null until resolved, or when gone
    status        VARCHAR NOT NULL DEFAULT 'pending',  -- pending/ok/renamed/not_found/blocked/error
    checked_at    TIMESTAMPTZ,
    detail        VARCHAR,                   -- why: the new name, the block reason, the error
    attempts      INTEGER NOT NULL DEFAULT 0,
    first_seen_at TIMESTAMPTZ
);

CREATE TABLE repos (
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
    fetched_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE repo_snapshots (                -- append-only: the star history
    repo_id      BIGINT NOT NULL,
    run_id       BIGINT,
    fetched_at   TIMESTAMPTZ NOT NULL,
    stars        INTEGER,
    forks        INTEGER,
    open_issues  INTEGER,
    pushed_at    TIMESTAMPTZ,
    archived     BOOLEAN
);
