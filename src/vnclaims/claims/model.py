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

    def as_row(self) -> dict:
        return dict(self.__dict__)      # flat dataclass: much faster than asdict()



def _claim_id(doc_id: str, metric: str, vstart: int, vend: int, low, high, qualifier: str) -> str:
    key = f"{doc_id}|{metric}|{vstart}|{vend}|{low!r}|{high!r}|{qualifier}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]
