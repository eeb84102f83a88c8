"""Shared helper of the frame tests: the classified claims of one made-up sentence."""
from __future__ import annotations

from vnclaims.claims.extract import extract_document
from vnclaims.text.sentences import split_sentences


def classified(text: str, as_of: str = "2024") -> list[tuple]:
    """(metric, value_low, value_high, qualifier, period, scope, direction) of every classified claim."""
    return [(c.metric, c.value_low, c.value_high, c.qualifier, c.period, c.scope, c.direction)
            for c in extract_document("t", "t.txt", text, split_sentences(text), as_of=as_of)
            if c.metric != "unclassified"]
