-- purpose: which extractor version (rules + metric registry) produced each document's current claims and entity mentions
-- key: doc_id
CREATE TABLE IF NOT EXISTS stg_extractions (
    doc_id VARCHAR, extractor_version VARCHAR, claims INTEGER, entity_mentions INTEGER, run_id VARCHAR
);
