"""Marts with a ``-- scope:`` header are rebuilt only for the documents and files a run touched. The
same history of input changes, loaded once with incremental rebuilds and once with full ones, must
give identical marts after every step: new files, an exact duplicate that becomes a document's first
path, an edited file, a near-duplicate that joins a cluster, a removed file, a file that turns bad, a
threshold that dissolves the near-duplicate clusters."""
from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from tests.conftest import SEEDS
from tests.unit.text.test_minhash import STORY

pytestmark = pytest.mark.e2e

# differ between two warehouses by construction (a run's id and time), not by what was loaded
_VOLATILE = {"run_id", "first_run_id"}


def _marts(settings) -> dict[str, list[tuple]]:
    from vnclaims.lake.connect import connect
    from vnclaims.models.spec import load_models
    names = [m.name for m in load_models(settings.sql_dir) if m.kind == "model"] + ["stg_near_pairs", "source_files"]
    con = connect(settings, read_only=True)
    try:
        con.execute("USE lake")
        out = {}
        for n in names:
            cols = [r[0] for r in con.execute(f"DESCRIBE {n}").fetchall() if r[0] not in _VOLATILE]
            out[n] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {n}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def _steps(seeds):
    wire = lambda fig: "Quan hệ Việt - Nga\n" + STORY.replace("80.000", fig)
    seed = {p.name[:3]: p for p in SEEDS.glob("*.txt")}

    def s1():
        for k in ("000", "001", "002"):
            shutil.copy(seed[k], seeds / seed[k].name)
        (seeds / "wire_a.txt").write_text(wire("80.000"), encoding="utf-8")

    def s2():   # a new document, and a near-duplicate of wire_a with one figure changed
        shutil.copy(seed["003"], seeds / seed["003"].name)
        (seeds / "wire_b.txt").write_text(wire("100.000"), encoding="utf-8")

    def s3():   # an exact duplicate whose path sorts first: the document's representative file changes
        shutil.copy(seed["002"], seeds / "0_copy_of_002.txt")

    def s4():   # an edited file: its old document goes, a new one comes
        p = seeds / seed["003"].name
        p.write_text(p.read_text(encoding="utf-8") + "\nNăm 2023, kim ngạch thương mại đạt 3,6 tỷ USD.\n",
                     encoding="utf-8")

    def s5():   # a third wire joins the cluster; the first one is removed
        (seeds / "wire_c.txt").write_text(wire("90.000"), encoding="utf-8")
        (seeds / "wire_a.txt").unlink()

    def s6():   # a file turns into an empty one (quarantined), another seed arrives
        (seeds / "0_copy_of_002.txt").write_text("", encoding="utf-8")
        shutil.copy(seed["004"], seeds / seed["004"].name)

    def s7():   # no file changes, but a stricter threshold: the pairs go, and the clusters with them
        return {"near_dup_threshold": 0.99}
    return [s1, s2, s3, s4, s5, s6, s7]


