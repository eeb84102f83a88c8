-- purpose: agreement as data: for each stated figure, how many documents and independent sources support it
-- key: value_key
-- A statement (metric, period, value, target or bound) is supported by the documents that make it and by
-- those whose figure agrees with it within the metric's tolerance wherever the two are compared.
WITH agree AS (
    SELECT DISTINCT a.value_key AS k, b.value_key AS other
    FROM group_pairs p
    JOIN claim_groups a ON a.group_id = p.group_a
    JOIN claim_groups b ON b.group_id = p.group_b
    WHERE p.agree
), sup AS (
    SELECT k, other FROM agree UNION SELECT other, k FROM agree
    UNION SELECT DISTINCT value_key, value_key FROM claim_groups
), docs AS (   -- one row per document and statement
    SELECT DISTINCT value_key, doc_id, voice, source_path FROM claim_members
), v AS (
    SELECT value_key, any_value(metric) AS metric, any_value(label) AS label, any_value(period) AS period,
           any_value(value_low) AS value_low, any_value(value_high) AS value_high, any_value(unit) AS unit,
           any_value(is_target) AS is_target
    FROM claim_groups WHERE NOT is_bound GROUP BY value_key
)
SELECT v.value_key, v.metric, v.label, v.period, v.value_low, v.value_high, v.unit, v.is_target,
       count(DISTINCT d.doc_id) AS n_sources, count(DISTINCT d.voice) AS n_independent,
       -- the first 20 source files by name (n_sources has them all)
       array_to_string(list_slice(list(DISTINCT d.source_path ORDER BY d.source_path), 1, 20), ', ') AS sources
FROM v
JOIN sup ON sup.k = v.value_key
JOIN docs d ON d.value_key = sup.other
GROUP BY ALL
