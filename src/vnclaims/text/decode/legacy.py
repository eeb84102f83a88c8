"""Legacy Vietnamese code pages (Windows-1258, VISCII, TCVN3/ABC) and how plausible a decoded text is
as Vietnamese (syllable structure, odd characters, very common words); VNI detection; Windows-1252
Western text as a last resort.

Python has no VISCII or TCVN3 codec: both tables below come from glibc's charmaps (VISCII and
TCVN5712-1, whose upper half is a superset of TCVN3/ABC).
"""
from __future__ import annotations

import codecs
import collections
import functools
import re
import unicodedata
from dataclasses import dataclass


# bytes 0x80..0xFF (glibc charmaps/VISCII)
_VISCII_HIGH = (
    "\u1ea0\u1eae\u1eb0\u1eb6\u1ea4\u1ea6\u1ea8\u1eac\u1ebc\u1eb8\u1ebe\u1ec0\u1ec2\u1ec4\u1ec6\u1ed0"
    "\u1ed2\u1ed4\u1ed6\u1ed8\u1ee2\u1eda\u1edc\u1ede\u1eca\u1ece\u1ecc\u1ec8\u1ee6\u0168\u1ee4\u1ef2"
    "\xd5\u1eaf\u1eb1\u1eb7\u1ea5\u1ea7\u1ea9\u1ead\u1ebd\u1eb9\u1ebf\u1ec1\u1ec3\u1ec5\u1ec7\u1ed1"
    "\u1ed3\u1ed5\u1ed7\u1ee0\u01a0\u1ed9\u1edd\u1edf\u1ecb\u1ef0\u1ee8\u1eea\u1eec\u01a1\u1edb\u01af"
    "\xc0\xc1\xc2\xc3\u1ea2\u0102\u1eb3\u1eb5\xc8\xc9\xca\u1eba\xcc\xcd\u0128\u1ef3"
    "\u0110\u1ee9\xd2\xd3\xd4\u1ea1\u1ef7\u1eeb\u1eed\xd9\xda\u1ef9\u1ef5\xdd\u1ee1\u01b0"
    "\xe0\xe1\xe2\xe3\u1ea3\u0103\u1eef\u1eab\xe8\xe9\xea\u1ebb\xec\xed\u0129\u1ec9"
    "\u0111\u1ef1\xf2\xf3\xf4\xf5\u1ecf\u1ecd\u1ee5\xf9\xfa\u0169\u1ee7\xfd\u1ee3\u1eee"
)
# VISCII also puts six capitals in the C0 range
_VISCII_LOW = {0x02: "\u1eb2", 0x05: "\u1eb4", 0x06: "\u1eaa", 0x14: "\u1ef6", 0x19: "\u1ef8", 0x1E: "\u1ef4"}

# bytes 0x80..0xFF (glibc charmaps/TCVN5712-1 = TCVN 5712:1993 VN1). TCVN3 ("ABC", the .VnTime fonts)
# is VN3: identical in 0xA0..0xFF for everything it encodes; it has no tone-marked capitals (those
# were typed with the separate .VnTimeH fonts, i.e. the same bytes as the lower-case letters).
_TCVN_HIGH = (
    "\xc0\u1ea2\xc3\xc1\u1ea0\u1eb6\u1eac\xc8\u1eba\u1ebc\xc9\u1eb8\u1ec6\xcc\u1ec8\u0128"
    "\xcd\u1eca\xd2\u1ece\xd5\xd3\u1ecc\u1ed8\u1edc\u1ede\u1ee0\u1eda\u1ee2\xd9\u1ee6\u0168"
    "\xa0\u0102\xc2\xca\xd4\u01a0\u01af\u0110\u0103\xe2\xea\xf4\u01a1\u01b0\u0111\u1eb0"
    "\u0300\u0309\u0303\u0301\u0323\xe0\u1ea3\xe3\xe1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\xe8\u1ec2\u1ebb\u1ebd"
    "\xe9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\xec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\xed\u1ecb\xf2"
    "\u1ed4\u1ecf\xf5\xf3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\xf9"
    "\u1ed6\u1ee7\u0169\xfa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\xfd\u1ef5\u1ed0"
)
assert len(_VISCII_HIGH) == 128 and len(_TCVN_HIGH) == 128

