-- purpose: audit — exact duplicates are collapsed: one document per content hash
-- rows: documents
-- also: documents.content_hash = content_hash
SELECT content_hash, count(*) AS n FROM documents GROUP BY content_hash HAVING count(*) > 1
