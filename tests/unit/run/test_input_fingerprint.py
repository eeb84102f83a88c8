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
