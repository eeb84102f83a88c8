-- purpose: audit — figures for different periods are never a conflict (flows and rates: the same period; stocks: overlapping ones)
-- rows: conflicts
-- also: claims.claim_id = claim_id_a, claim_id_b; metrics.metric = metric
SELECT k.conflict_id, a.period, b.period FROM conflicts k
JOIN claims a ON a.claim_id = k.claim_id_a JOIN claims b ON b.claim_id = k.claim_id_b
JOIN metrics m ON m.metric = k.metric
WHERE m.kind <> 'event' AND (
      (a.period IS NULL) <> (b.period IS NULL)
   OR (m.kind IN ('flow', 'rate') AND a.period <> b.period)
   OR a.period_start > coalesce(b.period_end, 9999) OR b.period_start > coalesce(a.period_end, 9999))
