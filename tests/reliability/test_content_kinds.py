"""Files that are not (plain) text, in ONE real run beside the seed articles: empty, whitespace only,
a real PNG, a ZIP (.docx) made with zipfile, an HTML page of an article (stripped, claims extracted), an
HTML page with no text; and, in a child process, a sparse file over 200 MB (refused, bytes kept, memory
bounded)."""
from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import zipfile
import zlib

import pytest

from ._support import (DRIVER, PY, ROOT, SEED_NAMES, Lake, assert_good_documents, assert_no_mojibake,
                       assert_quarantined, assert_summary_counts, child_env, make_seeds, run, settings, sha256_file)


def _png() -> bytes:
    """A valid 2x2 RGB PNG (signature, IHDR, IDAT, IEND with CRCs)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:t>Kim ngạch thương mại năm 2014 đạt 3,75 tỷ USD</w:t>"
                                        "</w:document>")
    return buf.getvalue()


HTML_ARTICLE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo điện tử - Thế giới</title>
<script>window.dataLayer = [{"price": "9,99 tỷ USD"}]; document.write("<p>quảng cáo</p>");</script>
<style>p { margin: 0 } .ad::after { content: "99 tỷ USD" }</style></head>
<body><nav><a href="/">Trang chủ</a> | <a href="/the-gioi">Thế giới</a></nav>
<article><h1>Quan hệ thương mại Việt Nam và Liên bang Nga</h1>
<p>Kim ngạch thương mại song phương giữa hai nước năm 2014 đạt <b>3,75 tỷ USD</b>, phấn đấu năm 2020 đạt
10 tỷ&nbsp;USD.</p>
<p>Cộng đồng người Việt Nam tại Nga có khoảng <em>80.000 người</em>, có nhiều đóng góp cho đất nước.</p>
<p>Hiện có khoảng hơn 5.000 sinh viên Việt Nam du học tại Liên bang Nga.</p>
</article>
<footer>&copy; Báo điện tử. Liên hệ quảng cáo: 0123 456 789</footer></body></html>
"""
HTML_EMPTY = ("<!DOCTYPE html><html><head><title></title><script>var n = '80.000 người';</script></head>"
              "<body><nav>Trang chủ</nav><div>   </div><footer></footer></body></html>")

BAD = {
    "empty.txt": (b"", "empty", "the file is empty (0 bytes)"),
    "whitespace.txt": ("  \n\t \r\n\u00a0\u3000 \n   \n".encode(), "blank", "only whitespace"),
    "photo.png": (_png(), "binary", "PNG image"),
    "bai-bao.docx": (_docx(), "binary", "ZIP archive"),
    "trang-trong.html": (HTML_EMPTY.encode(), "html-empty", "HTML page with no readable text"),
}


@pytest.fixture(scope="module")
def kinds(tmp_path_factory):
    base = tmp_path_factory.mktemp("kinds")
    files = {k: v[0] for k, v in BAD.items()} | {"bai-viet.html": HTML_ARTICLE.encode()}
    s = settings(make_seeds(base, files), base / "warehouse")
    r = run(s)
    return {"run": r, "lake": Lake(s.warehouse)}


@pytest.mark.parametrize("name", sorted(BAD))
def test_non_text_file_is_quarantined_with_a_reason_and_its_bytes(kinds, name):
    data, code, words = BAD[name]
    assert_quarantined(kinds["lake"], name, code, data, kinds["run"], reason_has=words)


def test_the_run_completes_for_the_good_files_and_counts_the_rejected(kinds):
    r, lake = kinds["run"], kinds["lake"]
    assert r.ctx.snapshot_id is not None
    assert_good_documents(lake, extra=("bai-viet.html",))
    assert sorted(r.rejected) == sorted(BAD)
    assert r.ctx.counts["ingest"]["rejected_by_reason"] == {"empty": 1, "blank": 1, "binary": 2, "html-empty": 1}
    assert_summary_counts(r.ctx, len(BAD))
    runs = lake["runs"]
    assert [(x["status"], x["rejected"]) for x in runs] == [("completed", len(BAD))]
    assert_no_mojibake(lake)


