-- purpose: cleaned documents, one row per distinct document; exact duplicate files collapse onto the first path
-- key: doc_id
-- scope: doc_id
-- scope_inputs: source_files, stg_documents
WITH cur AS (
    SELECT * FROM source_files WHERE status = 'ok' AND doc_id IS NOT NULL
), rep AS (
    SELECT doc_id, min(source_path) AS source_path, count(*) AS n_files FROM cur GROUP BY doc_id
), clusters AS (
    SELECT doc_id, min(cluster_id) AS near_dup_cluster
    FROM (SELECT doc_id_a AS doc_id, cluster_id FROM stg_near_pairs
          UNION ALL SELECT doc_id_b, cluster_id FROM stg_near_pairs)
    GROUP BY doc_id
)
SELECT d.doc_id, f.raw_id, rep.source_path, d.title, d.author, d.source_tag, d.lead, d.captions, d.body,
       d.as_of, d.as_of_year, d.as_of_source, d.as_of_evidence, d.publisher, d.url, d.content_hash,
       d.n_paragraphs, d.n_sentences, rep.n_files, clusters.near_dup_cluster
FROM rep
JOIN stg_documents d USING (doc_id)
JOIN cur f ON f.doc_id = rep.doc_id AND f.source_path = rep.source_path
LEFT JOIN clusters USING (doc_id)
