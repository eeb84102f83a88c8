"""ensure_schema: the DDL tables of a new warehouse, the columns an older one lacks, and, on a warehouse
that has everything, one catalog query and no new snapshot (it runs twice in every run)."""
from __future__ import annotations

import duckdb

from vnclaims.lake.connect import connect
from vnclaims.models import materialize as M
from vnclaims.models.spec import load_models
from vnclaims.settings import Settings


class Counting:
    """A connection that counts the statements run through it."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, *a):
        self.statements.append(sql)
        return self.con.execute(sql, *a)


def _columns(con, table):
    return con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = 'lake' "
                       "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()


def _snapshots(con):
    return con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]


def test_new_then_complete_then_older_warehouse(tmp_path):
    s = Settings.load(seeds=tmp_path, warehouse=tmp_path / "wh")
    models = load_models(s.sql_dir)
    ddl = [m for m in models if m.kind == "ddl"]
    con = connect(s)
    try:
        M.ensure_schema(con, models)
        for m in ddl:                       # each table as its DDL makes it in a database of its own
            mem = duckdb.connect()
            mem.execute(m.sql)
            assert _columns(con, m.name) == mem.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [m.name]).fetchall()
            mem.close()
        n = _snapshots(con)
        counting = Counting(con)
        M.ensure_schema(counting, models)
        assert len(counting.statements) == 1 and _snapshots(con) == n

        # an older warehouse: a table without its last column, another table missing
        runs_cols = _columns(con, "runs")
        con.execute(f"ALTER TABLE runs DROP COLUMN {runs_cols[-1][0]}")
        gone = next(m.name for m in ddl if m.name != "runs")
        con.execute(f"DROP TABLE {gone}")
        M.ensure_schema(con, models)
        assert _columns(con, "runs") == runs_cols
        assert _columns(con, gone)
        assert _snapshots(con) > n
    finally:
        con.close()
