-- purpose: classified claims grouped by metric, comparable period and value: the unit that conflicts and support compare
-- key: group_id
-- The distinct documents, voices and sources of a group are counted and listed grouped by group_id alone (which
-- names one group: audit claim_groups_unique_id; two groups sharing one would still be two rows), apart from
-- the other aggregates: as DISTINCT aggregates under the eleven grouping columns they took 1.9 of 3.2 s at a
-- million files (claim_groups 3.2 -> 2.0 s there, 0.28 -> 0.19 s at 100,000, the same rows). claim_members is
-- read twice (once materialised, it cost more than a second scan).
-- Claims a reviewer rejected leave the comparison (claim_reviews; they stay in claims).
WITH g AS (
    SELECT group_id, any_value(value_key) AS value_key,
           metric, any_value(label) AS label, any_value(kind) AS kind, any_value(unit) AS unit,
           g_period AS period, g_start AS period_start, g_end AS period_end, undated_as_of, is_target, is_bound,
           g_scope AS scope, any_value(grain) AS grain, min(confidence) AS min_confidence,
           value_low, value_high, any_value(tolerance_rel) AS tolerance_rel, any_value(tolerance_abs) AS tolerance_abs,
           count(*) AS n_claims,
           -- the group's first and last claim by (source, claim id): deterministic even when one document
           -- states the same figure twice; their documents, so conflicts can drop same-document pairs early
           min(source_path) AS first_source, arg_min(claim_id, (source_path, claim_id)) AS first_claim,
           arg_min(doc_id, (source_path, claim_id)) AS first_doc,
           max(source_path) AS last_source, arg_max(claim_id, (source_path, claim_id)) AS last_claim,
           arg_max(doc_id, (source_path, claim_id)) AS last_doc,
           -- undated figures are compared within the same reporting year and with the nearest other one
           CASE WHEN g_period IS NULL AND any_value(kind) <> 'event'
                THEN dense_rank() OVER (PARTITION BY metric, g_period IS NULL ORDER BY undated_as_of) END AS as_of_rank
    FROM claim_members WHERE claim_id NOT IN (SELECT claim_id FROM claim_reviews WHERE excluded)
    GROUP BY group_id, metric, g_scope, g_period, g_start, g_end, undated_as_of, is_target, is_bound, value_low, value_high
), d AS (
    -- the distinct sources in order, as string_agg(DISTINCT source_path, ', ' ORDER BY source_path) gives them
    -- (NULLs left out, NULL when none): the list sorted once per group is cheaper than the ordered aggregate
    SELECT group_id, count(DISTINCT doc_id) AS n_docs, count(DISTINCT voice) AS n_voices,
           CASE WHEN count(source_path) > 0 THEN array_to_string(list_sort(list_distinct(list(source_path))), ', ') END AS sources
    FROM claim_members WHERE claim_id NOT IN (SELECT claim_id FROM claim_reviews WHERE excluded)
    GROUP BY group_id
)
SELECT g.group_id, value_key, metric, label, kind, unit, period, period_start, period_end, undated_as_of, is_target,
       is_bound, scope, grain, min_confidence, value_low, value_high, tolerance_rel, tolerance_abs, n_claims,
       d.n_docs, d.n_voices, first_source, first_claim, first_doc, last_source, last_claim, last_doc, d.sources,
       as_of_rank
FROM g JOIN d USING (group_id)
