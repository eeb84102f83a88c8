-- purpose: which cleaner version (decoding + cleaning rules) cleaned each input file version, and the document it gave
-- key: raw_id
CREATE TABLE IF NOT EXISTS stg_cleanings (
    raw_id VARCHAR, source_path VARCHAR, cleaner_version VARCHAR, doc_id VARCHAR, run_id VARCHAR
);
