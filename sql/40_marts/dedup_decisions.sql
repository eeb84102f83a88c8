-- purpose: every dedup removal with its kept twin, similarity, method, parameters and the run that made it
-- key: decision_id
-- scope: removed_source_path (source_path)
-- scope_inputs: source_files
SELECT md5('file|' || f.source_path || '|' || f.raw_id) AS decision_id, 'document' AS removed_kind,
       f.source_path AS removed_source_path, f.raw_id AS removed_ref, NULL::VARCHAR AS removed_text,
       d.source_path AS kept_source_path, d.raw_id AS kept_ref, 1.0 AS similarity,
       'exact-duplicate-document' AS method,
       'cleaned text identical after NFC, tone-mark and case normalisation (digits and diacritics kept)' AS params,
       r.first_run_id AS run_id
FROM source_files f
JOIN documents d ON d.doc_id = f.doc_id AND d.source_path <> f.source_path
JOIN raw_documents r ON r.raw_id = f.raw_id
WHERE f.status = 'ok'
UNION ALL
SELECT md5('para|' || l.raw_id || '|' || l.seq), 'paragraph', f.source_path,
       l.raw_id || '#p' || l.paragraph, l.text, f.source_path, l.raw_id || '#p' || l.kept_paragraph, 1.0,
       'exact-duplicate-paragraph', 'paragraph identical after whitespace, NBSP, tone-mark and case normalisation',
       r.first_run_id
FROM cleaning_log l
JOIN source_files f ON f.raw_id = l.raw_id
JOIN raw_documents r ON r.raw_id = l.raw_id
WHERE l.rule = 'duplicate_paragraph'
