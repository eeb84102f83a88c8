"""One document through the cleaner: decoded text without replacement characters, then cleaned text
with its id, reference date, sentences, cleaning log and near-duplicate signature.

Per-document logic that decides a document's rows (its ``doc_id`` formula, ``as_of``, signature) lives
here, under ``text/``, so that the cleaner version (which hashes the text package) follows it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from . import clean as _clean           # through the module: tests replace clean_text (tests/e2e/test_reclean.py)
from .decode import Decoded, Rejected
from .minhash import MinHasher


def without_replacement_chars(dec: Decoded) -> Decoded:
    """No U+FFFD reaches the documents: the decoder puts one where a handful of bytes were not valid
    UTF-8 (noted ``invalid-utf8-replaced:N``), and damaged files may already contain some. They are
    removed here and noted; the exact bytes stay in warehouse/raw/."""
    n = dec.text.count("\ufffd")
    if not n:
        return dec
    text = dec.text.replace("\ufffd", "")
    if not text.strip():
        raise Rejected("undecodable", "the file contains only replacement characters (U+FFFD), no readable text")
    return replace(dec, text=text, notes=(*dec.notes, f"replacement-chars-removed:{n}"))


def clean_document(raw_id: str, path: str, text: str, published: str | None, publisher: str | None,
                   url: str | None, num_perm: int, infer_as_of) -> dict:
    """The rows cleaning gives one file's text: ``doc`` (the document; its id hashes its words and its
    manifest date), ``sentences``, ``log`` (every removal), ``empty``, and ``signature`` (MinHash bytes,
    from the same tokens the id hashes). ``infer_as_of(body, sentences) -> (year, evidence)`` dates a
    document without a manifest date: it is the extractor's rule (``claims.as_of``), handed in by the clean
    stage so that the text package does not depend on the claims package."""
    d = _clean.clean_text(text)
    tokens = d.tokens()
    if published:
        as_of, as_of_year, as_of_source, evidence = published, int(published[:4]) if published[:4].isdigit() else None, "manifest", "manifest.json"
    else:
        y, evidence = infer_as_of(d.body, d.sentences)
        as_of, as_of_year, as_of_source = (str(y) if y else None), y, ("inferred" if y else "unknown")
    content_hash = _clean.hash_tokens(tokens)
    doc_id = hashlib.sha256(f"{content_hash}|{published or ''}".encode()).hexdigest()[:20]
    return {
        "doc": {"doc_id": doc_id, "raw_id": raw_id, "source_path": path, "title": d.title, "author": d.author,
                "source_tag": d.source_tag, "lead": d.lead, "captions": json.dumps(d.captions, ensure_ascii=False) if d.captions else "[]",
                "body": d.body, "content_hash": content_hash, "as_of": as_of, "as_of_year": as_of_year,
                "as_of_source": as_of_source, "as_of_evidence": evidence, "publisher": publisher, "url": url,
                "n_paragraphs": len(d.paragraphs), "n_sentences": len(d.sentences)},
        "sentences": [{"doc_id": doc_id, "sentence_index": i, "char_start": a, "char_end": b, "text": d.body[a:b]}
                      for i, (a, b) in enumerate(d.sentences)],
        "log": [{"raw_id": raw_id, "seq": i, "kind": r.kind, "rule": r.rule, "text": r.text, "paragraph": r.paragraph,
                 "kept_paragraph": r.kept_paragraph} for i, r in enumerate(d.removals)],
        "empty": not d.body.strip(),
        # the near-duplicate signature, from the same tokens (dedup compares those of new documents)
        "signature": MinHasher(num_perm).signature_of_tokens(tokens).tobytes(),
    }
