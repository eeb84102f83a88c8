-- purpose: audit — figures for different periods are never a conflict (flows and rates: the same period; stocks: overlapping ones)
-- rows: conflicts
-- also: claims.claim_id = claim_id_a, claim_id_b; metrics.metric = metric
-- The conflicts read (in an incremental validation: a view over the changed ones and those naming a touched
-- claim) once, and the claims they name read once for both sides, not every claim joined twice (at a
-- million files, +1 %, three tries: distinct_sources 1.35-1.77 -> 0.62-0.75 s, same_period 0.93-1.11 ->
-- 0.65-0.79 s)
WITH k AS MATERIALIZED (
    SELECT conflict_id, metric, claim_id_a, claim_id_b FROM conflicts
), c AS MATERIALIZED (
    SELECT claim_id, period, period_start, period_end FROM claims
    WHERE claim_id IN (SELECT claim_id_a FROM k UNION ALL SELECT claim_id_b FROM k)
)
SELECT k.conflict_id, a.period, b.period FROM k
JOIN c a ON a.claim_id = k.claim_id_a JOIN c b ON b.claim_id = k.claim_id_b
JOIN metrics m ON m.metric = k.metric
WHERE m.kind <> 'event' AND (
      (a.period IS NULL) <> (b.period IS NULL)
   OR (m.kind IN ('flow', 'rate') AND a.period <> b.period)
   OR a.period_start > coalesce(b.period_end, 9999) OR b.period_start > coalesce(a.period_end, 9999))
