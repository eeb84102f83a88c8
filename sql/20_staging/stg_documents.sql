-- purpose: one cleaned document per distinct content (doc_id = hash of the cleaned text); insert-only
-- key: doc_id
CREATE TABLE IF NOT EXISTS stg_documents (
    doc_id VARCHAR, raw_id VARCHAR, source_path VARCHAR, title VARCHAR, author VARCHAR, source_tag VARCHAR,
    lead VARCHAR, captions VARCHAR, body VARCHAR, content_hash VARCHAR, as_of VARCHAR, as_of_year INTEGER,
    as_of_source VARCHAR, as_of_evidence VARCHAR, publisher VARCHAR, url VARCHAR, n_paragraphs INTEGER,
    n_sentences INTEGER
);
