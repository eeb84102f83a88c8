-- purpose: agreement as data: for each stated figure, how many documents and independent sources support it
-- key: value_key
-- A statement (metric, period, value, target or bound) is supported by the documents that make it and by
-- those whose figure agrees with it within the metric's tolerance wherever the two are compared.
-- Every aggregate below keeps bounded state per statement (no list(DISTINCT ... ORDER BY)): at a million
-- documents the statement x supporting document rows are tens of millions, and DuckDB can spill a
-- DISTINCT or a count but not an ordered list.
WITH agree AS (
    SELECT DISTINCT a.value_key AS k, b.value_key AS other
    FROM group_pairs p
    JOIN claim_groups a ON a.group_id = p.group_a
    JOIN claim_groups b ON b.group_id = p.group_b
    WHERE p.agree
), sup AS (
    SELECT k, other FROM agree UNION SELECT other, k FROM agree
    UNION SELECT DISTINCT value_key, value_key FROM claim_groups
), docs AS (   -- one row per document and statement (a document has one voice and one path)
    SELECT DISTINCT value_key, doc_id, voice, source_path FROM claim_members
), supporting AS (   -- one row per statement and supporting document
    SELECT DISTINCT sup.k AS value_key, d.doc_id, d.voice, d.source_path
    FROM sup JOIN docs d ON d.value_key = sup.other
), by_doc AS (
    SELECT value_key, count(*) AS n_sources,
           -- the first 20 source files by name (n_sources has them all)
           array_to_string(min(source_path, 20), ', ') AS sources
    FROM supporting GROUP BY value_key
), by_voice AS (
    SELECT value_key, count(*) AS n_independent
    FROM (SELECT DISTINCT value_key, voice FROM supporting) GROUP BY value_key
), v AS (
    SELECT value_key, any_value(metric) AS metric, any_value(label) AS label, any_value(period) AS period,
           any_value(value_low) AS value_low, any_value(value_high) AS value_high, any_value(unit) AS unit,
           any_value(is_target) AS is_target
    FROM claim_groups WHERE NOT is_bound GROUP BY value_key
)
SELECT v.value_key, v.metric, v.label, v.period, v.value_low, v.value_high, v.unit, v.is_target,
       d.n_sources, n.n_independent, d.sources
FROM v
JOIN by_doc d USING (value_key)
JOIN by_voice n USING (value_key)
