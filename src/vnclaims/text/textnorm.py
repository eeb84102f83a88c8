"""Length-preserving Vietnamese normalisation used for matching.

``match_form(text)`` returns a string of exactly the same length as ``text`` (after NFC), so an
offset found in the match form is an offset in the original: cue matching and dedup work on the
match form while quotes are always cut from the original body.

Tone-mark placement: the seeds mix the old style ("hoà", "thuỷ", "khoẻ") and the new style
("hòa", "thủy", "khỏe"). The match form uses the *new* style (tone on the first vowel of an open
"oa"/"oe"/"uy" syllable). The original text is never rewritten, so it stays recoverable.
"""
from __future__ import annotations

import re
import unicodedata

# Vietnamese letters, as regular-expression character-class bodies
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
VOWELS_LOWER = "aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook above, tilde, dot below

# Whitespace that is not a plain space (NBSP, narrow NBSP, figure space, ideographic space, ...).
OTHER_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACE_RE = re.compile("[" + OTHER_SPACES + "\t]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def spaces_to_ascii(text: str) -> str:
    """NBSP and friends (and tabs) to a plain space; same length."""
    return _SPACE_RE.sub(" ", text)


# old-style open syllables: o+à/á/ả/ã/ạ, o+è/é/ẻ/ẽ/ẹ, u+ỳ/ý/ỷ/ỹ/ỵ at the end of a word, not after "q"
# ("quý" keeps its tone on y in both styles).
# Each branch starts with its letter and looks behind it for the "q": a leading look-behind kept the
# regex engine from skipping ahead to the next o/u (the same matches, 40 % faster).
_OLD_STYLE = re.compile(
    r"([oO])(?<![qQ][oO])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ])(?!\w)|([uU])(?<![qQ][uU])([ỳýỷỹỵỲÝỶỸỴ])(?!\w)"
)


# the same matches found from their second letter (the tone-marked vowel, with the "o"/"u" and no "q" looked for
# behind it): a little rarer than o/u, so the engine stops at fewer places. One character class first, the two
# cases after it: an alternation of two classes is tried at every position (2.3x slower)
_OLD_STYLE_SECOND = re.compile(
    r"[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ]"
    r"(?:(?<=[oO][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ])(?<![qQ][oO].)|(?<=[uU][ỳýỷỹỵỲÝỶỸỴ])(?<![qQ][uU].))(?!\w)"
)


def _tone_sub(m: re.Match) -> str:
    if m.group(1):
        return _move_tone_pair(m.group(1), m.group(2))
    return _move_tone_pair(m.group(3), m.group(4))


def _move_tone_pair(first: str, second: str) -> str:
    d = unicodedata.normalize("NFD", second)
    tone = "".join(ch for ch in d if ch in _TONES)
    base2 = "".join(ch for ch in d if ch not in _TONES)
    return unicodedata.normalize("NFC", first + tone) + unicodedata.normalize("NFC", base2)


def new_style_tones(text: str) -> str:
    """'hoà' -> 'hòa', 'thuỷ' -> 'thủy', 'khoẻ' -> 'khỏe'; 'quý', 'hoàn', 'toàn' untouched. Same length.
    (What ``_OLD_STYLE.sub(_tone_sub, text)`` gives, from :data:`_OLD_STYLE_SECOND`'s matches.)"""
    parts = None
    last = 0
    for m in _OLD_STYLE_SECOND.finditer(text):
        i = m.start()
        if parts is None:
            parts = []
        parts.append(text[last:i - 1])
        parts.append(_move_tone_pair(text[i - 1], text[i]))
        last = i + 1
    if parts is None:
        return text
    parts.append(text[last:])
    return "".join(parts)


def match_form(text: str, toned: str | None = None, spaces: bool = True) -> str:
    """Lower-cased, new-style tones, plain spaces. Same length as ``text`` (which must be NFC). ``toned``:
    ``new_style_tones(text)`` when the caller has it already (the tone moves and the space mapping commute:
    neither touches what the other reads). ``spaces=False``: other spaces kept as they are (for a caller that
    reads words only, to which a space of any kind is the same non-word character)."""
    toned = new_style_tones(text) if toned is None else toned
    plain = spaces_to_ascii(toned) if spaces else toned
    out = plain.lower()
    if len(out) != len(text):  # defensive: lower() of a few exotic letters changes length
        out = "".join(c.lower() if len(c.lower()) == 1 else c for c in plain)
    return out


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def dedup_tokens(text: str) -> list[str]:
    """Tokens for document-level dedup: match form, punctuation dropped, digits and diacritics KEPT
    (so two articles that differ only in a figure are different documents)."""
    return _WORD_RE.findall(match_form(nfc(text), spaces=False))     # (a space of any kind ends a word alike)


# ---------------------------------------------------------------- regex speed
_LEADING_LOOKBEHINDS = re.compile(r"^((?:\(\?<![^()]*\))+)([^\\()\[\].?*+{}|^$])(?![?*+{])")


def hoist_lookbehinds(pattern: str) -> str:
    """The same regex with its leading negative look-behinds moved behind its first (literal) character:
    ``(?<!\\w)lào`` -> ``l(?<!\\wl)ào``. It matches exactly the same, but a pattern (or every branch of
    an alternation) that starts with a character lets Python's engine jump to the places where that
    character occurs; one that starts with a look-behind is tried at every position (2.5x slower on
    the country list). Patterns of another shape are returned unchanged."""
    m = _LEADING_LOOKBEHINDS.match(pattern)
    if not m:
        return pattern
    c = m.group(2)
    behinds = re.findall(r"\(\?<!([^()]*)\)", m.group(1))
    return c + "".join(f"(?<!{b}{re.escape(c)})" for b in behinds) + pattern[m.end():]


def word_alternation(alternatives: list[str]) -> str:
    """``(?:a|b|...)`` where each alternative (a regex) must not follow a letter or digit, written so
    that every branch starts with its first character (see :func:`hoist_lookbehinds`)."""
    return "(?:" + "|".join(hoist_lookbehinds(r"(?<!\w)" + a) for a in alternatives) + ")"

