"""Stage 6, validate: the SQL audits and the Great Expectations suites on the snapshot this run made,
results stored by snapshot. When the data version before passed every same check, the row-local checks
read only the rows this snapshot inserted or changed.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import shutil
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from ..checks.audits import checks_fingerprint, run_audits
from ..errors import WarehouseCorrupt, WarehouseError
from ..run.scratch import changed_dir
from ..settings import Settings
from ..lake.history import changed_rows_query, data_snapshots, data_tables, snapshots
from ..lake.connect import connect
from ..lake.verify import quick_check
from ..models.spec import load_models
from ..lake.history import table_columns

if TYPE_CHECKING:
    from ..run.context import RunContext

_gx_import: threading.Thread | None = None
_gx_frozen = False


def validate(ctx: RunContext) -> dict:
    """Audits + GX suites on ``ctx.snapshot_id`` (nothing when the run made no snapshot), stored in
    ``validation_results`` as a validation snapshot. The checks share one read-only lake connection
    (each open of the lake costs 0.1-0.3 s); it is closed before the results are written."""
    s = ctx.settings
    earlier = None
    con = connect(s, read_only=True)
    try:
        _data_files_whole(s, con)
        if ctx.snapshot_id is None:
            # an earlier run committed the current data version and died (or failed) before validating it
            earlier = unvalidated_snapshot(s, con)
            if earlier is None:
                return {"validated_snapshot": None, "checks": 0, "passed": 0, "failed": 0, "failed_checks": [],
                        "skipped": "no new data snapshot: nothing to validate"}
            ctx.log(f"validate: snapshot {earlier} was committed by an earlier run that stopped before validating it; "
                    "validating it now")
            ctx = dataclasses.replace(ctx, snapshot_id=earlier)
        c, results, fingerprint, baseline = _checks(ctx, con)
    finally:
        con.close()
    rows = _store(ctx, results, fingerprint, baseline)
    c["checks"] = len(rows)
    c["passed"] = sum(r["success"] for r in rows)
    c["failed"] = c["checks"] - c["passed"]
    c["failed_checks"] = [f"{r['suite']}:{r['expectation']}" for r in rows if not r["success"]][:20]
    return c if earlier is None else {**c, "validated_earlier": earlier}


def _data_files_whole(s: Settings, con: duckdb.DuckDBPyConnection) -> None:
    """Every run, even one that changed nothing: the current snapshot's data files have the size and the
    Parquet footer the catalog recorded (a stat and 4 bytes each), else the run fails naming them."""
    broken = quick_check(con)
    if broken:
        raise WarehouseCorrupt(f"{len(broken)} data file(s) of the current snapshot are damaged: "
                               + "; ".join(f"{b.path} (table {b.table}: {b.why})" for b in broken[:5])
                               + ". `vnclaims verify` reads every file and names the newest snapshot that reads cleanly")


def unvalidated_snapshot(s: Settings, con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest data snapshot when no validation of it was ever stored, else None."""
    with contextlib.suppress(WarehouseError, duckdb.Error):
        ds = data_snapshots(con)
        if ds and not con.execute("SELECT count(*) FROM validation_results WHERE snapshot_id = ?",
                                  [ds[-1]["snapshot_id"]]).fetchone()[0]:
            return ds[-1]["snapshot_id"]
    return None