def test_incremental_marts_equal_full_rebuilds_step_by_step(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    inc_seeds, full_seeds = tmp_path / "inc", tmp_path / "full"
    inc = make_settings(inc_seeds, tmp_path / "wh-inc", gx=False, report=False, near_dup_threshold=0.7,
                        incremental_share=1.0)
    full = make_settings(full_seeds, tmp_path / "wh-full", gx=False, report=False, near_dup_threshold=0.7,
                         incremental_share=0.0)
    rebuilds = []
    for k, (a, b) in enumerate(zip(_steps(inc_seeds), _steps(full_seeds)), 1):
        for d in (inc_seeds, full_seeds):
            d.mkdir(exist_ok=True)
        changed = a() or {}
        b()
        if changed:
            inc, full = replace(inc, **changed), replace(full, **changed)
        ci = run_pipeline(inc, log=lambda m: None)
        cf = run_pipeline(full, log=lambda m: None)
        assert ci.snapshot_id is not None and cf.snapshot_id is not None, f"step {k} changed nothing"
        rebuilds.append(ci.counts["load"]["marts_rebuild"])
        assert cf.counts["load"]["marts_rebuild"].startswith("full: incremental rebuilds are off")
        mi, mf = _marts(inc), _marts(full)
        for name in mf:
            assert mi[name] == mf[name], f"step {k}: {name} differs between the incremental and the full rebuild"
    assert rebuilds[0] == "full: first data version"
    assert all(r.startswith("incremental: scoped marts for ") for r in rebuilds[1:]), rebuilds
    # the scope is what the run touched, not everything: the 4th step edits one file of six
    assert "for 2 document(s)" in rebuilds[3], rebuilds[3]


def test_incremental_rebuild_touches_only_the_new_documents_rows(tmp_path, make_settings):
    """With many documents loaded, one new file is rebuilt alone: the snapshot's changes to the
    document-scoped marts are that file's rows (no old row deleted and re-inserted)."""
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, seeds / p.name)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=lambda m: None)
    (seeds / "wire.txt").write_text("Quan hệ Việt - Nga\n" + STORY, encoding="utf-8")
    ctx = run_pipeline(s, log=lambda m: None)
    load = ctx.counts["load"]
    assert load["marts_rebuild"].startswith("incremental: scoped marts for 1 document(s) and 1 file(s)")
    assert load["inserted"]["documents"] == 1 and "documents" not in load["deleted"]
    assert "claims" not in load["deleted"] and load["inserted"]["claims"] == load["inserted"]["stg_claims"]
    # the threshold: a run touching more than incremental_share of the documents rebuilds in full
    (seeds / "wire2.txt").write_text("Quan hệ Việt - Nga\n" + STORY.replace("80.000", "70.000"), encoding="utf-8")
    tight = make_settings(seeds, gx=False, report=False, incremental_share=0.01)
    load = run_pipeline(tight, log=lambda m: None).counts["load"]
    assert load["marts_rebuild"].startswith("full: ") and "documents touched (over 1%)" in load["marts_rebuild"]


def test_a_run_without_changes_reads_and_writes_no_file(tmp_path, make_settings):
    """The size+mtime cache: a second run with nothing changed hashes no input and leaves the scan cache
    (and every raw copy) as it was; a touched file is hashed again and the cache rewritten."""
    import os
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=lambda m: None)
    cache = s.warehouse / ".cache" / "scan.json"
    before = cache.stat().st_mtime_ns
    again = run_pipeline(s, log=lambda m: None).counts["ingest"]
    assert (again["bytes_read"], again["unchanged"]) == (0, len(list(seeds.iterdir())))
    assert cache.stat().st_mtime_ns == before
    f = next(iter(sorted(seeds.iterdir())))
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))   # touched, same bytes
    touched = run_pipeline(s, log=lambda m: None).counts["ingest"]
    assert touched["bytes_read"] == f.stat().st_size and touched["unchanged"] == again["unchanged"]
    assert cache.stat().st_mtime_ns != before


def test_a_model_now_ephemeral_leaves_no_table_behind(tmp_path, make_settings):
    """A warehouse whose earlier code stored a model that is now ephemeral (estimate_claims): the next load drops
    the old table, so no stale rows stay beside the marts; the marts built from the ephemeral model are there."""
    from vnclaims.lake.connect import connect
    from vnclaims.lake.history import table_columns
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(p, seeds / p.name)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=lambda m: None)
    con = connect(s)
    try:
        con.execute("CREATE TABLE lake.main.estimate_claims AS SELECT 'stale' AS ek")
    finally:
        con.close()
    (seeds / "wire.txt").write_text("Quan hệ Việt - Nga\n" + STORY, encoding="utf-8")
    assert run_pipeline(s, log=lambda m: None).snapshot_id is not None
    con = connect(s, read_only=True)
    try:
        assert not table_columns(con, "estimate_claims") and not table_columns(con, "estimate_members")
        assert con.execute("SELECT count(*) FROM lake.main.estimates").fetchone()[0] > 0
    finally:
        con.close()
