"""Bytes of one input file -> NFC text, or a :class:`Rejected` with a reason a user understands.

Pure library code (no I/O). The order of checks in :func:`decode_bytes`:

1. empty file;
2. byte-order marks (UTF-32, UTF-8, UTF-16 LE/BE);
3. binary files: known magic numbers (PNG, ZIP/DOCX, PDF, gzip, JPEG, ELF, ...), then UTF-16 without a
   BOM (many NUL bytes at odd or at even positions), then "more than 1 % NUL/control bytes";
4. strict UTF-8, with repair of double-encoded UTF-8 ("Viá»‡t Nam" -> "Việt Nam");
5. UTF-8 with a handful of invalid bytes (replaced by U+FFFD, noted);
6. legacy Vietnamese encodings (Windows-1258, VISCII, TCVN3/ABC), each candidate scored by how
   plausible the result is as Vietnamese; the best is accepted only above a threshold. Plain Western
   text in Windows-1252 (curly quotes, a few accented letters, no Vietnamese) is accepted as a last
   resort. VNI (font-based, "Vieät Nam") is detected and rejected, never returned as mojibake;
7. normalisation: line endings to "\\n", zero-width characters and stray control characters removed,
   NFC; whole HTML documents are turned into text (:func:`strip_html`);
8. blank result.

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
from html.parser import HTMLParser

__all__ = ["Rejected", "Decoded", "decode_bytes", "looks_binary", "strip_html", "LEGACY_ENCODINGS"]


class Rejected(Exception):
    """An input that cannot become text. ``code`` is short and stable, ``reason`` a sentence for users."""

    def __init__(self, code: str, reason: str):
        super().__init__(code, reason)   # args kept so the exception pickles across processes
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


@dataclass(frozen=True)
class Decoded:
    text: str                 # NFC, "\n" line endings, no BOM / zero-width characters
    encoding: str             # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be",
                              # "cp1258", "viscii", "tcvn3", "cp1252"
    notes: tuple[str, ...]    # what was done, in order


# ----------------------------------------------------------------------------------------------------
# legacy code pages
# ----------------------------------------------------------------------------------------------------

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


def vietnamese_score(text: str) -> _Score:
    """How plausible ``text`` is as Vietnamese (long texts are sampled)."""
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
    n = valid = common = 0
    for tok in _tokens(text):
        low = tok.lower()
        if low.isascii():
            continue
        n += 1
        if low in _COMMON_WORDS:
            common += 1
        if _is_syllable(low):
            valid += 1
    return _Score(n, valid / n if n else 0.0, odd / nonascii_chars if nonascii_chars else 0.0, common)


# VNI (font encoding, "Vieät Nam") words as they read in Windows-1252: used only to name the problem.
_VNI_WORDS = re.compile(r"(?<!\w)(?:cuûa|vaø|ngöôøi|ñöôïc|caùc|naêm|Vieät|nhöõng|coù|laø|vôùi|khoâng|ñaõ|naøy|"
                        r"moät|nöôùc|hôïp|taùc|quan heä)(?!\w)", re.IGNORECASE)


_VNI_MARKS = "øöñûäïØÖÑÛÄÏ"    # Latin-1 letters that VNI words contain and Vietnamese never does


def _looks_vni(text: str) -> bool:
    if not any(c in text for c in _VNI_MARKS):
        return False
    return len(_VNI_WORDS.findall(_sample(text))) >= 2


# ----------------------------------------------------------------------------------------------------
# binary detection
# ----------------------------------------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive, e.g. .docx/.xlsx/.odt"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an ELF executable"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"BZh", None),                      # checked below: "BZh" + level digit + block magic
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\xca\xfe\xba\xbe", "a Java class file or Mach-O binary"),
    (b"MZ", None),                       # checked below: DOS/Windows executable needs a NUL early on
    (b"RIFF", None),                     # checked below: WAVE/AVI/WEBP
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
)

# C0 controls except TAB, LF, VT, FF, CR; plus DEL
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)) + b"\x7f"
_BINARY_CONTROL_RATIO = 0.01


def _magic_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if not data.startswith(magic):
            continue
        if kind is not None:
            return kind
        if magic == b"BZh" and len(data) >= 10 and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
            return "a bzip2-compressed file"
        if magic == b"MZ" and b"\x00" in data[2:64]:
            return "a Windows executable"
        if magic == b"RIFF" and len(data) >= 12 and data[8:12] in (b"WAVE", b"AVI ", b"WEBP"):
            return {b"WAVE": "a WAV audio file", b"AVI ": "an AVI video", b"WEBP": "a WebP image"}[data[8:12]]
    if data[4:12] in (b"ftypisom", b"ftypmp42", b"ftypM4A ", b"ftypheic", b"ftypqt  "):
        return "an MP4/QuickTime media file"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 without a BOM: NUL bytes in many
    of the high-byte positions (every ASCII character, incl. spaces) and almost none in the others."""
    sample = data[: 1 << 16]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd >= 0.25 * pairs and even <= 0.02 * pairs:
        codec = "utf-16-le"
    elif even >= 0.25 * pairs and odd <= 0.02 * pairs:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text if ord(ch) < 0x20 and ch not in "\t\n\r\f\v")
    return codec if controls <= 0.01 * max(1, len(text)) else None


