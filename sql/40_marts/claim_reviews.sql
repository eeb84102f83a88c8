-- purpose: the review status of each claim an applied decision covers: accepted and trusted claims win their estimate, rejected ones leave conflicts, agreements and estimates (they stay in claims), distrusted and outranked ones lose their estimate
-- key: claim_id
-- rows_from: review_decisions
-- A decision on the claim itself comes before one on a conflict it is in; the latest decision first.
WITH d AS (
    SELECT * FROM review_decisions WHERE status = 'applied' AND decision NOT IN ('undo', 'both')
), x AS (
    SELECT claim_id_a AS claim_id, review_id, reviewed_at, reviewer, reason, target_kind, target_id,
           CASE decision WHEN 'accept' THEN 'accepted' WHEN 'reject' THEN 'rejected' WHEN 'trust_a' THEN 'trusted'
                         WHEN 'trust_b' THEN 'outranked' WHEN 'neither' THEN 'distrusted' END AS review_status
    FROM d
    UNION ALL
    SELECT claim_id_b, review_id, reviewed_at, reviewer, reason, target_kind, target_id,
           CASE decision WHEN 'trust_a' THEN 'outranked' WHEN 'trust_b' THEN 'trusted' WHEN 'neither' THEN 'distrusted' END
    FROM d WHERE claim_id_b IS NOT NULL
)
SELECT claim_id, review_id, review_status,
       review_status = 'rejected' AS excluded,
       review_status IN ('rejected', 'distrusted') AS out_of_estimate,
       review_status IN ('accepted', 'trusted') AS trusted,
       target_kind AS decided_on, target_id AS decided_on_id, reviewer, reviewed_at, reason
FROM x
WHERE review_status IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY claim_id ORDER BY target_kind = 'claim' DESC, review_id DESC) = 1
