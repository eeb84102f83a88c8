-- purpose: audit — value_low <= value_high, and open bounds only for over/under
-- rows: claims
SELECT claim_id, value_low, value_high, qualifier FROM claims
WHERE value_low > value_high
   OR (value_high IS NULL AND qualifier NOT IN ('over', 'target'))
   OR (value_low IS NULL AND qualifier NOT IN ('under', 'target'))
