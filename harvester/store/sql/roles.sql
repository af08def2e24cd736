-- README back-links, reverse search and paper_code (harvester/store/roles.py, schema 0008).
-- `-- name:` starts a statement; parameters are named ($now).

-- name: has_column
SELECT count(*) FROM information_schema.columns
WHERE table_schema = 'main' AND table_name = $table AND column_name = $column;

-- name: repos_to_check
-- Resolved repositories whose README was never asked for, or not since $stale_before; the
-- never-asked first.
SELECT r.repo_id, r.full_name
FROM repos r
LEFT JOIN readme_checks c ON c.repo_id = r.repo_id
WHERE (c.repo_id IS NULL OR c.checked_at < $stale_before::TIMESTAMPTZ)
  AND EXISTS (SELECT 1 FROM repo_names n
              WHERE n.repo_id = r.repo_id AND n.status IN ('ok', 'renamed'))
ORDER BY c.checked_at NULLS FIRST, r.repo_id
LIMIT $limit;

-- name: has_table
SELECT count(*) FROM information_schema.tables
WHERE table_schema = 'main' AND table_name = $table;

-- name: count_repos_to_check
-- As repos_to_check, counted (for --dry-run).
SELECT count(*)
FROM repos r
LEFT JOIN readme_checks c ON c.repo_id = r.repo_id
WHERE (c.repo_id IS NULL OR c.checked_at < $stale_before::TIMESTAMPTZ)
  AND EXISTS (SELECT 1 FROM repo_names n
              WHERE n.repo_id = r.repo_id AND n.status IN ('ok', 'renamed'));

-- name: count_resolved_repos
-- A file from before schema 0008: every resolved repository's README is still to read.
SELECT count(*) FROM repos r
WHERE EXISTS (SELECT 1 FROM repo_names n
              WHERE n.repo_id = r.repo_id AND n.status IN ('ok', 'renamed'));

-- name: mentioning_papers
-- The papers that mention each of $repo_ids (through any name that resolves to it).
SELECT DISTINCT n.repo_id, m.paper_id
FROM mentions m
JOIN repo_names n ON n.repo_name = m.repo_name
WHERE n.repo_id IN (SELECT unnest($repo_ids::BIGINT[]));

-- name: papers_to_search
-- Papers with an arXiv id and no official repository in paper_code, not searched yet.
SELECT p.paper_id, p.title
FROM papers p
WHERE regexp_full_match(p.paper_id, '\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7}')
  AND NOT EXISTS (SELECT 1 FROM paper_code c WHERE c.paper_id = p.paper_id AND c.role = 'official')
  AND NOT EXISTS (SELECT 1 FROM readme_searches s WHERE s.paper_id = p.paper_id)
ORDER BY p.published_at DESC NULLS LAST, p.paper_id
LIMIT $limit;

-- name: count_to_search
SELECT count(*)
FROM papers p
WHERE regexp_full_match(p.paper_id, '\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7}')
  AND NOT EXISTS (SELECT 1 FROM paper_code c WHERE c.paper_id = p.paper_id AND c.role = 'official')
  AND NOT EXISTS (SELECT 1 FROM readme_searches s WHERE s.paper_id = p.paper_id);

-- name: forget_citations
DELETE FROM readme_citations WHERE repo_id IN (SELECT repo_id FROM stage_checks);

-- name: upsert_checks
INSERT INTO readme_checks SELECT * FROM stage_checks
ON CONFLICT (repo_id) DO UPDATE SET checked_at = EXCLUDED.checked_at, status = EXCLUDED.status,
    cited_papers_total = EXCLUDED.cited_papers_total, detail = EXCLUDED.detail;

-- name: insert_citations
INSERT INTO readme_citations SELECT * FROM stage_citations
ON CONFLICT (repo_id, paper_id) DO UPDATE SET how = EXCLUDED.how,
    cited_papers_total = EXCLUDED.cited_papers_total, checked_at = EXCLUDED.checked_at;

-- name: upsert_search
INSERT INTO readme_searches VALUES ($paper_id, $now, $hits, $confirmed)
ON CONFLICT (paper_id) DO UPDATE SET searched_at = EXCLUDED.searched_at, hits = EXCLUDED.hits,
    confirmed = EXCLUDED.confirmed;

-- name: evidence_mentions
-- Mentions of repositories as evidence: (paper, repository key, source_field, locus), the
-- repository key being its current lowercase name once resolved (as in the paper_code view).
SELECT m.paper_id, coalesce(r.full_name_lower, m.repo_name), m.source_field,
       coalesce(m.locus, m.source_field)
FROM mentions m
LEFT JOIN repo_names n ON n.repo_name = m.repo_name
LEFT JOIN repos r ON r.repo_id = n.repo_id
WHERE m.kind = 'repo';

-- name: evidence_readmes
SELECT c.paper_id, r.full_name_lower, c.how, c.cited_papers_total
FROM readme_citations c
JOIN repos r ON r.repo_id = c.repo_id
JOIN papers p ON p.paper_id = c.paper_id;

-- name: forks
SELECT full_name_lower FROM repos WHERE is_fork;

-- name: paper_code_counts
SELECT count(*), count(*) FILTER (WHERE role = 'official'),
       count(DISTINCT paper_id) FILTER (WHERE role = 'official'), count(*) FILTER (WHERE conflict)
FROM paper_code;

-- name: pending_names
-- The names of repositories found by reverse search (as sql/papers.sql does for any mention).
INSERT INTO repo_names (repo_name, status, first_seen_at)
SELECT DISTINCT repo_name, 'pending', $now FROM stage_mentions WHERE kind = 'repo'
ON CONFLICT DO NOTHING;
