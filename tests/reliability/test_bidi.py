"""Issue 19 item 16: bidirectional control characters (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT
ISOLATE...) reached the report's quotes as they were, so a quote could display reversed text. The report
shows them visibly instead (the warehouse keeps the text as it was: provenance)."""
from __future__ import annotations

import re

from . import _cli
from ._support import article, make_seeds

BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BIDI_REF = re.compile(r"&#(?:x0*(?:61c|200e|200f|202[a-e]|206[6-9])|0*(?:1564|8206|8207|823[4-8]|829[4-7]));",
                      re.IGNORECASE)

TRICK = article("số liệu khác").replace(
    "đạt 3,75 tỷ USD, phấn đấu năm 2020 đạt 10 tỷ USD.",
    "đạt 5,5 tỷ USD, \u202etheo số liệu\u202c của \u2066hải quan\u2069, phấn đấu năm 2020 đạt 10 tỷ USD.")


def test_bidi_controls_in_quotes_are_shown_visibly_in_the_report(tmp_path):
    assert "\u202e" in TRICK
    seeds = make_seeds(tmp_path, {"bài gốc.txt": article("gốc").encode(), "bài lừa.txt": TRICK.encode()})
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh, VNCLAIMS_REPORT="1")
    assert r.returncode == 0, _cli.text(r)
    quotes = _cli.sql(wh, "SELECT quote FROM claims WHERE source_path = 'bài lừa.txt' AND quote LIKE '%5,5 tỷ%'")
    assert quotes and "\u202e" in quotes[0]["quote"], f"the warehouse should keep the text as it was: {quotes}"
    page = (wh / "reports" / "index.html").read_text(encoding="utf-8")
    assert "hải quan" in page, "the report does not show the quote with the controls (no conflict made?)"
    raw = sorted({f"U+{ord(c):04X}" for c in BIDI.findall(page)})
    refs = sorted(set(BIDI_REF.findall(page)))
    assert not raw and not refs, f"bidirectional controls reach the report as they are: {raw} {refs}"
