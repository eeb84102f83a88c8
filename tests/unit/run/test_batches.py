"""How clean and extract read their work a batch at a time: by ranges of row ids (every row once, in the
order the table holds them, without sorting the rest of the table for each batch), in key order when a
table has deleted rows; and how the worker pool overlaps a batch's computing with the caller's writing."""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from vnclaims.run import pool
from vnclaims.run.scratch import row_batches
from vnclaims.settings import Settings
import vnclaims.stages as stages_pkg


def _table(tmp_path: Path, keys: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("CREATE TABLE t (k VARCHAR, v INTEGER)")
    for i, k in enumerate(keys):           # one insert per row: the table holds them in this order
        con.execute("INSERT INTO t VALUES (?, ?)", [k, i])
    return con


def test_row_batches_read_every_row_once_in_the_tables_order(tmp_path):
    keys = [f"k{i:02d}" for i in (7, 3, 9, 0, 5, 1, 8, 2, 6, 4)]        # not in key order
    con = _table(tmp_path, keys)
    got = list(row_batches(con, "t", "k, v", "k", 3))
    assert [len(b) for b in got] == [3, 3, 3, 1]
    assert [r[0] for b in got for r in b] == keys
    # rows left out by key: a batch holds fewer, a batch left empty is not yielded
    con.execute("CREATE TABLE out (k VARCHAR)")
    con.execute("INSERT INTO out VALUES ('k09'), ('k00'), ('k04')")
    got = list(row_batches(con, "t", "k", "k", 2, exclude="SELECT k FROM out"))
    assert [r[0] for b in got for r in b] == [k for k in keys if k not in ("k09", "k00", "k04")]
    assert all(got) and len(got) == 4
    assert list(row_batches(con, "t", "k", "k", 3, exclude="SELECT k FROM t")) == []


def test_a_table_with_deleted_rows_is_read_in_key_order(tmp_path):
    """A deleted row leaves a gap in the row ids, which a checkpoint may close by renumbering the rows after
    it: such a table is read by key (keyset pagination), every remaining row once."""
    keys = [f"k{i:02d}" for i in (7, 3, 9, 0, 5, 1, 8, 2, 6, 4)]
    con = _table(tmp_path, keys)
    con.execute("DELETE FROM t WHERE k = 'k05'")
    got = [r[0] for b in row_batches(con, "t", "k, v", "k", 3) for r in b]
    assert got == sorted(set(keys) - {"k05"})
    got = [r[0] for b in row_batches(con, "t", "k", "k", 4, exclude="SELECT k FROM t WHERE v < 5") for r in b]
    assert got == sorted(k for i, k in enumerate(keys) if i >= 5 and k != "k05")


def test_no_stage_deletes_rows_from_a_table_read_by_row_id():
    """in_text (clean), d_new_docs and x_docs (extract) are read by row id: made without DELETE."""
    stages = Path(stages_pkg.__file__).parent
    text = "\n".join(p.read_text(encoding="utf-8") for p in stages.glob("*.py"))
    assert not re.search(r"DELETE\s+FROM\s+(in_text|d_new_docs|x_docs)\b", text, re.I)


def _mark(item: tuple[str, str]) -> str:
    """A worker's task for the pool test: leave a file that says it ran."""
    folder, name = item
    Path(folder, name).write_text("ran")
    return name


def test_the_next_batch_is_computed_while_the_caller_holds_the_current_one(tmp_path):
    """map_batches hands a batch to the workers before it yields the one before: the workers compute while
    the caller writes. (A generator around the pool's map submitted nothing until the caller read it.)"""
    s = Settings(seeds=tmp_path, warehouse=tmp_path / "w", workers=2)
    batches = [[(str(tmp_path), f"b{b}-{i}") for i in range(6)] for b in range(3)]
    try:
        it = pool.map_batches(_mark, iter(batches), s, min_parallel=1)
        first = next(it)                 # batch 0's results, not read yet
        expected = {f"b{b}-{i}" for b in (0, 1) for i in range(6)}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not expected <= {p.name for p in tmp_path.iterdir()}:
            time.sleep(0.05)
        assert expected <= {p.name for p in tmp_path.iterdir()}, "batches 0 and 1 were not handed to the workers"
        assert list(first) == [f"b0-{i}" for i in range(6)]
        assert [list(r) for r in it] == [[f"b{b}-{i}" for i in range(6)] for b in (1, 2)]
    finally:
        pool.shutdown_pools()
