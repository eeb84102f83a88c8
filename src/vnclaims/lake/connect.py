"""Opening the warehouse: DuckDB extensions, ATTACH of the DuckLake catalog, and the errors that can
happen there (busy, out of memory, damaged catalog), each told apart by DuckDB's exception type."""
from __future__ import annotations

import importlib.util
import re
import sys
import time
from pathlib import Path
from typing import Callable

import duckdb

from ..errors import WarehouseBusy, WarehouseCorrupt, WarehouseError, WarehouseOutOfMemory
from ..settings import Settings


def extension_dir() -> str:
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise WarehouseError("the duckdb-ext-ducklake wheel is not installed (pip install -e . in the project venv)")
    return str(Path(list(spec.submodule_search_locations)[0]) / "extensions")


def extension_config(verify: bool = False) -> dict:
    """DuckDB options for this project's extensions: loaded only from the venv's duckdb-ext wheel (nothing
    installed or auto-loaded from elsewhere). DuckDB checks the RSA signature of the whole extension file on
    every LOAD in a new connection: 0.3 s for the 50 MB ducklake one, and a run opens the lake 6 (no change)
    to 14 (one new file) times. The file comes from the same pip-installed wheel as duckdb itself, so the
    check adds no trust to the project's own SQL and is skipped; ``verify`` keeps it (user-written SQL)."""
    return {"extension_directory": extension_dir(), "autoinstall_known_extensions": "false",
            "autoload_known_extensions": "false", "allow_unsigned_extensions": "false" if verify else "true"}


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


def out_of_memory(settings: Settings, where: str, e: BaseException, retried: str | None = None) -> WarehouseOutOfMemory:
    """DuckDB spills beyond its memory limit; what it cannot spill ends here, with what to do."""
    if isinstance(e, WarehouseOutOfMemory):
        e = e.__cause__ or e
    again = f", and again with {retried} (VNCLAIMS_DUCKDB_MEMORY_MAX)" if retried else ""
    return WarehouseOutOfMemory(
        f"{where}: DuckDB needed more than its memory limit VNCLAIMS_DUCKDB_MEMORY={settings.duckdb_memory}{again} "
        f"and could not spill the rest ({str(e).splitlines()[0]}). Nothing was committed; run again with a "
        "higher limit, e.g. VNCLAIMS_DUCKDB_MEMORY=2GB")


# DuckDB 1.4 raises duckdb.IOException for all of these; its message says which one it is
_LOCK_CONFLICT = "Could not set lock on file"          # another process has the catalog file open
_DAMAGED = ("Corrupt database file",                    # a block's checksum does not match
            "is not a valid DuckDB database file",      # the file header is not DuckDB's
            "Could not read enough bytes from file")    # the file is shorter than its own header says


def _damage(msg: str) -> str | None:
    """DuckDB's sentence about a damaged database file, without the ATTACH preamble; None if not one."""
    at = [msg.find(m) for m in _DAMAGED if m in msg]
    if not at:
        return None
    start = min(at)
    if msg[:start].endswith('The file "'):   # "The file "<path>" exists, but it is not a valid ..."
        start -= len('The file "')
    return msg[start:].splitlines()[0]


def _lock_conflict(settings: Settings, e: duckdb.Error) -> bool:
    return isinstance(e, duckdb.IOException) and _LOCK_CONFLICT in str(e) and not settings.catalog_is_postgres


def _holder(e: duckdb.Error) -> str:
    """The process DuckDB names as holding the catalog file ("PID 1894, python3.11")."""
    m = re.search(r"Conflicting lock is held in (.*?) \(PID (\d+)\)", str(e))
    return f"PID {m.group(2)}, {Path(m.group(1)).name}" if m else "pid unknown"


def open_error(settings: Settings, e: duckdb.Error) -> WarehouseError:
    """The warehouse error for a DuckDB error raised while opening the catalog."""
    msg = str(e)
    if isinstance(e, duckdb.OutOfMemoryException):
        return out_of_memory(settings, f"cannot open the warehouse {settings.catalog_label}", e)
    if _lock_conflict(settings, e):
        from .lock import writer_holder
        run = writer_holder(settings)
        if run:
            return WarehouseBusy(f"the warehouse {settings.warehouse} is locked by another process "
                                 f"(a run is writing to it: {run}); retry when it has finished")
        return WarehouseBusy(f"the warehouse catalog {settings.catalog_path} is open for writing in another process "
                             f"({_holder(e)}; no vnclaims run is writing); retry when that process has closed it")
    damage = _damage(msg) if isinstance(e, duckdb.IOException) and not settings.catalog_is_postgres else None
    if damage:
        return WarehouseCorrupt(f"the warehouse catalog {settings.catalog_path} is damaged: DuckDB cannot read it "
                                f"as a database ({damage}). Restore this file from a backup or copy of the warehouse")
    if settings.catalog_is_postgres:
        return WarehouseError(f"cannot open the warehouse catalog {settings.catalog_label}: {msg}")
    return WarehouseError(f"cannot open the warehouse {settings.warehouse}: {msg}")


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


def connect(settings: Settings, read_only: bool = False, scratch: Path | None = None,
            log: Callable[[str], None] | None = None,
            verify_extensions: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as ``lake`` and selected (USE lake).

    A writer whose catalog file another process holds open (a reader: a slow `vnclaims sql`, a notebook)
    waits for it, up to the lock timeout, saying once (``log``, else stderr) what it waits for.
    ``verify_extensions``: check the extensions' signatures (for user-written SQL, see :func:`extension_config`)."""
    if read_only and not settings.catalog_is_postgres and not settings.catalog_path.exists():
        raise WarehouseError(f"no warehouse at {settings.warehouse} (run `vnclaims run` first, or pass --warehouse)")
    if not read_only:
        settings.warehouse.mkdir(parents=True, exist_ok=True)
        settings.data_path.mkdir(parents=True, exist_ok=True)
    deadline = None
    while True:
        try:
            return _open(settings, read_only, scratch, verify_extensions)
        except duckdb.Error as e:
            if read_only or not _lock_conflict(settings, e):
                raise open_error(settings, e) from e
            timeout = settings.lock_timeout
            what = (f"another process ({_holder(e)}) to close the warehouse catalog {settings.catalog_path}: a reader "
                    "such as `vnclaims sql` or a notebook has it open")
            if deadline is None:
                deadline = time.monotonic() + timeout
                (log or (lambda m: print(m, file=sys.stderr, flush=True)))(f"waiting for {what} (up to {timeout:.0f} s)")
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"gave up after waiting {timeout:.0f} s (VNCLAIMS_LOCK_TIMEOUT) for {what}; "
                                    "close it and run again") from e
            time.sleep(0.5)


def _open(settings: Settings, read_only: bool, scratch: Path | None,
          verify_extensions: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={**extension_config(verify_extensions), **settings.duckdb_config()})
    try:
        attach_lake(con, settings, read_only)
        if not read_only:
            _record_data_path(con, settings)
            _writer_options(con)
        con.execute("USE lake")
        if scratch is not None:
            con.execute(f"ATTACH {_sql_str(scratch)} AS work (READ_ONLY)")
    except BaseException:
        con.close()
        raise
    return con