_VISCII_TABLE = {0x80 + i: c for i, c in enumerate(_VISCII_HIGH)} | _VISCII_LOW
_TCVN_TABLE = {0x80 + i: c for i, c in enumerate(_TCVN_HIGH)}


def _charmap(table: dict[int, str]) -> str:
    return "".join(table.get(b, chr(b)) for b in range(256))


_VISCII_CHARMAP = _charmap(_VISCII_TABLE)
_TCVN_CHARMAP = _charmap(_TCVN_TABLE)


def _decode_table(data: bytes, charmap: str) -> str:
    return codecs.charmap_decode(data, "strict", charmap)[0]


def _decode_cp1258(data: bytes) -> str:
    return data.decode("cp1258")      # strict: the 0x81/0x8A/... holes raise


def _decode_cp1252(data: bytes) -> str:
    return data.decode("cp1252")


LEGACY_ENCODINGS: dict[str, object] = {
    "cp1258": _decode_cp1258,
    "viscii": lambda b: _decode_table(b, _VISCII_CHARMAP),
    "tcvn3": lambda b: _decode_table(b, _TCVN_CHARMAP),
}


def encode_legacy(text: str, encoding: str) -> bytes:
    """Inverse of the VISCII/TCVN3 tables (for tests and tools); NFC input, unmappable chars raise."""
    if encoding == "cp1258":
        return _encode_cp1258(text)
    table = {"viscii": _VISCII_TABLE, "tcvn3": _TCVN_TABLE}[encoding]
    inv = {c: b for b, c in table.items()}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in inv:
            out.append(inv[ch])
        elif ord(ch) < 0x80:
            out.append(ord(ch))
        else:
            raise UnicodeEncodeError(encoding, text, 0, 1, f"{ch!r} is not in {encoding}")
    return bytes(out)


def _encode_cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows wrote it: precomposed where the code page has the
    letter, else base letter + combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if ord(c) not in _TONE_CPS))
            tones = "".join(c for c in d if ord(c) in _TONE_CPS)
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


# ----------------------------------------------------------------------------------------------------
# Vietnamese plausibility
# ----------------------------------------------------------------------------------------------------

