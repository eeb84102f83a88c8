-- purpose: audit — two claim groups are compared (and can agree) only within one comparison class: the same metric, target or not, scope, granularity, dated or not, and for flows and rates the same period
-- rows: group_pairs
-- claim_support counts a document twice only when it states two statements of one class (what makes its sums
-- exact without listing every supporting document): a pair across classes would make it undercount. A group's
-- id hashes its class, so a pair row that did not change did not change class: row-local.
SELECT p.pair_id, p.group_a, p.group_b FROM group_pairs p
JOIN claim_groups a ON a.group_id = p.group_a JOIN claim_groups b ON b.group_id = p.group_b
WHERE a.metric <> b.metric OR a.is_target <> b.is_target OR a.scope IS DISTINCT FROM b.scope
   OR a.grain IS DISTINCT FROM b.grain OR (a.period IS NULL) <> (b.period IS NULL)
   OR (a.kind IN ('flow', 'rate') AND a.period IS DISTINCT FROM b.period)
