-- purpose: rejected inputs: path, sha256, reason in words, the run, and where their bytes are kept
-- key: raw_id
CREATE TABLE IF NOT EXISTS quarantine (
    raw_id VARCHAR, source_path VARCHAR, sha256 VARCHAR, byte_size BIGINT, reason_code VARCHAR,
    reason VARCHAR, blob_path VARCHAR, run_id VARCHAR
);