def _checks(ctx: RunContext, con: duckdb.DuckDBPyConnection) -> tuple[dict, list[dict], str, int | None]:
    """The audits and the GX suites on ``ctx.snapshot_id`` through ``con`` (GX's own engine opens the
    lake once more): (counts so far, results, checks fingerprint, baseline)."""
    s = ctx.settings
    c = {"validated_snapshot": ctx.snapshot_id, "checks": 0, "passed": 0, "failed": 0, "failed_checks": []}
    models = load_models(s.sql_dir)
    fingerprint = checks_fingerprint(s, models)
    con.execute("USE lake")
    baseline = validation_baseline(con, s, ctx.snapshot_id, fingerprint)
    small = checked_rows_if_small(con, s, ctx.snapshot_id) if baseline is not None else None
    if small is not None:
        baseline = None
    c["mode"] = (f"incremental: row-local checks on the rows new or changed since snapshot {baseline}, "
                 "which passed; the others on every row") if baseline is not None else "full: every check on every row"
    if small is not None:
        c["mode"] += (f" ({small:,} rows in the checked tables, under VNCLAIMS_VALIDATE_FULL_BELOW_ROWS="
                      f"{s.validate_full_below_rows}: cheaper than checking the changed rows apart)")
    changed = write_changed_rows(con, s, ctx, models) if baseline is not None else None
    results = run_audits(con, models, snapshot=ctx.snapshot_id, changed=changed, baseline=baseline)
    if s.gx and any(s.expectations_dir.glob("*.json")):
        if _gx_import is not None:
            _gx_import.join()                      # started by ingest or load (prewarm_gx)
        from ..checks.gx import validate_snapshot
        _freeze_once()
        docs = (s.reports_dir / "gx") if s.gx_docs else None
        try:
            results += validate_snapshot(s.catalog if s.catalog_is_postgres else s.catalog_path, s.data_path,
                                         ctx.snapshot_id, s.expectations_dir, docs, changed_since=baseline,
                                         changed_files=changed, con=con, duckdb_config=s.duckdb_config())
        finally:
            shutil.rmtree(changed_dir(s, ctx.run_id), ignore_errors=True)
    return c, results, fingerprint, baseline


def _freeze_once() -> None:
    """GX's modules stay for the process's life: out of the way of the collections to come (see cli.run).
    Once per process: in a long-lived one (`vnclaims serve`) a later freeze would also keep whatever cyclic
    garbage a run still had at that moment."""
    global _gx_frozen
    if not _gx_frozen:
        gc.freeze()
        _gx_frozen = True


# GX's modules (~56 MB, kept for the process's life) imported by ingest sit through every later stage: a run
# that reads more files than this has them imported by load after its marts instead, where a million files'
# run peaks (the marts' DuckDB memory on top of the process's own). The import (~1.5 s) then overlaps the
# commit and the audits only: nothing beside such a run's minutes, while a small run keeps the whole overlap
PREWARM_EARLY_MAX_FILES = 20_000


def prewarm_gx(settings: Settings, files_read: int | None = None) -> None:
    """Import Great Expectations (~1.5-3 s of Python) in a background thread while the stages before validate
    work (ingest calls it with the number of files it read, and it starts when that is at most
    :data:`PREWARM_EARLY_MAX_FILES`; load calls it after its marts when the run makes a data version): validate
    then finds it imported. Only when validate will need it."""
    global _gx_import
    if _gx_import is not None or not settings.gx or not any(settings.expectations_dir.glob("*.json")):
        return
    if files_read is not None and files_read > PREWARM_EARLY_MAX_FILES:
        return

    def work() -> None:
        with contextlib.suppress(Exception):     # a failing import is reported by validate itself
            from ..checks.gx import _import_gx
            _import_gx()
    _gx_import = threading.Thread(target=work, name="vnclaims-gx-import", daemon=True)
    _gx_import.start()


def validation_baseline(con: duckdb.DuckDBPyConnection, s: Settings, snapshot_id: int, fingerprint: str) -> int | None:
    """The data version right before ``snapshot_id`` if its latest validation used these same checks and
    passed every one, and the marts were computed by the same SQL; then the rows ``snapshot_id`` kept
    need not be checked again by a row-local check. None: validate everything."""
    if s.incremental_share <= 0:
        return None
    ds = data_snapshots(con)
    ids = [d["snapshot_id"] for d in ds]
    if snapshot_id not in ids or ids.index(snapshot_id) == 0:
        return None
    cur, prev = ds[ids.index(snapshot_id)], ds[ids.index(snapshot_id) - 1]
    if cur["info"].get("kind") != "data" or \
            cur["info"].get("models_fingerprint") != prev["info"].get("models_fingerprint"):
        return None
    vals = [v for v in snapshots(con) if v["info"].get("kind") == "validation"
            and v["info"].get("snapshot_id") == prev["snapshot_id"]]
    if not vals or vals[-1]["info"].get("checks_fingerprint") != fingerprint:
        return None
    n, ok = con.execute("SELECT count(*), bool_and(success) FROM validation_results WHERE snapshot_id = ? AND run_id = ?",
                        [prev["snapshot_id"], vals[-1]["info"].get("run_id")]).fetchone()
    return prev["snapshot_id"] if n and ok else None


