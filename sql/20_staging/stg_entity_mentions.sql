-- purpose: people, organisations and places mentioned in each document, aliases resolved to a canonical name
-- key: doc_id
CREATE TABLE IF NOT EXISTS stg_entity_mentions (
    doc_id VARCHAR, entity VARCHAR, entity_type VARCHAR, surface VARCHAR, match VARCHAR,
    char_start INTEGER, char_end INTEGER
);
