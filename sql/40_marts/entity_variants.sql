-- purpose: name variants: surface forms that differ from the canonical entity name (misspellings, aliases)
-- key: variant_id
SELECT md5(m.entity || '|' || m.surface || '|' || d.source_path) AS variant_id, m.entity AS canonical,
       m.surface AS variant, m.match, m.entity_type, d.source_path, count(*) AS mentions
FROM stg_entity_mentions m JOIN documents d USING (doc_id)
WHERE m.match IN ('fuzzy', 'variant')
GROUP BY ALL
