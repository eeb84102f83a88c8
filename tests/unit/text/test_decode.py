"""vnclaims.text.decode: every rule is exercised with input built here (no fixture files)."""
from __future__ import annotations

import codecs
import gzip
import io
import pickle
import struct
import unicodedata
import zipfile
import zlib

import pytest

from vnclaims.text.decode import Decoded, Rejected, decode_bytes, looks_binary, strip_html

TRADE = ("Kim ngạch thương mại song phương giữa Việt Nam và Liên bang Nga năm 2023 đạt khoảng 4,6 tỷ USD, "
         "tăng 27% so với năm trước; các doanh nghiệp của hai nước được hưởng ưu đãi thuế quan theo Hiệp định "
         "thương mại tự do.")
DIASPORA = ("Cộng đồng người Việt Nam tại Nga có khoảng 80.000 người, phần lớn sinh sống và kinh doanh ở Moskva "
            "và Sankt-Peterburg.")
TREATY = ("Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị giữa Việt Nam và Nga được ký năm 1994; "
          "đến năm 2012 hai nước nâng quan hệ lên Đối tác chiến lược toàn diện.")
ARTICLE = "\n".join([TRADE, DIASPORA, TREATY])


def _reject(data: bytes, source: str = "") -> Rejected:
    with pytest.raises(Rejected) as ei:
        decode_bytes(data, source)
    return ei.value


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: the letters the code page has, else base letter +
    combining tone mark (Python's cp1258 codec cannot encode e.g. 'ệ' directly)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


# ------------------------------------------------------------------------------------------ Unicode

def test_utf8_plain():
    d = decode_bytes(ARTICLE.encode("utf-8"))
    assert d == Decoded(text=ARTICLE, encoding="utf-8", notes=())


def test_utf8_is_never_read_as_cp1252():
    d = decode_bytes("Việt Nam".encode("utf-8"))
    assert d.text == "Việt Nam"
    assert "á»" not in d.text


def test_utf8_with_bom():
    d = decode_bytes(codecs.BOM_UTF8 + DIASPORA.encode("utf-8"))
    assert d.text == DIASPORA
    assert d.encoding == "utf-8-sig"
    assert d.notes == ("bom",)


def test_utf16_le_with_bom():
    d = decode_bytes(codecs.BOM_UTF16_LE + TREATY.encode("utf-16-le"))
    assert (d.text, d.encoding, d.notes) == (TREATY, "utf-16-le", ("bom",))


def test_utf16_be_with_bom():
    d = decode_bytes(codecs.BOM_UTF16_BE + TREATY.encode("utf-16-be"))
    assert (d.text, d.encoding, d.notes) == (TREATY, "utf-16-be", ("bom",))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_detected_by_nul_positions(codec):
    d = decode_bytes(ARTICLE.encode(codec))
    assert d.text == ARTICLE
    assert d.encoding == codec
    assert "utf16-no-bom" in d.notes


def test_utf32_with_bom():
    d = decode_bytes(codecs.BOM_UTF32_LE + DIASPORA.encode("utf-32-le"))
    assert (d.text, d.encoding) == (DIASPORA, "utf-32-le")


# ------------------------------------------------------------------------------------------ legacy

def test_cp1258_with_combining_tone_marks_becomes_nfc():
    s = "Việt Nam có khoảng 80.000 người sinh sống tại Nga; kim ngạch thương mại năm 2023 đạt 4,6 tỷ USD."
    data = to_cp1258(s)
    assert b"Vi\xea\xf2t" in data            # 'ệ' really is 'ê' + combining dot below (0xF2)
    d = decode_bytes(data)
    assert d.text == s
    assert d.encoding == "cp1258"
    assert unicodedata.is_normalized("NFC", d.text)
    assert "nfd->nfc" in d.notes


def test_cp1258_long_article():
    d = decode_bytes(to_cp1258(ARTICLE).replace(b"\n", b"\r\n"))
    assert d.text == ARTICLE
    assert d.encoding == "cp1258"
    assert "crlf" in d.notes


# bytes produced by glibc iconv -t VISCII (independent of the module's table)
VISCII_TEXT = ("Hiệp định thương mại tự do giữa Việt Nam và Liên minh Kinh tế Á - Âu có hiệu lực từ năm 2016; "
               "kim ngạch xuất khẩu nông sản sang Nga tăng mạnh.")
VISCII_BYTES = (b"Hi\xaep \xf0\xb8nh th\xdf\xbdng m\xd5i t\xf1 do gi\xe6a Vi\xaet Nam v\xe0 Li\xean minh Kinh t\xaa "
                b"\xc1 - \xc2u c\xf3 hi\xaeu l\xf1c t\xd7 n\xe5m 2016; kim ng\xd5ch xu\xa4t kh\xa6u n\xf4ng s\xe4n "
                b"sang Nga t\xe5ng m\xd5nh.")


def test_viscii():
    d = decode_bytes(VISCII_BYTES)
    assert d.text == VISCII_TEXT
    assert d.encoding == "viscii"


# bytes produced by glibc iconv -t TCVN5712-1 (TCVN3/ABC for these letters)
TCVN3_TEXT = ("Kiều bào Việt Nam tại Liên bang Nga đã đóng góp nhiều cho quan hệ hữu nghị và hợp tác giữa hai nước "
              "trong những năm qua.")
TCVN3_BYTES = (b"Ki\xd2u b\xb5o Vi\xd6t Nam t\xb9i Li\xaan bang Nga \xae\xb7 \xae\xe3ng g\xe3p nhi\xd2u cho quan "
               b"h\xd6 h\xf7u ngh\xde v\xb5 h\xeep t\xb8c gi\xf7a hai n\xad\xedc trong nh\xf7ng n\xa8m qua.")


def test_tcvn3():
    d = decode_bytes(TCVN3_BYTES)
    assert d.text == TCVN3_TEXT
    assert d.encoding == "tcvn3"


def test_short_legacy_texts_pick_the_right_code_page():
    assert decode_bytes(to_cp1258("Nga và Mỹ")).text == "Nga và Mỹ"
    assert decode_bytes(b"Vi\xd6t Nam").text == "Việt Nam"          # TCVN3
    assert decode_bytes(b"Vi\xaet Nam").text == "Việt Nam"          # VISCII


def test_legacy_bytes_that_happen_to_be_valid_utf8_are_not_read_as_utf8():
    data = b"hai n\xdf\xbec."                                # VISCII; DF BE is also UTF-8 for U+07FE
    assert data.decode("utf-8") == "hai n\u07fec."
    d = decode_bytes(data)
    assert (d.text, d.encoding) == ("hai nước.", "viscii")


def test_cyrillic_in_utf8_stays_utf8():
    s = "Tổng thống Путин và Chủ tịch nước Việt Nam hội đàm tại Điện Kremlin."
    assert decode_bytes(s.encode("utf-8")) == Decoded(s, "utf-8", ())


def test_too_short_to_tell_legacy_encodings_apart_is_rejected():
    # TCVN3 "sinh viên" is VISCII "sinh viến": both plausible, neither clearly better
    e = _reject(b"sinh vi\xaan")
    assert e.code == "undecodable"
    assert "too short to tell" in e.reason


def test_vni_is_rejected_not_returned_as_mojibake():
    # VNI-Windows ("font" encoding): base letters + diacritics typed as Latin-1 letters
    vni = ("Coäng ñoàng ngöôøi Vieät Nam taïi Nga coù khoaûng 80.000 ngöôøi, caùc doanh nghieäp cuûa hoï "
           "vaø ñoái taùc Nga ñaõ kyù nhieàu hôïp ñoàng.")
    e = _reject(vni.encode("cp1252"))
    assert e.code == "undecodable"
    assert "VNI" in e.reason


def test_vni_already_in_utf8_is_mojibake():
    vni = "Coäng ñoàng ngöôøi Vieät Nam taïi Nga coù khoaûng 80.000 ngöôøi, caùc doanh nghieäp cuûa hoï vaø Nga."
    e = _reject(vni.encode("utf-8"))
    assert e.code == "mojibake"
    assert "VNI" in e.reason


def test_western_cp1252_text_is_accepted():
    s = ("The “strategic partnership” between Vietnam and Russia was signed in 2001 — the café owners in "
         "Moscow’s Dong Xuan market said trade had grown steadily since the free trade agreement took effect.")
    d = decode_bytes(s.encode("cp1252"))
    assert (d.text, d.encoding) == (s, "cp1252")


def test_random_high_bytes_are_undecodable():
    data = b"Nga " + bytes(range(0x80, 0x100)) * 4 + b" 2023"
    e = _reject(data)
    assert e.code == "undecodable"
    assert e.reason == ("the file is not valid UTF-8 and no Vietnamese legacy encoding (Windows-1258, VISCII, "
                        "TCVN3) gives plausible Vietnamese text")


# ------------------------------------------------------------------------------------------ mojibake

def test_double_encoded_utf8_is_repaired():
    s = "Việt Nam và Nga tăng hợp tác năng lượng, kim ngạch đạt 4,6 tỷ USD"
    mojibake = s.encode("utf-8").decode("cp1252")
    assert mojibake.startswith("Viá»‡t Nam")
    d = decode_bytes(mojibake.encode("utf-8"))
    assert d.text == s
    assert d.encoding == "utf-8"
    assert any(n.startswith("mojibake-repaired:") for n in d.notes)


def test_double_encoded_utf8_with_bytes_cp1252_lacks_is_repaired():
    # 'ờ' is E1 BB 9D and 'Đ' is C4 90: 0x9D/0x90 have no cp1252 character, tools keep them as U+009D/U+0090
    s = "Đối tác chiến lược toàn diện: người Việt ở Nga"
    mojibake = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in s.encode("utf-8"))
    assert "\u0090" in mojibake and "\u009d" in mojibake
    d = decode_bytes(mojibake.encode("utf-8"))
    assert d.text == s


