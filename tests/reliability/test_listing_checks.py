"""Issue 19 item 6: files rejected while listing (a FIFO, a symbolic link to a missing file or out of the
seeds folder) have no byte size; a Great Expectations not-null check on raw_documents.byte_size then failed,
and the snapshot showed as FAILED because of a correctly quarantined file. The checks pass."""
from __future__ import annotations

import os

from . import _cli
from ._support import make_seeds


def test_listing_rejects_do_not_fail_the_checks(tmp_path):
    seeds = make_seeds(tmp_path)
    os.mkfifo(seeds / "ống.txt")
    (seeds / "gãy.txt").symlink_to(seeds / "không có.txt")
    (tmp_path / "ngoài.txt").write_text("bên ngoài")
    (seeds / "ra ngoài.txt").symlink_to(tmp_path / "ngoài.txt")
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh, VNCLAIMS_GX="1", VNCLAIMS_GX_DOCS="0")
    out = _cli.text(r)
    assert r.returncode == 3, out
    q = {x["source_path"]: x["reason_code"] for x in _cli.sql(wh, "SELECT source_path, reason_code FROM quarantine")}
    assert q == {"ống.txt": "not-regular", "gãy.txt": "broken-symlink", "ra ngoài.txt": "symlink-outside"}, q
    failed = _cli.sql(wh, "SELECT suite, expectation, details FROM validation_results WHERE NOT success")
    assert failed == [], f"checks failed because of correctly quarantined files: {failed}"
    assert _cli.history(wh)[-1]["validation"].startswith("passed"), _cli.history(wh)
