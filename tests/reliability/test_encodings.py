"""Encodings, in ONE real pipeline run beside the five seed articles: BOM, UTF-16 LE/BE, Windows-1258,
VISCII, TCVN3, double-encoded UTF-8, a few / many invalid UTF-8 bytes, mixed line endings, NFD."""
from __future__ import annotations

import unicodedata

import pytest

from vnclaims.text.clean import clean_text
from vnclaims.text.decode import encode_legacy

from ._support import (ARTICLE_METRICS, Lake, article, assert_good_documents, assert_no_mojibake,
                       assert_quarantined, assert_summary_counts, make_seeds, run, settings)

FILLER = "\n\n".join(f"Đoạn bổ sung số {i}: hai nước tiếp tục mở rộng hợp tác giáo dục, văn hóa và du lịch."
                     for i in range(1, 31))


def _as_1252(data: bytes) -> str:
    """Bytes read as Windows-1252 the sloppy way (its 5 undefined bytes as Latin-1), as editors do."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in data)


def _cases() -> dict[str, tuple[str, bytes, str, str | None]]:
    """path -> (the text, the bytes written, expected raw_documents.encoding, a decode note expected)."""
    c = {}
    t = article("bản UTF-8 có BOM")
    c["bom-utf8.txt"] = (t, b"\xef\xbb\xbf" + t.encode(), "utf-8-sig", "bom")
    t = article("bản UTF-16 LE")
    c["utf16-le.txt"] = (t, b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le", "bom")
    t = article("bản UTF-16 BE")
    c["utf16-be.txt"] = (t, b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be", "bom")
    t = article("bản Windows-1258")
    c["windows-1258.txt"] = (t, encode_legacy(t, "cp1258"), "cp1258", None)
    t = article("bản VISCII")
    c["viscii.txt"] = (t, encode_legacy(t, "viscii"), "viscii", None)
    t = article("bản TCVN3")
    c["tcvn3.txt"] = (t, encode_legacy(t, "tcvn3"), "tcvn3", None)
    t = article("bản UTF-8 bị mã hóa hai lần")       # UTF-8 read as Windows-1252 and saved as UTF-8 again
    c["double-encoded.txt"] = (t, _as_1252(t.encode()).encode("utf-8"), "utf-8", "mojibake-repaired")
    t = article("bản xuống dòng lẫn lộn")
    paras = t.split("\n\n")
    mixed = paras[0] + "\r\n\r\n" + paras[1] + "\r\r" + paras[2] + "\n\n" + "\r\n\r\n".join(paras[3:])
    c["mixed-eol.txt"] = (t, mixed.encode(), "utf-8", "mixed-line-endings")
    t = article("bản dựng sẵn NFC")
    c["nfc.txt"] = (t, t.encode(), "utf-8", None)
    t = article("bản tách dấu NFD")
    c["nfd.txt"] = (t, unicodedata.normalize("NFD", t).encode(), "utf-8", "nfd->nfc")
    # a few invalid bytes (stray bytes inside words, at character edges): replaced, noted, kept out of the body
    t = article("bản có vài byte hỏng") + "\n" + FILLER + "\n"
    raw = t.encode()
    c0 = raw.index("thương".encode()) + len("thư".encode())
    c1 = raw.index("Nga".encode(), c0) + 1
    c2 = raw.index("hóa".encode(), c1)
    data = raw[:c0] + b"\xff" + raw[c0:c1] + b"\xfe" + raw[c1:c2] + b"\xc0" + raw[c2:]
    c["few-invalid-bytes.txt"] = (t, data, "utf-8", "invalid-utf8-replaced:3")
    return c


CASES = _cases()


def _many_bad() -> bytes:
    """20 stray bytes (each before a space, so exactly 20 invalid bytes) in an otherwise UTF-8 article."""
    raw = (article("bản hỏng nhiều byte") + "\n" + FILLER + "\n").encode()
    spaces = [i for i, b in enumerate(raw) if b == 0x20]
    at = set(spaces[:: len(spaces) // 20][:20])
    return b"".join((b"\xff " if i in at else bytes([b])) for i, b in enumerate(raw))


MANY_BAD, MANY_BAD_BYTES = "many-invalid-bytes.txt", _many_bad()
# double-encoded UTF-8 where the bytes Windows-1252 lacks were lost ("người" -> "ngÆ°á»?i"): not repairable
LOSSY = "double-encoded-lossy.txt"
LOSSY_BYTES = article("bản mất byte").encode().decode("cp1252", "replace").encode("utf-8")


@pytest.fixture(scope="module")
def enc(tmp_path_factory):
    base = tmp_path_factory.mktemp("encodings")
    files = {name: c[1] for name, c in CASES.items()} | {MANY_BAD: MANY_BAD_BYTES, LOSSY: LOSSY_BYTES}
    s = settings(make_seeds(base, files), base / "warehouse")
    r = run(s)
    return {"run": r, "lake": Lake(s.warehouse)}


def test_good_seeds_and_every_decodable_encoding_become_correct_documents(enc):
    lake = enc["lake"]
    assert enc["run"].ctx.snapshot_id is not None
    docs = assert_good_documents(lake, extra=tuple(CASES))
    for name, (text, _, _, _) in CASES.items():
        want = clean_text(unicodedata.normalize("NFC", text))      # what the UTF-8 original cleans to
        assert docs[name]["body"] == want.body, f"{name}: body is not the original Vietnamese text"
        assert docs[name]["title"] == want.title, name
    assert_no_mojibake(lake)


@pytest.mark.parametrize("name", sorted(CASES))
def test_raw_documents_say_which_encoding_and_keep_the_bytes(enc, name):
    _, data, encoding, note = CASES[name]
    rows = enc["lake"].where("raw_documents", source_path=name)
    assert len(rows) == 1, rows
    raw = rows[0]
    assert raw["status"] == "ok" and raw["encoding"] == encoding, raw
    notes = (raw["decode_notes"] or "").split(",")
    if note:
        assert any(n == note or n.startswith(note + ":") for n in notes), (name, notes)
    assert (enc["lake"].warehouse / raw["blob_path"]).read_bytes() == data


def test_a_few_invalid_bytes_are_replaced_noted_and_kept_out_of_the_body(enc):
    lake = enc["lake"]
    notes = lake.where("raw_documents", source_path="few-invalid-bytes.txt")[0]["decode_notes"].split(",")
    assert "invalid-utf8-replaced:3" in notes and "replacement-chars-removed:3" in notes, notes
    body = lake.docs["few-invalid-bytes.txt"]["body"]
    assert "\ufffd" not in body and "thương mại song phương" in body and "văn hóa" in body


def test_many_invalid_bytes_are_quarantined_with_bytes_kept(enc):
    r = enc["run"]
    row = assert_quarantined(enc["lake"], MANY_BAD, "undecodable", MANY_BAD_BYTES, r,
                             reason_has="20 bytes are not valid UTF-8")
    assert row["run_id"] == r.ctx.run_id
    assert sorted(r.rejected) == [LOSSY, MANY_BAD]          # nothing else was refused
    assert_summary_counts(r.ctx, 2)


def test_unrepairable_double_encoding_is_quarantined_not_stored_as_mojibake(enc):
    assert_quarantined(enc["lake"], LOSSY, "mojibake", LOSSY_BYTES, enc["run"], reason_has="double-encoded UTF-8")


def test_nfd_input_gives_nfc_body_and_the_same_claims(enc):
    lake = enc["lake"]
    docs = lake.docs
    assert unicodedata.is_normalized("NFC", docs["nfd.txt"]["body"])
    assert docs["nfd.txt"]["body"] == docs["nfc.txt"]["body"]     # the tag is in the title, not the body
    assert lake.claims_of("nfd.txt") == lake.claims_of("nfc.txt")
    assert {(m, v) for m, v, *_ in lake.claims_of("nfc.txt")} >= ARTICLE_METRICS


@pytest.mark.parametrize("name", ["windows-1258.txt", "viscii.txt", "tcvn3.txt", "utf16-le.txt", "utf16-be.txt",
                                  "bom-utf8.txt", "mixed-eol.txt", "double-encoded.txt", "few-invalid-bytes.txt"])
def test_claims_from_other_encodings_match_the_utf8_original(enc, name):
    classified = lambda p: {c for c in enc["lake"].claims_of(p) if c[0] != "unclassified"}   # noqa: E731
    assert classified(name) == classified("nfc.txt"), name
    assert len(classified(name)) >= len(ARTICLE_METRICS)
