"""Double-encoded UTF-8 ("Viá»‡t Nam"): UTF-8 read as Windows-1252 and saved again as UTF-8, repaired
when that is the file's pattern, rejected when it is visibly there but cannot be repaired."""
from __future__ import annotations

import re

from .legacy import _nonascii_count
from .rejected import Rejected


def _cp1252_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)                    # 0x81 0x8D 0x8F 0x90 0x9D: latin-1 fallback


_SLOPPY_1252 = {_cp1252_char(b): b for b in range(0x80, 0x100)}
_CONT = "".join(re.escape(_cp1252_char(b)) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile(
    rf"(?:[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}})+"
)
# what a Vietnamese text looks like after UTF-8 -> cp1252: "á»", "áº" (U+1Exx), "Æ°"/"Æ¡" (ư ơ),
# "Ä‘" (đ), "Äƒ" (ă), "Ä?" (Đ after the 0x90 byte was lost)
_MOJIBAKE_SIGNATURE = re.compile(rf"á[»º][{_CONT}]|Æ[°¡¯\u00a0]|Ä[‘ƒ‚\u0090]|Ä\?"
                                 rf"|[\u00c2-\u00f4][{_CONT}]{{0,2}}\ufffd")


# a Latin-1 letter then a continuation character, found from the second: Vietnamese is full of the letters
# (à, á, â, ê, ô...), the continuations (curly quotes, dashes, ...) are rarer, so the engine skips to far fewer
# places (1.7x faster; only whether the text has a pair is asked)
_MOJIBAKE_PAIR = re.compile(rf"[{_CONT}](?<=[\u00c2-\u00f4].)")


def _repairable(chunk: str) -> str | None:
    try:
        raw = bytes(_SLOPPY_1252[c] for c in chunk)
        fixed = raw.decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None
    for ch in fixed:
        cp = ord(ch)
        if not (0xA0 <= cp <= 0x24F or 0x1E00 <= cp <= 0x1EFF or 0x2000 <= cp <= 0x214F
                or 0x300 <= cp <= 0x36F):
            return None
    return fixed


def _repair_mojibake(text: str) -> tuple[str, int]:
    """Repair UTF-8 that was read as Windows-1252 and saved again as UTF-8. Returns (text, repairs).
    Raises Rejected when the text is visibly double-encoded but cannot be repaired."""
    # quick exits: every double-encoded sequence starts with a lead character directly followed by a
    # continuation character (a simple character-class pair the regex engine scans fast)
    if not _MOJIBAKE_PAIR.search(text) and "Ä?" not in text and "\ufffd" not in text:
        return text, 0
    if not _MOJIBAKE.search(text) and not _MOJIBAKE_SIGNATURE.search(text):
        return text, 0
    original = text
    # "Đ" is C4 90 in UTF-8; cp1252 has no character for 0x90, so it is often lost as "Ä?"
    text = text.replace("Ä?", "Ä\u0090").replace("Ä\ufffd", "Ä\u0090")
    matches = list(_MOJIBAKE.finditer(text))
    fixes = [(m, _repairable(m.group())) for m in matches]
    n_rep = sum(1 for _, f in fixes if f is not None)
    covered = sum(len(m.group()) for m, f in fixes if f is not None)
    nonascii = _nonascii_count(text)
    # repair only when the double encoding is the file's pattern (nearly every non-ASCII character
    # is part of it), not an odd pair of symbols in a genuine article
    if n_rep and (n_rep >= 3 or covered >= 0.6 * nonascii):
        out, pos = [], 0
        for m, f in fixes:
            if f is not None:
                out.append(text[pos:m.start()])
                out.append(f)
                pos = m.end()
        out.append(text[pos:])
        text = "".join(out)
        if _MOJIBAKE_SIGNATURE.search(text):
            raise Rejected("mojibake", "the text is double-encoded UTF-8 (for example 'Viá»‡t' instead of 'Việt') "
                                       "and some of it cannot be repaired")
        return text, n_rep
    if len(_MOJIBAKE_SIGNATURE.findall(original)) >= 3:
        raise Rejected("mojibake", "the text is double-encoded UTF-8 (for example 'Viá»‡t' instead of 'Việt') "
                                   "and cannot be repaired")
    return original, 0
