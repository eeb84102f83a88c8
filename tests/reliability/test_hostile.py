"""Hostile content, in ONE real run (with the HTML report) beside the seed articles: script and HTML in an
article's text and in a file name -> escaped in the report (checked in headless Chromium); SQL-looking
text in file names and in seeds/manifest.json -> stored verbatim, tables intact; path traversal in
manifest entries -> ignored with a warning, nothing read outside the seeds folder."""
from __future__ import annotations

import json
import os
import re

import pytest

from tests.browser import dump_dom, require_chromium

from ._support import (SEED_NAMES, TABLES, Lake, assert_good_documents, assert_no_mojibake, assert_quarantined,
                       make_seeds, record_opens, run, settings, write)

XSS_TITLE = 'Tin <b>nóng</b> <script>alert(1)</script> về quan hệ Việt Nam và Nga'
XSS_SENTENCE = ('Cộng đồng người Việt Nam tại Nga có khoảng 95.000 người <script>alert("xss")</script> theo '
                '<img src=x onerror=alert(2)> thống kê mới.')
HOSTILE = f"""{XSS_TITLE}

{XSS_SENTENCE}

Kim ngạch thương mại song phương giữa hai nước năm 2014 đạt 4,2 tỷ USD <b onmouseover=alert(3)>theo</b> báo cáo.
"""
XSS_NAME = "<img src=x onerror=alert(9)>.txt"          # an empty file: its name shows in the quarantine table
SQL_NAME = "x'); DROP TABLE claims; --.txt"
SQL_PUBLISHER = "x'); DROP TABLE claims; --"
SQL_URL = "https://example.vn/bai?id=1' OR '1'='1"
SQL_TEXT = ("Cộng đồng người Việt Nam tại Nga có khoảng 80.000 người, theo thống kê năm 2015.\n\n"
            "Ghi chú: '; DELETE FROM documents; -- và \"); DROP TABLE quarantine; --\n")
TRAVERSAL = ["../../etc/passwd", "../ngoài.txt", "/etc/hostname", "con/../../ngoài.txt"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    write(base / "ngoài.txt", "Bí mật ngoài thư mục: 777 tỷ USD năm 2014.\n".encode())
    seeds = make_seeds(base, {"hostile.txt": HOSTILE.encode(), XSS_NAME: b"", SQL_NAME: SQL_TEXT.encode()})
    manifest = {"files": {SQL_NAME: {"published": "2015-04-05", "publisher": SQL_PUBLISHER, "url": SQL_URL}}
                | {t: {"published": "2001-01-01", "publisher": "kẻ xấu", "url": "file:///etc/passwd"} for t in TRAVERSAL}}
    (seeds / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    s = settings(seeds, base / "warehouse", report=True)
    with record_opens() as opened:
        r = run(s)
    return {"run": r, "lake": Lake(s.warehouse), "opened": opened, "base": base, "seeds": seeds,
            "report": s.warehouse / "reports" / "index.html"}


def test_hostile_text_is_stored_verbatim_and_claims_extracted(hostile):
    lake = hostile["lake"]
    assert_good_documents(lake, extra=("hostile.txt", SQL_NAME))
    doc = lake.docs["hostile.txt"]
    assert doc["title"] == XSS_TITLE and XSS_SENTENCE in doc["body"]
    got = {(c[0], c[1]) for c in lake.claims_of("hostile.txt")}
    assert {("diaspora_population", 95000.0), ("trade_turnover", 4.2e9)} <= got
    assert_no_mojibake(lake)


def test_report_escapes_hostile_text_and_has_no_script_element(hostile):
    html = hostile["report"].read_text(encoding="utf-8")
    assert "<script" not in html.lower() and not re.search(r"<img\b[^>]*onerror", html, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html             # the title, escaped
    assert "&lt;img src=x onerror=alert(9)&gt;.txt" in html            # the file name, escaped
    require_chromium()
    dom = dump_dom(hostile["report"])
    assert not re.search(r"<script\b", dom, re.I), "a <script> element made it into the page"
    assert not re.search(r"<img\b[^>]*onerror", dom, re.I) and not re.search(r"<b\s+onmouseover", dom, re.I)
    text = re.sub(r"<[^>]+>", "", dom)                                   # what a reader sees, still entity-escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text             # the title shown as text
    assert "&lt;script&gt;alert(\"xss\")&lt;/script&gt;" in text or "&lt;script&gt;alert(&quot;xss&quot;)" in text
    assert "&lt;img src=x onerror=alert(9)&gt;.txt" in text            # the quarantined file's name
    assert "95.000 người" in text and "4,2 tỷ USD" in text


def test_sql_in_names_and_manifest_is_stored_verbatim_and_tables_intact(hostile):
    lake = hostile["lake"]
    doc = lake.docs[SQL_NAME]
    assert (doc["publisher"], doc["url"], doc["as_of"]) == (SQL_PUBLISHER, SQL_URL, "2015-04-05")
    assert "'; DELETE FROM documents; --" in doc["body"]
    assert lake.claims_of(SQL_NAME)
    assert {c["as_of_source"] for c in lake.where("claims", source_path=SQL_NAME)} == {"manifest"}
    for t in TABLES:                                                     # every table still there, with rows
        assert lake[t], t
    assert len(lake["documents"]) == len(SEED_NAMES) + 2
    assert_quarantined(lake, XSS_NAME, "empty", b"", hostile["run"], reason_has="empty")


def test_manifest_path_traversal_is_ignored_with_a_warning_and_nothing_outside_is_read(hostile):
    r, lake = hostile["run"], hostile["lake"]
    for t in TRAVERSAL:
        assert any(f"manifest entry {t!r} points outside the seeds folder" in l and "ignored" in l for l in r.logs), t
    assert r.ctx.counts["ingest"]["manifest_entries_rejected"] == len(TRAVERSAL)
    assert not [d for d in lake["documents"] if d["publisher"] == "kẻ xấu" or "777 tỷ" in d["body"]]
    assert not [x for x in lake["raw_documents"] if ".." in x["source_path"] or x["source_path"].startswith("/")]
    seeds, wh = os.path.realpath(hostile["seeds"]), os.path.realpath(lake.warehouse)
    outside = [p for p in hostile["opened"] if os.path.isabs(p) and os.path.realpath(p).startswith(
        os.path.realpath(hostile["base"])) and not os.path.realpath(p).startswith((seeds + os.sep, wh + os.sep))]
    assert outside == [], f"opened outside the seeds/warehouse folders: {outside}"
    assert not [p for p in hostile["opened"] if os.path.realpath(p) in ("/etc/passwd", "/etc/hostname")]
    assert hostile["opened"], "the audit hook saw no file opened at all"
