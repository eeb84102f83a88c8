"""Issue 19 item 4: a damaged catalog (20 KB of random bytes written into vnclaims.ducklake) was reported
by every command as "locked by another process ... retry" (the error text was matched on "lock", which
"block" contains). Every command must say the catalog is damaged and name it, without a traceback."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from . import _cli
from ._support import make_seeds


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("catalog")
    seeds = make_seeds(base)
    r = _cli.run(seeds, base / "wh")
    assert r.returncode == 0, _cli.text(r)
    return seeds, base / "wh"


@pytest.mark.parametrize("offset", [0, 4096, 12288])
def test_a_damaged_catalog_is_reported_as_damaged_not_locked(built, tmp_path, offset):
    seeds, wh = built[0], tmp_path / "wh"
    shutil.copytree(built[1], wh)
    catalog = wh / "vnclaims.ducklake"
    noise = random.Random(offset).randbytes(20 * 1024)
    with open(catalog, "r+b") as fh:
        fh.seek(offset)
        fh.write(noise)
    for args in (("sql", "SELECT count(*) FROM documents", "--warehouse", wh),
                 ("history", "--warehouse", wh),
                 ("run", "--seeds", seeds, "--warehouse", wh, "--no-gx")):
        r = _cli.vnclaims(*args, timeout=300)
        msg = _cli.text(r)
        assert r.returncode != 0, (args[0], msg)
        assert "locked" not in msg and "retry" not in msg, f"`vnclaims {args[0]}` calls a damaged catalog locked:\n{msg}"
        assert str(catalog) in msg and any(w in msg.lower() for w in ("corrupt", "damaged", "not a valid")), \
            f"`vnclaims {args[0]}` does not say the catalog file is damaged:\n{msg}"
        assert "Traceback" not in r.stderr.split("error:")[-1], msg
