-- purpose: the content key of each classified claim, what review decisions point at: the document's content hash, the metric, the quoted figure and its place in the sentence (spaces, punctuation and symbols left out, so a re-clean that only moves spaces or commas keeps it; bodies are NFC already); stable across re-extraction, renamed files and rollbacks
-- key: claim_id
-- scope: doc_id
-- scope_inputs: claims, documents
WITH c AS (
    SELECT cl.claim_id, cl.doc_id, cl.source_path, cl.metric, d.content_hash, cl.value_text, cl.period,
           cl.value_low, cl.value_high, cl.unit, cl.qualifier,
           regexp_replace(cl.value_text, '[\s\pP\pS]+', '', 'g') AS figure,
           md5(regexp_replace(cl.quote, '[\s\pP\pS]+', '', 'g')) AS sentence,
           regexp_replace(substr(cl.quote, 1, cl.value_start - cl.char_start), '[\s\pP\pS]+', '', 'g') AS before
    FROM claims cl
    JOIN documents d USING (doc_id)
    JOIN metrics m ON m.metric = cl.metric
), p AS (
    -- the place: the sentence, and how many times the figure occurs in it before this one
    SELECT *, (length(before) - length(replace(before, figure, ''))) // greatest(length(figure), 1) AS ordinal
    FROM c
)
SELECT claim_id, doc_id, source_path, metric,
       md5(concat_ws('|', content_hash, metric, figure, sentence, ordinal)) AS claim_key,
       md5(concat_ws('|', content_hash, figure, sentence, ordinal)) AS place_key,
       md5(row(value_low, value_high, unit, qualifier, period)::VARCHAR) AS says,
       printf('%s "%s"%s = %s%s %s (%s)', metric, value_text, CASE WHEN period IS NULL THEN '' ELSE ' in ' || period END,
              coalesce(value_low::VARCHAR, '…'),
              CASE WHEN value_high IS DISTINCT FROM value_low THEN '–' || coalesce(value_high::VARCHAR, '…') ELSE '' END,
              unit, qualifier) AS said
FROM p