def _has_bom(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _binary_kind(data: bytes) -> str | None:
    """A description of what the binary file looks like, or None when it may be text."""
    kind = _magic_kind(data)
    if kind:
        return kind
    if _has_bom(data) or _utf16_without_bom(data):
        return None
    n_ctrl = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if n_ctrl > _BINARY_CONTROL_RATIO * len(data):
        pct = 100.0 * n_ctrl / len(data)
        return f"{pct:.0f}% of its bytes are NUL or control characters" if pct >= 1 else \
               f"{pct:.1f}% of its bytes are NUL or control characters"
    return None


def looks_binary(data: bytes) -> bool:
    """True for a known binary format (magic number) or > 1 % NUL/control bytes (UTF-16 excepted)."""
    return _binary_kind(data) is not None


def _binary_reason(kind: str) -> str:
    if "%" in kind:
        return f"the file is binary ({kind}), not text"
    return f"the file is binary (looks like {kind}), not text"


# ----------------------------------------------------------------------------------------------------
# double-encoded UTF-8 ("Viá»‡t Nam")
# ----------------------------------------------------------------------------------------------------

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


_MOJIBAKE_PAIR = re.compile(rf"[\u00c2-\u00f4][{_CONT}]")


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


# ----------------------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------------------

_DROP_TAGS = frozenset({"script", "style", "noscript", "head", "nav", "footer", "iframe", "template", "svg",
                        "canvas", "object", "embed", "select", "button", "menu", "map", "audio", "video"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                         "tr", "table", "thead", "tbody", "tfoot", "section", "article", "blockquote", "pre",
                         "figure", "figcaption", "hr", "main", "header", "address", "title", "body", "html",
                         "caption", "aside", "details", "summary", "center", "form", "fieldset", "legend"})
_CELL_TAGS = frozenset({"td", "th"})
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
                        "source", "track", "wbr"})
_KNOWN_TAGS = _DROP_TAGS | _BLOCK_TAGS | _CELL_TAGS | _VOID_TAGS | frozenset(
    {"a", "span", "b", "i", "u", "em", "strong", "small", "sup", "sub", "font", "label", "time", "abbr", "cite",
     "code", "q", "s", "mark", "picture", "meta"})
_WS = re.compile(r"[ \t\r\n\f\v]+")     # NOT \s: NBSP is kept (the cleaning step handles it)
_SPACES = re.compile(r"[ \t]{2,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.drop: list[str] = []        # stack of open dropped elements
        self.pre = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body":                # an unclosed <head> ends here
            self.drop = [t for t in self.drop if t != "head"]
        if tag in _DROP_TAGS and tag not in _VOID_TAGS:
            self.drop.append(tag)
            return
        if self.drop:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.drop and (tag in _BLOCK_TAGS or tag in _VOID_TAGS and tag in ("br", "hr")):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.drop:
            while self.drop:
                if self.drop.pop() == tag:
                    break
            return
        if self.drop:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.drop:
            return
        self.parts.append(data if self.pre else _WS.sub(" ", data))


def strip_html(text: str) -> str:
    """An HTML page -> readable text: one line per block element, script/style/noscript/head/nav/
    footer/iframe (and similar) dropped, entities unescaped, runs of spaces collapsed, empty lines
    dropped. NBSP is kept."""
    p = _TextExtractor()
    p.feed(text)
    p.close()
    lines = (_SPACES.sub(" ", line).strip(" \t") for line in "".join(p.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]{0,2000}?)?/?>")
_HTML_PROLOGUE = re.compile(r"\A(?:\s|<\?xml[^>]*>|<!--.*?-->)*", re.S)


def is_html_document(text: str, source: str = "") -> bool:
    """A whole HTML document (doctype/<html> at the start, or mostly tags) - not an article that
    merely mentions '<script>'."""
    head = text[_HTML_PROLOGUE.match(text).end():][:64].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return True
    tags = [m for m in _TAG_RE.finditer(text) if m.group(1).lower() in _KNOWN_TAGS]
    if not tags:
        return False
    tag_chars = sum(m.end() - m.start() for m in tags)
    structural = any(m.group(1).lower() in ("p", "div", "body", "br", "table", "li", "span", "a", "h1", "h2")
                     for m in tags)
    if source.lower().endswith((".html", ".htm", ".xhtml")) and head.startswith("<") and len(tags) >= 2:
        return True
    return structural and len(tags) >= 8 and tag_chars >= 0.2 * len(text)


# ----------------------------------------------------------------------------------------------------
# normalisation
# ----------------------------------------------------------------------------------------------------

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff\u00ad\u2060]")
_LINE_SEPS = re.compile("[\u2028\u2029\u0085\f\v]")
# C0 (except TAB, LF, CR) and C1 controls, which no article contains
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
_ANY_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\u2060\ufeff\u00ad]")


