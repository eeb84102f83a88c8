"""Operations: two runs at once on one warehouse, the lock timeout, rollback written forward,
a run killed during load, and a failing run that commits nothing."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_flow_seeds import DATA_TABLES, VNCLAIMS, sql_json

pytestmark = pytest.mark.e2e


def _env(**extra) -> dict:
    return {**os.environ, "VNCLAIMS_GX": "0", "PYTHONWARNINGS": "ignore", **extra}


def _contents_at(wh: Path, snapshot: int | None) -> dict:
    from vnclaims.settings import Settings
    from vnclaims.lake.connect import connect
    con = connect(Settings.load(warehouse=wh), read_only=True)
    try:
        at = f" AT (VERSION => {snapshot})" if snapshot is not None else ""
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}{at}").fetchall())) for t in DATA_TABLES}
    finally:
        con.close()


def _data_snapshots(wh: Path) -> list[int]:
    out = subprocess.run([VNCLAIMS, "history", "--warehouse", str(wh), "--format", "json"], capture_output=True,
                         text=True, check=True, env=_env())
    return [h["snapshot"] for h in json.loads(out.stdout)]


def test_two_flow_runs_at_once_do_not_interleave(seeds_copy, tmp_path):
    wh = tmp_path / "wh"
    procs = [subprocess.Popen([VNCLAIMS, "run", "--seeds", str(seeds_copy), "--warehouse", str(wh), "--no-gx"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
             for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0], outs
    statuses = sorted(o[0].splitlines()[0].split(": ", 1)[1] for o in outs)
    assert statuses == ["completed", "completed (no changes)"], outs      # one wrote, the other waited then found nothing new
    assert len(_data_snapshots(wh)) == 1
    runs = sql_json(wh, "SELECT status FROM runs ORDER BY started_at")
    assert len(runs) == 2
    assert sql_json(wh, "SELECT count(*) AS n FROM documents")[0]["n"] == 5


def test_second_writer_times_out_with_a_clear_message(seeds_copy, tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    from vnclaims.errors import WarehouseBusy
    from vnclaims.lake.lock import writer_lock
    s = make_settings(seeds_copy, tmp_path / "wh", gx=False, report=False, lock_timeout=1.0)
    with writer_lock(s, "a long maintenance job"):
        with pytest.raises(WarehouseBusy, match="another vnclaims run is writing"):
            run_pipeline(s, log=lambda m: None)
        r = subprocess.run([VNCLAIMS, "run", "--seeds", str(seeds_copy), "--warehouse", str(s.warehouse), "--no-gx"],
                           capture_output=True, text=True, env=_env(VNCLAIMS_LOCK_TIMEOUT="1"), timeout=300)
        assert r.returncode == 1
        assert "another vnclaims run is writing" in r.stderr and "Traceback" not in r.stderr
    ctx = run_pipeline(s, log=lambda m: None)          # the lock is free again: the run proceeds
    assert ctx.snapshot_id is not None


def test_rollback_writes_the_old_state_forward(seeds_copy, tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    s = make_settings(seeds_copy, tmp_path / "wh", gx=False, report=False)
    first = run_pipeline(s, log=lambda m: None).snapshot_id
    f = seeds_copy / "001_501a62dae2258d1a.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("3,63 tỷ USD", "4,63 tỷ USD"), encoding="utf-8")
    second = run_pipeline(s, log=lambda m: None).snapshot_id
    assert second > first
    assert _contents_at(s.warehouse, None) != _contents_at(s.warehouse, first)
    r = subprocess.run([VNCLAIMS, "rollback", str(first), "--warehouse", str(s.warehouse)], capture_output=True,
                       text=True, env=_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    snaps = _data_snapshots(s.warehouse)
    assert snaps[:2] == [first, second] and len(snaps) == 3          # written forward, nothing rewritten
    assert _contents_at(s.warehouse, None) == _contents_at(s.warehouse, first)
    hist = subprocess.run([VNCLAIMS, "history", "--warehouse", str(s.warehouse)], capture_output=True, text=True,
                          env=_env()).stdout
    assert f"rollback to snapshot {first}" in hist
    # rolling back to where we already are writes nothing
    r2 = subprocess.run([VNCLAIMS, "rollback", str(first), "--warehouse", str(s.warehouse)], capture_output=True,
                        text=True, env=_env(), timeout=120)
    assert "nothing written" in r2.stdout and len(_data_snapshots(s.warehouse)) == 3


def test_run_killed_during_load_leaves_no_partial_snapshot(seeds_copy, tmp_path, make_settings):
    s = make_settings(seeds_copy, tmp_path / "wh", gx=False, report=False)
    marker = tmp_path / "in-load"
    code = ("import sys; from pathlib import Path; from vnclaims.settings import Settings; "
            "from vnclaims.pipeline import run_pipeline; "
            f"run_pipeline(Settings.load(seeds=Path({str(seeds_copy)!r}), warehouse=Path({str(s.warehouse)!r}), gx=False, report=False))")
    p = subprocess.Popen([sys.executable, "-c", code], env=_env(VNCLAIMS_FAULT="load-before-commit:sleep:60",
                                                                   VNCLAIMS_FAULT_MARKER=str(marker)),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the run never reached the load stage"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    # nothing committed: no data snapshot, no rows
    from vnclaims.settings import Settings
    from vnclaims.lake.connect import connect
    from vnclaims.lake.history import data_snapshots
    con = connect(Settings.load(warehouse=s.warehouse), read_only=True)
    try:
        assert data_snapshots(con) == []
        assert con.execute("SELECT count(*) FROM raw_documents").fetchone()[0] == 0
    finally:
        con.close()
    # the next run completes and cleans up the dead run's scratch
    from vnclaims.pipeline import interrupted_runs, run_pipeline
    dead = interrupted_runs(s)
    assert dead
    # a run killed while it rebuilt the marts also leaves the models' Parquet results: found and removed too
    stray = s.warehouse / ".work" / "r20000101T000000Z-dead00.models"
    stray.mkdir()
    (stray / "claims.parquet").write_bytes(b"PAR1")
    assert interrupted_runs(s) == sorted(dead + ["r20000101T000000Z-dead00"])
    ctx = run_pipeline(s, log=lambda m: None)
    assert ctx.snapshot_id is not None
    assert not stray.exists() and interrupted_runs(s) == []
    assert sql_json(s.warehouse, "SELECT count(*) AS n FROM documents")[0]["n"] == 5


def test_failing_run_commits_nothing_and_records_why(seeds_copy, tmp_path, make_settings, monkeypatch):
    from vnclaims.pipeline import run_pipeline
    s = make_settings(seeds_copy, tmp_path / "wh", gx=False, report=False)
    monkeypatch.setenv("VNCLAIMS_FAULT", "load-before-commit:raise")
    with pytest.raises(RuntimeError, match="injected fault"):
        run_pipeline(s, log=lambda m: None)
    monkeypatch.delenv("VNCLAIMS_FAULT")
    runs = sql_json(s.warehouse, "SELECT status, error, snapshot_id FROM runs")
    assert [(r["status"], r["error"].splitlines()[0], r["snapshot_id"]) for r in runs] == \
        [("failed", "RuntimeError: injected fault at load-before-commit", None)]
    assert sql_json(s.warehouse, "SELECT count(*) AS n FROM raw_documents")[0]["n"] == 0
    assert _data_snapshots(s.warehouse) == []
