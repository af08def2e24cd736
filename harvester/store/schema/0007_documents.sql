-- harvester schema, version 7: documents fetched by `harvester follow`, and where in a document a
-- mention sits.
--
-- documents: one row per (url, paper, channel), updated when fetched again. It is the follow
-- job's checkpoint: a rerun skips what was fetched within --refetch-after, so an interrupted run
-- resumes where it stopped. `status` is the HTTP status of the final answer; `why` says why a
-- document was not fetched or not read (robots, too_large, not_html, private_address,
-- redirect_loop, bad_redirect, unreadable: ..., error: ...). No raw document is kept here.
--
-- mentions.locus / mentions.context: where in the document (title, abstract, first_page, body,
-- references; code_link, body on a page) and the sentence or anchor text around the link. The
-- mention key stays (paper_id, repo_name, source_field, kind): readers list a document's
-- strongest occurrence of a repository first (a page's code_link, a paper's earliest part), and
-- that one is kept.

CREATE TABLE documents (
    url          VARCHAR NOT NULL,           -- as asked for (before redirects)
    paper_id     VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,           -- hf / fulltext / pages
    status       INTEGER,                    -- HTTP status of the final answer; null: not fetched
    why          VARCHAR,                    -- why not fetched or not read; null: read
    final_url    VARCHAR,                    -- where the answer came from, after redirects
    content_type VARCHAR,
    fetched_at   TIMESTAMPTZ NOT NULL,
    etag         VARCHAR,
    bytes        BIGINT,
    sha256       VARCHAR,
    mentions     INTEGER,                    -- repository mentions read from it
    run_id       BIGINT,
    PRIMARY KEY (url, paper_id, channel)
);

ALTER TABLE mentions ADD COLUMN locus VARCHAR;
ALTER TABLE mentions ADD COLUMN context VARCHAR;
