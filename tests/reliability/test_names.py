"""File names. Issue 19 item 3: one name that is not valid UTF-8 aborted every run (UnicodeEncodeError
in the reject path); it must be quarantined like any other bad file, its name shown escaped, and the
good files loaded. Item 13: names starting with "." (``..txt``, ``.draft.txt``) were skipped without any
record; they are still not read, but the run says so and the runs table records them."""
from __future__ import annotations

import json
import os

from . import _cli
from ._support import SEED_NAMES, article, make_seeds


def test_a_name_that_is_not_utf8_is_quarantined_with_an_escaped_name(tmp_path):
    seeds = make_seeds(tmp_path)
    bad = os.path.join(os.fsencode(seeds), b"badname_\xff\xfe.txt")
    with open(bad, "wb") as fh:
        fh.write(article("tên tệp hỏng").encode())
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    out = _cli.text(r)
    assert r.returncode in (0, 3), f"the run failed on a file name:\n{out}"
    assert "Traceback" not in out and "UnicodeEncodeError" not in out, out
    docs = {d["source_path"] for d in _cli.sql(wh, "SELECT source_path FROM documents")}
    assert set(SEED_NAMES) <= docs, docs
    q = _cli.sql(wh, "SELECT source_path, reason_code, reason FROM quarantine")
    assert len(q) == 1, q
    shown = q[0]["source_path"]
    assert shown.startswith("badname_") and "\\xff\\xfe" in shown, f"the name is not shown escaped: {shown!r}"
    assert shown.isprintable() and "\udcff" not in shown
    assert "UTF-8" in q[0]["reason"], q
    assert "badname_" in r.stdout, f"the summary does not name the file:\n{r.stdout}"
    # the next run (nothing changed) is not aborted either, and records nothing twice
    r2 = _cli.run(seeds, wh)
    assert r2.returncode in (0, 3), _cli.text(r2)
    assert len(_cli.sql(wh, "SELECT * FROM quarantine")) == 1


def test_hidden_names_are_not_read_but_recorded_as_skipped(tmp_path):
    seeds = make_seeds(tmp_path, {"..txt": article("hai chấm").encode(), ".bản nháp.txt": article("nháp").encode(),
                                  "mục/.ẩn.txt": article("ẩn").encode()})
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    docs = {d["source_path"] for d in _cli.sql(wh, "SELECT source_path FROM documents")}
    assert docs == set(SEED_NAMES), docs          # still not read
    hidden = ["..txt", ".bản nháp.txt", "mục/.ẩn.txt"]
    for name in hidden:
        assert name in r.stdout and "skipped" in r.stdout.lower(), f"{name!r} skipped without a word:\n{r.stdout}"
    runs = _cli.sql(wh, "SELECT counts FROM runs")
    counts = json.loads(runs[-1]["counts"])
    assert sorted(counts["ingest"].get("skipped_hidden", [])) == sorted(hidden), counts["ingest"]
    # documented where the options are
    h = _cli.vnclaims("run", "--help")
    assert "hidden" in h.stdout and '"."' in h.stdout, h.stdout
