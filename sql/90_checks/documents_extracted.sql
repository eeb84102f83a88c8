-- purpose: audit — every current document has an extraction record whose counts match its claims
-- rows: documents
-- also: documents.doc_id = doc_id; stg_extractions.doc_id = doc_id; stg_claims.doc_id = doc_id
SELECT d.doc_id, e.claims AS recorded_claims, count(c.claim_id) AS claims
FROM documents d
LEFT JOIN stg_extractions e USING (doc_id)
LEFT JOIN stg_claims c USING (doc_id)
GROUP BY d.doc_id, e.claims
HAVING e.claims IS NULL OR e.claims <> count(c.claim_id)
