-- purpose: reviewers' decisions (written by `vnclaims review`, one snapshot each): who, when, the target by content, the decision and why; an undo is a decision too
-- key: review_id
-- target_kind 'claim' (decision accept | reject), 'conflict' (trust_a | trust_b | both | neither), 'review'
-- (decision undo, undoes = the review undone). target_key: a claim's content key (claim_keys.claim_key), a
-- conflict's pair of claim keys, a consistency finding's key. claim_key_a/b and says_a/b: the claims the
-- reviewer saw and what they said then (a decision whose claims now say something else is stale); place_a:
-- the reviewed figure's place whatever its metric (claim_keys.place_key), to say what it became.
CREATE TABLE IF NOT EXISTS reviews (
    review_id BIGINT, reviewed_at TIMESTAMP, reviewer VARCHAR, via VARCHAR, target_kind VARCHAR, target_key VARCHAR,
    decision VARCHAR, reason VARCHAR, undoes BIGINT, target_id VARCHAR, claim_key_a VARCHAR, claim_key_b VARCHAR,
    says_a VARCHAR, says_b VARCHAR, place_a VARCHAR, metric VARCHAR, seen VARCHAR, seen_snapshot BIGINT
);
