-- purpose: claims extracted from each distinct document (extracted once per doc_id)
-- key: claim_id
CREATE TABLE IF NOT EXISTS stg_claims (
    claim_id VARCHAR, doc_id VARCHAR, metric VARCHAR, subject VARCHAR, value_low DOUBLE, value_high DOUBLE,
    unit VARCHAR, qualifier VARCHAR, period VARCHAR, period_start INTEGER, period_end INTEGER, date VARCHAR,
    as_of VARCHAR, as_of_source VARCHAR, quote VARCHAR, char_start INTEGER, char_end INTEGER,
    value_start INTEGER, value_end INTEGER, value_text VARCHAR, sentence_index INTEGER, method VARCHAR,
    -- the claim frame (issue 17): NULL scope = the headline figure; the words that decided each field
    scope VARCHAR, direction VARCHAR, confidence DOUBLE, evidence VARCHAR
);
