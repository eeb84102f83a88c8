"""One document through the extractor: its claims, its entity mentions, and (for a document extracted
again whose date was inferred from its text) its reference date inferred again.

This per-document entry sits under ``claims/`` so that the extractor version (which hashes the claims
package) follows it; the extract stage only plans the work and writes the rows.
"""
from __future__ import annotations

from ..text.textnorm import new_style_tones
from .entities import find_mentions
from .metrics import Registry
from .extract import extract_rows
from .as_of import infer_as_of


def extract_one(doc_id: str, path: str, body: str, sentences: list[tuple[int, int]], as_of: str | None,
                as_of_source: str | None, as_of_evidence: str | None, again: bool,
                registry: Registry) -> tuple[list[dict], list[dict], dict | None]:
    """(claim rows, entity-mention rows, new reference date or None). ``again``: the document was
    extracted before (its date, when inferred, is inferred again with today's rules)."""
    asof = None
    if again and as_of_source in ("inferred", "unknown"):
        # the date is inferred by the extractor's rules too (extract.infer_as_of): redone with them
        y, evidence = infer_as_of(body, sentences)
        new = (str(y) if y else None, "inferred" if y else "unknown", evidence)
        if new != (as_of, as_of_source, as_of_evidence or ""):
            asof = {"doc_id": doc_id, "as_of": new[0], "as_of_year": y, "as_of_source": new[1], "as_of_evidence": evidence}
        as_of, as_of_source = new[0], new[1]
    toned = new_style_tones(body)       # for the claims' match form and the entity names (one pass, not two)
    rows = extract_rows(doc_id, body, sentences, as_of=as_of, as_of_source=as_of_source, registry=registry,
                        toned=toned)
    mentions = find_mentions(body, toned, doc_id)
    return rows, mentions, asof
