"""The faster legacy-encoding scoring (issue 20) gives what the word-by-word scoring it replaces gave, and its
early exit decides plausibility exactly as the full score does."""
from __future__ import annotations

import random
import unicodedata

from vnclaims.text.decode import LEGACY_ENCODINGS, decode_bytes, encode_legacy
from vnclaims.text.decode import legacy as L

ARTICLE = ("Kim ngạch thương mại song phương giữa Việt Nam và Liên bang Nga năm 2019 đạt 4,9 tỷ USD. Cộng đồng "
           "người Việt tại Nga có khoảng 80.000 người, đóng góp tích cực cho quan hệ hữu nghị giữa hai nước. "
           "Thủ tướng NamThủ hoà bình, thuỷ lợi, KHOẺ mạnh; iPhone và VinFast.")


def _old_score(text: str) -> L._Score:
    """vietnamese_score as first written (every word of _tokens looked at)."""
    import collections
    text = unicodedata.normalize("NFC", L._sample(text))
    nonascii_chars = odd = 0
    for ch, k in collections.Counter(text).items():
        if ord(ch) >= 0x80:
            nonascii_chars += k
            if ch not in L._VIET_LETTERS and ch not in L._OK_SYMBOLS:
                odd += k
        elif ord(ch) < 0x20 and ch not in "\t\n\r\f\v":
            odd += k
    odd += sum(1 for m in L._SYMBOL_IN_WORD.finditer(text) if ord(m.group()) >= 0x80)
    n = valid = common = 0
    for tok in L._tokens(text):
        low = tok.lower()
        if low.isascii():
            continue
        n += 1
        common += low in L._COMMON_WORDS
        valid += L._is_syllable(low)
    return L._Score(n, valid / n if n else 0.0, odd / nonascii_chars if nonascii_chars else 0.0, common)


def _texts() -> list[str]:
    rnd = random.Random(5)
    words = ARTICLE.split() + ["của", "và", "ngươi", "Vieät", "l§p", "xyză", "ĐÀ", "NẵngHội", "ừ", "Ω", "ß", "a1b"]
    out = [ARTICLE, unicodedata.normalize("NFD", ARTICLE), "", "abc", "đ", "Ω"]
    out += [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 40))) for _ in range(1500)]
    data = ARTICLE.encode("utf-8")
    for fn in LEGACY_ENCODINGS.values():             # UTF-8 bytes read as each legacy code page (implausible)
        try:
            out.append(fn(data))
        except UnicodeDecodeError:
            pass
    for name in LEGACY_ENCODINGS:                    # real legacy text read back (plausible)
        try:
            out.append(LEGACY_ENCODINGS[name](encode_legacy(ARTICLE, name)))
        except (UnicodeError, KeyError, ValueError):
            pass
    return out


def test_score_and_early_exit_as_the_full_word_by_word_score():
    plausible = 0
    for t in _texts():
        old = _old_score(t)
        assert L.vietnamese_score(t) == old, repr(t)
        assert L.plausible_score(t) == (old if old.plausible else None), repr(t)
        plausible += old.plausible
    assert plausible >= 3


def test_utf8_nfd_article_still_read_as_utf8():
    dec = decode_bytes(unicodedata.normalize("NFD", ARTICLE).encode("utf-8"))
    assert dec.encoding == "utf-8" and dec.text == unicodedata.normalize("NFC", ARTICLE) and "nfd->nfc" in dec.notes
