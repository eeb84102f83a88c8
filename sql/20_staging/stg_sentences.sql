-- purpose: sentences of each document with offsets into documents.body (claims point at them)
-- key: doc_id
CREATE TABLE IF NOT EXISTS stg_sentences (
    doc_id VARCHAR, sentence_index INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR
);