_TONE_CPS = {0x300, 0x301, 0x303, 0x309, 0x323}       # huyền, sắc, ngã, hỏi, nặng
_MOD_CPS = {0x302, 0x306, 0x31B}                       # circumflex, breve, horn
_BASE_VOWELS = "aeiouy"
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
# Vietnamese rhymes (vần) without tone; "ia"/"iê"/"yê", "ua"/"uô", "ưa"/"ươ" and the oa/oe/uy/uê glides
_RHYMES = frozenset("""
a ai ao au ay ac ach am an ang anh ap at
ăc ăm ăn ăng ăp ăt
âu ây âc âm ân âng âp ât
e eo ec em en eng ep et
ê êu êch êm ên ênh êp êt êng
i ia iu ich im in inh ip it
iêu iêc iêm iên iêng iêp iêt
y yêu yêm yên yêng yêt
o oi oc om on ong op ot oong ooc
oa oai oao oay oac oach oam oan oang oanh oap oat
oăc oăm oăn oăng oăt
oe oeo oen oet oem oeng
ô ôi ôc ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua ui uc um un ung up ut
uâ uân uâng uât uây
uê uêch uênh uêu
uy uya uyu uych uyn uynh uyp uyt uyên uyêt uyêch
uô uôi uôc uôm uôn uông uôt
uơ
ư ưa ưi ưu ưc ưm ưn ưng ưt
ươ ươi ươu ươc ươm ươn ương ươp ươt
""".split())
_STOP_CODAS = ("c", "ch", "p", "t")
_STOP_TONES = {0x301, 0x323}                           # a syllable ending in c/ch/p/t has sắc or nặng
_VIET_VOWELS = "aăâeêioôơuưy"
_VIET_LETTERS = frozenset(
    unicodedata.normalize("NFC", v + t)
    for v in _VIET_VOWELS + _VIET_VOWELS.upper()
    for t in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
) | frozenset("đĐ")
# non-letter, non-ASCII characters that genuine articles do contain
_OK_SYMBOLS = frozenset("\u00a0“”‘’–—…•«»°€₫×±§©®™½¼¾²³·‰′″„‚‹›\u2009\u202f\ufeff\u200b\u200c\u200d\u00ad")
# very frequent Vietnamese words that carry a diacritic (so a wrong code page cannot produce them by chance)
_COMMON_WORDS = frozenset("""
của và người việt được các năm những có là với không đã này một nước hợp tác hệ để về đến từ tại cũng sẽ
khi nhiều như đó nhà ở ông bà sự phát triển kinh tế thương mại đầu tư đồng tỷ triệu nghìn hiệp định quốc
đối chính phủ ngày tháng lĩnh vực cộng doanh nghiệp hội nghị thủ tướng chủ tịch bộ ngoại giao nói cho biết
hơn đây trên dưới sau trước đi lại còn vì nên thì mà đều rất bên lượng xuất khẩu nhập quân sự
""".split())
_TOKEN = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=65536)
def _is_syllable(token: str) -> bool:
    """``token`` (lower case, NFC) is one Vietnamese syllable: onset + a known rhyme, at most one
    tone mark carried by a vowel, and sắc/nặng when it ends in c/ch/p/t."""
    d = unicodedata.normalize("NFD", token)
    tone = 0
    prev_base = ""
    kept = []
    for ch in d:
        cp = ord(ch)
        if cp in _TONE_CPS:
            if tone or prev_base not in _BASE_VOWELS:
                return False
            tone = cp
            continue
        if cp not in _MOD_CPS:
            prev_base = ch
        kept.append(ch)
    plain = unicodedata.normalize("NFC", "".join(kept))
    for onset in _ONSETS:
        if not plain.startswith(onset):
            continue
        rhyme = plain[len(onset):]
        if onset == "gi" and (rhyme == "" or rhyme[0] not in "iy"):
            rhyme = rhyme or "i"                        # "gì", "giữa", "giếng"
        if rhyme in _RHYMES:
            if rhyme.endswith(_STOP_CODAS) and tone not in _STOP_TONES:
                continue
            return True
    return False


