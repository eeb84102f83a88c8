-- purpose: cross-source conflicts: the same metric, scope and comparable period, different documents, values apart beyond tolerance; error only when both frames are high-confidence
-- key: conflict_id
WITH cl AS (         -- the claims conflicts name: each group's first and last, not all the claims (from
                      -- claim_members, a third of claims' rows: 1.2-1.3 -> 1.0-1.1 s alone at a million files)
    SELECT claim_id, source_path, value_text, as_of FROM claim_members
    WHERE claim_id IN (SELECT first_claim FROM claim_groups UNION ALL SELECT last_claim FROM claim_groups)
), gc AS (            -- each group with its first and last claim's path, text and date (a group's claims joined
                      -- once, not once per pair); the group columns read below only: this CTE is materialised,
                      -- and every group's list of sources was carried into both joins with the pairs (alone at
                      -- a million files 1.7 -> 1.3-1.6 s, the same rows; inside the load within the noise)
    SELECT g.group_id, g.label, g.unit, g.period, g.undated_as_of, g.n_voices, g.first_source, g.first_claim,
           g.first_doc, g.last_claim, g.last_doc, f.claim_id IS NOT NULL AS has_first, f.source_path AS f_path, f.value_text AS f_text, f.as_of AS f_as_of,
           l.claim_id IS NOT NULL AS has_last, l.source_path AS l_path, l.value_text AS l_text, l.as_of AS l_as_of
    FROM claim_groups g LEFT JOIN cl f ON f.claim_id = g.first_claim LEFT JOIN cl l ON l.claim_id = g.last_claim
), y AS (
    -- the different-documents filter is on the groups' own columns, not on the claims' rows; a pair whose named
    -- claim is not in claims is left out (as the inner joins with claims it replaces did)
    SELECT p.*, a.label, a.unit, a.period AS period, a.undated_as_of AS as_of_a, b.undated_as_of AS as_of_b,
           a.n_voices AS voices_a, b.n_voices AS voices_b,
           a.first_claim AS claim_a, a.first_doc AS doc_a, a.f_path AS source_a, a.f_text AS text_a, a.f_as_of AS doc_as_of_a,
           CASE WHEN b.first_source = a.first_source THEN b.last_claim ELSE b.first_claim END AS claim_b,
           CASE WHEN b.first_source = a.first_source THEN b.last_doc ELSE b.first_doc END AS doc_b,
           CASE WHEN b.first_source = a.first_source THEN b.l_path ELSE b.f_path END AS source_b,
           CASE WHEN b.first_source = a.first_source THEN b.l_text ELSE b.f_text END AS text_b,
           CASE WHEN b.first_source = a.first_source THEN b.l_as_of ELSE b.f_as_of END AS doc_as_of_b
    FROM group_pairs p
    JOIN gc a ON a.group_id = p.group_a
    JOIN gc b ON b.group_id = p.group_b
    WHERE NOT p.agree AND p.group_a <> p.group_b AND a.has_first
      AND CASE WHEN b.first_source = a.first_source THEN b.has_last ELSE b.has_first END
      AND a.first_doc <> CASE WHEN b.first_source = a.first_source THEN b.last_doc ELSE b.first_doc END
), r AS (
    -- the latest applied reviewer's decision on a pair of claims from these two groups (review_decisions)
    SELECT least(group_a, group_b) AS g1, greatest(group_a, group_b) AS g2, max(review_id) AS review_id,
           arg_max(decision, review_id) AS decision, arg_max(group_a, review_id) AS trusted_group_if_a,
           arg_max(reviewer, review_id) AS reviewer, arg_max(reason, review_id) AS reason
    FROM review_decisions
    WHERE target_kind = 'conflict' AND status = 'applied' AND group_a IS NOT NULL AND group_b IS NOT NULL
    GROUP BY 1, 2
)
SELECT md5(claim_a || '|' || claim_b) AS conflict_id, metric, period,
       -- reviewed `both`: the figures are not comparable (another scope or time), so no error
       CASE WHEN r.decision = 'both' THEN 'info'
            WHEN (voices_a >= 3 AND voices_b = 1) OR (voices_b >= 3 AND voices_a = 1) THEN 'info'
            WHEN NOT overlapping AND (kind = 'event' OR dated OR as_of_gap <= 1) AND confidence >= 0.85 THEN 'error'
            ELSE 'warning' END AS severity,
       claim_a AS claim_id_a, claim_b AS claim_id_b, source_a, source_b,
       printf('%s%s: %s says "%s"%s (%d source%s), %s says "%s"%s (%d source%s) — %s%s',
              label, CASE WHEN period IS NOT NULL THEN ' in ' || period ELSE '' END,
              source_a, text_a, CASE WHEN doc_as_of_a IS NOT NULL THEN ' as of ' || doc_as_of_a ELSE '' END,
              voices_a, CASE WHEN voices_a = 1 THEN '' ELSE 's' END,
              source_b, text_b, CASE WHEN doc_as_of_b IS NOT NULL THEN ' as of ' || doc_as_of_b ELSE '' END,
              voices_b, CASE WHEN voices_b = 1 THEN '' ELSE 's' END,
              CASE WHEN overlapping THEN 'the estimates overlap but differ' ELSE 'the values are disjoint' END,
              CASE WHEN NOT dated AND kind <> 'event' AND as_of_gap > 1
                   THEN printf(' (undated figures %d years apart: may reflect change over time)', as_of_gap::INTEGER)
                   WHEN (voices_a >= 3 AND voices_b = 1) OR (voices_b >= 3 AND voices_a = 1)
                   THEN ' (a single outlier against several agreeing sources)' ELSE '' END)
       -- why the two figures are comparable at all
       || printf('. Compared as: %s, %s; frames decided with confidence %.2f%s',
                 coalesce('the same scope ' || scope, 'both headline totals'),
                 CASE WHEN kind = 'event' THEN 'the same event'
                      WHEN grain IS NULL THEN 'both undated'
                      ELSE 'periods of the same granularity (' || replace(grain, '_', ' ') || ')' END,
                 confidence, CASE WHEN confidence < 0.85 THEN ' (too low for an error)' ELSE '' END) AS explanation,
       CASE WHEN overlapping THEN 'overlapping' ELSE 'disjoint' END AS disagreement,
       voices_a AS independent_sources_a, voices_b AS independent_sources_b,
       scope, grain, confidence,
       CASE WHEN r.decision IS NULL THEN 'open' WHEN r.decision = 'both' THEN 'not comparable' ELSE 'resolved' END AS status,
       r.review_id,
       -- the decision from this row's side: trust_a means the claim whose group is this row's a
       CASE WHEN r.decision IN ('trust_a', 'trust_b')
            THEN CASE WHEN (r.decision = 'trust_a') = (r.trusted_group_if_a = y.group_a) THEN 'trust_a' ELSE 'trust_b' END
            ELSE r.decision END AS review,
       CASE WHEN r.decision IS NOT NULL THEN printf('decision #%d by %s: %s', r.review_id, r.reviewer, r.reason) END AS review_note
FROM y
LEFT JOIN r ON r.g1 = y.group_a AND r.g2 = y.group_b
