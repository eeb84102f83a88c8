"""Which warehouse error a user sees when the catalog cannot be opened, on a real DuckLake catalog:
held by another process -> WarehouseBusy; damaged bytes -> WarehouseCorrupt naming the file."""
from __future__ import annotations

import dataclasses
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vnclaims.errors import (
    InputRejected, SuiteError, VnclaimsError, WarehouseBusy, WarehouseCorrupt, WarehouseError, WarehouseOutOfMemory,
)
from vnclaims.lake.connect import connect
from vnclaims.settings import Settings


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Settings:
    s = Settings(warehouse=tmp_path_factory.mktemp("lake") / "wh")
    con = connect(s)
    con.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)")
    con.close()
    return s


def _copy(s: Settings, to: Path) -> Settings:
    shutil.copytree(s.warehouse, to)
    return Settings(warehouse=to)


def test_a_catalog_held_by_another_process_is_busy(catalog, tmp_path):
    s = _copy(catalog, tmp_path / "wh")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from vnclaims.lake.connect import connect; "
         "from vnclaims.settings import Settings; "
         f"con = connect(Settings(warehouse=Path({str(s.warehouse)!r}))); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        # a writer waits for the holder up to the lock timeout, then names it (issue 19 item 2)
        said: list[str] = []
        with pytest.raises(WarehouseBusy, match="gave up after waiting 1 s") as e:
            connect(dataclasses.replace(s, lock_timeout=1.0), log=said.append)
        assert f"PID {holder.pid}" in str(e.value) and len(said) == 1 and "waiting for" in said[0]
        # a reader is not told that a run writes: no vnclaims run holds the writer lock
        with pytest.raises(WarehouseBusy, match="open for writing in another process") as e:
            connect(s, read_only=True)
        assert "no vnclaims run is writing" in str(e.value) and "retry" in str(e.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    connect(s).close()                  # released with its holder


@pytest.mark.parametrize("offset", [0, 4096, 12288])
def test_a_damaged_catalog_is_corrupt_and_says_which_file(catalog, tmp_path, offset):
    """20 KB of random bytes written into the catalog file (at its header, its database headers, or its
    first blocks): DuckDB's "Corrupt database file ... in block" once read as "locked ... retry"."""
    s = _copy(catalog, tmp_path / "wh")
    with open(s.catalog_path, "r+b") as f:
        f.seek(offset)
        f.write(random.Random(offset).randbytes(20 * 1024))
    for read_only in (False, True):
        with pytest.raises(WarehouseCorrupt) as e:
            connect(s, read_only=read_only)
        msg = str(e.value)
        assert str(s.catalog_path) in msg and "is damaged" in msg
        assert "locked" not in msg and "retry" not in msg.lower()


def test_one_hierarchy():
    for cls in (WarehouseBusy, WarehouseOutOfMemory, WarehouseCorrupt):
        assert issubclass(cls, WarehouseError)
    for cls in (WarehouseError, InputRejected, SuiteError):
        assert issubclass(cls, VnclaimsError)
    # the bases callers already catch stay
    assert issubclass(WarehouseError, RuntimeError) and issubclass(SuiteError, ValueError)
    e = pickle.loads(pickle.dumps(InputRejected("binary", "the file is binary")))
    assert (e.code, e.reason, str(e)) == ("binary", "the file is binary", "binary: the file is binary")