def test_double_encoded_utf8_with_lost_bytes_is_rejected():
    s = "Cộng đồng người Việt tại Nga"
    mojibake = s.encode("utf-8").decode("cp1252", errors="replace")    # 'ờ' lost its last byte as U+FFFD
    assert "\ufffd" in mojibake
    e = _reject(mojibake.encode("utf-8"))
    assert e.code == "mojibake"
    assert "double-encoded UTF-8" in e.reason


def test_genuine_text_that_contains_a_mojibake_like_sequence_is_left_alone():
    # 'á»…' (á, », …) would be the double encoding of 'ễ' - here it is French quotes after 'Đá'
    s = "Ông Lavrov nói về trận đấu: «Đá»… rồi dừng lại. " + DIASPORA
    d = decode_bytes(s.encode("utf-8"))
    assert d.text == s
    assert d.notes == ()


# ------------------------------------------------------------------------------------------ invalid UTF-8

def test_a_few_invalid_utf8_bytes_are_replaced():
    body = (ARTICLE + "\n") * 4
    raw = body.encode("utf-8")
    cut = raw.index(b" ", 500)
    data = raw[:cut] + b"\xff" + raw[cut:]
    assert len(data) > 1000
    d = decode_bytes(data)
    assert d.encoding == "utf-8"
    assert "invalid-utf8-replaced:1" in d.notes
    assert d.text == body[: len(raw[:cut].decode())] + "\ufffd" + body[len(raw[:cut].decode()):]


