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
    ``baseline``. The others read every row."""
    out = []
    for m in models:
        if m.kind != "check":
            continue
        scoped = changed is not None and m.rows in changed
        try:
            if scoped:
                con.execute(f"CREATE OR REPLACE TEMP VIEW {m.rows} AS SELECT * FROM read_parquet('{changed[m.rows]}')")
                con.execute("SET search_path = 'temp.main,lake.main'")
            rows = con.execute(m.sql).fetchall()
            where = ""
            if scoped:
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


def checks_fingerprint(s: Settings, models: list) -> str:
    """What a validation checks with: the audits' SQL, the GX suites, whether GX ran, and the code."""
    h = hashlib.sha256(f"{code_version()}\0gx={s.gx}\0".encode())
    for m in models:
        if m.kind == "check":
            h.update(f"{m.name}\0{m.rows}\0{m.sql}\0".encode())
    if s.gx:
        for p in sorted(s.expectations_dir.glob("*.json")):
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]
