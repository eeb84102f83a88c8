"""Sentences seen before, and the period a sentence carries to the next.

A sentence seen before (a syndicated article, a repeated boilerplate line, a near-duplicate) is not analysed
again: its claims depend only on its text, the document's as_of and the country named last before it (for
the sentences whose analysis reads them: ``_Ctx.read_as_of``, ``_Ctx.read_country``), the
capitalised country names found in it and (when it opens with "Trong đó", "Riêng", ...) the period carried
from the sentence before, so they are rebuilt from the first analysis with this document's id and offsets.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from typing import Callable

from .metrics import Registry
from .model import claim_id_of, claim_id_parts
from .numbers import _CANDIDATE_RE

# a sentence that opens with one of these breaks down the figures of the sentence before it (its period too)
_OF_WHICH_RE = re.compile(r"\s*(?:trong đó|trong số đó|trong số này|cụ thể|riêng|theo đó)(?!\w)")
_CARRIED_PERIOD_RE = re.compile(r"\d{4}(?:-\d{2}(?:/\d{4}-\d{2})?)?")      # a year, a month, a part of a year
# a bounded cache per registry (least recently used dropped first)
_MEMO_SIZE = 20_000
_ANY = ("any",)     # in a key instead of the as_of or the country before the sentence: the claims do not depend on it
_READS_COUNTRY = ("reads country",)     # a key's mark: an analysis of this sentence read the country before it
_DOC_FIELDS = ("claim_id", "doc_id", "source_path", "as_of", "as_of_source", "quote", "char_start", "char_end",
               "value_start", "value_end", "value_text", "sentence_index")
_SENTENCE_FIELDS = ("quote", "value_text")     # ... of these, the same for every document with the sentence
_NOT_KEPT = tuple(k for k in _DOC_FIELDS if k not in _SENTENCE_FIELDS)


def sentence_memo(registry: Registry) -> OrderedDict:
    memo = registry.__dict__.get("_sentence_memo")
    if memo is None:
        memo = OrderedDict()
        object.__setattr__(registry, "_sentence_memo", memo)      # a cache on a frozen dataclass
    return memo


def _carried_period(ctx, claims: list[dict]) -> str | None:
    """The period a sentence with these claims carries to the next: its last classified flow's or rate's."""
    return next((c["period"] for c in reversed(claims)
                 if c["period"] and c["metric"] != "unclassified"
                 and ctx.registry.by_name(c["metric"]).kind in ("flow", "rate")
                 and _CARRIED_PERIOD_RE.fullmatch(c["period"])), None)


def _kept(claim: dict) -> dict:
    """A claim without its document's and offsets' fields, its other fields in their order (a copy with those
    removed: 2.5x faster than a comprehension over every field)."""
    kept = claim.copy()
    for k in _NOT_KEPT:
        kept.pop(k, None)
    return kept


def extract_memoised(ctx, memo: OrderedDict, idx: int, a: int, b: int, extract_sentence: Callable) -> str | None:
    """``extract_sentence(ctx, idx, a, b)`` for the sentence body[a:b], or its claims rebuilt from the memo (added
    to ``ctx.claims`` either way). Returns the period the sentence carries to the next (``ctx.carry_period``)."""
    # (most documents name no country with a capitalised short word: no generator for them)
    caps = tuple((h.start - a, h.end - a, h.word) for h in ctx.capitalised.within(a, b)) if ctx.capitalised.hits else ()
    # (most sentences follow one that carries no period: then whether this one opens with "Trong đó" is moot)
    carry = ctx.carry_period if ctx.carry_period is not None and _OF_WHICH_RE.match(ctx.body_m, a) else None
    text = ctx.body[a:b]
    # a sentence whose analysis never read as_of (most: no relative year, no month without a year, ...) or the
    # country the document named before it is remembered without them, so that documents dated otherwise or
    # naming other countries share it; the others under their values. Whether the analysis reads one depends
    # only on the rest of the key and on what it read before, so an entry found under _ANY is always right.
    key = (text, _ANY, _ANY, caps, carry)
    got = memo.get(key)
    if got is None:
        key = (text, ctx.as_of, _ANY, caps, carry)
        got = memo.get(key)
    # under a country only when an analysis of this sentence read one (the body's place words are scanned to
    # find it); should that mark be dropped before the claims, the sentence is analysed again (the same claims)
    if got is None:
        # only a sentence with a candidate number is ever remembered, so a sentence found above has one
        if _CANDIDATE_RE.search(ctx.body_m[a:b]) is None:
            return None     # no digit, no number word: no claim (and nothing to remember)
        mark = (_READS_COUNTRY, text, caps, carry)
        if mark in memo:
            memo.move_to_end(mark)
            country = ctx.country_before(a)
            for key in ((text, _ANY, country, caps, carry), (text, ctx.as_of, country, caps, carry)):
                got = memo.get(key)
                if got is not None:
                    break
    if got is not None:
        memo.move_to_end(key)
        rows, carried = got
        doc_id, claims = ctx.doc_id, ctx.claims
        fields = {"doc_id": doc_id, "as_of": ctx.as_of, "as_of_source": ctx.as_of_source, "char_start": a,
                  "char_end": b, "sentence_index": idx}
        for known, vs, ve, low, high, id_mid, id_tail in rows:
            ctx.id_values.append((low, high))
            claims.append({**known, **fields, "value_start": a + vs, "value_end": a + ve,
                           "claim_id": claim_id_of(doc_id, id_mid, a + vs, a + ve, id_tail)})
        return carried
    first = len(ctx.claims)
    ctx.carry_period = carry
    ctx.as_of_read = ctx.country_read = False
    extract_sentence(ctx, idx, a, b)
    if ctx.country_read:
        memo[mark] = True
        country = ctx.country_before(a)
    else:
        country = _ANY
    key = (text, ctx.as_of if ctx.as_of_read else _ANY, country, caps, carry)
    new = ctx.claims[first:]
    carried = _carried_period(ctx, new)
    # each claim without the fields of this document and offsets (its quote and value text are the sentence's),
    # and the parts of its id that do not depend on them
    memo[key] = ([(_kept(c), c["value_start"] - a, c["value_end"] - a, low, high)
                   + claim_id_parts(c["metric"], low, high, c["qualifier"])
                   for c, (low, high) in zip(new, ctx.id_values[first:])], carried)
    while len(memo) > _MEMO_SIZE:
        memo.popitem(last=False)
    return carried
