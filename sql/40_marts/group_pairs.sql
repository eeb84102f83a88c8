-- purpose: every comparable pair of claim groups (same metric and scope, periods of the same granularity: the same period for flows, overlapping ones for stocks, or undated and reported in the same or the nearest other year; both frames confident enough) with its verdict
-- key: pair_id
WITH g AS (
    SELECT *, coalesce(value_low, -1e300) AS lo, coalesce(value_high, 1e300) AS hi,
           coalesce(value_high, value_low) AS mag
    FROM claim_groups
), gk AS (            -- a join key the conditions below imply (a metric has one kind; events are undated): dated
                      -- flows and rates by period, other dated groups together, undated ones by reporting-year rank,
                      -- a side taking the rank next to it too: the join makes a tenth of the candidate pairs
    SELECT *, period IS NULL AS undated,
           CASE WHEN period IS NULL THEN coalesce(as_of_rank, 0)::VARCHAR WHEN kind IN ('flow', 'rate') THEN period
                ELSE '' END AS jk,
           CASE WHEN period IS NULL THEN [(coalesce(as_of_rank, 0) - 1)::VARCHAR, coalesce(as_of_rank, 0)::VARCHAR,
                                          (coalesce(as_of_rank, 0) + 1)::VARCHAR]
                WHEN kind IN ('flow', 'rate') THEN [period] ELSE [''] END AS jks
    FROM g
), p AS (
    SELECT a.group_id AS group_a, b.group_id AS group_b, a.metric, a.kind,
           greatest(coalesce(a.tolerance_abs, 0),
                    coalesce(a.tolerance_rel, 0) * greatest(abs(a.mag), abs(b.mag))) AS tol,
           a.lo AS lo_a, a.hi AS hi_a, b.lo AS lo_b, b.hi AS hi_b,
           a.is_bound OR b.is_bound AS has_bound,
           a.period IS NOT NULL AND b.period IS NOT NULL AS dated,
           abs(coalesce(a.undated_as_of, 0) - coalesce(b.undated_as_of, 0)) AS as_of_gap,
           a.scope, a.grain, least(a.min_confidence, b.min_confidence) AS confidence
    FROM (SELECT *, unnest(jks) AS k FROM gk) a JOIN gk b
      ON a.metric = b.metric AND a.is_target = b.is_target AND a.group_id <= b.group_id
     AND a.undated = b.undated AND a.k = b.jk
     -- like with like: totals only against totals (a scope only against the same scope), a part of a year
     -- never against a whole year, and only frames whose words decided them well enough (confidence >= 0.5)
     AND a.scope IS NOT DISTINCT FROM b.scope AND a.grain IS NOT DISTINCT FROM b.grain
     AND a.min_confidence >= 0.5 AND b.min_confidence >= 0.5
     AND (a.kind = 'event'
          OR (a.period IS NULL AND b.period IS NULL AND abs(coalesce(a.as_of_rank, 0) - coalesce(b.as_of_rank, 0)) <= 1)
          -- a flow or a rate is compared over the very same period: 2016-2020 in total, the first half of
          -- 2024 or 2024 as a whole are different quantities; a stock (a level) when the periods overlap
          OR (a.period IS NOT NULL AND b.period IS NOT NULL AND a.kind IN ('flow', 'rate') AND a.period = b.period)
          OR (a.period IS NOT NULL AND b.period IS NOT NULL AND a.kind NOT IN ('flow', 'rate')
              AND a.period_start <= coalesce(b.period_end, 9999) AND b.period_start <= coalesce(a.period_end, 9999)))
)
SELECT md5(group_a || '|' || group_b) AS pair_id, group_a, group_b, metric, kind, tol, has_bound, dated, as_of_gap,
       scope, grain, confidence,
       abs(lo_a - lo_b) <= tol AND abs(hi_a - hi_b) <= tol AS same_value,
       lo_a <= hi_b + tol AND lo_b <= hi_a + tol AS overlapping,
       CASE WHEN has_bound THEN lo_a <= hi_b + tol AND lo_b <= hi_a + tol
            ELSE abs(lo_a - lo_b) <= tol AND abs(hi_a - hi_b) <= tol END AS agree
FROM p
