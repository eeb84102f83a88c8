-- purpose: every input file version, byte-exact (bytes kept content-addressed under warehouse/raw/)
-- key: raw_id
CREATE TABLE IF NOT EXISTS raw_documents (
    raw_id VARCHAR, source_path VARCHAR, sha256 VARCHAR, byte_size BIGINT, encoding VARCHAR,
    status VARCHAR, decode_notes VARCHAR, blob_path VARCHAR, first_run_id VARCHAR
);
