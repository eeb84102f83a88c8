"""Issue 19 item 15: two quarantine reasons that mislead. A short file with two invalid UTF-8 bytes was
told "more than the 8 tolerated" when 1 is tolerated in a file of its size; a file mixing two encodings
(UTF-8 text followed by the same text in UTF-16) was called "binary (24 % NUL)"."""
from __future__ import annotations

import re

from . import _cli
from ._support import article, make_seeds

TWO_BAD = article("hai byte hỏng").encode().replace("Năng lượng".encode(), b"N\xffng l\xfeng", 1)
MIXED = article("phần UTF-8").encode() + article("phần UTF-16").encode("utf-16-le")


def test_reasons_state_the_real_tolerance_and_the_mixed_encodings(tmp_path):
    assert len(TWO_BAD) < 1000
    seeds = make_seeds(tmp_path, {"hai byte hỏng.txt": TWO_BAD, "trộn mã.txt": MIXED})
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    assert r.returncode == 3, _cli.text(r)
    q = {x["source_path"]: x for x in _cli.sql(wh, "SELECT source_path, reason_code, reason FROM quarantine")}
    reason = q["hai byte hỏng.txt"]["reason"]
    assert "the 8" not in reason, f"quotes the largest tolerance, not this file's: {reason}"
    assert re.search(r"\b1\b[^.;%]*tolerated|tolerated[^.;%]*\b1\b", reason), \
        f"does not say that 1 invalid byte is tolerated in a file of this size: {reason}"
    mixed = q["trộn mã.txt"]
    assert "binary" not in mixed["reason"].lower() and mixed["reason_code"] != "binary", mixed
    assert "UTF-16" in mixed["reason"] and "UTF-8" in mixed["reason"], mixed
