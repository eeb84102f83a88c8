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

_BOUNDARY_RE = re.compile(r"([.!?…]+|\.\.\.)([\"”’»)]*)(\s+)(?=[\"“‘«(\[0-9" + UPPER + "])")
_TOKEN_BEFORE_RE = re.compile(r"([\w.]+)$")


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Vietnamese-aware sentence spans (start, end) into ``body``.

    Splits at . ! ? … followed by whitespace and an upper-case letter, digit or quote; never after
    an abbreviation ("LB.", "TP.", "TS."), a single initial ("V."), inside numbers ("1.500", "3,75")
    or dates ("30/01/1950"), which contain no whitespace. Paragraph breaks always split.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in re.split(r"(\n+)", body):
        if para.startswith("\n") or not para:
            pos += len(para)
            continue
        start = 0
        for m in _BOUNDARY_RE.finditer(para):
            punct = m.group(1)
            if punct == ".":
                # the word before the period, looked for in the 100 characters before it (not the whole
                # paragraph before it: quadratic on a one-line article); abbreviations are far shorter
                tb = _TOKEN_BEFORE_RE.search(para, max(0, m.start() - 100), m.start())
                tok = tb.group(1) if tb else ""
                last = tok.split(".")[-1] if tok else ""
                if tok in ABBREVIATIONS or last in ABBREVIATIONS or (len(last) == 1 and last.isupper()):
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
        pos += len(para)
    return out
