-- purpose: audit — a claim's quote must be exactly the body text at its offsets (rows returned = failures)
-- rows: claims
SELECT c.claim_id, c.source_path, c.char_start, c.char_end
FROM claims c JOIN documents d USING (doc_id)
WHERE substr(d.body, c.char_start + 1, c.char_end - c.char_start) IS DISTINCT FROM c.quote
   OR substr(d.body, c.value_start + 1, c.value_end - c.value_start) IS DISTINCT FROM c.value_text
