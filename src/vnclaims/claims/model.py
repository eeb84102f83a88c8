"""The claim row: one quantitative statement with its value, unit, qualifier, period and provenance."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

QUALIFIERS = ("exact", "approx", "over", "under", "range", "target", "derived")


@dataclass
class Claim:
    claim_id: str
    doc_id: str
    source_path: str
    metric: str
    subject: str | None
    value_low: float | None
    value_high: float | None
    unit: str
    qualifier: str
    period: str | None
    period_start: int | None
    period_end: int | None
    date: str | None
    as_of: str | None
    as_of_source: str
    quote: str
    char_start: int
    char_end: int
    value_start: int          # the number inside the body (for highlighting)
    value_end: int
    value_text: str
    sentence_index: int
    method: str               # which rule produced it
    scope: str | None = None          # None: the headline figure; item:/sector:/region:/... a part of it
    direction: str | None = None      # trade: two_way/vn_to_ru/ru_to_vn; investment: ru_in_vn/vn_in_ru
    confidence: float | None = None   # of the frame (1.0: every field decided by words next to the number)
    evidence: str | None = None       # the words that decided each frame field

    def as_row(self) -> dict:
        return dict(self.__dict__)      # flat dataclass: much faster than asdict()



def _claim_id(doc_id: str, metric: str, vstart: int, vend: int, low, high, qualifier: str) -> str:
    """sha256 of "doc_id|metric|vstart|vend|repr(low)|repr(high)|qualifier", its first 20 hex digits."""
    mid, tail = claim_id_parts(metric, low, high, qualifier)
    return claim_id_of(doc_id, mid, vstart, vend, tail)


def claim_id_parts(metric: str, low, high, qualifier: str) -> tuple[str, str]:
    """The parts of a claim id's key that do not depend on the document or the offsets (the sentence memo keeps
    them with a claim, for :func:`claim_id_of`)."""
    return f"|{metric}|", f"|{low!r}|{high!r}|{qualifier}"


def claim_id_of(doc_id: str, mid: str, vstart: int, vend: int, tail: str) -> str:
    return hashlib.sha256(f"{doc_id}{mid}{vstart}|{vend}{tail}".encode()).hexdigest()[:20]
