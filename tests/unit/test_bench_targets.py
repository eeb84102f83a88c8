"""bench/targets.py: the targets of issue 20 from one bench run's figures, each PASS/FAIL/SKIP beside what
it is compared with (the marginal cost of +1 % is (t(+1 %) - t(no-change)) / (t(full) - t(no-change)))."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_targets", ROOT / "bench" / "targets.py")
T = importlib.util.module_from_spec(_spec)
sys.modules["bench_targets"] = T
_spec.loader.exec_module(T)

FLOOR = {"mb_per_s": 40.0, "seconds": 4.0, "files": 100_000}


def _run(seconds: float, rc: int = 0) -> dict:
    return {"seconds": seconds, "rc": rc}


def _rows(runs: dict, fixed: dict, cpu: dict | None = None, peak: float | None = 1.5e9, **kw) -> dict:
    rows = T.evaluate(100_000, 160_000_000, FLOOR, runs, fixed, cpu, peak, None, **kw)
    assert all(len(r) == 5 for r in rows)
    return {r[0].split(" [")[0]: r for r in rows}


def test_each_target_passes_or_fails_at_its_goal():
    runs = {"full": _run(100.0), "nochange": _run(5.0), "incremental": _run(9.75)}   # marginal 4.75/95 = 5 %
    fixed = {"full": _run(9.0), "incremental": _run(6.0), "nochange": _run(4.01), "nochange_cold": _run(6.5)}
    rows = _rows(runs, fixed, {"ms": 0.6, "clean_ms": 0.3, "extract_ms": 0.3})
    assert rows["no-change run on the seeds, wall"][4] is False           # 4.01 s > 4 s
    assert "own server: 6.50 s" in rows["no-change run on the seeds, wall"][2]
    assert rows["run adding 1 file to the seeds, wall"][4] is True         # 6.0 s <= 6 s
    marginal = rows["marginal cost of +1 % at N=100,000"]
    assert marginal[1].startswith("5.0%") and marginal[4] is True
    assert "95.00 s" in marginal[2]
    share = rows["full run, share of the floor's throughput"]
    assert share[1] == "1.60 MB/s = 4.0%" and share[4] is False and "40.0 MB/s" in share[2]
    assert rows["clean + extract CPU per document"][4] is True
    assert rows["+1 % run, share of the full run"][4] is False               # 9.75 %
    assert rows["peak memory, process tree"][4] is True


def test_runs_not_asked_for_are_skipped_and_failed_runs_fail():
    skipped = _rows({}, {}, peak=None, why="skipped (--no-pipeline)", skip=True)
    assert {r[4] for k, r in skipped.items() if k != "clean + extract CPU per document"} == {None}
    failed = _rows({"full": _run(0.0, rc=1)}, {}, peak=None, why="not run: the full run failed")
    assert all(r[4] is False for r in failed.values())
    assert failed["marginal cost of +1 % at N=100,000"][1] == "not run: the full run failed"
