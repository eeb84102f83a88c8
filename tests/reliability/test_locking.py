"""Issue 19 item 2: a reader holding the catalog (a slow `vnclaims sql`, a notebook: here another
process with the catalog file open read-only) must not make a run fail at once. The run waits for it,
bounded by the lock timeout, saying what it waits for; when the wait runs out, the message names the
reader, not "a run is writing". And a reader is not told that a run is writing when none is."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from . import _cli
from ._support import article, make_seeds, write

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def _hold(catalog: Path, mode: str, seconds: float) -> subprocess.Popen:
    """Another process with the catalog file open (``mode`` 'ro' or 'rw') for ``seconds``."""
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(catalog), mode, str(seconds)], stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "holding"
    return p


@pytest.fixture
def warehouse(tmp_path) -> tuple[Path, Path]:
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    write(seeds / "bài mới.txt", article("bài mới trong lúc có người đọc").encode())
    return seeds, wh


def test_run_waits_for_a_reader_and_then_commits(warehouse):
    seeds, wh = warehouse
    reader = _hold(wh / "vnclaims.ducklake", "ro", 25)   # longer than the start-up before load
    try:
        t0 = time.monotonic()
        r = _cli.run(seeds, wh)
        took = time.monotonic() - t0
    finally:
        reader.kill()
        reader.wait()
    assert r.returncode == 0, f"the run failed because a reader held the catalog:\n{_cli.text(r)}"
    out = _cli.text(r).lower()
    assert "waiting" in out and "read" in out, f"the run does not say it waits for a reader:\n{_cli.text(r)}"
    assert took >= 5, took
    assert "bài mới.txt" in {d["source_path"] for d in _cli.sql(wh, "SELECT source_path FROM documents")}


def test_run_gives_up_after_the_lock_timeout_naming_the_reader(warehouse):
    seeds, wh = warehouse
    before = _cli.history(wh)
    reader = _hold(wh / "vnclaims.ducklake", "ro", 120)
    try:
        t0 = time.monotonic()
        r = _cli.run(seeds, wh, VNCLAIMS_LOCK_TIMEOUT="4")
        took = time.monotonic() - t0
    finally:
        reader.kill()
        reader.wait()
    msg = _cli.text(r)
    assert r.returncode == 1, msg
    assert "a run is writing" not in msg, f"no run was writing, a reader held the catalog:\n{msg}"
    assert "read" in msg.lower() and ("4 s" in msg or "gave up" in msg.lower()), msg
    assert took < 90, f"the wait was not bounded by VNCLAIMS_LOCK_TIMEOUT=4: {took:.0f} s"
    assert _cli.history(wh) == before


def test_reader_is_not_told_a_run_writes_when_none_does(warehouse):
    _, wh = warehouse
    other = _hold(wh / "vnclaims.ducklake", "rw", 60)      # e.g. a notebook that opened the file read-write
    try:
        r = _cli.vnclaims("sql", "SELECT count(*) FROM documents", "--warehouse", wh, timeout=120)
    finally:
        other.kill()
        other.wait()
    assert r.returncode != 0
    assert "a run is writing" not in r.stderr, f"no vnclaims run was writing:\n{r.stderr}"
    assert "vnclaims.ducklake" in r.stderr or "another process" in r.stderr, r.stderr
