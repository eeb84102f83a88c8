"""Binary inputs: known magic numbers, UTF-16 without a byte-order mark, the share of NUL/control bytes."""
from __future__ import annotations

import codecs


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

_ANY_MAGIC = tuple(m for m, _ in _MAGIC)
_FTYP = (b"ftypisom", b"ftypmp42", b"ftypM4A ", b"ftypheic", b"ftypqt  ")

# C0 controls except TAB, LF, VT, FF, CR; plus DEL
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D)) + b"\x7f"
_BINARY_CONTROL_RATIO = 0.01


def _magic_kind(data: bytes) -> str | None:
    if not data.startswith(_ANY_MAGIC):         # nearly every file: one C call instead of 24
        return "an MP4/QuickTime media file" if data[4:12] in _FTYP else None
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
    if data[4:12] in _FTYP:
        return "an MP4/QuickTime media file"
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 without a BOM: NUL bytes in many
    of the high-byte positions (every ASCII character, incl. spaces) and almost none in the others."""
    if len(data) < 8 or data.find(b"\0", 0, 1 << 16) < 0:    # no NUL byte: no UTF-16 (the common case)
        return None
    sample = data[: 1 << 16]
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


def _mixed_with_utf16(data: bytes) -> str | None:
    """'UTF-8 then UTF-16-LE' (or the other way round, or -BE) when the file is text in two encodings, a
    UTF-8 part and a UTF-16 part (two files joined): its NUL bytes are those of the UTF-16 part alone."""
    def utf8(b: bytes) -> bool:
        try:
            return bool(b.decode("utf-8").strip())
        except UnicodeDecodeError:
            return False
    first, last = data.find(b"\0"), data.rfind(b"\0")
    if first < 0:
        return None
    for start in (first - 1, first):             # the UTF-16 part starts at a character before its first NUL
        codec = _utf16_without_bom(data[start:]) if start > 0 else None
        if codec and utf8(data[:start]):
            return f"UTF-8 then {codec.upper()}"
    for end in (last + 1, last + 2):             # ... or ends at the character after its last NUL
        codec = _utf16_without_bom(data[:end]) if end < len(data) else None
        if codec and utf8(data[end:]):
            return f"{codec.upper()} then UTF-8"
    return None


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
