-- purpose: MinHash signature of each distinct document (near-duplicate detection, computed once per doc)
-- key: doc_id
CREATE TABLE IF NOT EXISTS stg_minhash (doc_id VARCHAR, signature BLOB);
