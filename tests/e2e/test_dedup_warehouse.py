"""Dedup decisions in the warehouse: an exact duplicate file names its kept twin; a re-published story
with one figure changed is a near-duplicate pair, both documents kept, linked, and in conflict."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import SEEDS
from tests.e2e.test_flow_seeds import sql_json
from tests.unit.text.test_minhash import STORY

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


def test_near_duplicates_found_incrementally_equal_one_pass(tmp_path, make_settings):
    """Pairs are looked for only for the documents a run adds; a warehouse filled file by file holds the
    same pairs and clusters as one filled at once."""
    from vnclaims.pipeline import run_pipeline
    from vnclaims.settings import Settings
    from vnclaims.lake.connect import connect
    texts = {"wire_a.txt": STORY, "wire_b.txt": STORY.replace("80.000", "100.000"),
             "wire_c.txt": STORY.replace("80.000", "90.000"), "other.txt": None}
    one, step = tmp_path / "one", tmp_path / "step"
    for d in (one, step):
        d.mkdir()
    shutil.copy(SEEDS / "003_ac77ef5b06fcdd2b.txt", one / "other.txt")
    for name, t in texts.items():
        if t is not None:
            (one / name).write_text("Quan hệ Việt - Nga\n" + t, encoding="utf-8")
    s_one = make_settings(one, tmp_path / "wh-one", gx=False, report=False, near_dup_threshold=0.7)
    run_pipeline(s_one, log=lambda m: None)

    s_step = make_settings(step, tmp_path / "wh-step", gx=False, report=False, near_dup_threshold=0.7)
    news = []
    for name in ("wire_a.txt", "other.txt", "wire_b.txt", "wire_c.txt"):
        shutil.copy(one / name, step / name)
        ctx = run_pipeline(s_step, log=lambda m: None)
        news.append(ctx.counts["dedup"]["near_duplicate_pairs_new"])
    assert news == [0, 0, 1, 2]                 # b pairs with a; c with a and b; nothing else is looked at again

    def pairs(s: Settings):
        con = connect(s, read_only=True)
        try:
            return sorted(con.execute("SELECT pair_id, doc_id_a, doc_id_b, similarity, cluster_id, numbers_only_in_a, "
                                      "numbers_only_in_b FROM stg_near_pairs").fetchall())
        finally:
            con.close()
    assert len(pairs(s_one)) == 3 and pairs(s_step) == pairs(s_one)


def test_a_new_threshold_looks_for_every_pair_again(tmp_path, make_settings):
    """No file changed, but the near-duplicate threshold did: the pairs are recomputed with it."""
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "wire_a.txt").write_text("Quan hệ Việt - Nga\n" + STORY, encoding="utf-8")
    (seeds / "wire_b.txt").write_text("Quan hệ Việt - Nga\n" + STORY.replace("80.000", "100.000"), encoding="utf-8")
    loose = make_settings(seeds, tmp_path / "wh", gx=False, report=False, near_dup_threshold=0.7)
    run_pipeline(loose, log=lambda m: None)
    assert len(sql_json(loose.warehouse, "SELECT * FROM near_duplicates")) == 1
    again = run_pipeline(loose, log=lambda m: None)
    assert again.snapshot_id is None and again.counts["dedup"].get("skipped")
    strict = make_settings(seeds, tmp_path / "wh", gx=False, report=False, near_dup_threshold=0.99)
    ctx = run_pipeline(strict, log=lambda m: None)
    assert ctx.snapshot_id is not None and not ctx.counts["dedup"].get("skipped")
    assert sql_json(strict.warehouse, "SELECT * FROM near_duplicates") == []


def test_exact_copies_are_cleaned_once_and_recorded_for_every_file(tmp_path, make_settings):
    """A file with the text (and date) of an earlier one is not cleaned again: its cleaning log, counts
    and document row are the first copy's under its own path and raw_id. A different date is another
    document, cleaned on its own."""
    import json

    from vnclaims.text.clean import clean_text
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    src = SEEDS / "000_b5e19962cae27463.txt"
    for name in ("000.txt", "b_copy.txt", "c_dated.txt", "d_copy_dated.txt"):
        shutil.copy(src, seeds / name)
    (seeds / "manifest.json").write_text(json.dumps({"files": {
        "c_dated.txt": {"published": "2015-04-05"},
        "d_copy_dated.txt": {"published": "2015-04-05", "publisher": "Báo X", "url": "https://x.example/1"}}}))
    s = make_settings(seeds, gx=False, report=False)
    res = run_pipeline(s, log=lambda m: None)
    removals = clean_text(src.read_text(encoding="utf-8")).removals
    assert removals                                       # the seed has captions, residue, a glued title...
    by_rule: dict[str, int] = {}
    for r in removals:
        by_rule[r.rule] = by_rule.get(r.rule, 0) + 4
    cl = res.counts["clean"]
    assert (cl["in"], cl["out"], cl["removed_by_rule"]) == (4, 4, by_rule)
    wh = s.warehouse
    log = sql_json(wh, "SELECT s.source_path, l.seq, l.rule, l.text FROM cleaning_log l "
                       "JOIN source_files s USING (raw_id) ORDER BY 1, 2")
    expected = [(r.rule, r.text) for r in removals]
    for name in ("000.txt", "b_copy.txt", "c_dated.txt", "d_copy_dated.txt"):
        assert [(x["rule"], x["text"]) for x in log if x["source_path"] == name] == expected, name
    docs = sql_json(wh, "SELECT source_path, as_of FROM documents ORDER BY 1")
    assert [(d["source_path"], d["as_of"]) for d in docs] == [("000.txt", docs[0]["as_of"]), ("c_dated.txt", "2015-04-05")]
    dec = sql_json(wh, "SELECT removed_source_path, kept_source_path FROM dedup_decisions "
                       "WHERE removed_kind = 'document' ORDER BY 1")
    assert [(d["removed_source_path"], d["kept_source_path"]) for d in dec] == \
        [("b_copy.txt", "000.txt"), ("d_copy_dated.txt", "c_dated.txt")]
