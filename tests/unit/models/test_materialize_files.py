"""``materialize`` puts a model's result and the (key, hash) sets it compares in Parquet files, not temp tables:
inside a transaction DuckDB keeps a dropped or replaced temp table's memory until the commit, so the load that
rebuilt every mart in one transaction held every result at once (0.84 GB at 30,000 files). Real DuckLake."""
from __future__ import annotations

import pytest

from vnclaims.lake.connect import connect
from vnclaims.models.materialize import drop_temp, materialize
from vnclaims.models.spec import Model
from vnclaims.settings import Settings

ROWS = 200_000


def _in_memory_tables(con) -> int:
    return con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                       "WHERE tag = 'IN_MEMORY_TABLE'").fetchone()[0]


def test_models_in_one_transaction_hold_no_memory_and_later_models_read_the_kept_results(tmp_path):
    s = Settings(warehouse=tmp_path / "wh")
    folder = tmp_path / "models"
    con = connect(s)
    try:
        con.execute("CREATE TABLE lake.main.src AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range(?)", [ROWS])
        con.execute("BEGIN")
        con.execute("SET search_path = 'temp.main,lake.main'")
        base = _in_memory_tables(con)
        a = Model("a", "40_marts", "", "i", "model", "SELECT i, h, h || h AS hh FROM src", tmp_path)
        assert materialize(con, a, keep_temp=True, folder=folder) == (ROWS, 0)
        # b reads a: the kept result, a temp view of the same name shadowing the (uncommitted) lake table
        assert con.execute("SELECT table_type FROM information_schema.tables WHERE table_catalog = 'temp' "
                           "AND table_name = 'a'").fetchall() == [("VIEW",)]
        b = Model("b", "40_marts", "", "i", "model", "SELECT i, upper(hh) AS u FROM a WHERE i % 2 = 0", tmp_path)
        assert materialize(con, b, keep_temp=True, folder=folder) == (ROWS // 2, 0)
        # a model rebuilt in the same transaction touches only the rows that differ
        a2 = Model("a", "40_marts", "", "i", "model",
                   "SELECT i, h, CASE WHEN i < 10 THEN 'x' ELSE h || h END AS hh FROM src", tmp_path)
        assert materialize(con, a2, keep_temp=True, folder=folder) == (10, 10)
        # three results of 200,000 rows (about 40 MB as temp tables) and their hash sets: nothing held in memory
        assert _in_memory_tables(con) - base < 2_000_000
        assert sorted(p.name for p in folder.iterdir()) == ["a.parquet", "b.parquet"]   # hash sets deleted
        assert con.execute("SELECT count(*), count(*) FILTER (hh = 'x') FROM lake.main.a").fetchone() == (ROWS, 10)
        assert con.execute("SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM lake.main.a)").fetchone() == (0,)
        drop_temp(con, ["a", "b", "not_there"])
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = 'temp'").fetchone() == (0,)
        con.execute("COMMIT")
    finally:
        con.close()
    con = connect(s, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM b").fetchone() == (ROWS // 2,)
    finally:
        con.close()


def test_a_result_kept_needs_a_folder_and_one_not_kept_leaves_no_file(tmp_path):
    s = Settings(warehouse=tmp_path / "wh")
    con = connect(s)
    try:
        m = Model("m", "40_marts", "", "i", "model", "SELECT range AS i FROM range(5)", tmp_path)
        with pytest.raises(ValueError, match="keep_temp needs a folder"):
            materialize(con, m, keep_temp=True)
        folder = tmp_path / "models"
        assert materialize(con, m, folder=folder) == (5, 0)
        assert list(folder.iterdir()) == []
        assert materialize(con, m) == (0, 0)          # a private folder of its own
    finally:
        con.close()


def test_a_results_row_groups_are_small_whatever_its_rows(tmp_path):
    """A model's result is written in row groups of at most ROW_GROUP_BYTES, as the lake's files (the writer
    holds a row group per thread: 122,880 article bodies are ~200 MB, and a million files' documents ran out)."""
    s = Settings(warehouse=tmp_path / "wh")
    folder = tmp_path / "models"
    con = connect(s)
    try:
        con.execute("BEGIN")
        m = Model("bodies", "40_marts", "", "i", "model",
                  "SELECT range AS i, repeat(md5(range::VARCHAR), 60) AS body FROM range(40000)", tmp_path)
        assert materialize(con, m, keep_temp=True, folder=folder) == (40000, 0)
        groups = con.execute(f"SELECT row_group_id, max(row_group_num_rows), max(row_group_bytes) "
                             f"FROM parquet_metadata('{folder / 'bodies.parquet'}') GROUP BY ALL").fetchall()
        assert len(groups) >= 4 and max(g[2] for g in groups) <= 24_000_000, groups   # 80 MB of bodies
        con.execute("ROLLBACK")
    finally:
        con.close()


def test_an_empty_table_gets_every_row_of_the_result_and_a_full_one_only_the_changes(tmp_path):
    """Into an empty table (a first load) the result is inserted as it is, without comparing (key, hash) sets:
    the same rows as the comparison would insert, repeated rows and NULLs included."""
    s = Settings(warehouse=tmp_path / "wh")
    con = connect(s)
    rows = "SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (2, 'b'), (3, NULL)) v(k, x)"

    def table():
        return sorted(con.execute("SELECT k, x FROM lake.main.m").fetchall(), key=repr)
    try:
        assert materialize(con, Model("m", "40_marts", "", "k", "model", rows, tmp_path)) == (4, 0)
        assert table() == sorted([(1, "a"), (2, "b"), (2, "b"), (3, None)], key=repr)
        changed = rows.replace("(1, 'a')", "(1, 'A')")
        assert materialize(con, Model("m", "40_marts", "", "k", "model", changed, tmp_path)) == (1, 1)
        assert (1, "A") in table() and (1, "a") not in table() and len(table()) == 4
        empty = "SELECT 1 AS k, 'a' AS x WHERE false"
        assert materialize(con, Model("m", "40_marts", "", "k", "model", empty, tmp_path)) == (0, 4)
        assert materialize(con, Model("m", "40_marts", "", "k", "model", rows, tmp_path)) == (4, 0)
        assert table() == sorted([(1, "a"), (2, "b"), (2, "b"), (3, None)], key=repr)
    finally:
        con.close()
