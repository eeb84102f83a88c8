-- purpose: every review decision with what it does now: applied to the claims its content keys find still saying what the reviewer saw, or stale (the target is gone or says something else: never applied to another figure), undone or superseded
-- key: review_id
-- rows_from: reviews
WITH undone AS (
    SELECT undoes, min(review_id) AS undone_by FROM reviews WHERE decision = 'undo' GROUP BY undoes
), live AS (          -- the latest decision on each target that is not undone supersedes the earlier ones
    SELECT r.review_id, max(r.review_id) OVER (PARTITION BY r.target_kind, r.target_key) AS latest
    FROM reviews r LEFT JOIN undone u ON u.undoes = r.review_id
    WHERE r.decision <> 'undo' AND u.undone_by IS NULL
), wanted AS (
    SELECT claim_key_a AS k FROM reviews UNION SELECT claim_key_b FROM reviews
), keys AS (          -- the claims each key finds now (one: a figure in its place under one metric)
    SELECT claim_key, min(claim_id) AS claim_id, arg_min(says, claim_id) AS says, arg_min(said, claim_id) AS said
    FROM claim_keys WHERE claim_key IN (SELECT k FROM wanted) GROUP BY claim_key
), places AS (        -- the same figure in the same place, classified under another metric now
    SELECT place_key, string_agg(DISTINCT metric, ', ' ORDER BY metric) AS metrics
    FROM claim_keys WHERE place_key IN (SELECT place_a FROM reviews) GROUP BY place_key
), r AS (
    SELECT r.*, u.undone_by, l.latest,
           ka.claim_id AS claim_id_a, ka.says AS now_says_a, ka.said AS now_said_a,
           kb.claim_id AS claim_id_b, kb.says AS now_says_b, kb.said AS now_said_b, pl.metrics AS now_metrics
    FROM reviews r
    LEFT JOIN undone u ON u.undoes = r.review_id
    LEFT JOIN live l ON l.review_id = r.review_id
    LEFT JOIN keys ka ON ka.claim_key = r.claim_key_a
    LEFT JOIN keys kb ON kb.claim_key = r.claim_key_b
    LEFT JOIN places pl ON pl.place_key = r.place_a
)
SELECT r.review_id, r.reviewed_at, r.reviewer, r.via, r.target_kind, r.target_key, r.decision, r.reason, r.undoes,
       r.target_id, r.metric, r.seen,
       CASE WHEN r.decision = 'undo' THEN 'undo'
            WHEN r.undone_by IS NOT NULL THEN 'undone'
            WHEN r.latest > r.review_id THEN 'superseded'
            WHEN r.claim_id_a IS NULL OR r.now_says_a <> r.says_a
              OR (r.claim_key_b IS NOT NULL AND (r.claim_id_b IS NULL OR r.now_says_b <> r.says_b)) THEN 'stale'
            ELSE 'applied' END AS status,
       CASE WHEN r.decision = 'undo' OR r.undone_by IS NOT NULL OR r.latest > r.review_id THEN NULL
            WHEN r.claim_id_a IS NULL AND r.now_metrics IS NOT NULL
            THEN printf('the figure reviewed (%s) is now classified as %s', r.seen, r.now_metrics)
            WHEN r.claim_id_a IS NULL THEN printf('the claim reviewed (%s) is no longer a classified claim in the warehouse', r.seen)
            WHEN r.now_says_a <> r.says_a THEN printf('the claim reviewed now says %s', r.now_said_a)
            WHEN r.claim_key_b IS NOT NULL AND r.claim_id_b IS NULL THEN 'the other claim of the conflict is no longer in the warehouse'
            WHEN r.claim_key_b IS NOT NULL AND r.now_says_b <> r.says_b THEN printf('the other claim now says %s', r.now_said_b)
            END AS stale_reason,
       r.undone_by, CASE WHEN r.latest > r.review_id THEN r.latest END AS superseded_by,
       r.claim_id_a, r.claim_id_b, ma.group_id AS group_a, mb.group_id AS group_b
FROM r
LEFT JOIN claim_members ma ON ma.claim_id = r.claim_id_a
LEFT JOIN claim_members mb ON mb.claim_id = r.claim_id_b