def test_many_invalid_utf8_bytes_are_rejected():
    raw = ((ARTICLE + "\n") * 4).encode("utf-8")
    data = bytearray(raw)
    for i in range(100, len(data), 60):          # ~1.6 % of the bytes broken
        data[i] = 0xFF
    e = _reject(bytes(data))
    assert e.code == "undecodable"
    assert "mostly UTF-8" in e.reason


# ------------------------------------------------------------------------------------------ normalisation

def test_mixed_line_endings():
    d = decode_bytes("Dòng một\r\nDòng hai\rDòng ba\nDòng bốn".encode("utf-8"))
    assert d.text == "Dòng một\nDòng hai\nDòng ba\nDòng bốn"
    assert "mixed-line-endings" in d.notes


def test_crlf_only():
    d = decode_bytes("Hiệp ước\r\nký năm 1994\r\n".encode("utf-8"))
    assert d.text == "Hiệp ước\nký năm 1994\n"
    assert d.notes == ("crlf",)


def test_nfd_is_normalised_to_nfc():
    nfd = unicodedata.normalize("NFD", TREATY)
    assert nfd != TREATY
    d = decode_bytes(nfd.encode("utf-8"))
    assert d.text == TREATY
    assert d.notes == ("nfd->nfc",)


def test_nfd_text_is_not_decoded_again_in_the_legacy_encodings(monkeypatch):
    """The combining tone marks of a decomposed text do not make it "unlikely UTF-8" (which tries the three legacy
    encodings, ~1 ms a file); a letter of another script still does."""
    from vnclaims.text import decode as D
    tried: list[bytes] = []
    real = D._best_legacy
    monkeypatch.setattr(D, "_best_legacy", lambda data: tried.append(data) or real(data))
    for text in (TREATY, ARTICLE, "Việt Nam – Nga: “hợp tác” ở Hà Nội."):
        nfd = unicodedata.normalize("NFD", text)
        assert decode_bytes(nfd.encode("utf-8")).text == text
    assert tried == []
    assert decode_bytes(bytes([0x6E, 0xDF, 0xBE, 0x63])).text == "nước"
    assert len(tried) == 1          # VISCII "nước" reads as "n\u07fec" in UTF-8: tried, and found


