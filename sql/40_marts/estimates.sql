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
    SELECT cm.claim_id, cm.doc_id, cm.voice, cm.source_path, cm.metric, cm.is_target,
           cm.g_period AS period, cm.undated_as_of, cm.value_low, cm.value_high,
           coalesce(cm.value_low, -1e300) AS lo, coalesce(cm.value_high, 1e300) AS hi,
           coalesce(cm.tolerance_abs, 0) AS tol_abs, coalesce(cm.tolerance_rel, 0) AS tol_rel,
           f.value_text, f.scope, f.frame_confidence, coalesce(r.trusted, false) AS trusted, r.review_id,
           -- the estimate inside this query: the 128 bits of its id (estimate_id, made once per estimate in frame)
           -- as a HUGEINT, which every GROUP BY and join below compares and hashes faster than 32 hex characters
           -- (estimates 16.4 -> 15.0 s at a million files, the same rows)
           md5_number(row(cm.metric, cm.g_period, f.scope, cm.is_target)::VARCHAR) AS ek
    FROM claim_members cm
    LEFT JOIN framed f USING (claim_id)
    LEFT JOIN claim_reviews r USING (claim_id)
    WHERE NOT coalesce(r.out_of_estimate, false)
), st AS (            -- distinct statements: a voice stating one figure twice counts once
    SELECT DISTINCT ek, voice, lo, hi, tol_abs, tol_rel FROM m
), pts AS (           -- candidate values: every finite bound of a figure
    SELECT DISTINCT ek, p FROM (SELECT ek, value_low AS p FROM m UNION ALL
                                         SELECT ek, value_high FROM m) WHERE p IS NOT NULL
), vk AS (            -- each voice's set of figures, as a key (a double prints as the shortest string that reads back
                      -- as the same double, so one key is one set of figures)
    SELECT ek, voice, array_to_string(list_sort(list(concat_ws('|', lo, hi, tol_abs, tol_rel))), ';') AS g
    FROM st GROUP BY ek, voice
), vg AS (            -- voices grouped by the set of figures they state: a candidate is supported by all the
                      -- voices of a group or by none, so candidates are matched with the groups, not with each
                      -- voice (a popular figure has tens of thousands of voices but a few dozen groups: the
                      -- (candidate, voice) pairs ran out of memory at 1 GB at a million files)
    SELECT ek, g, count(*) AS n_voices, min(voice) AS rep FROM vk GROUP BY ek, g
), gf AS (            -- each group's figures: those of one of its voices
    SELECT vg.ek, vg.g, vg.n_voices, st.lo, st.hi, st.tol_abs, st.tol_rel
    FROM vg JOIN st ON st.ek = vg.ek AND st.voice IS NOT DISTINCT FROM vg.rep
), sg AS (            -- each candidate with each group whose figures contain it, once
    SELECT DISTINCT pts.ek, pts.p, gf.g, gf.n_voices
    FROM pts JOIN gf ON gf.ek = pts.ek
     AND pts.p BETWEEN gf.lo - greatest(gf.tol_abs, gf.tol_rel * abs(pts.p))
                   AND gf.hi + greatest(gf.tol_abs, gf.tol_rel * abs(pts.p))
), best AS (          -- the candidates most voices support
    SELECT ek, p FROM (SELECT ek, p, sum(n_voices) AS n FROM sg GROUP BY ALL)
    QUALIFY n = max(n) OVER (PARTITION BY ek)
), win AS (           -- contested: two best candidates supported by different sets of voices (the groups
                      -- are disjoint, so: by different sets of groups)
    SELECT ek, min(p) AS p_win, count(DISTINCT gs) > 1 AS contested
    FROM (SELECT ek, p, list(g ORDER BY g) AS gs FROM best JOIN sg USING (ek, p) GROUP BY ALL)
    GROUP BY ek
), chosen AS (        -- the reviewer's choice: the latest trusted claim
    SELECT ek, arg_max(claim_id, review_id) AS chosen_claim, max(review_id) AS choice_review,
           arg_max(lo, review_id) AS t_lo, arg_max(hi, review_id) AS t_hi
    FROM m WHERE trusted GROUP BY ek
), cls AS (          -- each claim: does it support the estimate (only the columns counted or listed below: the
                      -- estimate's own columns are taken once per estimate, in frame)
    SELECT m.ek, m.claim_id, m.doc_id, m.voice, m.source_path, m.value_text, m.lo, m.hi, m.undated_as_of,
           m.frame_confidence,
           CASE WHEN c.chosen_claim IS NOT NULL
                THEN m.lo <= c.t_hi + greatest(m.tol_abs, m.tol_rel * abs(coalesce(m.value_high, m.value_low)))
                 AND c.t_lo <= m.hi + greatest(m.tol_abs, m.tol_rel * abs(coalesce(m.value_high, m.value_low)))
                WHEN w.contested THEN true
                ELSE w.p_win BETWEEN m.lo - greatest(m.tol_abs, m.tol_rel * abs(w.p_win))
                                 AND m.hi + greatest(m.tol_abs, m.tol_rel * abs(w.p_win)) END AS supports
    FROM m JOIN win w USING (ek) LEFT JOIN chosen c USING (ek)
), frame AS (         -- metric, period, scope and target make the estimate's id: one value per estimate; the
                      -- metric's label, unit and kind from the registry (claim_members' own, not carried in m:
                      -- the narrower m spills less at 1 GB, 15.5 -> 13.5 s at a million files)
    SELECT k.*, mt.label, mt.unit, mt.kind, md5(row(k.metric, k.period, k.scope, k.is_target)::VARCHAR) AS estimate_id
    FROM (SELECT ek, any_value(metric) AS metric, any_value(period) AS period, any_value(scope) AS scope,
                 any_value(is_target) AS is_target
          FROM m GROUP BY ek) k
    JOIN metrics mt USING (metric)
), e0 AS (
    SELECT ek, min(undated_as_of) AS as_of_first, max(undated_as_of) AS as_of_last,
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
    SELECT f.*, e0.* EXCLUDE (ek), c.chosen_claim, c.choice_review, c.t_lo, c.t_hi, w.contested, w.p_win,
           ev.* EXCLUDE (ek), ed.n_sources, el.* EXCLUDE (ek)
    FROM e0 JOIN frame f USING (ek) JOIN win w USING (ek) LEFT JOIN chosen c USING (ek)
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
