-- Documents fetched by `harvester follow` (harvester/store/documents.py).

-- name: upsert
INSERT INTO documents
SELECT * FROM stage_documents
ON CONFLICT (url, paper_id, channel) DO UPDATE SET
    status = EXCLUDED.status, why = EXCLUDED.why, final_url = EXCLUDED.final_url,
    content_type = EXCLUDED.content_type, fetched_at = EXCLUDED.fetched_at,
    etag = EXCLUDED.etag, bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256,
    mentions = EXCLUDED.mentions, run_id = EXCLUDED.run_id;

-- name: has_documents
SELECT count(*) FROM information_schema.tables
WHERE table_name = 'documents' AND table_schema = 'main';

-- name: done_since
-- Documents of these papers that a rerun skips: settled (an answer, or a refusal that would
-- repeat) at or after $since. Transport errors are tried again.
SELECT url, paper_id, channel, status, why
FROM documents
WHERE paper_id IN (SELECT unnest($papers::VARCHAR[]))
  AND fetched_at >= $since
  AND (why IS NULL OR NOT starts_with(why, 'error'));

-- name: stored_since
-- Documents of these papers read (a 200 that was read) before $since, with an ETag: a refetch
-- asks for them with If-None-Match, and a 304 keeps what they gave.
SELECT url, paper_id, channel, status, why, final_url, content_type, etag, bytes, sha256, mentions
FROM documents
WHERE paper_id IN (SELECT unnest($papers::VARCHAR[]))
  AND fetched_at < $since
  AND etag IS NOT NULL
  AND status = 200
  AND why IS NULL;

-- name: papers_to_follow
-- Papers to follow, oldest first: all, or only those without an author-declared repository
-- (no hf_github_repo), published (or listed) on or after $since, from run $run_id when given.
WITH pages AS (
    SELECT paper_id, list(DISTINCT url) AS urls FROM mentions WHERE kind = 'pages' GROUP BY paper_id
)
SELECT p.paper_id, p.source, p.title, p.abstract, p.comment, p.project_page, p.hf_github_repo,
       pages.urls
FROM papers p
LEFT JOIN pages ON pages.paper_id = p.paper_id
WHERE ($all OR p.hf_github_repo IS NULL)
  AND ($since IS NULL OR coalesce(p.published_at, p.listed_on) >= $since)
  AND ($run_id IS NULL OR p.first_run_id = $run_id)
ORDER BY coalesce(p.published_at, p.listed_on) NULLS LAST, p.paper_id
LIMIT $limit;
