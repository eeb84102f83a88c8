-- purpose: agreement as data: for each stated figure, how many documents and independent sources support it
-- key: group_id
WITH sup AS (
    SELECT group_a AS group_id, group_b AS other FROM group_pairs WHERE agree
    UNION SELECT group_b, group_a FROM group_pairs WHERE agree
    UNION SELECT group_id, group_id FROM claim_groups
)
SELECT g.group_id, g.metric, g.label, g.period, g.value_low, g.value_high, g.unit, g.is_target,
       count(DISTINCT c.doc_id) AS n_sources, count(DISTINCT c.voice) AS n_independent,
       string_agg(DISTINCT c.source_path, ', ' ORDER BY c.source_path) AS sources
FROM claim_groups g
JOIN sup ON sup.group_id = g.group_id
JOIN claim_groups o ON o.group_id = sup.other
JOIN claims c ON c.metric = o.metric
     AND c.value_low IS NOT DISTINCT FROM o.value_low AND c.value_high IS NOT DISTINCT FROM o.value_high
     AND (c.qualifier = 'target') = o.is_target AND (c.qualifier IN ('over', 'under', 'derived')) = o.is_bound
     AND (o.kind = 'event' OR c.period IS NOT DISTINCT FROM o.period)
WHERE NOT g.is_bound
GROUP BY ALL
