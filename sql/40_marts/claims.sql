-- purpose: numeric claims of the current documents, with provenance (document, sentence, offsets)
-- key: claim_id
-- scope: doc_id
-- scope_inputs: stg_claims, documents
SELECT c.claim_id, c.doc_id, d.source_path, c.metric, c.subject, c.value_low, c.value_high, c.unit,
       c.qualifier, c.period, c.period_start, c.period_end, c.date, c.as_of, c.as_of_source, c.quote,
       c.char_start, c.char_end, c.value_start, c.value_end, c.value_text, c.sentence_index, c.method,
       c.scope, c.direction, c.confidence, c.evidence,
       coalesce(d.near_dup_cluster, d.doc_id) AS voice
FROM stg_claims c
JOIN documents d USING (doc_id)
