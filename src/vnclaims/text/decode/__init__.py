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

The parts: :mod:`.legacy` (code pages, Vietnamese plausibility), :mod:`.binary` (magic numbers,
UTF-16 without BOM, control bytes), :mod:`.mojibake` (double-encoded UTF-8), :mod:`.html` (HTML to
text); this module holds the order of the checks, UTF-8 handling and normalisation.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from .binary import _binary_kind, _binary_reason, _magic_kind, _mixed_with_utf16, _utf16_without_bom, looks_binary
from .html import is_html_document, strip_html
from .legacy import (LEGACY_ENCODINGS, _decode_cp1252, _looks_vni, _nonascii_count, _plausible_western, _Score,
                     encode_legacy, plausible_score, vietnamese_score)
from .mojibake import _repair_mojibake
from .rejected import Rejected

__all__ = ["Rejected", "Decoded", "decode_bytes", "looks_binary", "strip_html", "LEGACY_ENCODINGS",
           "encode_legacy", "is_html_document", "vietnamese_score"]


@dataclass(frozen=True)
class Decoded:
    text: str                 # NFC, "\n" line endings, no BOM / zero-width characters
    encoding: str             # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be",
                              # "cp1258", "viscii", "tcvn3", "cp1252"
    notes: tuple[str, ...]    # what was done, in order


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
    if "\r" in text:                    # rare: the three counts only then
        n_crlf = text.count("\r\n")
        n_cr = text.count("\r") - n_crlf
        n_lf = text.count("\n") - n_crlf
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
    if n_bad <= _allowed_invalid(data) and n_good >= 3 * n_bad:
        notes.append(f"invalid-utf8-replaced:{n_bad}")
        return data.decode("utf-8", "replace")
    return None


def _allowed_invalid(data: bytes) -> int:
    """How many invalid UTF-8 bytes a file of this size may hold (replaced): 0.1 %, at least 1, at most 8."""
    return min(_MAX_REPLACED, max(1, int(len(data) * _MAX_REPLACED_RATIO)))


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
        sc = plausible_score(cand)
        if sc is not None:
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
# C2..DF + 80..BF): IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, NKo. Not the combining marks
# U+0300-U+036F, in which a decomposed (NFD) Vietnamese text writes its tones and which no legacy text reads as
# alone: with them, every decomposed file was decoded again in the three legacy encodings (~0.9 ms), to no other text
_UNLIKELY_UTF8 = re.compile("[\u0250-\u02ff\u0370-\u07ff]")


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
        raise Rejected("undecodable", f"the file is mostly UTF-8 but {n_bad} bytes are not valid UTF-8, more than "
                                      f"the {_allowed_invalid(data)} tolerated (and replaced) in a file of "
                                      f"{len(data):,} bytes (0.1 % of its bytes, at least 1, at most {_MAX_REPLACED}); "
                                      "it may be damaged or mix two encodings")
    raise Rejected("undecodable", "the file is not valid UTF-8 and no Vietnamese legacy encoding (Windows-1258, "
                                  "VISCII, TCVN3) gives plausible Vietnamese text")


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
            mixed = _mixed_with_utf16(data) if kind and "%" in kind else None
            if mixed:
                raise Rejected("undecodable", f"the file mixes two text encodings ({mixed}: two files joined?), "
                                              "so it cannot be read as one; re-save it as UTF-8")
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
