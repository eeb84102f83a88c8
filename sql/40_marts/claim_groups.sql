-- purpose: classified claims grouped by metric, comparable period and value: the unit that conflicts and support compare
-- key: group_id
WITH c AS (
    SELECT cl.*, d.as_of_year, m.kind, m.label, m.tolerance_rel, m.tolerance_abs,
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
SELECT md5(concat_ws('|', metric, g_period, is_target, is_bound, value_low, value_high, undated_as_of)) AS group_id,
       metric, any_value(label) AS label, any_value(kind) AS kind, any_value(unit) AS unit,
       g_period AS period, g_start AS period_start, g_end AS period_end, undated_as_of, is_target, is_bound,
       value_low, value_high, any_value(tolerance_rel) AS tolerance_rel, any_value(tolerance_abs) AS tolerance_abs,
       count(*) AS n_claims, count(DISTINCT doc_id) AS n_docs, count(DISTINCT voice) AS n_voices,
       -- the group's first and last claim by (source, claim id): deterministic even when one document
       -- states the same figure twice; their documents, so conflicts can drop same-document pairs early
       min(source_path) AS first_source, arg_min(claim_id, (source_path, claim_id)) AS first_claim,
       arg_min(doc_id, (source_path, claim_id)) AS first_doc,
       max(source_path) AS last_source, arg_max(claim_id, (source_path, claim_id)) AS last_claim,
       arg_max(doc_id, (source_path, claim_id)) AS last_doc,
       string_agg(DISTINCT source_path, ', ' ORDER BY source_path) AS sources,
       -- undated figures are compared within the same reporting year and with the nearest other one
       CASE WHEN g_period IS NULL AND any_value(kind) <> 'event'
            THEN dense_rank() OVER (PARTITION BY metric, g_period IS NULL ORDER BY undated_as_of) END AS as_of_rank
FROM c
GROUP BY metric, g_period, g_start, g_end, undated_as_of, is_target, is_bound, value_low, value_high