def test_zero_width_removed_but_nbsp_kept():
    s = "Kim\u200b ngạch\ufeff thương\u00admại đạt\u00a04,6\u200c tỷ\u200d USD"
    d = decode_bytes(s.encode("utf-8"))
    assert d.text == "Kim ngạch thươngmại đạt\u00a04,6 tỷ USD"
    assert "zero-width-removed:5" in d.notes


def test_zero_width_between_letter_and_combining_mark_does_not_block_nfc():
    s = unicodedata.normalize("NFD", "Việt")
    s = s[:3] + "\u200b" + s[3:]
    assert decode_bytes(s.encode("utf-8")).text == "Việt"


def test_a_few_control_characters_are_removed():
    body = ARTICLE * 3
    data = body[:200].encode() + b"\x07" + body[200:].encode()
    d = decode_bytes(data)
    assert d.text == body
    assert "control-chars-removed:1" in d.notes


# ------------------------------------------------------------------------------------------ empty / blank

def test_empty_file():
    e = _reject(b"")
    assert (e.code, e.reason) == ("empty", "the file is empty (0 bytes)")


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "\u00a0\u200b\n\u3000".encode("utf-8"),
                                  codecs.BOM_UTF16_LE + " \n ".encode("utf-16-le")])
def test_whitespace_only_is_blank(data):
    e = _reject(data)
    assert e.code == "blank"
    assert "only whitespace" in e.reason


# ------------------------------------------------------------------------------------------ binary

