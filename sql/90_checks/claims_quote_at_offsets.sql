-- purpose: audit — a claim's quote (and its value_text) must be exactly the body text at its offsets (rows returned = failures)
-- rows: claims
-- substr counts characters from the start of the string, so taking it of a whole body per claim is
-- quadratic in the length of a line (a 5 MB one-line file: 49,348 claims, 167 s). Bodies up to 4,000
-- characters are compared directly; longer ones are cut once into pieces of 100 characters
-- (regexp_extract_all, one linear pass; longer repeats make RE2 slow) and each claim is compared with the
-- few pieces around its offsets: linear in the claims however long the line.
-- The bodies are read by row id (the doc_id column first, then those documents' rows, pruned by data file):
-- on the claims a snapshot changed, every body was read for a thousand documents' (0.23 -> 0.05 s at 100,000 files).
WITH d AS (
    SELECT doc_id, body, length(body) > 4000 AS long FROM documents
    WHERE rowid IN (SELECT rowid FROM documents WHERE doc_id IN (SELECT doc_id FROM claims))
),
w AS (
    SELECT c.claim_id, c.doc_id, c.source_path, c.char_start, c.char_end, c.value_start, c.value_end, c.quote,
           c.value_text, least(c.char_start, c.value_start) // 100 AS k0,
           (greatest(c.char_end, c.value_end) - 1) // 100 AS k1
    FROM claims c JOIN d ON d.doc_id = c.doc_id AND d.long
),
pieces AS (
    SELECT doc_id, unnest(p) AS piece, unnest(range(len(p))) AS k
    FROM (SELECT doc_id, regexp_extract_all(body, '(?s).{1,100}') AS p FROM d WHERE long)
),
windows AS (
    SELECT doc_id, k0, k1, unnest(range(k0, k1 + 1)) AS k FROM (SELECT DISTINCT doc_id, k0, k1 FROM w)
),
around AS (
    SELECT x.doc_id, x.k0, x.k1, string_agg(p.piece, '' ORDER BY p.k) AS text
    FROM windows x JOIN pieces p ON p.doc_id = x.doc_id AND p.k = x.k
    GROUP BY x.doc_id, x.k0, x.k1
)
SELECT c.claim_id, c.source_path, c.char_start, c.char_end
FROM claims c JOIN d ON d.doc_id = c.doc_id AND NOT d.long
WHERE substr(d.body, c.char_start + 1, c.char_end - c.char_start) IS DISTINCT FROM c.quote
   -- a value inside its quote is read from the quote: once the quote is the body at its offsets, that is the body
   -- there too, and substr counts from the start of the string (13.3 -> 11.2 s at a million files, same rows)
   OR CASE WHEN 0 <= c.char_start AND c.char_start <= c.value_start AND c.value_start <= c.value_end
                AND c.value_end <= c.char_end
           THEN substr(c.quote, c.value_start - c.char_start + 1, c.value_end - c.value_start)
           ELSE substr(d.body, c.value_start + 1, c.value_end - c.value_start) END IS DISTINCT FROM c.value_text
UNION ALL
SELECT w.claim_id, w.source_path, w.char_start, w.char_end
FROM w LEFT JOIN around a ON a.doc_id = w.doc_id AND a.k0 = w.k0 AND a.k1 = w.k1
WHERE substr(coalesce(a.text, ''), w.char_start - w.k0 * 100 + 1, w.char_end - w.char_start) IS DISTINCT FROM w.quote
   OR substr(coalesce(a.text, ''), w.value_start - w.k0 * 100 + 1, w.value_end - w.value_start) IS DISTINCT FROM w.value_text
