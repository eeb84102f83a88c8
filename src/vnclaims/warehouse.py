"""The DuckLake warehouse: connection, writer lock, SQL models, snapshots (history, diff, rollback).

Layout under the warehouse directory:
  vnclaims.ducklake      DuckDB-file catalog (one writer process at a time)
  data/                  Parquet data files of every snapshot
  raw/ab/<sha256>        content-addressed copy of every input file version (byte-exact)
  quarantine/<sha256>    bytes of rejected inputs
  reports/               the HTML report and GX Data Docs
  .vnclaims.lock         writer lock (flock), holds the pid/run of the writer
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import importlib.util
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .settings import Settings

DATA_KIND = "data"


class WarehouseError(RuntimeError):
    """A failure a user can act on; the message says what and why."""


class WarehouseBusy(WarehouseError):
    pass


def extension_dir() -> str:
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise WarehouseError("the duckdb-ext-ducklake wheel is not installed (pip install -e . in the project venv)")
    return str(Path(list(spec.submodule_search_locations)[0]) / "extensions")


def _sql_str(s: str | Path) -> str:
    return "'" + str(s).replace("'", "''") + "'"


def attach_lake(con: duckdb.DuckDBPyConnection, settings: Settings, read_only: bool = False,
                snapshot: int | None = None) -> None:
    """ATTACH the settings' DuckLake catalog (DuckDB file or PostgreSQL) as ``lake``."""
    con.execute("LOAD ducklake")
    if settings.catalog_is_postgres:
        con.execute("LOAD postgres")
    # OVERRIDE_DATA_PATH: the warehouse folder can be moved or copied (DuckLake stores an absolute path)
    opts = f"DATA_PATH {_sql_str(str(settings.data_path) + '/')}, OVERRIDE_DATA_PATH true"
    if read_only:
        opts += ", READ_ONLY"
    if snapshot is not None:
        opts += f", SNAPSHOT_VERSION {int(snapshot)}"
    con.execute(f"ATTACH {_sql_str('ducklake:' + settings.catalog_spec)} AS lake ({opts})")


def warehouse_exists(settings: Settings) -> bool:
    """A catalog file is there, or (PostgreSQL) the database holds a DuckLake catalog."""
    if not settings.catalog_is_postgres:
        return settings.catalog_path.exists()
    try:
        connect(settings, read_only=True).close()
        return True
    except WarehouseError as e:
        if "creating a new DuckLake is explicitly disabled" in str(e):   # the database is there, still empty
            return False
        raise


class WarehouseOutOfMemory(WarehouseError):
    """DuckDB needed more than VNCLAIMS_DUCKDB_MEMORY and could not spill the rest."""


def out_of_memory(settings: Settings, where: str, e: BaseException, retried: str | None = None) -> WarehouseOutOfMemory:
    """DuckDB spills beyond its memory limit; what it cannot spill ends here, with what to do."""
    if isinstance(e, WarehouseOutOfMemory):
        e = e.__cause__ or e
    again = f", and again with {retried} (VNCLAIMS_DUCKDB_MEMORY_MAX)" if retried else ""
    return WarehouseOutOfMemory(
        f"{where}: DuckDB needed more than its memory limit VNCLAIMS_DUCKDB_MEMORY={settings.duckdb_memory}{again} "
        f"and could not spill the rest ({str(e).splitlines()[0]}). Nothing was committed; run again with a "
        "higher limit, e.g. VNCLAIMS_DUCKDB_MEMORY=2GB")


