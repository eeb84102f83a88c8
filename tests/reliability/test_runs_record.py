"""Issue 19 item 11: a killed run (kill -9, as the out-of-memory killer does) and a run that hits a full
disk left no row in `runs`, though the README says every run is recorded. The next run records them."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from . import _cli
from ._support import article, make_seeds, write


def _runs(wh: Path) -> dict[str, dict]:
    return {r["run_id"]: r for r in _cli.sql(wh, "SELECT run_id, status, snapshot_id, error FROM runs")}


def test_a_killed_run_is_recorded_by_the_next_run(tmp_path):
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    write(seeds / "bài mới.txt", article("bài mới").encode())
    marker = tmp_path / "in-load"
    p = _cli.spawn(tmp_path / "killed.log", "run", "--seeds", seeds, "--warehouse", wh, VNCLAIMS_GX="0",
                   VNCLAIMS_FAULT="load-before-commit:sleep:120", VNCLAIMS_FAULT_MARKER=str(marker))
    try:
        _cli.wait_for(marker, p)
        killed = sorted(x.name.split(".")[0] for x in (wh / ".work").glob("*.duckdb"))
    finally:
        _cli.kill9(p)
    assert len(killed) == 1, killed
    assert killed[0] not in _runs(wh)
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    runs = _runs(wh)
    assert killed[0] in runs, f"the killed run {killed[0]} is not in the runs table: {sorted(runs)}"
    row = runs[killed[0]]
    assert "interrupted" in row["status"] and row["snapshot_id"] is None, row
    assert len(runs) == 3, runs


@pytest.fixture
def small_disk(tmp_path):
    """A 40 MB tmpfs (needs root and mount; skipped elsewhere)."""
    mnt = tmp_path / "small-disk"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): the full-disk case is not run")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_a_run_that_hit_a_full_disk_is_recorded(tmp_path, small_disk):
    seeds = make_seeds(tmp_path)
    wh = small_disk / "wh"
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    big = (article("bài rất dài") + "\n\n" + "\n\n".join(article(f"đoạn {i}") for i in range(400))).encode()
    write(seeds / "bài dài.txt", big)
    filler = small_disk / "filler"
    st = os.statvfs(small_disk)
    with open(filler, "wb") as f:                 # room for the copy and the scratch, not the Parquet files
        f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - (len(big) + 300_000)))
    try:
        failed = _cli.run(seeds, wh)
    finally:
        filler.unlink()
    assert failed.returncode == 1 and "No space left on device" in failed.stderr, _cli.text(failed)
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    runs = _cli.sql(wh, "SELECT run_id, status, error FROM runs ORDER BY started_at")
    assert len(runs) == 3, f"the run that hit the full disk is not recorded: {runs}"
    assert runs[1]["status"] in ("failed", "interrupted") and runs[2]["status"] == "completed", runs
