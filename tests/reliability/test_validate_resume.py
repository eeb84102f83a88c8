"""Issue 19 item 5: a run that commits its snapshot and then dies in validate (kill -9, or an error while
validating) left that snapshot "not validated" for good, and the messages said "nothing was committed",
which is false. The next run validates the unvalidated snapshot, and no message claims nothing was
committed when a snapshot was."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from tests.conftest import ROOT

from . import _cli
from ._support import make_seeds

FALSE_CLAIMS = ("committed nothing", "nothing was committed", "nothing committed")

SLOW_CHECK = """-- purpose: (reliability test) keeps the validate stage busy for a while; never fails
SELECT n FROM (SELECT count(*) AS n FROM range(6000000000) t(i) WHERE i % 7 = 11) WHERE n > 0
"""


def _slow_sql_dir(tmp_path: Path) -> Path:
    """The project's SQL models plus one slow check (validate runs it after the commit)."""
    d = tmp_path / "sql"
    shutil.copytree(ROOT / "sql", d)
    (d / "90_checks" / "zz_slow_check.sql").write_text(SLOW_CHECK)
    return d


def _validation_of(wh: Path, snapshot: int) -> str:
    return {h["snapshot"]: h["validation"] for h in _cli.history(wh)}[snapshot]


def test_a_run_killed_in_validate_has_its_snapshot_validated_by_the_next_run(tmp_path):
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    log = tmp_path / "run.log"
    p = _cli.spawn(log, "run", "--seeds", seeds, "--warehouse", wh, VNCLAIMS_GX="0",
                   VNCLAIMS_SQL_DIR=str(_slow_sql_dir(tmp_path)))
    try:
        deadline = time.monotonic() + 240
        while "load: " not in log.read_text():          # the load stage has finished: validate runs now
            assert p.poll() is None, f"the run ended before validate:\n{log.read_text()}"
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        time.sleep(1)
        assert p.poll() is None, log.read_text()
    finally:
        _cli.kill9(p)
    snaps = [h["snapshot"] for h in _cli.history(wh)]
    assert len(snaps) == 1, f"the killed run committed no snapshot: {snaps}"
    assert _validation_of(wh, snaps[0]) == "not validated"

    r = _cli.run(seeds, wh)                               # nothing changed in the inputs
    out = _cli.text(r)
    assert r.returncode == 0, out
    assert not any(f in out for f in FALSE_CLAIMS), f"a false message: the killed run did commit:\n{out}"
    assert _validation_of(wh, snaps[0]).startswith("passed"), \
        f"the next run did not validate snapshot {snaps[0]}: {_validation_of(wh, snaps[0])}\n{out}"
    assert str(snaps[0]) in r.stdout and "validat" in r.stdout.lower(), r.stdout


def test_a_run_failing_in_validate_says_its_snapshot_was_committed(tmp_path):
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    broken = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", broken)
    (broken / "claims.json").write_text("{ this is not JSON")
    r = _cli.run(seeds, wh, VNCLAIMS_GX="1", VNCLAIMS_GX_DOCS="0", VNCLAIMS_EXPECTATIONS_DIR=str(broken))
    out = _cli.text(r)
    snaps = [h["snapshot"] for h in _cli.history(wh)]
    assert len(snaps) == 1, snaps
    assert r.returncode != 0, out
    assert not any(f in out for f in FALSE_CLAIMS), f"snapshot {snaps[0]} was committed, the run says not:\n{out}"
    err = [l for l in r.stderr.splitlines() if l.startswith("error:")][-1]
    assert f"snapshot {snaps[0]}" in err and "not validated" in err, err
    # the next run (sound suites) validates it
    r2 = _cli.run(seeds, wh)
    assert r2.returncode == 0, _cli.text(r2)
    assert _validation_of(wh, snaps[0]).startswith("passed"), _cli.history(wh)
