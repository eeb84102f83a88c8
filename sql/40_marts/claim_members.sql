-- purpose: each classified claim with the group it is compared in (metric, comparable period, value) and its value key
-- key: claim_id
-- scope: doc_id
-- scope_inputs: claims, documents
WITH c AS (
    SELECT cl.claim_id, cl.doc_id, cl.voice, cl.source_path, cl.metric, cl.value_low, cl.value_high,
           d.as_of_year, m.kind, m.label, m.unit, m.tolerance_rel, m.tolerance_abs,
           CASE WHEN m.kind = 'event' THEN NULL ELSE cl.period END AS g_period,
           CASE WHEN m.kind = 'event' THEN NULL ELSE cl.period_start END AS g_start,
           CASE WHEN m.kind = 'event' THEN NULL ELSE cl.period_end END AS g_end,
           CASE WHEN m.kind <> 'event' AND cl.period IS NULL THEN d.as_of_year END AS undated_as_of,
           cl.qualifier = 'target' AS is_target,
           cl.qualifier IN ('over', 'under', 'derived') AS is_bound
    FROM claims cl
    JOIN documents d USING (doc_id)
    JOIN metrics m ON m.metric = cl.metric
)
-- ids hash a row value, which spells NULLs out: "over 100" (100, NULL) and "under 100" (NULL, 100) differ
SELECT c.*,
       md5(row(metric, g_period, is_target, is_bound, value_low, value_high, undated_as_of)::VARCHAR) AS group_id,
       -- the same statement whatever the reporting year: what agreement is counted over
       md5(row(metric, g_period, is_target, is_bound, value_low, value_high)::VARCHAR) AS value_key
FROM c
