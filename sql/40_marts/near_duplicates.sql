-- purpose: near-duplicate documents (same story re-published with edits): both kept, linked, with the figures that differ
-- key: pair_id
SELECT p.pair_id, p.doc_id_a, a.source_path AS source_a, p.doc_id_b, b.source_path AS source_b,
       p.similarity, p.cluster_id, p.numbers_only_in_a, p.numbers_only_in_b, p.method, p.params
FROM stg_near_pairs p
JOIN documents a ON a.doc_id = p.doc_id_a
JOIN documents b ON b.doc_id = p.doc_id_b
