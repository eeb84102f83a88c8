"""Dedup decisions in the warehouse: an exact duplicate file names its kept twin; a re-published story
with one figure changed is a near-duplicate pair, both documents kept, linked, and in conflict."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import SEEDS
from tests.e2e.test_flow_seeds import sql_json
from tests.unit.test_dedup import STORY

pytestmark = pytest.mark.e2e


def test_exact_and_near_duplicates_are_recorded(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "wire_a.txt").write_text("Quan hệ Việt - Nga\n" + STORY, encoding="utf-8")
    (seeds / "wire_b.txt").write_text("Quan hệ Việt - Nga\n" + STORY.replace("80.000", "100.000"), encoding="utf-8")
    shutil.copy(SEEDS / "000_b5e19962cae27463.txt", seeds / "000.txt")
    shutil.copy(SEEDS / "000_b5e19962cae27463.txt", seeds / "zz_copy_of_000.txt")
    s = make_settings(seeds, gx=False, report=False, near_dup_threshold=0.7)
    run_pipeline(s, log=lambda m: None)
    wh = s.warehouse
    docs = {d["source_path"] for d in sql_json(wh, "SELECT source_path FROM documents")}
    assert docs == {"wire_a.txt", "wire_b.txt", "000.txt"}          # both near-duplicates kept, the exact copy collapsed
    dec = sql_json(wh, "SELECT * FROM dedup_decisions WHERE removed_kind = 'document'")
    assert [(d["removed_source_path"], d["kept_source_path"], d["method"]) for d in dec] == \
        [("zz_copy_of_000.txt", "000.txt", "exact-duplicate-document")]
    assert dec[0]["run_id"]
    near = sql_json(wh, "SELECT * FROM near_duplicates")
    assert len(near) == 1
    n = near[0]
    assert {n["source_a"], n["source_b"]} == {"wire_a.txt", "wire_b.txt"}
    assert 0.7 <= n["similarity"] < 1.0 and n["method"] == "minhash-lsh"
    assert {n["numbers_only_in_a"], n["numbers_only_in_b"]} == {"80.000", "100.000"}
    assert "threshold" in n["params"]
    # the differing figure is exactly what conflict detection needs: the two wires disagree
    conf = sql_json(wh, "SELECT * FROM conflicts WHERE metric = 'diaspora_population'")
    assert any({c["source_a"], c["source_b"]} == {"wire_a.txt", "wire_b.txt"} for c in conf)
    # and as one voice they count once when counting support
    cl = sql_json(wh, "SELECT DISTINCT voice FROM claims WHERE source_path IN ('wire_a.txt', 'wire_b.txt')")
    assert len(cl) == 1
