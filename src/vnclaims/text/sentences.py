"""Vietnamese-aware sentence spans: where a sentence of a cleaned body starts and ends (offsets, not
strings, so that every claim can quote its sentence from the body). Pure functions, no I/O."""
from __future__ import annotations

import re

from .textnorm import UPPER

# Abbreviations after which a period does not end a sentence (compared case-sensitively, and
# lower-cased against the lower set).
ABBREVIATIONS = {
    "LB", "TP", "Tp", "tp", "TS", "ThS", "Th.S", "PGS", "GS", "BS", "KS", "CN", "NXB", "St", "Mr", "Mrs",
    "Ms", "Dr", "Prof", "Q", "P", "TT", "TX", "H", "Ths", "PGS.TS", "GS.TS", "TSKH", "v.v", "vv", "No",
    "Co", "Ltd", "Inc", "Jr", "Sr", "tr", "Tr", "ĐH", "HN", "Bs", "Ts", "Gs", "Pgs", "Ths.", "Th",
}

# "([.!?…]+|\.\.\.)" before: the second branch never matched anything the first does not (same spans).
# "[.!?…][.!?…]*" rather than "[.!?…]+": a pattern that starts with a plain character class lets the engine skip
# to the punctuation marks instead of trying every position (finditer 1.8x faster, the same matches)
_BOUNDARY_RE = re.compile(r"([.!?…][.!?…]*)([\"”’»)]*)(\s+)(?=[\"“‘«(\[0-9" + UPPER + "])")
_TOKEN_BEFORE_RE = re.compile(r"([\w.]+)$")     # the word before a period (kept for reference and tests)
_ABBREV_LAST = frozenset(ABBREVIATIONS)


def token_before(para: str, end: int, lo: int) -> str:
    """The run of word characters and periods that ends at ``end``, not reaching before ``lo``: what
    ``_TOKEN_BEFORE_RE.search(para, lo, end)`` finds in a paragraph (no line break), read backwards instead
    (the regex tried every start of the window, a hundred characters per period)."""
    j = end
    while j > lo:
        c = para[j - 1]
        if c.isalnum() or c == "_" or c == ".":
            j -= 1
        else:
            break
    return para[j:end]


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Vietnamese-aware sentence spans (start, end) into ``body``.

    Splits at . ! ? … followed by whitespace and an upper-case letter, digit or quote; never after
    an abbreviation ("LB.", "TP.", "TS."), a single initial ("V."), inside numbers ("1.500", "3,75")
    or dates ("30/01/1950"), which contain no whitespace. Paragraph breaks always split.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in body.split("\n"):          # the runs between line breaks (empty ones give nothing)
        if not para:
            pos += 1
            continue
        start = 0
        for m in _BOUNDARY_RE.finditer(para):
            if m.group(1) == ".":
                # the word before the period, looked for in the 100 characters before it (not the whole
                # paragraph before it: quadratic on a one-line article); abbreviations are far shorter
                ms = m.start()
                tok = token_before(para, ms, max(0, ms - 100))
                last = tok.split(".")[-1] if tok else ""
                if tok in _ABBREV_LAST or last in _ABBREV_LAST or (len(last) == 1 and last.isupper()):
                    continue
            end = m.end(2)
            seg = para[start:end]
            if seg.strip():
                lead_ws = len(seg) - len(seg.lstrip())
                out.append((pos + start + lead_ws, pos + end))
            start = m.end()
        seg = para[start:]
        if seg.strip():
            lead_ws = len(seg) - len(seg.lstrip())
            out.append((pos + start + lead_ws, pos + start + len(seg.rstrip())))
        pos += len(para) + 1
    return out
