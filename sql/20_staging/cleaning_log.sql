-- purpose: everything cleaning removed from each input version, with the rule (and the kept twin for repeats)
-- key: raw_id
CREATE TABLE IF NOT EXISTS cleaning_log (
    raw_id VARCHAR, seq INTEGER, kind VARCHAR, rule VARCHAR, text VARCHAR, paragraph INTEGER,
    kept_paragraph INTEGER
);
