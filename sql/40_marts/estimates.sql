-- purpose: the best estimate per figure (metric, period, scope): the value or range the independent sources support (near-duplicates and copies count once), the sources behind it, the outliers, the reviewer's choice and a confidence
-- key: estimate_id
-- Undated figures of a metric form one estimate (their reporting years are given); a milestone's is its year.
-- A value is supported by the independent sources (voices) whose figure contains it within the metric's
-- tolerance; the estimate is the best-supported value: what all its supporters' figures share (or the
-- supported value itself when only the tolerance joins them), with the span of their figures. Figures that
-- do not contain it are outliers. When two disjoint sets of sources are equally strong, the estimate is
-- contested: the span of every figure, with low confidence. A claim a reviewer trusts decides the estimate;
-- rejected and distrusted claims leave it (claim_reviews).
WITH framed AS (      -- claim-frame columns (scope, confidence) where claims has them; NULL otherwise
    SELECT claim_id, value_text, scope::VARCHAR AS scope, TRY_CAST(confidence AS DOUBLE) AS frame_confidence
    FROM (SELECT NULL::VARCHAR AS claim_id, NULL::VARCHAR AS value_text, NULL::VARCHAR AS scope,
                 NULL::DOUBLE AS confidence LIMIT 0)
         UNION ALL BY NAME (SELECT * FROM claims WHERE metric <> 'unclassified')
), m AS (
    SELECT cm.claim_id, cm.doc_id, cm.voice, cm.source_path, cm.metric, cm.label, cm.unit, cm.kind, cm.is_target,
           cm.g_period AS period, cm.undated_as_of, cm.value_low, cm.value_high,
           coalesce(cm.value_low, -1e300) AS lo, coalesce(cm.value_high, 1e300) AS hi,
           coalesce(cm.tolerance_abs, 0) AS tol_abs, coalesce(cm.tolerance_rel, 0) AS tol_rel,
           f.value_text, f.scope, f.frame_confidence, coalesce(r.trusted, false) AS trusted, r.review_id,
           md5(row(cm.metric, cm.g_period, f.scope, cm.is_target)::VARCHAR) AS estimate_id
    FROM claim_members cm
    LEFT JOIN framed f USING (claim_id)
    LEFT JOIN claim_reviews r USING (claim_id)
    WHERE NOT coalesce(r.out_of_estimate, false)
), st AS (            -- distinct statements: a voice stating one figure twice counts once
    SELECT DISTINCT estimate_id, voice, lo, hi, tol_abs, tol_rel FROM m
), pts AS (           -- candidate values: every finite bound of a figure
    SELECT DISTINCT estimate_id, p FROM (SELECT estimate_id, value_low AS p FROM m UNION ALL
                                         SELECT estimate_id, value_high FROM m) WHERE p IS NOT NULL
), sv AS (            -- each candidate with each voice whose figure contains it, once
    SELECT DISTINCT pts.estimate_id, pts.p, st.voice
    FROM pts JOIN st ON st.estimate_id = pts.estimate_id
     AND pts.p BETWEEN st.lo - greatest(st.tol_abs, st.tol_rel * abs(pts.p))
                   AND st.hi + greatest(st.tol_abs, st.tol_rel * abs(pts.p))
), best AS (          -- the candidates most voices support: only their voice lists are built, from the
                      -- distinct (candidate, voice) rows (a list(DISTINCT voice ORDER BY voice) per candidate
                      -- sorted them all)
    SELECT estimate_id, p FROM (SELECT estimate_id, p, count(*) AS n FROM sv GROUP BY ALL)
    QUALIFY n = max(n) OVER (PARTITION BY estimate_id)
), win AS (
    SELECT estimate_id, min(p) AS p_win, count(DISTINCT voices) > 1 AS contested
    FROM (SELECT estimate_id, p, list(voice ORDER BY voice) AS voices FROM best JOIN sv USING (estimate_id, p) GROUP BY ALL)
    GROUP BY estimate_id
), chosen AS (        -- the reviewer's choice: the latest trusted claim
    SELECT estimate_id, arg_max(claim_id, review_id) AS chosen_claim, max(review_id) AS choice_review,
           arg_max(lo, review_id) AS t_lo, arg_max(hi, review_id) AS t_hi
    FROM m WHERE trusted GROUP BY estimate_id
), cls AS (
    SELECT m.*, w.p_win, w.contested, c.chosen_claim, c.choice_review, c.t_lo, c.t_hi,
           CASE WHEN c.chosen_claim IS NOT NULL
                THEN m.lo <= c.t_hi + greatest(m.tol_abs, m.tol_rel * abs(coalesce(m.value_high, m.value_low)))
                 AND c.t_lo <= m.hi + greatest(m.tol_abs, m.tol_rel * abs(coalesce(m.value_high, m.value_low)))
                WHEN w.contested THEN true
                ELSE w.p_win BETWEEN m.lo - greatest(m.tol_abs, m.tol_rel * abs(w.p_win))
                                 AND m.hi + greatest(m.tol_abs, m.tol_rel * abs(w.p_win)) END AS supports
    FROM m JOIN win w USING (estimate_id) LEFT JOIN chosen c USING (estimate_id)
), e AS (
    SELECT estimate_id, any_value(metric) AS metric, any_value(label) AS label, any_value(unit) AS unit,
           any_value(kind) AS kind, any_value(period) AS period, any_value(scope) AS scope,
           any_value(is_target) AS is_target,
           min(undated_as_of) AS as_of_first, max(undated_as_of) AS as_of_last,
           any_value(chosen_claim) AS chosen_claim, any_value(choice_review) AS choice_review,
           any_value(t_lo) AS t_lo, any_value(t_hi) AS t_hi, any_value(contested) AS contested,
           any_value(p_win) AS p_win,
           max(lo) FILTER (supports) AS s_lo, min(hi) FILTER (supports) AS s_hi,
           min(lo) FILTER (supports) AS span_lo, max(hi) FILTER (supports) AS span_hi,
           count(*) AS n_claims, count(DISTINCT doc_id) AS n_sources, count(DISTINCT voice) AS n_independent,
           count(DISTINCT voice) FILTER (supports) AS n_supporting,
           count(DISTINCT voice) FILTER (NOT supports) AS n_outlying,
           avg(frame_confidence) FILTER (supports) AS frame_confidence,
           -- the first 20 distinct values in order: min(DISTINCT x, 20) keeps 20 per estimate where
           -- list_slice(list(DISTINCT x ORDER BY x), 1, 20) sorted all of them (min leaves NULLs out, which
           -- array_to_string did: the same strings; with the voice lists above, estimates 0.68 -> 0.56 s CPU
           -- at 30,000 files)
           min(DISTINCT source_path, 20) FILTER (supports) AS src,
           min(DISTINCT claim_id, 20) FILTER (supports) AS sup_claims,
           min(DISTINCT source_path || ': ' || value_text, 20) FILTER (NOT supports) AS outl,
           min(DISTINCT claim_id, 20) FILTER (NOT supports) AS outl_claims
    FROM cls GROUP BY estimate_id
), v AS (
    SELECT e.*,
           CASE WHEN chosen_claim IS NOT NULL THEN 'reviewer' WHEN contested THEN 'contested'
                WHEN n_independent = 1 THEN 'single source' ELSE 'consensus' END AS method,
           CASE WHEN chosen_claim IS NOT NULL THEN t_lo WHEN contested THEN span_lo
                WHEN s_lo <= s_hi THEN s_lo ELSE p_win END AS lo_,
           CASE WHEN chosen_claim IS NOT NULL THEN t_hi WHEN contested THEN span_hi
                WHEN s_lo <= s_hi THEN s_hi ELSE p_win END AS hi_
    FROM e
)
SELECT estimate_id, metric, label, period, scope, is_target, unit,
       CASE WHEN lo_ > -1e299 THEN lo_ END AS value_low, CASE WHEN hi_ < 1e299 THEN hi_ END AS value_high,
       CASE WHEN span_lo > -1e299 THEN span_lo END AS range_low, CASE WHEN span_hi < 1e299 THEN span_hi END AS range_high,
       method,
       CASE WHEN method = 'reviewer' THEN 'reviewed' WHEN method IN ('contested', 'single source') THEN 'low'
            WHEN n_outlying = 0 THEN 'high' ELSE 'medium' END AS confidence,
       round(CASE method WHEN 'reviewer' THEN 1.0 WHEN 'contested' THEN 0.2 WHEN 'single source' THEN 0.4
                  ELSE 0.5 + 0.5 * n_supporting / n_independent * least(n_supporting, 3) / 3 END
             * coalesce(least(frame_confidence, 1.0), 1.0), 2) AS confidence_score,
       n_claims, n_sources, n_independent, n_supporting, n_outlying,
       array_to_string(src, ', ') AS sources, array_to_string(sup_claims, ', ') AS supporting_claims,
       array_to_string(outl, '; ') AS outliers, array_to_string(outl_claims, ', ') AS outlier_claims,
       chosen_claim AS reviewer_choice, choice_review AS review_id, as_of_first, as_of_last,
       printf('%s%s: %s%s', label, CASE WHEN period IS NOT NULL THEN ' in ' || period
                                       WHEN kind <> 'event' AND as_of_first IS NOT NULL
                                       THEN printf(' (undated, reported %s)', CASE WHEN as_of_first = as_of_last
                                            THEN as_of_first::VARCHAR ELSE as_of_first || '–' || as_of_last END)
                                       ELSE '' END,
              CASE method WHEN 'reviewer' THEN printf('the reviewer trusts claim %s (decision #%d)', chosen_claim, choice_review)
                          WHEN 'contested' THEN printf('%d independent sources disagree, none stronger', n_independent)
                          WHEN 'single source' THEN 'one source only'
                          ELSE printf('%d of %d independent sources support it', n_supporting, n_independent) END,
              CASE WHEN n_outlying > 0 AND method <> 'contested' THEN printf('; %d outlying', n_outlying) ELSE '' END) AS explanation
FROM v
