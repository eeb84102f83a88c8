-- purpose: what cleaning removed from each current input file and why (titles, bylines, captions, residue, repeats)
-- key: removal_id
-- scope: source_path
-- scope_inputs: source_files
SELECT md5(l.raw_id || '|' || l.seq) AS removal_id, f.source_path, l.raw_id, l.seq, l.kind, l.rule, l.text,
       l.paragraph, l.kept_paragraph
FROM cleaning_log l JOIN source_files f ON f.raw_id = l.raw_id
