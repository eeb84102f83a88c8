-- purpose: audit — a group id names one group (rows returned = ids shared by different groups)
-- rows: claim_groups
-- also: claim_groups.group_id = group_id
SELECT group_id, count(*) AS n FROM claim_groups GROUP BY group_id HAVING count(*) > 1