def _normalise(text: str, notes: list[str]) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
        if "bom" not in notes:
            notes.append("bom")
    n_crlf = text.count("\r\n")
    n_cr = text.count("\r") - n_crlf
    n_lf = text.count("\n") - n_crlf
    if n_crlf or n_cr:
        kinds = sum(1 for k in (n_crlf, n_cr, n_lf) if k)
        notes.append("mixed-line-endings" if kinds > 1 else ("crlf" if n_crlf else "cr"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ANY_ODD.search(text) is not None:    # rare: one scan decides for the three steps below
        text, n_sep = _LINE_SEPS.subn("\n", text)
        if n_sep:
            notes.append("unicode-line-separators")
        text, n_zw = _ZERO_WIDTH.subn("", text)
        if n_zw:
            notes.append(f"zero-width-removed:{n_zw}")
        text, n_ctrl = _CONTROLS.subn("", text)
        if n_ctrl:
            notes.append(f"control-chars-removed:{n_ctrl}")
    if unicodedata.is_normalized("NFC", text):
        return text
    notes.append("nfd->nfc")
    return unicodedata.normalize("NFC", text)


# ----------------------------------------------------------------------------------------------------
# decode_bytes
# ----------------------------------------------------------------------------------------------------

_MAX_REPLACED = 8            # "a handful" of invalid UTF-8 bytes
_MAX_REPLACED_RATIO = 0.001  # ... and at most 0.1 % of the bytes


def _decode_unicode(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise Rejected("undecodable", f"the file starts with a {label} byte-order mark but its content is not "
                                      f"valid {label}") from None


def _utf8_or_replace(data: bytes, notes: list[str]) -> str | None:
    """Strict UTF-8; or UTF-8 with U+FFFD for a handful of invalid bytes in an otherwise UTF-8 file;
    or None (not UTF-8)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    n_bad, n_good = _damaged_utf8(data)
    allowed = min(_MAX_REPLACED, max(1, int(len(data) * _MAX_REPLACED_RATIO)))
    if n_bad <= allowed and n_good >= 3 * n_bad:
        notes.append(f"invalid-utf8-replaced:{n_bad}")
        return data.decode("utf-8", "replace")
    return None


_ESCAPED = re.compile("[\udc80-\udcff]")


def _damaged_utf8(data: bytes) -> tuple[int, int]:
    """(invalid bytes, valid non-ASCII characters) when ``data`` is read as UTF-8."""
    esc = data.decode("utf-8", "surrogateescape")
    n_bad = len(_ESCAPED.findall(esc))
    return n_bad, _nonascii_count(esc) - n_bad


def _best_legacy(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of the legacy Vietnamese encoding whose result is plausible Vietnamese;
    None when none is; Rejected when two give different plausible texts and neither is clearly
    better (very short texts: 'sinh viên' in TCVN3 is 'sinh viến' in VISCII)."""
    found: list[tuple[_Score, str, str]] = []
    for name, fn in LEGACY_ENCODINGS.items():
        try:
            cand = fn(data)
        except UnicodeDecodeError:
            continue
        sc = vietnamese_score(cand)
        if sc.plausible:
            found.append((sc, name, cand))
    if not found:
        return None
    found.sort(key=lambda t: (t[0].value, t[0].common), reverse=True)
    best = found[0]
    best_nfc = unicodedata.normalize("NFC", best[2])
    second = next((f for f in found[1:] if unicodedata.normalize("NFC", f[2]) != best_nfc), None)
    if second is not None:
        clear = (best[0].valid_ratio - second[0].valid_ratio >= 0.05
                 or best[0].odd_ratio + 0.02 <= second[0].odd_ratio
                 or (best[0].common > second[0].common and best[0].valid_ratio >= second[0].valid_ratio))
        if not clear:
            raise Rejected("undecodable", f"the file is not valid UTF-8 and is too short to tell which Vietnamese "
                                          f"legacy encoding it uses ({best[1]} and {second[1]} both give plausible "
                                          "but different text)")
    return best[2], best[1]


# what legacy Vietnamese bytes turn into when they happen to be valid UTF-8 (2-byte sequences
# C2..DF + 80..BF): IPA, combining marks, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, NKo
_UNLIKELY_UTF8 = re.compile("[\u0250-\u07ff]")


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """(text, encoding) for the most plausible legacy encoding, else Rejected."""
    best = _best_legacy(data)
    if best is not None:
        return best
    try:
        western = _decode_cp1252(data)
    except UnicodeDecodeError:
        western = None
    if western is not None and _looks_vni(western):
        raise Rejected("undecodable", "the text looks like Vietnamese in the VNI font encoding (it reads "
                                      "'Vieät Nam' instead of 'Việt Nam'), which is not supported; re-save it "
                                      "as UTF-8")
    if western is not None and _plausible_western(western):
        return western, "cp1252"
    n_bad, n_good = _damaged_utf8(data)
    if n_good >= 3 * n_bad:
        raise Rejected("undecodable", f"the file is mostly UTF-8 but {n_bad} bytes are not valid UTF-8 (more than "
                                      f"the {_MAX_REPLACED} or 0.1 % that are tolerated and replaced); it may be "
                                      "damaged or mix two encodings")
    raise Rejected("undecodable", "the file is not valid UTF-8 and no Vietnamese legacy encoding (Windows-1258, "
                                  "VISCII, TCVN3) gives plausible Vietnamese text")


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


def decode_bytes(data: bytes, source: str = "") -> Decoded:
    """Decode one file's bytes. ``source`` (the relative path) is only a hint (``.html`` files).
    Raises :class:`Rejected` for empty, blank, binary, undecodable or mojibake input."""
    if len(data) == 0:
        raise Rejected("empty", "the file is empty (0 bytes)")
    notes: list[str] = []
    text: str | None = None
    encoding = ""

    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        codec = "utf-32-le" if data[0] == 0xFF else "utf-32-be"
        try:
            text, encoding = data[4:].decode(codec), codec
            notes.append("bom")
        except UnicodeDecodeError:
            text = None                  # FF FE 00 00 may also be UTF-16 LE "BOM + NUL"
    if text is None:
        if data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
            notes.append("bom")
            text = _utf8_or_replace(data[3:], notes)
            if text is None:
                raise Rejected("undecodable", "the file starts with a UTF-8 byte-order mark but its content is not "
                                              "valid UTF-8")
        elif data.startswith(codecs.BOM_UTF16_LE):
            text, encoding = _decode_unicode(data[2:], "utf-16-le", "UTF-16"), "utf-16-le"
            notes.append("bom")
        elif data.startswith(codecs.BOM_UTF16_BE):
            text, encoding = _decode_unicode(data[2:], "utf-16-be", "UTF-16"), "utf-16-be"
            notes.append("bom")

    if text is None:
        kind = _magic_kind(data)
        if kind:
            raise Rejected("binary", _binary_reason(kind))
        codec = _utf16_without_bom(data)
        if codec:
            text, encoding = data[: len(data) // 2 * 2].decode(codec), codec
            notes.append("utf16-no-bom")
        else:
            kind = _binary_kind(data)
            if kind:
                raise Rejected("binary", _binary_reason(kind))

    if text is None:
        text = _utf8_or_replace(data, notes)
        if text is not None:
            encoding = "utf-8"
            if _UNLIKELY_UTF8.search(text):
                # a short legacy text can be valid UTF-8 by accident (VISCII "nước" = 6E DF BE 63 reads
                # as "n߾c"): Armenian/Hebrew/Arabic/NKo... where legacy Vietnamese is plausible
                legacy = _best_legacy(data)
                if legacy is not None:
                    text, encoding = legacy
                    notes[:] = [n for n in notes if not n.startswith("invalid-utf8-replaced")]
        else:
            text, encoding = _decode_legacy(data)

    if encoding.startswith("utf"):
        text, n_fixed = _repair_mojibake(text)
        if n_fixed:
            notes.append(f"mojibake-repaired:{n_fixed}")
        if _looks_vni(text) and not vietnamese_score(text).plausible:
            raise Rejected("mojibake", "the text is Vietnamese in the VNI font encoding shown as Latin letters "
                                       "(it reads 'Vieät Nam' instead of 'Việt Nam'); re-save it as UTF-8 from "
                                       "the original VNI document")

    text = _normalise(text, notes)
    if text.strip() == "":
        raise Rejected("blank", "the file contains only whitespace, no text")
    if is_html_document(text, source):
        stripped = strip_html(text)
        notes.append("html-stripped")
        stripped = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", stripped))
        if stripped.strip() == "":
            raise Rejected("html-empty", "the file is an HTML page with no readable text once the markup, scripts "
                                         "and navigation are removed")
        text = stripped
    return Decoded(text=text, encoding=encoding, notes=tuple(notes))