def _record_data_path(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """A moved or copied warehouse: store its data folder in the catalog, which keeps an absolute path.
    This connection already uses the right one (OVERRIDE_DATA_PATH); readers that attach the catalog
    without it (Great Expectations' engine) would still look in the old folder."""
    want, table = str(settings.data_path) + "/", "__ducklake_metadata_lake.ducklake_metadata"
    stored = con.execute(f"SELECT value FROM {table} WHERE key = 'data_path' AND scope IS NULL").fetchone()
    if stored and stored[0] != want:
        con.execute(f"UPDATE {table} SET value = ? WHERE key = 'data_path' AND scope IS NULL", [want])


# Parquet row groups of at most this many bytes: a row group of 122,880 article bodies is ~200 MB, which
# DuckDB reads (and writes) in one piece; with small ones the load of 100,000 files ran in 300 MB instead
# of running out at 1 GB (at 1,000,000 files the first load needed 2 GB)
ROW_GROUP_BYTES = "16MB"


def _writer_options(con: duckdb.DuckDBPyConnection) -> None:
    """Lake-wide DuckLake options of this project, set once (stored in the catalog, not a snapshot)."""
    got = dict(con.execute("SELECT option_name, value FROM lake.options()").fetchall())
    if "parquet_row_group_size_bytes" not in got:
        con.execute(f"CALL lake.set_option('parquet_row_group_size_bytes', '{ROW_GROUP_BYTES}')")


def connect(settings: Settings, read_only: bool = False, scratch: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as ``lake`` and selected (USE lake)."""
    if read_only and not settings.catalog_is_postgres and not settings.catalog_path.exists():
        raise WarehouseError(f"no warehouse at {settings.warehouse} (run `vnclaims run` first, or pass --warehouse)")
    if not read_only:
        settings.warehouse.mkdir(parents=True, exist_ok=True)
        settings.data_path.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"extension_directory": extension_dir(), "autoinstall_known_extensions": "false",
                                 "autoload_known_extensions": "false", **settings.duckdb_config()})
    try:
        attach_lake(con, settings, read_only)
        if not read_only:
            _record_data_path(con, settings)
            _writer_options(con)
        con.execute("USE lake")
        if scratch is not None:
            con.execute(f"ATTACH {_sql_str(scratch)} AS work (READ_ONLY)")
    except duckdb.Error as e:
        con.close()
        msg = str(e)
        if isinstance(e, duckdb.OutOfMemoryException):
            raise out_of_memory(settings, f"cannot open the warehouse {settings.catalog_label}", e) from e
        if "lock" in msg.lower():
            raise WarehouseBusy(f"the warehouse {settings.warehouse} is locked by another process "
                                f"(a run is writing to it); retry when it has finished") from e
        if settings.catalog_is_postgres:
            raise WarehouseError(f"cannot open the warehouse catalog {settings.catalog_label}: {msg}") from e
        raise WarehouseError(f"cannot open the warehouse {settings.warehouse}: {msg}") from e
    return con


# ---------------------------------------------------------------- writer lock
@contextlib.contextmanager
def writer_lock(settings: Settings, owner: str, timeout: float | None = None, log=print):
    """Serialise writers: an flock on warehouse/.vnclaims.lock. A second run waits up to ``timeout``
    seconds (printing who holds the lock), then fails with a clear message. The OS releases the lock
    if the holder dies, so a killed run never leaves the warehouse locked."""
    settings.warehouse.mkdir(parents=True, exist_ok=True)
    path = settings.warehouse / ".vnclaims.lock"
    timeout = settings.lock_timeout if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    announced = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                holder = _read_holder(path)
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(f"another vnclaims run is writing to {settings.warehouse} ({holder}); "
                                        f"gave up after waiting {timeout:.0f} s") from None
                if not announced:
                    log(f"waiting for the warehouse lock held by {holder} (up to {timeout:.0f} s)")
                    announced = True
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "owner": owner, "since": time.strftime("%Y-%m-%dT%H:%M:%S")}).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_holder(path: Path) -> str:
    try:
        d = json.loads(path.read_text() or "{}")
        return f"pid {d.get('pid')}, {d.get('owner')}, since {d.get('since')}"
    except (OSError, ValueError):
        return "another process"


# ---------------------------------------------------------------- SQL models
@dataclass(frozen=True)
class Model:
    name: str          # table name = file stem
    layer: str         # folder, e.g. 40_marts
    purpose: str
    key: str | None
    kind: str          # 'ddl' (CREATE TABLE, loaded by Python) | 'model' (SELECT, materialised) | 'check'
    sql: str
    path: Path
    # "-- scope: <column> [(<kind>)]": each output row depends only on the inputs of the document
    # (kind doc_id) or input file (kind source_path) named in <column>, so the mart can be rebuilt for
    # the documents or files a run touched alone (see materialize's ``scope``)
    scope: tuple[str, str] | None = None
    # checks only: "-- rows: <table>": each offending row is judged on one row of <table> alone (and on
    # what cannot change under it), so the check can run on the rows a snapshot inserted or changed
    rows: str | None = None
    # "-- scope_inputs: <table>, ...": input tables with a column named after the scope's kind that a
    # scoped rebuild reads for the touched documents/files only (without it, the model reads them whole
    # and is filtered after: correct, but as slow as a full rebuild)
    scope_inputs: tuple[str, ...] = ()


SCOPE_KINDS = ("doc_id", "source_path")
_HEADER_RE = re.compile(r"^--\s*(\w+)\s*:\s*(.*)$")


def load_models(sql_dir: Path) -> list[Model]:
    """Every .sql file under sql/, ordered by layer prefix then name."""
    out = []
    for path in sorted(sql_dir.glob("*/*.sql"), key=lambda p: (p.parent.name, p.name)):
        text = path.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            m = _HEADER_RE.match(line.strip())
            if m:
                meta[m.group(1).lower()] = m.group(2).strip()
            elif line.strip() and not line.strip().startswith("--"):
                break
        body = "\n".join(l for l in text.splitlines() if not l.strip().startswith("--")).strip().rstrip(";")
        if "purpose" not in meta:
            raise WarehouseError(f"{path}: missing the one-line '-- purpose:' header")
        kind = "ddl" if re.match(r"(?is)^create\s", body) else ("check" if path.parent.name.startswith("9") else "model")
        scope = None
        if meta.get("scope"):
            m = re.fullmatch(r"(\w+)(?:\s*\((\w+)\))?", meta["scope"])
            if not m or (m.group(2) or m.group(1)) not in SCOPE_KINDS:
                raise WarehouseError(f"{path}: '-- scope: {meta['scope']}' must be '<column>' or '<column> (<kind>)' "
                                     f"with a kind in {', '.join(SCOPE_KINDS)}")
            scope = (m.group(1), m.group(2) or m.group(1))
        inputs = tuple(t.strip() for t in meta.get("scope_inputs", "").split(",") if t.strip())
        if inputs and (scope is None or not all(re.fullmatch(r"\w+", t) for t in inputs)):
            raise WarehouseError(f"{path}: '-- scope_inputs:' needs a '-- scope:' header and names tables, comma-separated")
        rows = meta.get("rows")
        if rows is not None and (kind != "check" or not re.fullmatch(r"\w+", rows)):
            raise WarehouseError(f"{path}: '-- rows: {rows}' belongs on a check and names one table")
        out.append(Model(path.stem, path.parent.name, meta["purpose"], meta.get("key"), kind, body, path, scope, rows,
                         inputs))
    return out


def ensure_schema(con: duckdb.DuckDBPyConnection, models: list[Model]) -> None:
    existing = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'lake'").fetchall()}
    missing = [m for m in models if m.kind == "ddl" and m.name not in existing]
    if not missing:
        return
    con.execute("BEGIN")
    for m in missing:
        con.execute(m.sql)
    con.execute("CALL lake.set_commit_message('vnclaims', 'create tables', extra_info => ?)",
                [json.dumps({"kind": "schema", "tables": [m.name for m in missing]})])
    con.execute("COMMIT")


def drop_temp(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    for n in names:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{n}")


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_catalog='lake' AND table_name=? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def materialize(con: duckdb.DuckDBPyConnection, model: Model, keep_temp: bool = False,
                scope: str | None = None) -> tuple[int, int]:
    """Make table ``model.name`` equal to the model's SELECT, touching only rows that differ
    (delete stale rows by key, insert new ones), so a snapshot holds only real changes. A row is
    compared by its key (``-- key:``, unique in the model) and a 64-bit hash of the whole row.
    Must run inside the caller's transaction. Returns (inserted, deleted).

    With ``keep_temp`` the result stays as a temp table of the same name for the rest of the session,
    shadowing the lake table: later models read it from memory instead of re-scanning uncommitted
    DuckLake data (much faster inside a large transaction). Drop it with :func:`drop_temp`.

    With ``scope`` (a condition on the model's output columns, e.g. ``doc_id IN (SELECT ...)``) only the
    rows inside it are computed and compared; rows outside it stay as they are. That is the incremental
    rebuild of a model whose rows each depend on one document's inputs (its ``-- scope:`` header): the
    caller puts every document the run touched in the condition. The table must exist already."""
    body = model.sql if scope is None else f"SELECT * FROM ({model.sql}) WHERE {scope}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE __model AS {body}")   # evaluate the model once
    try:
        cols_new = [d[0] for d in con.execute("SELECT * FROM __model LIMIT 0").description]
        cols_old = table_columns(con, model.name)
        t = f"lake.main.{model.name}"
        if scope is not None and cols_old != cols_new:
            raise WarehouseError(f"model {model.name}: a scoped rebuild needs the table as it is ({cols_old} vs {cols_new})")
        if cols_old and cols_old != cols_new:
            con.execute(f"DROP TABLE {t}")
            cols_old = []
        if not cols_old:
            con.execute(f"CREATE TABLE {t} AS SELECT * FROM __model LIMIT 0")
        col_list = ", ".join(f'"{c}"' for c in cols_new)
        key = model.key or cols_new[0]
        # rows are compared as (key, hash of the whole row): the sets compared hold a key and 8 bytes per
        # row, not the rows (a million documents' bodies in a hash table ran out of memory at 1 GB)
        kh = f'"{key}" AS k, hash({col_list}) AS h'
        con.execute(f"CREATE OR REPLACE TEMP TABLE __new_kh AS SELECT rowid AS r, {kh} FROM __model")
        con.execute(f"CREATE OR REPLACE TEMP TABLE __old_kh AS SELECT {kh} FROM {t}"
                    + ("" if scope is None else f" WHERE {scope}"))
        deleted = con.execute(
            f'DELETE FROM {t} WHERE "{key}" IN (SELECT k FROM (SELECT k, h FROM __old_kh EXCEPT SELECT k, h FROM __new_kh))'
            + ("" if scope is None else f" AND {scope}")).fetchone()[0]
        inserted = con.execute(
            f"INSERT INTO {t} ({col_list}) SELECT {col_list} FROM __model WHERE rowid IN "
            f"(SELECT r FROM __new_kh n ANTI JOIN __old_kh o ON o.k = n.k AND o.h = n.h)").fetchone()[0]
        if keep_temp:
            con.execute(f"DROP TABLE IF EXISTS temp.main.{model.name}")
            con.execute(f"ALTER TABLE temp.main.__model RENAME TO {model.name}")
    finally:
        for tmp in ("__model", "__new_kh", "__old_kh"):
            con.execute(f"DROP TABLE IF EXISTS temp.main.{tmp}")
    return int(inserted or 0), int(deleted or 0)


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


def data_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog='lake' ORDER BY table_name").fetchall()
        if r[0] not in BOOKKEEPING_TABLES]


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


def maintain(con: duckdb.DuckDBPyConnection, retention_days: float, dry_run: bool = False) -> dict:
    """Expire snapshots older than the retention (never the newest data snapshot), merge small
    Parquet files, delete files no retained snapshot references."""
    keep = latest_data_snapshot(con)
    before = len(snapshots(con))
    res: dict = {"snapshots_before": before}
    older = f"now() - INTERVAL '{float(retention_days)} days'"
    if keep is not None:
        # never expire the newest data version, even if it is older than the retention
        keep_time = con.execute("SELECT snapshot_time FROM lake.snapshots() WHERE snapshot_id = ?", [keep]).fetchone()[0]
        older = f"least({older}, TIMESTAMPTZ '{keep_time}')"
    expired = con.execute(f"CALL ducklake_expire_snapshots('lake', dry_run => {str(dry_run).lower()}, older_than => {older})").fetchall()
    res["expired_snapshots"] = len(expired)
    if not dry_run:
        merged = con.execute("CALL ducklake_merge_adjacent_files('lake')").fetchall()
        res["merged_files"] = len(merged)
    cleaned = con.execute(f"CALL ducklake_cleanup_old_files('lake', dry_run => {str(dry_run).lower()}, cleanup_all => true)").fetchall()
    res["deleted_old_files"] = len(cleaned)
    orphans = con.execute(f"CALL ducklake_delete_orphaned_files('lake', dry_run => {str(dry_run).lower()}, cleanup_all => true)").fetchall()
    res["deleted_orphaned_files"] = len(orphans)
    res["snapshots_after"] = len(snapshots(con))
    return res


def model_keys(sql_dir: Path) -> dict[str, str]:
    return {m.name: m.key for m in load_models(sql_dir) if m.key}
