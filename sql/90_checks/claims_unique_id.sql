-- purpose: audit — claim ids are unique (rows returned = duplicated ids)
SELECT claim_id, count(*) AS n FROM claims GROUP BY claim_id HAVING count(*) > 1
