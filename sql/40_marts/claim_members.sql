-- purpose: each classified claim with the group it is compared in (metric, scope, comparable period and its granularity, value), its value key, and the claim's columns the marts after it read
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
           -- the claim frame: a scoped figure (one item, region, sector, what is new in a period ...) is compared
           -- only with the same scope, never with the headline total; the period's granularity (a year, part
           -- of a year, a month, a running total to a date, several years) must match too
           -- a milestone's scope is its other party when that is the USSR (direction 'ussr'): a treaty with the
           -- USSR and one with Russia are different events
           CASE WHEN m.kind = 'event' THEN CASE WHEN cl.direction = 'ussr' THEN 'partner:ussr' END
                ELSE cl.scope END AS g_scope,
           CASE WHEN m.kind = 'event' OR cl.period IS NULL THEN NULL
                WHEN cl.period LIKE '../%' THEN 'to_date'
                WHEN cl.period LIKE '%/%' THEN 'part_of_year'
                WHEN regexp_full_match(cl.period, '\d{4}-\d{2}') THEN 'month'
                WHEN regexp_full_match(cl.period, '\d{4}-') THEN 'since'
                ELSE 'whole_years' END AS grain,
           coalesce(cl.confidence, 1.0) AS confidence,
           cl.qualifier = 'target' AS is_target,
           cl.qualifier IN ('over', 'under', 'derived') AS is_bound,
           -- what the marts after this one read of a claim besides its group, carried here so that none of
           -- them joins the claims table again (at a million files the +1 % load read claims' columns three
           -- times over, the growth claims' long quotes among them): the claim's own period, value text,
           -- frame scope and confidence, date and its document's date source, and for a growth rate whether its
           -- sentence says a fall ("giảm": a rate stored unsigned is negative; NULL for other metrics, whose
           -- quotes are not searched: the model 5.2 -> 3.8 s in full at a million files, 2.4 s without the flag)
           cl.period, cl.period_end, cl.value_text, cl.scope, cl.confidence AS frame_confidence, cl.as_of,
           d.as_of_source AS doc_as_of_source,
           CASE WHEN cl.metric = 'trade_growth_pct' THEN cl.quote ILIKE '%giảm%' END AS says_fall
    FROM claims cl
    JOIN documents d USING (doc_id)
    JOIN metrics m ON m.metric = cl.metric
)
-- ids hash a row value, which spells NULLs out: "over 100" (100, NULL) and "under 100" (NULL, 100) differ
SELECT c.*,
       md5(row(metric, g_scope, g_period, is_target, is_bound, value_low, value_high, undated_as_of)::VARCHAR) AS group_id,
       -- the same statement whatever the reporting year: what agreement is counted over
       md5(row(metric, g_scope, g_period, is_target, is_bound, value_low, value_high)::VARCHAR) AS value_key
FROM c
