-- purpose: audit — a conflict compares two different documents whose claims exist
-- rows: conflicts
-- also: claims.claim_id = claim_id_a, claim_id_b
SELECT k.conflict_id FROM conflicts k
LEFT JOIN claims a ON a.claim_id = k.claim_id_a LEFT JOIN claims b ON b.claim_id = k.claim_id_b
WHERE k.source_a = k.source_b OR a.claim_id IS NULL OR b.claim_id IS NULL OR a.doc_id = b.doc_id