def _png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = lambda kind, body: (struct.pack(">I", len(body)) + kind + body
                                + struct.pack(">I", zlib.crc32(kind + body)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("bai-viet.txt", TRADE)
    return buf.getvalue()


BINARIES = {
    "PNG": _png(),
    "ZIP": _zip(),
    "PDF": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + TRADE.encode(),
    "gzip": gzip.compress(TRADE.encode()),
    "JPEG": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200),
    "ELF": b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(100),
}


@pytest.mark.parametrize("kind", sorted(BINARIES))
def test_binary_by_magic_number_names_the_type(kind):
    data = BINARIES[kind]
    assert looks_binary(data)
    e = _reject(data)
    assert e.code == "binary"
    assert kind in e.reason
    assert e.reason.startswith("the file is binary (looks like ")
    assert e.reason.endswith("), not text")


def test_png_reason_exact():
    assert _reject(_png()).reason == "the file is binary (looks like a PNG image), not text"


def test_many_control_bytes_is_binary():
    data = bytes(range(0, 256)) * 20           # no magic number, lots of NUL/control bytes
    assert looks_binary(data)
    e = _reject(data)
    assert e.code == "binary"
    assert "NUL or control characters" in e.reason


def test_looks_binary_false_for_text_and_utf16():
    assert not looks_binary(ARTICLE.encode("utf-8"))
    assert not looks_binary(ARTICLE.encode("utf-16-le"))
    assert not looks_binary(codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"))
    assert not looks_binary(to_cp1258(ARTICLE))


# ------------------------------------------------------------------------------------------ HTML

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Tin thế giới</title>
<style>p { color: red }</style><script>var x = "<p>không phải nội dung</p>";</script></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/the-gioi">Thế giới</a></nav>
<article><h1>Việt Nam &amp; Nga ký hiệp định</h1>
<p>Kim ngạch thương mại&nbsp;đạt <b>4,6 tỷ USD</b> năm 2023.</p>
<p>Cộng đồng người Việt    tại Nga
có khoảng 80.000 người.<br>Đa số sống ở Moskva.</p><noscript>Hãy bật JavaScript</noscript>
<table><tr><td>Năm</td><td>2023</td></tr></table></article>
<iframe src="https://quang-cao.example">quảng cáo</iframe>
<footer>© Báo điện tử</footer></body></html>"""

PAGE_TEXT = ("Việt Nam & Nga ký hiệp định\n"
             "Kim ngạch thương mại\u00a0đạt 4,6 tỷ USD năm 2023.\n"
             "Cộng đồng người Việt tại Nga có khoảng 80.000 người.\n"
             "Đa số sống ở Moskva.\n"
             "Năm 2023")


def test_html_document_is_stripped():
    d = decode_bytes(PAGE.encode("utf-8"), "bai-viet.html")
    assert d.text == PAGE_TEXT
    assert "html-stripped" in d.notes


def test_html_without_doctype_detected_by_tag_density():
    page = "".join(f"<div class=\"row\"><p><span>{line}</span></p></div>\n" for line in ARTICLE.split("\n"))
    page = "<body>" + page * 2 + "</body>"
    d = decode_bytes(page.encode("utf-8"))
    assert d.text == "\n".join(ARTICLE.split("\n") * 2)
    assert "html-stripped" in d.notes


def test_html_with_nothing_readable_is_rejected():
    page = "<!doctype html><html><head><title>Trang</title><script>track()</script></head><body>" \
           "<nav>Trang chủ</nav><footer>©</footer></body></html>"
    e = _reject(page.encode("utf-8"))
    assert e.code == "html-empty"


def test_script_mentioned_in_a_plain_article_is_not_stripped():
    s = ("Chuyên gia bảo mật cho biết kẻ tấn công đã chèn đoạn mã <script>alert(1)</script> vào trang web "
         "của một doanh nghiệp xuất khẩu thủy sản sang Nga.\n" + TRADE)
    d = decode_bytes(s.encode("utf-8"))
    assert d.text == s
    assert "html-stripped" not in d.notes


def test_strip_html_unescapes_entities_and_drops_scripts():
    html = ("<p>Hiệp &#273;&#7883;nh &quot;FTA&quot; &lt;VN-EAEU&gt;</p><script>alert('x')</script>"
            "<style>.a{}</style><p>hi&#7879;u l&#7921;c 2016</p>")
    assert strip_html(html) == 'Hiệp định "FTA" <VN-EAEU>\nhiệu lực 2016'


def test_html_in_legacy_encoding():
    page = "<!DOCTYPE html><html><body><p>" + DIASPORA + "</p><p>" + TREATY + "</p></body></html>"
    d = decode_bytes(to_cp1258(page))
    assert d.encoding == "cp1258"
    assert d.text == DIASPORA + "\n" + TREATY


# ------------------------------------------------------------------------------------------ Rejected

def test_rejected_carries_code_and_reason_and_pickles():
    e = Rejected("binary", "the file is binary (looks like a PNG image), not text")
    assert e.code == "binary"
    assert e.reason == "the file is binary (looks like a PNG image), not text"
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.code, e2.reason) == (e.code, e.reason)
    assert "PNG" in str(e)



def test_magic_number_quick_check_keeps_every_magic_number():
    """The one-call check in front of the magic numbers lets each of them (and the MP4 'ftyp' at offset 4)
    through, and only text past it."""
    from vnclaims.text.decode.binary import _MAGIC, _magic_kind
    named = {m: k for m, k in _MAGIC if k is not None}
    for magic, kind in named.items():
        assert _magic_kind(magic + b"\x00" * 70) == kind, magic
    assert _magic_kind(b"BZh9" + b"1AY&SY" + bytes(10)) == "a bzip2-compressed file"
    assert _magic_kind(b"MZ\x90\x00" + bytes(70)) == "a Windows executable"
    assert _magic_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "a WebP image"
    assert _magic_kind(b"\x00\x00\x00\x18ftypmp42") == "an MP4/QuickTime media file"
    for text in (ARTICLE.encode("utf-8"), b"", b"MZ", b"MZ is text", b"BZh is text", b"RIFF is text too"):
        assert _magic_kind(text) is None, text

def test_utf16_check_without_nul_bytes_in_the_first_64_kib():
    from vnclaims.text.decode.binary import _utf16_without_bom
    assert _utf16_without_bom(ARTICLE.encode("utf-8")) is None
    assert _utf16_without_bom(("a" * 40_000).encode("utf-16-le")) == "utf-16-le"
    assert _utf16_without_bom(b"x" * (1 << 16) + "Việt Nam".encode("utf-16-le")) is None   # the sample is 64 KiB
    assert _utf16_without_bom("abc".encode("utf-16-be")[:7]) is None                     # too short
