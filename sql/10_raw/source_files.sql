-- purpose: the current version of every input path seen (files that disappeared stay, present = false)
-- key: source_path
CREATE TABLE IF NOT EXISTS source_files (
    source_path VARCHAR, raw_id VARCHAR, sha256 VARCHAR, doc_id VARCHAR, status VARCHAR, present BOOLEAN
);
