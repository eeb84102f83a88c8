-- purpose: audit — claim ids are unique (rows returned = duplicated ids)
-- rows: claims
-- also: claims.claim_id = claim_id
-- (a repeated id needs a row the snapshot added: a validation after a passing one reads the rows sharing an id with one)
SELECT claim_id, count(*) AS n FROM claims GROUP BY claim_id HAVING count(*) > 1