def test_html_article_is_stripped_and_its_claims_extracted(kinds):
    lake = kinds["lake"]
    doc = lake.docs["bai-viet.html"]
    text = (doc["title"] or "") + "\n" + doc["body"]
    for markup in ("<", ">", "&nbsp;", "&copy;", "dataLayer", "margin", "Trang chủ", "quảng cáo", "9,99"):
        assert markup not in text, (markup, text)
    assert doc["title"] == "Quan hệ thương mại Việt Nam và Liên bang Nga"
    assert "Kim ngạch thương mại song phương giữa hai nước năm 2014 đạt 3,75 tỷ USD" in doc["body"]
    assert "html-stripped" in lake.where("raw_documents", source_path="bai-viet.html")[0]["decode_notes"]
    got = {(c[0], c[1]) for c in lake.claims_of("bai-viet.html")}
    assert got >= {("trade_turnover", 3.75e9), ("trade_target", 1e10), ("diaspora_population", 80000.0),
                   ("students_in_russia", 5000.0)}, got
    assert not any(v in (9.99e9, 99e9) for _, v in got)           # nothing from the script / style


# ------------------------------------------------------------------------------------ very large file
BIG = 384 * 1024 * 1024            # >= 200 MB; sparse in the middle


def _write_big(path) -> None:
    """Real text at both ends, a hole in the middle, written in 1 MiB chunks."""
    head = ("Tệp rất lớn. Kim ngạch thương mại năm 2014 đạt 3,75 tỷ USD.\n".encode() * 20000)[: 1 << 20]
    with open(path, "wb") as fh:
        for _ in range(8):
            fh.write(head)
        fh.seek(BIG - 8 * len(head))
        for _ in range(8):
            fh.write(head)
    assert os.path.getsize(path) == BIG


MEASURE = """
import json, resource, subprocess, sys
r = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2], sys.argv[3]], capture_output=True, text=True)
print(json.dumps({"rc": r.returncode, "out": r.stdout, "err": r.stderr[-3000:],
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def test_file_over_200_mb_is_refused_with_bytes_kept_and_bounded_memory(tmp_path):
    seeds = make_seeds(tmp_path)
    big = seeds / "kho-luu-tru.txt"
    _write_big(big)
    wh = tmp_path / "warehouse"
    # the pipeline runs in a grandchild; the middle process reads getrusage(RUSAGE_CHILDREN), so the
    # peak is the pipeline's own (not that of other children this test session started)
    env = child_env()                                 # default settings: no VNCLAIMS_* (limit 50 MB)
    m = subprocess.run([PY, "-c", MEASURE, DRIVER, str(seeds), str(wh)], capture_output=True, text=True, env=env,
                       timeout=600, cwd=str(ROOT))
    assert m.returncode == 0, m.stderr
    res = json.loads(m.stdout)
    assert res["rc"] == 0, res["err"]
    out = json.loads(res["out"].strip().splitlines()[-1])
    peak = res["maxrss_kb"] * 1024
    assert peak < 1 << 30, f"peak RSS {peak / 2**20:.0f} MiB"
    assert peak < BIG, f"peak RSS {peak / 2**20:.0f} MiB: the {BIG >> 20} MiB file was loaded into memory"
    assert [(x["source_path"], x["code"]) for x in out["rejected"]] == [("kho-luu-tru.txt", "too-large")]
    assert any(l.startswith("rejected  : 1 input file(s) quarantined this run") for l in out["summary"])
    lake = Lake(wh)
    row = assert_quarantined(lake, "kho-luu-tru.txt", "too-large", None,
                             reason_has="too large (403 MB > limit 50 MB)")
    assert "VNCLAIMS_MAX_FILE_MB" in row["reason"]
    kept = wh / row["blob_path"]
    assert kept.stat().st_size == BIG == row["byte_size"]
    assert sha256_file(kept) == sha256_file(big) == row["sha256"]   # byte-identical copy
    assert not list((wh / "quarantine").glob("*.tmp")) and not list((wh / "quarantine").glob(".partial-*"))
    assert_good_documents(lake)
    assert sorted(lake.docs) == SEED_NAMES
