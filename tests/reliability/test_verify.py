"""Issue 19 item 10: a damaged Parquet data file. `vnclaims verify` reads every data file the current
snapshot references, names the broken ones and the last snapshot that reads cleanly; a run that reads the
file reports the real cause (not "Current transaction is aborted"); a run with nothing to change does not
report success on a warehouse whose current data cannot be read; rollback's errors are clear (no traceback)."""
from __future__ import annotations

from pathlib import Path

import pytest

from . import _cli
from ._support import article, make_seeds, write


@pytest.fixture
def damaged(tmp_path) -> tuple[Path, Path, int, Path]:
    """A warehouse of two data versions whose second one's new claims file has its footer overwritten:
    (seeds, warehouse, the first data version, the damaged file)."""
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    first = _cli.history(wh)[-1]["snapshot"]
    before = set((wh / "data" / "main" / "claims").glob("*.parquet"))
    write(seeds / "bài mới.txt", article("bài mới có số liệu").encode())
    r = _cli.run(seeds, wh)
    assert r.returncode == 0, _cli.text(r)
    new = sorted(set((wh / "data" / "main" / "claims").glob("*.parquet")) - before)
    assert new, "the second run added no claims file"
    victim = new[0]
    (tmp_path / "victim.orig").write_bytes(victim.read_bytes())
    size = victim.stat().st_size
    with open(victim, "r+b") as fh:              # same size, footer garbage
        fh.seek(max(0, size - 64))
        fh.write(b"\x13" * min(64, size))
    return seeds, wh, first, victim


def test_verify_names_the_broken_file_and_the_last_clean_snapshot(damaged):
    _, wh, first, victim = damaged
    r = _cli.vnclaims("verify", "--warehouse", wh, timeout=300)
    out = _cli.text(r)
    assert r.returncode != 0, out
    assert victim.name in out, f"verify does not name the broken file:\n{out}"
    assert f"snapshot {first}" in out, f"verify does not name the last snapshot that reads cleanly ({first}):\n{out}"
    assert "Traceback" not in out
    # repaired: verify passes
    victim.write_bytes((wh.parent / "victim.orig").read_bytes())
    ok = _cli.vnclaims("verify", "--warehouse", wh, timeout=300)
    assert ok.returncode == 0, f"verify on a sound warehouse:\n{_cli.text(ok)}"


def test_a_run_reading_the_broken_file_reports_the_real_cause(damaged):
    seeds, wh, _, victim = damaged
    write(seeds / "bài khác.txt", article("bài thứ ba").encode())
    r = _cli.run(seeds, wh)
    out = _cli.text(r)
    assert r.returncode == 1, out
    last = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert last, out
    assert "Current transaction is aborted" not in last[-1], f"the real cause is hidden:\n{last[-1]}"
    assert victim.name in last[-1] or "vnclaims verify" in last[-1], last[-1]


def test_a_no_change_run_does_not_report_success_over_a_broken_file(damaged):
    seeds, wh, _, victim = damaged
    r = _cli.run(seeds, wh)
    out = _cli.text(r)
    assert r.returncode != 0, f"a run over a damaged current snapshot reported success:\n{out}"
    assert victim.name in out, out


def test_rollback_errors_are_clear(damaged):
    _, wh, first, _ = damaged
    r = _cli.vnclaims("rollback", str(first), "--warehouse", wh, timeout=300)
    out = _cli.text(r)
    assert "Traceback" not in out, f"rollback printed a traceback:\n{out}"
    if r.returncode != 0:
        assert r.stderr.startswith("error:") and ("vnclaims verify" in r.stderr or ".parquet" in r.stderr), out
