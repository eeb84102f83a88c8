-- purpose: each claim that enters an estimate, with its estimate (metric, period, scope, target), the estimate's winning value and the reviewer's choice, and whether the claim supports it: the first half of estimates
-- materialized: ephemeral
-- Not a warehouse table: computed during the load for estimates and dropped after it. Estimates in one query
-- held this and the aggregates over it in memory at once (at a million files 12.6 s at a 1 GB memory limit,
-- spilling); in two, each half fits (5.3 s), with the same rows.
-- Undated figures of a metric form one estimate (their reporting years are given); a milestone's is its year.
-- A value is supported by the independent sources (voices) whose figure contains it within the metric's
-- tolerance; the estimate is the best-supported value. When two disjoint sets of sources are equally strong,
-- the estimate is contested. A claim a reviewer trusts decides the estimate; rejected and distrusted claims
-- leave it (claim_reviews).
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
           -- the estimate inside these queries: the 128 bits of its id (estimate_id, spelled out once per
           -- estimate in estimates) as a UUID, which every GROUP BY and join compares and hashes faster than 32
           -- hex characters, and which Parquet keeps whole (a HUGEINT is written to it as a DOUBLE)
           md5(row(cm.metric, cm.g_period, f.scope, cm.is_target)::VARCHAR)::UUID AS ek
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
), cls AS (          -- each claim: does it support the estimate; with the estimate's frame and winner, read
                      -- once per estimate in estimates
    SELECT m.ek, m.claim_id, m.doc_id, m.voice, m.source_path, m.value_text, m.lo, m.hi, m.undated_as_of,
           m.frame_confidence, m.metric, m.period, m.scope, m.is_target, w.p_win, w.contested,
           c.chosen_claim, c.choice_review, c.t_lo, c.t_hi,
           CASE WHEN c.chosen_claim IS NOT NULL
                THEN m.lo <= c.t_hi + greatest(m.tol_abs, m.tol_rel * abs(coalesce(m.value_high, m.value_low)))
                 AND c.t_lo <= m.hi + greatest(m.tol_abs, m.tol_rel * abs(coalesce(m.value_high, m.value_low)))
                WHEN w.contested THEN true
                ELSE w.p_win BETWEEN m.lo - greatest(m.tol_abs, m.tol_rel * abs(w.p_win))
                                 AND m.hi + greatest(m.tol_abs, m.tol_rel * abs(w.p_win)) END AS supports
    FROM m JOIN win w USING (ek) LEFT JOIN chosen c USING (ek)
)
SELECT * FROM cls
