-- purpose: audit — a group id names one group (rows returned = ids shared by different groups)
SELECT group_id, count(*) AS n FROM claim_groups GROUP BY group_id HAVING count(*) > 1
