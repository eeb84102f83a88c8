"""Ingest knows which raw versions the lake holds without a set of every raw id: a file's current version is
flagged in its source_files row, and only the versions no file points at now (a file's earlier versions) are
held. A file that goes back to an earlier version, or a bad file read again, gets no second raw row; a file
whose cleaning the lake has no record of is cleaned again."""
from __future__ import annotations

import hashlib

import pytest

from tests.conftest import SEEDS
from tests.e2e.test_reclean import _quiet, _rows

pytestmark = pytest.mark.e2e

V1 = ("Hà Nội, ngày 3/5/2021 - Kim ngạch thương mại giữa hai nước năm 2020 đạt khoảng 5,2 tỷ USD, "
      "tăng 4% so với năm trước.\n")
V2 = V1.replace("5,2 tỷ", "5,7 tỷ")


def test_a_file_back_at_an_earlier_version_and_a_bad_file_get_no_second_raw_row(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").write_bytes((SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_bytes())
    (seeds / "tin.txt").write_text(V1, encoding="utf-8")
    (seeds / "bad.txt").write_bytes(b"\xff\xfe\x00\x00" + bytes(range(256)) * 4)
    s = make_settings(seeds, gx=False, report=False)

    def raws(path: str) -> int:
        return _rows(s, f"SELECT count(*) FROM raw_documents WHERE source_path = '{path}'")[0][0]

    ctx = run_pipeline(s, log=_quiet)
    assert ctx.counts["ingest"]["new"] == 2 and ctx.counts["ingest"]["rejected"] == 1
    assert raws("tin.txt") == 1 and raws("bad.txt") == 1

    (seeds / "tin.txt").write_text(V2, encoding="utf-8")
    ctx = run_pipeline(s, log=_quiet)
    assert ctx.counts["ingest"]["changed"] == 1
    assert raws("tin.txt") == 2 and raws("bad.txt") == 1       # the bad file, still bad: no new row

    (seeds / "tin.txt").write_text(V1, encoding="utf-8")
    ctx = run_pipeline(s, log=_quiet)
    assert ctx.counts["ingest"]["changed"] == 1
    assert raws("tin.txt") == 2                                  # version 1 is known: not written again
    current = _rows(s, "SELECT f.raw_id, r.sha256 FROM source_files f JOIN raw_documents r USING (raw_id) "
                       "WHERE f.source_path = 'tin.txt'")
    assert current == [(current[0][0], hashlib.sha256(V1.encode()).hexdigest())]

    # a file whose cleaning the lake has no record of (as from an earlier vnclaims) is cleaned again
    _rows(s, "DELETE FROM stg_cleanings WHERE source_path = 'tin.txt'", read_only=False)
    ctx = run_pipeline(s, log=_quiet)
    ing = ctx.counts["ingest"]
    assert ing["cleaned_again"] == 1 and ing["unchanged"] == 2      # the seed and the bad file
    assert "1 with no cleaner version recorded" in ing["again_because"]
    assert raws("tin.txt") == 2
