"""Issue 19 item 14: identical re-runs gave different exit codes: a file rejected for its content gave
3 then 0, a file rejected while listing (here a broken symbolic link) 3 every time. One rule for both,
written in `vnclaims run --help`: 3 when the run quarantined input it had not quarantined before."""
from __future__ import annotations

import pytest

from . import _cli
from ._support import make_seeds


def _content_reject(seeds):
    (seeds / "ảnh.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))


def _listing_reject(seeds):
    (seeds / "liên kết gãy.txt").symlink_to(seeds / "không có.txt")


@pytest.mark.parametrize("make_bad", [_content_reject, _listing_reject], ids=["content", "listing"])
def test_identical_reruns_exit_alike_whatever_the_rejection(tmp_path, make_bad):
    seeds = make_seeds(tmp_path)
    make_bad(seeds)
    wh = tmp_path / "wh"
    codes, outs = [], []
    for _ in range(3):
        r = _cli.run(seeds, wh)
        codes.append(r.returncode)
        outs.append(r.stdout)
    assert codes == [3, 0, 0], f"exit codes {codes} of identical runs:\n" + "\n---\n".join(outs)
    assert "1 input file(s) quarantined this run" in outs[0] and "0 input file(s) quarantined this run" in outs[1]


def test_the_exit_code_rule_is_in_the_help():
    h = _cli.vnclaims("run", "--help").stdout
    flat = " ".join(h.split())
    assert "Exit codes" in flat and "3" in flat and "not quarantined before" in flat, h
