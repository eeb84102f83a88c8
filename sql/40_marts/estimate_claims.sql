-- purpose: each claim that enters an estimate, with its estimate (metric, period, scope, target), the estimate's winning value and the reviewer's choice, and whether the claim supports it: the middle of estimates' three steps
-- materialized: ephemeral
-- Not a warehouse table: computed during the load and dropped after it (as estimate_members, its input).
-- Estimates in one query held the members, these rows and the aggregates over them in memory at once (at a
-- million files 14.4 s at DuckDB's 1 GB limit, spilling). In three steps each reads the one before from Parquet,
-- whose exact row counts the planner sees (over the load's views it underestimated them five times and the
-- second step ran out of memory at 1 GB): 5.5 s at a million files, the same rows. The members are read again
-- by each step below that uses them (not materialised: 4.1 -> 2.3 s).
-- Undated figures of a metric form one estimate (their reporting years are given); a milestone's is its year.
-- A value is supported by the independent sources (voices) whose figure contains it within the metric's
-- tolerance; the estimate is the best-supported value. When two disjoint sets of sources are equally strong,
-- the estimate is contested. A claim a reviewer trusts decides the estimate; rejected and distrusted claims
-- leave it (claim_reviews).
WITH m AS NOT MATERIALIZED (
    SELECT * FROM estimate_members
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
