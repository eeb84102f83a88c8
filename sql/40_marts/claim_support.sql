-- purpose: agreement as data: for each stated figure, how many documents and independent sources support it
-- key: value_key
-- A statement (metric, period, value, target or bound) is supported by the documents that make it and by
-- those whose figure agrees with it within the metric's tolerance wherever the two are compared.
-- Statements, documents (in the order of their path), voices and comparison classes are numbered (small
-- integers, not ids and paths). A statement's supporting documents are counted without listing them: the sum
-- of the documents of every statement that supports it, less what that sum counts twice. A document counts
-- twice only when it states two statements that both support it, which share a comparison class: two figures
-- agree only when group_pairs compares them, which needs the same metric, target or not, scope, granularity,
-- dated or not, and for a flow or a rate the same period (value_key holds all of these). Only the documents
-- stating two statements of one class are listed (of one metric before: the million-file +1 % claim_support
-- 3.7 -> 2.9 s, the same rows: the bench's documents state a metric for several years). Voices alike. At a million
-- files the (statement, supporting document) pairs were 44 million rows made distinct (7.4 -> 3.0 s; the same
-- rows); every aggregate keeps bounded state per statement.
WITH agree AS (
    SELECT DISTINCT a.value_key AS k, b.value_key AS other
    FROM group_pairs p
    JOIN claim_groups a ON a.group_id = p.group_a
    JOIN claim_groups b ON b.group_id = p.group_b
    WHERE p.agree
), keys AS (          -- statements numbered, with their comparison class's number (see above)
    SELECT value_key, (row_number() OVER (ORDER BY value_key))::INTEGER AS k,
           (dense_rank() OVER (ORDER BY metric, is_target, scope, grain, undated, flow_period))::INTEGER AS cls
    FROM (SELECT value_key, any_value(metric) AS metric, any_value(is_target) AS is_target, any_value(scope) AS scope,
                 any_value(grain) AS grain, any_value(period IS NULL) AS undated,
                 any_value(CASE WHEN kind IN ('flow', 'rate') THEN period END) AS flow_period
          FROM claim_groups GROUP BY value_key)
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
), stated AS (        -- (k, d) unique: a document has one voice
    SELECT DISTINCT keys.k, keys.cls, docs.d, voices.v
    FROM claim_members m JOIN keys USING (value_key) JOIN docs USING (doc_id) JOIN voices ON voices.voice = docs.voice
    WHERE m.claim_id NOT IN (SELECT claim_id FROM claim_reviews WHERE excluded)   -- rejected by a reviewer
), stated_v AS (
    SELECT DISTINCT k, cls, v FROM stated
), own AS (           -- per statement: its documents and voices, its first 20 documents
    SELECT k, nd, nv, top FROM (SELECT k, count(*) AS nd, min(d, 20) AS top FROM stated GROUP BY k)
    JOIN (SELECT k, count(*) AS nv FROM stated_v GROUP BY k) USING (k)
), multi_d AS (       -- documents stating two or more statements of one class: only they can support a statement twice
    SELECT k, d FROM stated QUALIFY count(*) OVER (PARTITION BY d, cls) >= 2
), multi_v AS (
    SELECT k, v FROM stated_v QUALIFY count(*) OVER (PARTITION BY v, cls) >= 2
), twice_d AS (       -- what the sums below count more than once
    SELECT k, sum(n - 1) AS extra FROM (SELECT sup.k, m.d, count(*) AS n FROM sup JOIN multi_d m ON m.k = sup.other GROUP BY ALL)
    GROUP BY k
), twice_v AS (
    SELECT k, sum(n - 1) AS extra FROM (SELECT sup.k, m.v, count(*) AS n FROM sup JOIN multi_v m ON m.k = sup.other GROUP BY ALL)
    GROUP BY k
), sums AS (
    SELECT sup.k, sum(own.nd) AS nd, sum(own.nv) AS nv FROM sup JOIN own ON own.k = sup.other GROUP BY sup.k
), firsts AS (
    SELECT k, min(d, 20) AS first_docs FROM (SELECT DISTINCT sup.k, unnest(own.top) AS d FROM sup JOIN own ON own.k = sup.other)
    GROUP BY k
), support AS (
    SELECT sums.k, (sums.nd - coalesce(td.extra, 0))::BIGINT AS n_sources, (sums.nv - coalesce(tv.extra, 0))::BIGINT AS n_independent,
           firsts.first_docs
    FROM sums JOIN firsts USING (k) LEFT JOIN twice_d td USING (k) LEFT JOIN twice_v tv USING (k)
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
