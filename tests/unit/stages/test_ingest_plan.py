"""Ingest's plan of which files to read: the loop tuned for a million files decides as the plain formula did,
and the listing and the plan run with the cyclic collector paused (then restored)."""
from __future__ import annotations

import gc
import importlib
import os
import random
from types import SimpleNamespace

from vnclaims.run.lifecycle import collector_paused
from vnclaims.settings import Settings
from vnclaims.sources import files

ingest_mod = importlib.import_module("vnclaims.stages.ingest")


def _reference_plan(st, listed, cache) -> tuple[list[tuple], int, dict]:
    """The plan as written before the loop was tuned (clean_again, two strings per cached file)."""
    s = st.ctx.settings
    max_bytes = int(s.max_file_mb * 1024 * 1024)
    seeds, qdir, warehouse = str(s.seeds), str(st.qdir), str(s.warehouse)
    todo, unchanged, new_cache = [], 0, {}
    for f in listed:
        rel = f.rel_path
        hit = cache.get(rel)
        pf = st.prev_files.get(rel)
        again = st.clean_again(pf)
        if hit is None:
            key = ingest_mod.KEY_OF_READ
        else:
            try:
                stat = os.stat(f.abs_path)
                key = f"{stat.st_size}:{stat.st_mtime_ns}"
            except OSError:
                key = None
            if isinstance(hit, dict):
                hit = f"{hit.get('key')}|{hit.get('sha')}"
        if key and hit and pf and pf[4] and hit == f"{key}|{pf[2]}" and not again:
            unchanged += 1
            new_cache[rel] = hit
            continue
        same_as = pf[1] if pf and pf[4] and not again else None
        todo.append((rel, f.abs_path, f.root_real, key, same_as, seeds, max_bytes, qdir, warehouse, s.io_retries))
    return todo, unchanged, new_cache


def test_plan_decides_as_the_plain_formula(tmp_path):
    """Every combination: in the cache or not (as a string or an old dict, right or stale), known to the lake or
    not (present or gone, ok or quarantined, its raw version to be cleaned again or not), the file there or gone
    since the listing, with and without --reclean."""
    rng = random.Random(7)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    listed, cache, prev = [], {}, {}
    for i in range(600):
        rel = f"d{i % 7}/f{i:04d}.txt"
        p = seeds / rel
        p.parent.mkdir(exist_ok=True)
        p.write_text("x" * rng.randrange(1, 50))
        st_ = p.stat()
        sha = f"{i:064x}"
        listed.append(files.InputFile(rel, str(p), str(seeds)))
        right = f"{st_.st_size}:{st_.st_mtime_ns}"
        form = rng.choice(["none", "str", "dict", "stale_size", "stale_sha"])
        if form == "str":
            cache[rel] = f"{right}|{sha}"
        elif form == "dict":
            cache[rel] = {"key": right, "sha": sha}
        elif form == "stale_size":
            cache[rel] = f"{st_.st_size + 1}:{st_.st_mtime_ns}|{sha}"
        elif form == "stale_sha":
            cache[rel] = f"{right}|{'f' * 64}"
        if rng.random() < 0.85:
            prev[rel] = (rel, f"raw{i}", sha, rng.choice(["ok", "ok", "quarantined"]), rng.random() < 0.85,
                         rng.random() < 0.9)
        if rng.random() < 0.05:
            p.unlink()                                  # gone between the listing and the plan
    for stale, reclean in (({f"raw{i}": None for i in range(0, 600, 11)}, False), ({}, False),
                           ({f"raw{i}": None for i in range(0, 600, 11)}, True), ({}, True)):
        s = Settings.load(seeds=seeds, warehouse=tmp_path / "wh", reclean=reclean)
        ctx = SimpleNamespace(settings=s)

        def state():
            st = ingest_mod._State(ctx, ingest_mod._Prev.of_rows(list(prev.values())), set(), dict(stale), "v",
                                   tmp_path / "wh" / "quarantine")
            st.counts = {"unchanged": 0}
            return st
        ref_todo, ref_unchanged, ref_cache = _reference_plan(state(), listed, cache)
        st = state()
        todo = ingest_mod._plan_reads(st, listed, cache)
        assert todo == ref_todo
        assert st.counts["unchanged"] == ref_unchanged
        assert st.new_cache == ref_cache
        assert ref_unchanged > 20 and len(ref_todo) > 50          # both branches well exercised


def test_collector_paused_and_restored():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()                       # an inner block leaves the outer one's pause alone
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()                       # off before: stays off
    finally:
        gc.enable()


def test_ingest_lists_and_plans_with_the_collector_paused(tmp_path, monkeypatch):
    """The listing and the plan (a million files: millions of acyclic objects) run with the collector off, and
    the ingest leaves it on."""
    from vnclaims.run.context import RunContext
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i in range(3):
        (seeds / f"a{i}.txt").write_text(f"Năm 2014, kim ngạch đạt {i + 1},5 tỷ USD.", encoding="utf-8")
    seen = {}
    real_list, real_plan = files.list_inputs, ingest_mod._plan_reads

    def list_inputs(*a, **k):
        seen["list"] = gc.isenabled()
        return real_list(*a, **k)

    def plan(*a, **k):
        seen["plan"] = gc.isenabled()
        return real_plan(*a, **k)
    monkeypatch.setattr(files, "list_inputs", list_inputs)
    monkeypatch.setattr(ingest_mod, "_plan_reads", plan)
    s = Settings.load(seeds=seeds, warehouse=tmp_path / "wh", gx=False)
    ctx = RunContext(s, "r-test")
    c = ingest_mod.ingest(ctx)
    assert c["new"] == 3
    assert seen == {"list": False, "plan": False}
    assert gc.isenabled()


def test_scan_cache_round_trip_and_unreadable(tmp_path):
    """The cache written and read back gives the same entries: by orjson, and by json for a path that is
    not valid UTF-8 (a lone surrogate, which orjson refuses both ways); a damaged cache reads as empty
    (every file is read again), never as an error; --full-rescan ignores it."""
    path = tmp_path / "scan.json"
    plain = {"a/b.txt": "12:345|" + "0" * 64, "ngày/tin tức.txt": "7:8|" + "f" * 64, 'q"\\.txt': "1:2|x"}
    for cache in (plain, {**plain, "bad\udcff.txt": "3:4|y"}):
        path.write_bytes(ingest_mod._cache_bytes(cache))
        assert ingest_mod._read_cache(path, False) == cache
        assert ingest_mod._read_cache(path, True) == {}
    # the format json wrote before orjson is read the same
    import json
    path.write_text(json.dumps(plain))
    assert ingest_mod._read_cache(path, False) == plain
    path.write_bytes(b'{"a/b.txt": "12:3')
    assert ingest_mod._read_cache(path, False) == {}
    path.write_bytes(b"\xff\xfe not json")
    assert ingest_mod._read_cache(path, False) == {}
    assert ingest_mod._read_cache(tmp_path / "absent.json", False) == {}
