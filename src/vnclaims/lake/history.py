"""The warehouse's history: snapshots, which of them hold data, resolving a user's snapshot reference,
the difference between two snapshots, a snapshot's changed rows (rollback, which rebuilds tables
through the model runner, is :mod:`vnclaims.models.rollback`)."""
from __future__ import annotations

import json

import duckdb

from ..errors import WarehouseError

DATA_KIND = "data"


def changed_rows_query(table: str, snapshot_id: int) -> str:
    """The rows snapshot ``snapshot_id`` inserted into ``table`` or changed in it (DuckLake's change feed)."""
    return (f"SELECT * EXCLUDE (snapshot_id, rowid, change_type) FROM table_changes('{table}', {int(snapshot_id)}, "
            f"{int(snapshot_id)}) WHERE change_type IN ('insert', 'update_postimage')")


# ---------------------------------------------------------------- snapshots
def snapshots(con: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = con.execute("SELECT snapshot_id, snapshot_time, changes, author, commit_message, commit_extra_info "
                       "FROM lake.snapshots() ORDER BY snapshot_id").fetchall()
    out = []
    for sid, ts, changes, author, msg, extra in rows:
        try:
            info = json.loads(extra) if extra else {}
        except ValueError:
            info = {}
        out.append({"snapshot_id": int(sid), "time": ts, "changes": changes, "author": author, "message": msg,
                    "info": info})
    return out


def data_snapshots(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return [s for s in snapshots(con) if s["info"].get("kind") in (DATA_KIND, "rollback")]


def latest_data_snapshot(con: duckdb.DuckDBPyConnection) -> int | None:
    ds = data_snapshots(con)
    return ds[-1]["snapshot_id"] if ds else None


def resolve_snapshot(con: duckdb.DuckDBPyConnection, ref: str | int | None) -> int | None:
    """'7' -> 7; 'latest' / None -> the newest data snapshot; '-1' -> the data version before it."""
    ds = [s["snapshot_id"] for s in data_snapshots(con)]
    all_ids = {s["snapshot_id"] for s in snapshots(con)}
    if ref is None or str(ref) in ("", "latest", "head"):
        return ds[-1] if ds else None
    r = int(ref)
    if r < 0:
        if len(ds) < -r + 1:
            raise WarehouseError(f"there are only {len(ds)} data versions; cannot go back {-r}")
        return ds[r - 1]
    if r not in all_ids:
        raise WarehouseError(f"snapshot {r} does not exist (data versions: {', '.join(map(str, ds)) or 'none'})")
    return r


def diff_table(con: duckdb.DuckDBPyConnection, table: str, key: str, a: int, b: int,
               compare: list[str] | None = None) -> list[dict]:
    """Rows added / removed / changed in ``table`` between snapshots a and b, by key."""
    cols = compare or [c for c in table_columns(con, table) if c != key]
    def at(v: int) -> str:
        return f"(SELECT * FROM {table} AT (VERSION => {int(v)}))"
    def exists_at(v: int) -> bool:
        try:
            con.execute(f"SELECT 1 FROM {table} AT (VERSION => {int(v)}) LIMIT 0")
            return True
        except duckdb.Error:
            return False
    ta = at(a) if exists_at(a) else f"(SELECT * FROM {table} LIMIT 0)"
    tb = at(b) if exists_at(b) else f"(SELECT * FROM {table} LIMIT 0)"
    diffcond = " OR ".join(f'A."{c}" IS DISTINCT FROM B."{c}"' for c in cols) or "false"
    sql = f"""
      SELECT CASE WHEN A."{key}" IS NULL THEN 'added' WHEN B."{key}" IS NULL THEN 'removed' ELSE 'changed' END AS change,
             coalesce(B."{key}", A."{key}") AS key,
             {', '.join(f'A."{c}" AS "{c}_a", B."{c}" AS "{c}_b"' for c in cols)}
      FROM {ta} A FULL OUTER JOIN {tb} B ON A."{key}" = B."{key}"
      WHERE A."{key}" IS NULL OR B."{key}" IS NULL OR ({diffcond})
      ORDER BY 1, 2"""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# ---------------------------------------------------------------- rollback & maintenance
BOOKKEEPING_TABLES = {"runs", "validation_results"}


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog='lake' AND table_name=? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def data_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog='lake' ORDER BY table_name").fetchall()
        if r[0] not in BOOKKEEPING_TABLES]
