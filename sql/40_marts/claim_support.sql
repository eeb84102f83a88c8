-- purpose: agreement as data: for each stated figure, how many documents and independent sources support it
-- key: value_key
-- A statement (metric, period, value, target or bound) is supported by the documents that make it and by
-- those whose figure agrees with it within the metric's tolerance wherever the two are compared.
-- At a million documents the statement x supporting document rows are tens of millions: they are made of
-- small integers (statements, documents numbered in the order of their path, voices), not of the ids and
-- paths themselves, so that DuckDB keeps their DISTINCT in memory (98.8 -> 13.9 s at 1,000,000 files, the
-- same rows); every aggregate keeps bounded state per statement (no ordered list of all its documents).
WITH agree AS (
    SELECT DISTINCT a.value_key AS k, b.value_key AS other
    FROM group_pairs p
    JOIN claim_groups a ON a.group_id = p.group_a
    JOIN claim_groups b ON b.group_id = p.group_b
    WHERE p.agree
), keys AS (
    SELECT value_key, (row_number() OVER (ORDER BY value_key))::INTEGER AS k
    FROM (SELECT DISTINCT value_key FROM claim_groups)
), sup AS (
    SELECT ka.k, kb.k AS other
    FROM (SELECT k, other FROM agree UNION SELECT other, k FROM agree) s
    JOIN keys ka ON ka.value_key = s.k JOIN keys kb ON kb.value_key = s.other
    UNION SELECT k, k FROM keys
), docs AS (
    SELECT doc_id, source_path, voice, (row_number() OVER (ORDER BY source_path, doc_id))::INTEGER AS d
    FROM (SELECT DISTINCT doc_id, source_path, voice FROM claim_members)
), voices AS (
    SELECT voice, (row_number() OVER (ORDER BY voice))::INTEGER AS v FROM (SELECT DISTINCT voice FROM docs)
), stated AS (
    SELECT DISTINCT keys.k, docs.d, voices.v
    FROM claim_members m JOIN keys USING (value_key) JOIN docs USING (doc_id) JOIN voices ON voices.voice = docs.voice
    WHERE m.claim_id NOT IN (SELECT claim_id FROM claim_reviews WHERE excluded)   -- rejected by a reviewer
), supporting AS (   -- one row per statement and supporting document
    SELECT DISTINCT sup.k, stated.d, stated.v FROM sup JOIN stated ON stated.k = sup.other
), support AS (
    SELECT k, count(*) AS n_sources, count(DISTINCT v) AS n_independent, min(d, 20) AS first_docs
    FROM supporting GROUP BY k
), named AS (
    SELECT k, string_agg(docs.source_path, ', ' ORDER BY docs.d) AS sources
    FROM (SELECT k, unnest(first_docs) AS d FROM support) f JOIN docs USING (d)
    GROUP BY k
), v AS (
    SELECT value_key, any_value(metric) AS metric, any_value(label) AS label, any_value(period) AS period,
           any_value(value_low) AS value_low, any_value(value_high) AS value_high, any_value(unit) AS unit,
           any_value(is_target) AS is_target
    FROM claim_groups WHERE NOT is_bound GROUP BY value_key
)
SELECT v.value_key, v.metric, v.label, v.period, v.value_low, v.value_high, v.unit, v.is_target,
       s.n_sources, s.n_independent, n.sources
FROM v
JOIN keys USING (value_key)
JOIN support s USING (k)
JOIN named n USING (k)
