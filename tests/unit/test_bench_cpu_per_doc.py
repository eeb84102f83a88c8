"""bench/cpu_per_doc.py: clean + extract CPU per document on the pipeline's per-document path, and the dump
of every row that a speed change is checked against (the same rows for the same files, in path order)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_cpu_per_doc", ROOT / "bench" / "cpu_per_doc.py")
B = importlib.util.module_from_spec(_spec)
sys.modules["bench_cpu_per_doc"] = B
_spec.loader.exec_module(B)


def test_dump_has_every_document_with_its_rows_and_is_stable(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[:3]
    for p in seeds:
        (corpus / p.name).write_bytes(p.read_bytes())
    (corpus / "copy.txt").write_bytes(seeds[0].read_bytes())        # an exact copy: left out with --unique
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert B.main(["--corpus", str(corpus), "--dump", str(a), "--json"]) == 0
    res = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert res["documents"] == 4 and res["claims"] > 0 and res["ms"] > 0
    lines = [json.loads(x) for x in a.read_text(encoding="utf-8").splitlines()]
    assert [x["doc"]["source_path"] for x in lines] == ["c/" + n for n in sorted([p.name for p in seeds] + ["copy.txt"])]
    assert all({"doc", "sentences", "log", "claims", "mentions", "signature"} <= set(x) for x in lines)
    assert sum(len(x["claims"]) for x in lines) == res["claims"]
    assert B.main(["--corpus", str(corpus), "--dump", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert len(B.load([corpus], None, unique=True)) == 3


def test_bench_cpu_measure_in_fresh_processes_is_their_median(tmp_path):
    """bench/run.py step 7: the CPU per document timed in fresh child processes; the run whose total is the
    median counts, and every run's figures are kept."""
    import os
    spec = importlib.util.spec_from_file_location("bench_fixed_cost", ROOT / "bench" / "fixed_cost.py")
    fc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fc)
    got = fc.cpu_per_document_children(ROOT / "seeds", 5, 3, sys.executable, dict(os.environ))
    assert len(got["runs"]) == 3 and all(r["documents"] == 5 and r["claims"] > 0 for r in got["runs"])
    assert sorted(r["ms"] for r in got["runs"])[1] == got["ms"]
    assert got["claims"] == got["runs"][0]["claims"]
