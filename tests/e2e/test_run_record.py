"""The run's record (the ``runs`` table): what it keeps of the run's data version."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.e2e


def test_a_runs_record_has_the_fingerprint_its_data_version_was_committed_with(tmp_path, make_settings):
    """The load computes the fingerprint for its data version; the run's record reuses it (not read and hashed
    again: ~0.8 s at a million files). It is what reading the warehouse gives after the run, and a run that
    commits nothing reads it itself."""
    from vnclaims.lake.connect import connect
    from vnclaims.pipeline import run_pipeline
    from vnclaims.run.lifecycle import input_fingerprint
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    s = make_settings(seeds, gx=False, report=False)
    first = run_pipeline(s, log=lambda m: None)
    assert first.input_fingerprint is not None
    (seeds / "extra.txt").write_text("Năm 2019, kim ngạch thương mại Việt Nam - Liên bang Nga đạt 4,9 tỷ USD.\n",
                                     encoding="utf-8")
    second = run_pipeline(s, log=lambda m: None)
    unchanged = run_pipeline(s, log=lambda m: None)
    assert unchanged.snapshot_id is None and unchanged.input_fingerprint is None
    con = connect(s, read_only=True)
    try:
        now = input_fingerprint(con)
        runs = dict(con.execute("SELECT run_id, input_fingerprint FROM runs").fetchall())
        info = json.loads(con.execute("SELECT commit_extra_info FROM lake.snapshots() WHERE snapshot_id = ?",
                                      [second.snapshot_id]).fetchone()[0])
    finally:
        con.close()
    assert second.input_fingerprint == now == info["input_fingerprint"] == runs[second.run_id] == runs[unchanged.run_id]
    assert runs[first.run_id] == first.input_fingerprint != now