def checked_rows_if_small(con: duckdb.DuckDBPyConnection, s: Settings, snapshot_id: int) -> int | None:
    """The rows of the tables with a GX suite (documents, claims, ...) at ``snapshot_id`` when they are fewer
    than ``s.validate_full_below_rows``, else None. Below it a full validation costs less than an incremental
    one: each table's suite run in up to three parts (changed rows, the whole table, the rows sharing a key)
    costs GX ~0.1 s a part whatever the rows. Measured on +1 % runs (validate alone, medians): 2,000 files
    (22,599 rows) 2.0 s incremental against 1.5-1.8 s full; 10,000 files (117,448 rows) 1.9-2.1 against
    1.8-1.9 s; at 100,000 files and more the incremental one is faster by seconds."""
    limit = s.validate_full_below_rows
    if limit <= 0:
        return None
    tables = {p.stem for p in s.expectations_dir.glob("*.json")} & set(data_tables(con))
    total = 0
    try:
        for t in sorted(tables):
            total += con.execute(f'SELECT count(*) FROM "{t}" AT (VERSION => {int(snapshot_id)})').fetchone()[0]
            if total >= limit:
                return None
    except duckdb.Error:            # a table the snapshot does not have: left to the usual rule
        return None
    return total


def write_changed_rows(con: duckdb.DuckDBPyConnection, s: Settings, ctx: RunContext, models: list) -> dict[str, Path]:
    """The rows this run's snapshot inserted or changed, one Parquet file per table that a row-local
    check reads (audits with ``-- rows:``, the GX suites), written once for the audits and GX alike."""
    tables = {m.rows for m in models if m.kind == "check" and m.rows and not m.also}     # (also: read from the lake)
    keyed: list[tuple[str, str]] = []
    if s.gx:
        from ..checks.gx import keyed_columns, load_suites, same_key_file
        suites = load_suites(s.expectations_dir)
        tables |= {t for t, _ in suites}
        keyed = sorted({(t, col) for t, spec in suites for _, col in keyed_columns(spec)})
    out_dir = changed_dir(s, ctx.run_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = {}
    for table in sorted(tables):
        if table_columns(con, table):
            out[table] = out_dir / f"{table}.parquet"
            con.execute(f"COPY ({changed_rows_query(table, ctx.snapshot_id)}) TO '{out[table]}' (FORMAT parquet)")
    for table, col in keyed:
        if table in out:
            _write_same_key_rows(con, table, col, ctx.snapshot_id, out[table], same_key_file(out[table], table, col))
    return out


def _write_same_key_rows(con: duckdb.DuckDBPyConnection, table: str, column: str, snapshot_id: int,
                         changed_file: Path, target: Path) -> None:
    """:func:`vnclaims.checks.gx.same_key_file`, written here once: GX asked its own engine for these rows
    several times a check (a count, the repeats, a sample), each reading the whole column (claims at a million
    files, +1 %: the keyed part 1.2-1.4 s)."""
    col = '"' + column.replace('"', '""') + '"'
    con.execute(f'COPY (SELECT {col} FROM lake."{table}" AT (VERSION => {int(snapshot_id)}) '
                f"WHERE {col} IN (SELECT {col} FROM read_parquet('{changed_file}'))) "
                f"TO '{target}' (FORMAT parquet)")


def _store(ctx: RunContext, results: list[dict], fingerprint: str, baseline: int | None) -> list[dict]:
    """Write the results to ``validation_results`` as one validation snapshot; returns the rows."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [{"snapshot_id": ctx.snapshot_id, "run_id": ctx.run_id, "suite": r["suite"], "expectation": r["expectation"],
             "success": bool(r["success"]), "details": (r.get("details") or "")[:2000], "checked_at": now} for r in results]
    con = connect(ctx.settings, log=ctx.log)
    try:
        con.register("_vr", pd.DataFrame(rows, columns=["snapshot_id", "run_id", "suite", "expectation", "success", "details", "checked_at"]))
        con.execute("BEGIN")
        con.execute("INSERT INTO validation_results SELECT * FROM _vr")
        con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                    [f"validation of snapshot {ctx.snapshot_id}", json.dumps({"kind": "validation", "run_id": ctx.run_id,
                                                                              "snapshot_id": ctx.snapshot_id,
                                                                              "checks_fingerprint": fingerprint,
                                                                              "baseline": baseline})])
        con.execute("COMMIT")
    finally:
        con.close()
    return rows