@dataclass(frozen=True)
class _Score:
    nonascii_tokens: int
    valid_ratio: float        # share of tokens with diacritics that are Vietnamese syllables
    odd_ratio: float          # share of non-ASCII characters that are neither Vietnamese letters nor usual symbols
    common: int               # occurrences of very common Vietnamese words (with diacritics)

    @property
    def plausible(self) -> bool:
        if self.nonascii_tokens == 0:
            return False
        if self.nonascii_tokens < 4:   # a very short text: no slack at all
            return self.valid_ratio == 1.0 and self.odd_ratio == 0.0
        if self.odd_ratio > 0.03:
            return False
        if self.valid_ratio >= 0.97:
            return True
        # 0.9..0.97: a wrong code page can get this far by chance; it does not produce the words
        # every Vietnamese article uses
        return self.valid_ratio >= 0.9 and self.common >= max(1, self.nonascii_tokens // 40)

    @property
    def value(self) -> float:
        return self.valid_ratio - 5 * self.odd_ratio + min(self.common, 50) / 1000


# ("…", dashes and quotes glued between two words are common in scraped articles: not counted)
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\w\s’‘'…–—“”](?=[^\W\d_])")


def _tokens(text: str):
    """Words; glued words in camel case ("NamThủ", left by scrapers) are split."""
    for tok in _TOKEN.findall(text):
        if tok.islower() or tok.isupper() or (tok[0].isupper() and tok[1:].islower()):
            yield tok
            continue
        start = 0
        for i in range(1, len(tok)):
            if tok[i].isupper() and tok[i - 1].islower():
                yield tok[start:i]
                start = i
        yield tok[start:]

_SCORE_SAMPLE = 1 << 17    # characters scored from the start, the middle and the end of long texts


def _sample(text: str) -> str:
    if len(text) <= 3 * _SCORE_SAMPLE:
        return text
    mid = len(text) // 2
    return "\n".join((text[:_SCORE_SAMPLE], text[mid:mid + _SCORE_SAMPLE], text[-_SCORE_SAMPLE:]))


def _nonascii_count(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


@functools.lru_cache(maxsize=65536)
def _token_lows(tok: str) -> tuple[str, ...]:
    """The lower-cased non-ASCII words :func:`_tokens` gives for one ``_TOKEN`` match (its camel-case parts)."""
    return tuple(low for low in map(str.lower, _tokens(tok)) if not low.isascii())


def vietnamese_score(text: str) -> _Score:
    """How plausible ``text`` is as Vietnamese (long texts are sampled)."""
    return _score(text, False)


def plausible_score(text: str) -> _Score | None:
    """``vietnamese_score(text)`` when it is plausible, else None, sooner: it stops once more than 3 % of the
    non-ASCII characters are odd, or once so many words are not syllables that the valid share cannot reach
    0.9 (no plausible score has less). A UTF-8 file in NFD, whose combining marks look like legacy bytes read
    as UTF-8, had every word of two wrong decodings scored: 1.1 ms a file."""
    sc = _score(text, True)
    return sc if sc is not None and sc.plausible else None


def _score(text: str, give_up: bool) -> _Score | None:
    text = unicodedata.normalize("NFC", _sample(text))
    nonascii_chars = odd = 0
    for ch, k in collections.Counter(text).items():
        if ord(ch) >= 0x80:
            nonascii_chars += k
            if ch not in _VIET_LETTERS and ch not in _OK_SYMBOLS:
                odd += k
        elif ord(ch) < 0x20 and ch not in "\t\n\r\f\v":
            odd += k
    # a symbol inside a word ("l§p", "di®n") is a letter decoded with the wrong code page
    odd += sum(1 for m in _SYMBOL_IN_WORD.finditer(text) if ord(m.group()) >= 0x80)
    if give_up and nonascii_chars and odd / nonascii_chars > 0.03:
        return None
    # the words of _tokens(text), lower-cased, non-ASCII (each _TOKEN match is split on its own, remembered)
    lows = [low for tok in _TOKEN.findall(text) for low in _token_lows(tok)]
    n, valid, common = len(lows), 0, 0
    for i, low in enumerate(lows, 1):
        if low in _COMMON_WORDS:
            common += 1
        if _is_syllable(low):
            valid += 1
        elif give_up and (n - (i - valid)) / n < 0.9:     # i - valid words are not syllables
            return None
    return _Score(n, valid / n if n else 0.0, odd / nonascii_chars if nonascii_chars else 0.0, common)


# VNI (font encoding, "Vieät Nam") words as they read in Windows-1252: used only to name the problem.
_VNI_WORDS = re.compile(r"(?<!\w)(?:cuûa|vaø|ngöôøi|ñöôïc|caùc|naêm|Vieät|nhöõng|coù|laø|vôùi|khoâng|ñaõ|naøy|"
                        r"moät|nöôùc|hôïp|taùc|quan heä)(?!\w)", re.IGNORECASE)


_VNI_MARKS = "øöñûäïØÖÑÛÄÏ"    # Latin-1 letters that VNI words contain and Vietnamese never does


def _looks_vni(text: str) -> bool:
    if not any(c in text for c in _VNI_MARKS):
        return False
    return len(_VNI_WORDS.findall(_sample(text))) >= 2


def _plausible_western(text: str) -> bool:
    """Windows-1252 text that is not Vietnamese: mostly ASCII, a few accented Latin letters and
    typographic punctuation, nothing else."""
    nonspace = len("".join(text.split()))
    n_nonascii = _nonascii_count(text)
    if not n_nonascii or nonspace == 0 or n_nonascii > 0.05 * nonspace:
        return False
    for ch in set(text):
        if ord(ch) < 0x80 or ch in _OK_SYMBOLS:
            continue
        if not ch.isalpha() or ch in "ªºµÐðÞþ" or ord(ch) > 0x24F:
            return False
    # Windows-1258 Vietnamese read as 1252: the combining tone bytes show up as Ì Ò Þ ì ò after a vowel
    return _CP1258_TONE_AS_1252.search(text) is None


_CP1258_TONE_AS_1252 = re.compile("[aeiouyAEIOUYâêôÂÊÔãÃõÕýÝ][\u00cc\u00d2\u00de\u00ec\u00f2]")
