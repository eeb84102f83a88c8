"""SQL audits (``sql/90_checks``): each query returns its offending rows; zero rows passes."""
from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import duckdb

from ..versions import code_version
from ..settings import Settings


def run_audits(con: duckdb.DuckDBPyConnection, models: list, snapshot: int | None = None,
               changed: dict[str, Path] | None = None, baseline: int | None = None) -> list[dict]:
    """SQL audits from sql/90_checks: each returns its offending rows; zero rows passes.

    With ``changed`` (table -> Parquet file of the rows a snapshot inserted or changed, see
    :func:`vnclaims.stages.validate.write_changed_rows`), an audit with a ``-- rows: <table>`` header reads
    those rows as <table> (a temp view shadowing the lake's); the rows the snapshot kept passed at
    ``baseline``. With an ``-- also:`` header too (needs ``snapshot``, the lake's current data version), it
    reads the lake's rows of <table> that ``snapshot`` inserted or changed and those naming (by the columns
    the header gives) a row of the other tables that it inserted, changed or deleted. The others read every row."""
    out = []
    null_touched: dict[tuple[str, str], bool] = {}      # (table, column) -> a NULL among its touched values
    for m in models:
        if m.kind != "check":
            continue
        scoped = changed is not None and (m.rows in changed or (bool(m.also) and snapshot is not None))
        try:
            if scoped:
                try:
                    con.execute(f"CREATE OR REPLACE TEMP VIEW {m.rows} AS {_scoped_rows(con, m, snapshot, changed, null_touched)}")
                    con.execute(f"SELECT 1 FROM temp.main.{m.rows} LIMIT 0")
                except duckdb.Error:        # (e.g. no change feed for a table: the check reads every row)
                    scoped = False
                    con.execute(f"DROP VIEW IF EXISTS temp.main.{m.rows}")
                else:
                    con.execute("SET search_path = 'temp.main,lake.main'")
            rows = con.execute(m.sql).fetchall()
            where = ""
            if scoped and m.also:          # (not counted: that would read them twice)
                named = " or ".join(f"naming a {t} row it inserted, changed or deleted"
                                    for t in dict.fromkeys(t for t, _, _ in m.also))
                where = (f" among the {m.rows} rows new or changed in this snapshot or {named} (the others passed "
                         f"at snapshot {baseline})")
            elif scoped:
                n = con.execute(f"SELECT count(*) FROM temp.main.{m.rows}").fetchone()[0]
                where = f" among the {n} {m.rows} row(s) new or changed in this snapshot (the others passed at snapshot {baseline})"
            out.append({"suite": "sql_audits", "expectation": m.name, "success": not rows,
                        "details": (f"{len(rows)} offending row(s){where}" + (f", e.g. {rows[0]!r}" if rows else ""))[:300]})
        except duckdb.Error as e:
            out.append({"suite": "sql_audits", "expectation": m.name, "success": False, "details": f"query failed: {e}"[:300]})
        finally:
            if scoped:
                with contextlib.suppress(duckdb.Error):
                    con.execute(f"DROP VIEW IF EXISTS temp.main.{m.rows}")
                    con.execute("SET search_path = 'lake.main'")
    return out


def _scoped_rows(con: duckdb.DuckDBPyConnection, m, snapshot: int | None, changed: dict[str, Path],
                 null_touched: dict[tuple[str, str], bool]) -> str:
    """The rows an incremental run of audit ``m`` reads as its ``-- rows:`` table: the changed rows' file, or
    with ``-- also:`` the lake's rows that the snapshot inserted or changed or that name a row of an ``also``
    table it touched (read by row id: the condition's columns first, then those rows' others)."""
    if not m.also:
        return f"SELECT * FROM read_parquet('{changed[m.rows]}')"
    snap = int(snapshot)
    conds = [f"rowid IN (SELECT rowid FROM table_changes('{m.rows}', {snap}, {snap}) "
             "WHERE change_type IN ('insert', 'update_postimage'))"]
    for table, col, own in m.also:             # (a table not in the lake: the view fails, the check reads every row)
        touched = f'SELECT "{col}" FROM table_changes(\'{table}\', {snap}, {snap})'
        conds += [f'"{c}" IN ({touched})' for c in own]
        # a touched NULL names the rows with a NULL there (as GROUP BY takes it); asked apart, as a subquery under
        # OR in the view it was read row by row (the audits of a +1 % at a million files 2.4 -> 3.2 s)
        if (table, col) not in null_touched:        # (asked once a validation: three audits name claims' ids)
            null_touched[table, col] = bool(con.execute(
                f'SELECT count(*) FROM ({touched} WHERE "{col}" IS NULL LIMIT 1)').fetchone()[0])
        if null_touched[table, col]:
            conds += [f'"{c}" IS NULL' for c in own]
    t = f"lake.main.{m.rows}"
    return f"SELECT * FROM {t} WHERE rowid IN (SELECT rowid FROM {t} WHERE {' OR '.join(conds)})"


def checks_fingerprint(s: Settings, models: list) -> str:
    """What a validation checks with: the audits' SQL, the GX suites, whether GX ran, and the code."""
    h = hashlib.sha256(f"{code_version()}\0gx={s.gx}\0".encode())
    for m in models:
        if m.kind == "check":
            h.update(f"{m.name}\0{m.rows}\0{m.also}\0{m.sql}\0".encode())
    if s.gx:
        for p in sorted(s.expectations_dir.glob("*.json")):
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]
