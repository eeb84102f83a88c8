"""The input fingerprint is read in chunks (issue 20: a million files' list as Python tuples took ~230 MB in
load's commit): the same digest as hashing every present file's (path, sha256) in path order at once."""
from __future__ import annotations

import hashlib

import duckdb

from vnclaims.run.lifecycle import input_fingerprint


def test_the_chunked_fingerprint_is_the_digest_of_every_present_file_in_path_order():
    con = duckdb.connect()
    # more rows than a chunk, inserted out of path order, every seventh file gone
    con.execute("""CREATE TABLE source_files AS
        SELECT printf('d%03d/%06d.txt', (i * 7919) % 997, i) AS source_path, md5(i::VARCHAR) || md5((-i)::VARCHAR) AS sha256,
               i % 7 <> 0 AS present
        FROM range(120_001) t(i)""")
    rows = sorted(con.execute("SELECT source_path, sha256 FROM source_files WHERE present").fetchall())
    assert len(rows) > 100_000
    want = hashlib.sha256("".join(f"{p}\t{s}\n" for p, s in rows).encode()).hexdigest()[:16]
    assert input_fingerprint(con) == want
    con.execute("UPDATE source_files SET sha256 = 'x' WHERE source_path = (SELECT max(source_path) FROM source_files "
                "WHERE present)")
    assert input_fingerprint(con) != want          # the last chunk's last row counts too


def test_a_runs_record_has_the_fingerprint_its_data_version_was_committed_with(tmp_path, make_settings):
    """The load computes the fingerprint for its data version; the run's record reuses it (not read and hashed
    again: ~0.8 s at a million files). It is what reading the warehouse gives after the run, and a run that
    commits nothing reads it itself."""
    import json
    import shutil

    from tests.conftest import SEEDS
    from vnclaims.lake.connect import connect
    from vnclaims.pipeline import run_pipeline
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
