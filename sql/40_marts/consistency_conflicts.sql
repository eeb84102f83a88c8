-- purpose: consistency beyond pairs, each finding a conflict row of its own kind listing every claim involved as evidence: exports to plus imports from Russia against the trade turnover of the same year (within a document, else across documents by their estimates), a stated growth rate against the two years' turnover, a target dated before the text that sets it
-- key: conflict_id
-- Totals only: a claim with a frame scope other than 'total' (claims.scope, when there) is left out.
-- Rejected claims are left out; a finding reviewed `both` is no longer a warning (severity info).
WITH t AS (             -- usable figures: not rejected, totals, not bounds
    SELECT cm.claim_id, cm.doc_id, cm.source_path, cm.metric, cm.is_target, cm.is_bound, cm.value_low, cm.value_high,
           coalesce(cm.tolerance_abs, 0) AS tol_abs, coalesce(cm.tolerance_rel, 0) AS tol_rel,
           cm.period, cm.period_end, cm.value_text, cm.as_of_year, cm.doc_as_of_source AS as_of_source, cm.says_fall
    -- the claims' own columns (period, value text, frame scope, date source, "giảm") from claim_members, not
    -- from joins with claims and documents (the model 3.2 -> 1.7 s alone at a million files, the same rows)
    FROM claim_members cm
    WHERE cm.claim_id NOT IN (SELECT claim_id FROM claim_reviews WHERE excluded)
      AND coalesce(cm.scope, 'total') = 'total'
      -- only the members yearly or target_past can read, before the joins (t is read more than once, so
      -- their filters are not pushed into it: it joined 1.9 million members at a million files, 0.37 million
      -- now; the model 4.9 -> 4.1 s there, medians of five, the same rows)
      AND (cm.is_target OR (NOT cm.is_bound AND cm.metric IN ('trade_turnover', 'vn_exports_to_ru', 'vn_imports_from_ru', 'trade_growth_pct')))
), yearly AS (        -- full-year figures of the trade metrics
    SELECT * FROM t
    WHERE NOT is_target AND NOT is_bound AND regexp_full_match(coalesce(period, ''), '\d{4}')
      AND metric IN ('trade_turnover', 'vn_exports_to_ru', 'vn_imports_from_ru', 'trade_growth_pct')
), sum_doc AS (
    SELECT 'sum_within_document' AS kind, tu.metric, tu.period, tu.claim_id AS claim_id_a, ex.claim_id AS claim_id_b,
           [tu.claim_id, ex.claim_id, im.claim_id] AS evidence,
           printf('within %s: exports to Russia "%s" plus imports from Russia "%s" in %s make %s USD, but the trade turnover is "%s" (%s USD)',
                  tu.source_path, ex.value_text, im.value_text, tu.period,
                  format('{:,.0f}', ex.value_low + im.value_low), tu.value_text, format('{:,.0f}', tu.value_low)) AS explanation
    FROM yearly tu
    JOIN yearly ex ON ex.doc_id = tu.doc_id AND ex.period = tu.period AND ex.metric = 'vn_exports_to_ru'
    JOIN yearly im ON im.doc_id = tu.doc_id AND im.period = tu.period AND im.metric = 'vn_imports_from_ru'
    WHERE tu.metric = 'trade_turnover'
      AND NOT (ex.value_low + im.value_low <= tu.value_high + greatest(tu.tol_abs, tu.tol_rel * tu.value_high)
               AND tu.value_low <= ex.value_high + im.value_high + greatest(tu.tol_abs, tu.tol_rel * tu.value_high))
), est AS (           -- the year's estimates (sources taken together) of the trade metrics
    SELECT metric, period, value_low, value_high, sources, n_sources, string_split(supporting_claims, ', ') AS claims
    FROM estimates
    WHERE NOT is_target AND coalesce(scope, 'total') = 'total' AND regexp_full_match(coalesce(period, ''), '\d{4}')
      AND value_low IS NOT NULL AND value_high IS NOT NULL
), sum_est AS (
    SELECT 'sum_across_documents' AS kind, tu.metric, tu.period, tu.claims[1] AS claim_id_a, ex.claims[1] AS claim_id_b,
           list_distinct(tu.claims || ex.claims || im.claims) AS evidence,
           printf('in %s, exports to Russia (%s USD, %s) plus imports from Russia (%s USD, %s) make %s USD, but the trade turnover is %s USD (%s)',
                  tu.period, format('{:,.0f}', ex.value_low), ex.sources, format('{:,.0f}', im.value_low), im.sources,
                  format('{:,.0f}', ex.value_low + im.value_low), format('{:,.0f}', tu.value_low), tu.sources) AS explanation
    FROM est tu
    JOIN est ex ON ex.period = tu.period AND ex.metric = 'vn_exports_to_ru'
    JOIN est im ON im.period = tu.period AND im.metric = 'vn_imports_from_ru'
    JOIN metrics m ON m.metric = 'trade_turnover'
    WHERE tu.metric = 'trade_turnover' AND tu.period NOT IN (SELECT period FROM sum_doc)
      AND NOT (ex.value_low + im.value_low <= tu.value_high + greatest(coalesce(m.tolerance_abs, 0), coalesce(m.tolerance_rel, 0) * tu.value_high)
               AND tu.value_low <= ex.value_high + im.value_high + greatest(coalesce(m.tolerance_abs, 0), coalesce(m.tolerance_rel, 0) * tu.value_high))
), turnover AS (      -- each year's turnover: stated in the growth claim's own document, else the estimate
    SELECT doc_id, period::INTEGER AS y, min(value_low) AS lo, max(value_high) AS hi, list(claim_id ORDER BY claim_id) AS claims
    FROM yearly WHERE metric = 'trade_turnover' GROUP BY ALL
), turnover_est AS (
    SELECT period::INTEGER AS y, value_low AS lo, value_high AS hi, claims FROM est WHERE metric = 'trade_turnover'
), growth AS (
    SELECT g.claim_id, g.source_path, g.period, g.value_text, g.tol_abs, g.tol_rel,
           -- a fall stated as "giảm 3,5%" may be stored as 3.5
           CASE WHEN g.says_fall AND g.value_low > 0 THEN -g.value_low ELSE g.value_low END AS rate,
           coalesce(c1.lo, e1.lo) AS now_lo, coalesce(c1.hi, e1.hi) AS now_hi,
           coalesce(c0.lo, e0.lo) AS prev_lo, coalesce(c0.hi, e0.hi) AS prev_hi,
           coalesce(c1.claims, e1.claims) AS now_claims, coalesce(c0.claims, e0.claims) AS prev_claims,
           c1.claims IS NOT NULL AND c0.claims IS NOT NULL AS within
    FROM yearly g
    LEFT JOIN turnover c1 ON c1.doc_id = g.doc_id AND c1.y = g.period::INTEGER
    LEFT JOIN turnover c0 ON c0.doc_id = g.doc_id AND c0.y = g.period::INTEGER - 1
    LEFT JOIN turnover_est e1 ON e1.y = g.period::INTEGER
    LEFT JOIN turnover_est e0 ON e0.y = g.period::INTEGER - 1
    WHERE g.metric = 'trade_growth_pct'
), growth_bad AS (
    SELECT CASE WHEN within THEN 'growth_within_document' ELSE 'growth_across_documents' END AS kind,
           'trade_growth_pct' AS metric, period, claim_id AS claim_id_a, now_claims[1] AS claim_id_b,
           list_distinct([claim_id] || now_claims || prev_claims) AS evidence,
           printf('%s states a growth of "%s" in %s, but the turnover went from %s to %s USD: %s %%',
                  source_path, value_text, period, format('{:,.0f}', prev_lo), format('{:,.0f}', now_lo),
                  CASE WHEN abs(now_lo / prev_hi - now_hi / prev_lo) < 1e-9 THEN format('{:+.1f}', (now_lo / prev_lo - 1) * 100)
                       ELSE format('{:+.1f} to {:+.1f}', (now_lo / prev_hi - 1) * 100, (now_hi / prev_lo - 1) * 100) END) AS explanation
    FROM growth
    WHERE now_lo > 0 AND prev_lo > 0
      -- the rates the two values allow, widened by half a point for their rounding and the metric's tolerance
      AND (rate < (now_lo / prev_hi - 1) * 100 - 0.5 - greatest(tol_abs, tol_rel * abs(rate))
           OR rate > (now_hi / prev_lo - 1) * 100 + 0.5 + greatest(tol_abs, tol_rel * abs(rate)))
), target_past AS (
    SELECT 'target_before_text' AS kind, metric, period, claim_id AS claim_id_a, claim_id AS claim_id_b,
           [claim_id] AS evidence,
           printf('%s sets a target "%s" for %s, but the text is of %d (%s): a target for a year already past is a misread period or date, or a past target recalled',
                  source_path, value_text, period, as_of_year, as_of_source) AS explanation
    FROM t
    WHERE is_target AND period_end IS NOT NULL AND as_of_year IS NOT NULL AND period_end < as_of_year
), f AS (
    SELECT * FROM sum_doc UNION ALL SELECT * FROM sum_est UNION ALL SELECT * FROM growth_bad
    UNION ALL SELECT * FROM target_past
), keyed AS (         -- a finding's content key: its kind and its claims' content keys (what a review points at)
    -- sorted lists joined, as string_agg(x, sep ORDER BY x) and string_agg(DISTINCT x, sep ORDER BY x) give them
    -- (NULLs left out, NULL when none): one sort of a list per finding is cheaper than the ordered aggregates.
    -- Each distinct (kind, evidence) once, grouped by a hash of the two (fid: claim ids hold no '|'), not by
    -- the list itself (the model 4.1 -> 3.9 s at a million files, medians of five, the same rows)
    SELECT f.fid,
           md5(any_value(f.kind) || '|' || CASE WHEN count(k.claim_key) > 0 THEN array_to_string(list_sort(list(k.claim_key)), '|') END) AS target_key,
           CASE WHEN count(k.source_path) > 0 THEN array_to_string(list_sort(list_distinct(list(k.source_path))), ', ') END AS evidence_sources
    FROM (SELECT DISTINCT kind, evidence, md5(kind || '|' || array_to_string(evidence, '|')) AS fid FROM f) f,
         unnest(f.evidence) AS e(claim_id) JOIN claim_keys k ON k.claim_id = e.claim_id
    GROUP BY f.fid
), ab AS (           -- the files of the claims the findings name (not a join with every claim)
    SELECT claim_id, source_path FROM claim_members
    WHERE claim_id IN (SELECT claim_id_a FROM f UNION ALL SELECT claim_id_b FROM f)
), r AS (
    SELECT target_key, max(review_id) AS review_id, arg_max(decision, review_id) AS decision,
           arg_max(reviewer, review_id) AS reviewer, arg_max(reason, review_id) AS reason
    FROM review_decisions WHERE target_kind = 'conflict' AND status = 'applied' GROUP BY target_key
)
SELECT md5(f.kind || '|' || array_to_string(list_sort(f.evidence), '|')) AS conflict_id, f.kind, f.metric, f.period,
       CASE WHEN r.decision = 'both' THEN 'info' ELSE 'warning' END AS severity,
       f.claim_id_a, f.claim_id_b, ca.source_path AS source_a, cb.source_path AS source_b, f.explanation,
       array_to_string(list_sort(f.evidence), ', ') AS evidence, len(f.evidence) AS n_evidence,
       keyed.evidence_sources, keyed.target_key,
       CASE WHEN r.decision IS NULL THEN 'open' WHEN r.decision = 'both' THEN 'not comparable' ELSE 'resolved' END AS status,
       r.review_id, r.decision AS review,
       CASE WHEN r.decision IS NOT NULL THEN printf('decision #%d by %s: %s', r.review_id, r.reviewer, r.reason) END AS review_note
FROM f
JOIN ab ca ON ca.claim_id = f.claim_id_a
JOIN ab cb ON cb.claim_id = f.claim_id_b
LEFT JOIN keyed ON keyed.fid = md5(f.kind || '|' || array_to_string(f.evidence, '|'))
LEFT JOIN r ON r.target_key = keyed.target_key
