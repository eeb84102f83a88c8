-- purpose: each claim of a registry metric that enters an estimate (not rejected), with its figure, tolerance, frame scope, review and estimate key: the input of estimate_claims
-- materialized: ephemeral
-- The first of estimates' three steps (see estimate_claims); not a warehouse table. The claim's value text,
-- frame scope and confidence come with it from claim_members (a join with claims cost 0.4 s of 1.2 at a
-- million files).
WITH m AS (
    SELECT cm.claim_id, cm.doc_id, cm.voice, cm.source_path, cm.metric, cm.is_target,
           cm.g_period AS period, cm.undated_as_of, cm.value_low, cm.value_high,
           coalesce(cm.value_low, -1e300) AS lo, coalesce(cm.value_high, 1e300) AS hi,
           coalesce(cm.tolerance_abs, 0) AS tol_abs, coalesce(cm.tolerance_rel, 0) AS tol_rel,
           cm.value_text, cm.scope, cm.frame_confidence, coalesce(r.trusted, false) AS trusted, r.review_id,
           -- the estimate inside these queries: the 128 bits of its id (estimate_id, spelled out once per
           -- estimate in estimates) as a UUID, which every GROUP BY and join compares and hashes faster than 32
           -- hex characters, and which Parquet keeps whole (a HUGEINT is written to it as a DOUBLE)
           md5(row(cm.metric, cm.g_period, cm.scope, cm.is_target)::VARCHAR)::UUID AS ek
    FROM claim_members cm
    LEFT JOIN claim_reviews r USING (claim_id)
    WHERE NOT coalesce(r.out_of_estimate, false)
)
SELECT * FROM m
