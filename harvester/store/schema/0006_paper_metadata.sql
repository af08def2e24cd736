-- harvester schema, version 6: the papers' bibliographic fields (issue 14), and where an
-- interrupted OAI-PMH list resumes.
--
-- papers gain the fields the arXiv API and OAI-PMH, the arXiv metadata snapshot and Hugging Face
-- listings carry. Nothing in an older row holds them (no earlier column kept authors,
-- categories, a DOI, a journal reference or a licence; an old-style id such as cs/0101001 names
-- an archive, not a category), so existing rows keep them null; harvesting the same papers
-- again from a source that has them fills them in (the upsert never nulls a known value).
-- The columns go last, so every other column keeps its position.

ALTER TABLE papers ADD COLUMN authors VARCHAR[];          -- display names, in the paper's order
ALTER TABLE papers ADD COLUMN categories VARCHAR[];       -- arXiv categories, primary first
ALTER TABLE papers ADD COLUMN primary_category VARCHAR;   -- cs.CV, hep-th, ...
ALTER TABLE papers ADD COLUMN doi VARCHAR;
ALTER TABLE papers ADD COLUMN journal_ref VARCHAR;
ALTER TABLE papers ADD COLUMN license VARCHAR;            -- the licence URL arXiv records

-- An OAI-PMH list (ListRecords of a set and datestamp range) read in pages: the resumption token
-- of the first page not yet committed, saved after each committed batch, so that a rerun of the
-- same list continues there instead of at the start. One row per source and cursor key (the set);
-- list_request says which list the token belongs to (a rerun with other --from/--until starts
-- afresh); the row is deleted when the list is complete. newest_datestamp is the newest
-- datestamp of the records read so far, over every run of this list: it becomes the
-- --since-last cursor (source_cursors) once the list is complete.

CREATE TABLE source_resume (
    source           VARCHAR NOT NULL,       -- arxiv_oai
    query            VARCHAR NOT NULL,       -- the cursor key (the OAI set; '' = all of arXiv)
    list_request     VARCHAR NOT NULL,       -- the first request's parameters, URL-encoded
    token            VARCHAR NOT NULL,       -- resumptionToken of the next page to read
    list_cursor      BIGINT,                 -- records before that page, as the server counts
    complete_list_size BIGINT,               -- records in the whole list, as the server said
    newest_datestamp DATE,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, query)
);
