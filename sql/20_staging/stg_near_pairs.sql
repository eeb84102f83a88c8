-- purpose: near-duplicate document pairs found by MinHash-LSH (recomputed each run, merged by key)
-- key: pair_id
CREATE TABLE IF NOT EXISTS stg_near_pairs (
    pair_id VARCHAR, doc_id_a VARCHAR, doc_id_b VARCHAR, similarity DOUBLE, cluster_id VARCHAR,
    numbers_only_in_a VARCHAR, numbers_only_in_b VARCHAR, method VARCHAR, params VARCHAR
);
