"""Rollback: a past snapshot's data written forward as a new snapshot, each table rebuilt through the
model runner's ``materialize`` (only rows that differ are touched; history is never rewritten)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ..lake.history import data_tables, table_columns
from .materialize import materialize
from .spec import Model


def rollback(con: duckdb.DuckDBPyConnection, target: int, run_id: str, keys: dict[str, str]) -> dict:
    """Write snapshot ``target``'s data forward as a NEW snapshot (history is never rewritten).
    Only rows that differ are touched. Returns {table: (inserted, deleted)}."""
    out = {}
    con.execute("BEGIN")
    try:
        for table in data_tables(con):
            try:
                cols_then = [d[0] for d in con.execute(f"SELECT * FROM {table} AT (VERSION => {int(target)}) LIMIT 0").description]
            except duckdb.Error:
                cols_then = None
            if cols_then is None:       # the table did not exist then: it held no rows
                n = con.execute(f"DELETE FROM {table}").fetchone()[0]
                if n:
                    out[table] = (0, int(n))
                continue
            cols_now = table_columns(con, table)
            if cols_now != cols_then:
                con.execute(f"DROP TABLE {table}")
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM {table} AT (VERSION => {int(target)}) LIMIT 0")
            m = Model(table, "", "", keys.get(table), "model", f"SELECT * FROM {table} AT (VERSION => {int(target)})", Path())
            i, d = materialize(con, m)
            if i or d:
                out[table] = (i, d)
        if out:
            con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                        [f"rollback to snapshot {target} (written forward by {run_id})",
                         json.dumps({"kind": "rollback", "run_id": run_id, "rollback_to": int(target),
                                     "changed": {t: list(v) for t, v in out.items()}})])
            con.execute("COMMIT")
        else:
            con.execute("ROLLBACK")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return out
