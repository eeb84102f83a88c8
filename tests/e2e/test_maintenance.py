"""Maintenance: snapshots past retention are expired (never the newest data version, never one inside the
retention), small files merged, unreferenced files deleted; the current data is untouched. Run through the
weekly Prefect flow and the CLI."""
from __future__ import annotations

import json
import subprocess

import pytest

from tests.e2e.test_flow_seeds import VNCLAIMS
from tests.e2e.test_operations import _contents_at, _data_snapshots, _env

pytestmark = pytest.mark.e2e


def _files(wh) -> set[str]:
    return {str(p.relative_to(wh)) for p in (wh / "data").rglob("*.parquet")}


def test_maintenance_expires_only_past_retention_and_keeps_the_current_data(seeds_copy, tmp_path, make_settings,
                                                                           prefect_harness):
    from flows.maintenance import weekly
    from vnclaims.pipeline import run_pipeline
    s = make_settings(seeds_copy, tmp_path / "wh", gx=False, report=False)
    first = run_pipeline(s, log=lambda m: None).snapshot_id
    seed = seeds_copy / "001_501a62dae2258d1a.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("3,63 tỷ USD", "3,93 tỷ USD"), encoding="utf-8")
    second = run_pipeline(s, log=lambda m: None).snapshot_id
    current = _contents_at(s.warehouse, None)
    assert _data_snapshots(s.warehouse) == [first, second]

    # a retention of 30 days keeps everything made today
    r = subprocess.run([VNCLAIMS, "maintain", "--warehouse", str(s.warehouse), "--retention-days", "30"],
                       capture_output=True, text=True, env=_env(), timeout=300)
    assert r.returncode == 0, r.stderr
    kept = json.loads(r.stdout)
    # nothing expired (merging small files may commit a snapshot of its own)
    assert kept["expired_snapshots"] == 0 and kept["snapshots_after"] >= kept["snapshots_before"]
    assert _data_snapshots(s.warehouse) == [first, second] and _contents_at(s.warehouse, None) == current
    assert _contents_at(s.warehouse, first) != current          # the old version is still readable

    # dry run: says what would go, changes nothing
    files_before = _files(s.warehouse)
    r = subprocess.run([VNCLAIMS, "maintain", "--warehouse", str(s.warehouse), "--retention-days", "0", "--dry-run"],
                       capture_output=True, text=True, env=_env(), timeout=300)
    dry = json.loads(r.stdout)
    assert dry["expired_snapshots"] > 0 and dry["snapshots_after"] == dry["snapshots_before"]
    assert _files(s.warehouse) == files_before

    # the weekly flow with retention 0: everything before the newest data version goes
    res = weekly(warehouse=str(s.warehouse), retention_days=0)
    assert res["expired_snapshots"] > 0 and res["snapshots_after"] < res["snapshots_before"]
    assert res["deleted_old_files"] > 0
    assert _data_snapshots(s.warehouse) == [second]             # the newest data version is never expired
    assert _contents_at(s.warehouse, None) == current           # and its data is intact
    assert not (_files(s.warehouse) >= files_before)            # files only older snapshots used are gone
    r = subprocess.run([VNCLAIMS, "sql", "SELECT count(*) FROM claims", "--warehouse", str(s.warehouse),
                        "--as-of", str(first)], capture_output=True, text=True, env=_env(), timeout=120)
    assert r.returncode != 0 and "Traceback" not in r.stderr and "snapshot" in r.stderr.lower()
    # and the pipeline goes on from there
    assert run_pipeline(s, log=lambda m: None).snapshot_id is None
