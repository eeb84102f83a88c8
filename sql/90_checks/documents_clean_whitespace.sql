-- purpose: audit — cleaned bodies carry no NBSP, no double spaces, no media-player residue
-- rows: documents
SELECT doc_id, source_path FROM documents
WHERE body LIKE '%' || chr(160) || '%' OR body LIKE '%  %' OR regexp_matches(body, '(^|\n)\d{1,2}:\d{2}( / \d{1,2}:\d{2})?(\n|$)')
