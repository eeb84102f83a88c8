-- purpose: the best estimate per figure (metric, period, scope): the value or range the independent sources support (near-duplicates and copies count once), the sources behind it, the outliers, the reviewer's choice and a confidence
-- key: estimate_id
-- Undated figures of a metric form one estimate (their reporting years are given); a milestone's is its year.
-- A value is supported by the independent sources (voices) whose figure contains it within the metric's
-- tolerance; the estimate is the best-supported value: what all its supporters' figures share (or the
-- supported value itself when only the tolerance joins them), with the span of their figures. Figures that
-- do not contain it are outliers. When two disjoint sets of sources are equally strong, the estimate is
-- contested: the span of every figure, with low confidence. A claim a reviewer trusts decides the estimate;
-- rejected and distrusted claims leave it (claim_reviews). Which claims support which value: estimate_claims.
WITH cls AS (         -- the claims of each estimate (ek: its id as a UUID), whether each supports it
    SELECT * FROM estimate_claims
), e0 AS (          -- one pass over the claims per estimate: its frame, winner and reviewer's choice (the same on
                      -- every claim of an estimate; any_value skips NULLs, as a choice is on all or none), and the
                      -- bounds and span of the figures that support it
    SELECT ek, any_value(metric) AS metric, any_value(period) AS period, any_value(scope) AS scope,
           any_value(is_target) AS is_target, any_value(p_win) AS p_win, any_value(contested) AS contested,
           any_value(chosen_claim) AS chosen_claim, any_value(choice_review) AS choice_review,
           any_value(t_lo) AS t_lo, any_value(t_hi) AS t_hi,
           min(undated_as_of) AS as_of_first, max(undated_as_of) AS as_of_last,
           max(lo) FILTER (supports) AS s_lo, min(hi) FILTER (supports) AS s_hi,
           min(lo) FILTER (supports) AS span_lo, max(hi) FILTER (supports) AS span_hi,
           count(*) AS n_claims, avg(frame_confidence) FILTER (supports) AS frame_confidence
    FROM cls GROUP BY ek
), ev AS (            -- ev, ed and el count and list distinct values from DISTINCT rows, which can spill to disk:
                      -- count(DISTINCT x) and min(DISTINCT x, 20) kept every distinct value of an estimate in
                      -- memory, more than 1 GB at a million files. Voices (a NULL voice is none): any, with a
                      -- figure that supports the estimate, with one that does not
    SELECT ek, count(voice) AS n_independent, count(voice) FILTER (sup) AS n_supporting,
           count(voice) FILTER (outl) AS n_outlying
    FROM (SELECT ek, voice, bool_or(supports) AS sup, bool_or(NOT supports) AS outl FROM cls GROUP BY ALL)
    GROUP BY ek
), ed AS (
    SELECT ek, count(doc_id) AS n_sources FROM (SELECT DISTINCT ek, doc_id FROM cls) GROUP BY ek
), el AS (            -- the first 20 distinct values in order: sources and claims that support it, outliers (a
                      -- claim is in cls once, as in claim_members, so its ids need no DISTINCT: 22.7 -> 18.0 s at
                      -- a million files, the same rows)
    SELECT ek, min(x, 20) FILTER (k = 1) AS src, min(x, 20) FILTER (k = 2) AS sup_claims,
           min(x, 20) FILTER (k = 3) AS outl, min(x, 20) FILTER (k = 4) AS outl_claims
    FROM (SELECT DISTINCT ek, 1 AS k, source_path AS x FROM cls WHERE supports
          UNION ALL SELECT ek, 2, claim_id FROM cls WHERE supports
          UNION ALL SELECT DISTINCT ek, 3, source_path || ': ' || value_text FROM cls WHERE NOT supports
          UNION ALL SELECT ek, 4, claim_id FROM cls WHERE NOT supports)
    GROUP BY ek
), e AS (
    -- the metric's label, unit and kind from the registry; metric, period, scope and target make the estimate's id
    SELECT e0.*, mt.label, mt.unit, mt.kind, md5(row(e0.metric, e0.period, e0.scope, e0.is_target)::VARCHAR) AS estimate_id,
           ev.* EXCLUDE (ek), ed.n_sources, el.* EXCLUDE (ek)
    FROM e0 JOIN metrics mt USING (metric)
    JOIN ev USING (ek) JOIN ed USING (ek) LEFT JOIN el USING (ek)
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
