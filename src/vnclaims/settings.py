"""One settings object: paths and thresholds, from CLI flags over ``VNCLAIMS_*`` environment over defaults."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]   # src/vnclaims/settings.py -> project root


def _default(sub: str) -> Path:
    return PROJECT_ROOT / sub


@dataclass(frozen=True)
class Settings:
    seeds: Path = Path("seeds")
    warehouse: Path = Path("warehouse")
    # DuckLake catalog: "" = a DuckDB file in the warehouse folder (one writer process at a time);
    # "postgres:<libpq connection string>" = a PostgreSQL database (several writer processes/hosts;
    # the Parquet data files stay in WAREHOUSE/data, which all writers must share)
    catalog: str = ""
    sql_dir: Path = field(default_factory=lambda: _default("sql"))
    expectations_dir: Path = field(default_factory=lambda: _default("expectations"))
    metrics_file: Path = field(default_factory=lambda: Path(__file__).parent / "data" / "metrics.toml")
    near_dup_threshold: float = 0.8      # estimated Jaccard of word 5-gram shingles
    minhash_perm: int = 128
    lsh_bands: int = 32
    max_file_mb: float = 50.0            # larger inputs are streamed into quarantine, not parsed
    workers: int = 0                     # 0 = all cores
    batch_size: int = 2000               # documents per batch in clean/extract
    lock_timeout: float = 900.0          # seconds a second writer waits for the warehouse lock
    retention_days: float = 30.0         # maintenance: snapshots older than this are expired
    full_rescan: bool = False            # re-hash every file even when size+mtime are unchanged
    # extract every current document again, even those extracted by this extractor version already
    # (documents extracted by another version -- other rules or metric registry -- are extracted again anyway)
    reextract: bool = False
    # clean every current file again, even those cleaned by this cleaner version already (files cleaned by
    # another version -- other decoding or cleaning rules -- are cleaned again anyway)
    reclean: bool = False
    # marts with a "-- scope:" header are rebuilt only for the documents/files a run touched, while
    # these are at most this share of all documents; 0 = always rebuild every mart in full
    incremental_share: float = 0.2
    # a data version whose checked tables (those with a GX suite) hold fewer rows than this is validated in
    # full even when it could be incrementally: splitting each suite into its parts costs GX ~0.1 s a suite
    # run, more than reading a few thousand rows (seeds +1 file: 12 suite runs against 4); 0 = never
    validate_full_below_rows: int = 100_000
    gx: bool = True                      # run Great Expectations suites
    gx_docs: bool = True                 # build GX Data Docs
    report: bool = True
    io_retries: int = 3
    duckdb_memory: str = "1GB"           # DuckDB's memory limit per connection; beyond it, it spills to .work/
    # a stage that still runs out of memory is run once more with this limit (the rest of the run keeps
    # it): "auto" = twice duckdb_memory, at most a quarter of this machine's memory; "off" = never
    duckdb_memory_max: str = "auto"
    # where the extract stage runs: "local" (this process, all cores) or "dask" (Prefect's Dask task
    # runner: a local cluster of `workers` processes, or the scheduler at dask_address)
    task_runner: str = "local"
    dask_address: str = ""

    @property
    def catalog_path(self) -> Path:
        """The DuckDB-file catalog (unused with a PostgreSQL catalog)."""
        return self.warehouse / "vnclaims.ducklake"

    @property
    def catalog_is_postgres(self) -> bool:
        return self.catalog.startswith("postgres:")

    @property
    def catalog_spec(self) -> str:
        """What follows ``ducklake:`` in ATTACH: the catalog file, or ``postgres:<connection string>``."""
        return self.catalog if self.catalog_is_postgres else str(self.catalog_path)

    @property
    def catalog_label(self) -> str:
        """The catalog for messages, without a password."""
        import re
        return re.sub(r"(password=)\S+|(://[^:/@]*:)[^@]*@", lambda m: (m.group(1) or m.group(2)) + "***" +
                      ("" if m.group(1) else "@"), self.catalog) if self.catalog_is_postgres else str(self.catalog_path)

    @property
    def data_path(self) -> Path:
        return self.warehouse / "data"

    @property
    def reports_dir(self) -> Path:
        return self.warehouse / "reports"

    def duckdb_config(self, scratch: bool = False) -> dict:
        """Memory-bounded DuckDB: a limit, and a spill folder inside the warehouse. ``scratch``: for a stage's
        connection to the run's scratch database (ingest, clean, dedup, extract), a quarter of the limit: those
        stages write far more than they query, and DuckDB keeps the blocks it wrote and read cached up to its
        limit, beside the stage's own Python memory (at a million files the main process reached 1.8-1.96 GB in
        them at the whole 1 GB, 1.35-1.5 GB at half; at 300,000 files a quarter took clean's max RSS from 1.20-1.32
        GB to 0.98-1.00 GB and dedup's from 0.96-1.17 to 0.67-0.81 GB, seconds within the runs' noise)."""
        limit = self.duckdb_memory
        n = memory_bytes(limit) if scratch else None
        if n:
            limit = f"{n // 4 // 2**10}KiB"
        cfg = {"memory_limit": limit, "temp_directory": str(self.warehouse / ".work" / "spill"),
               # no query here relies on insertion order (all order by a key); keeping it costs memory
               "preserve_insertion_order": False}
        if not scratch:
            # the lake's queries (load's marts above all) free big hash tables; DuckDB's allocator keeps what a task
            # freed until it passes 128 MiB (512 MiB freed at once): at 32 MiB claim_support's max RSS at a million
            # files went 1.22-1.29 -> 1.05-1.12 GB over its base, in the same seconds (estimates: no difference)
            cfg.update(allocator_flush_threshold="32MiB", allocator_bulk_deallocation_flush_threshold="32MiB")
        return cfg

    def memory_retry_limit(self) -> str | None:
        """The DuckDB limit a stage that ran out of memory is run again with, or None (no retry)."""
        cur = memory_bytes(self.duckdb_memory)
        if cur is None or self.duckdb_memory_max.strip().lower() in _MEMORY_OFF:
            return None
        if self.duckdb_memory_max.strip().lower() == "auto":
            try:
                ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
            except (ValueError, OSError, AttributeError):
                ram = 0
            limit = min(2 * cur, ram // 4) if ram else 2 * cur
        else:
            limit = memory_bytes(self.duckdb_memory_max)
            if limit is None:
                raise SettingsError(f"VNCLAIMS_DUCKDB_MEMORY_MAX={self.duckdb_memory_max!r}: expected a size such as "
                                    "2GB or 512MiB, 'auto' or 'off'")
        return f"{limit // 10**6}MB" if limit > cur else None

    @property
    def n_workers(self) -> int:
        return self.workers or os.cpu_count() or 1

    @classmethod
    def load(cls, **overrides) -> "Settings":
        """Defaults < VNCLAIMS_<FIELD> environment < explicit overrides (None means 'not given').

        Raises SettingsError, naming the variable and what it accepts, for a value it cannot parse."""
        values: dict = {}
        for f in fields(cls):
            env = os.environ.get(_env_name(f.name))
            if env is not None and env != "":
                values[f.name] = _coerce(f.type, env, f.name)
        for k, v in overrides.items():
            if v is not None:
                values[k] = v
        s = cls(**values)
        if s.task_runner not in ("local", "dask"):
            raise SettingsError(f"{_source('task_runner', overrides)}={s.task_runner!r}: expected 'local' or 'dask'")
        if s.catalog and not s.catalog_is_postgres:   # the value may hold a password: show its scheme only
            raise SettingsError(f"{_source('catalog', overrides)}={s.catalog.split(':', 1)[0]}:...: expected '' "
                                "(a DuckDB file in the warehouse folder) or 'postgres:<connection string>', "
                                "e.g. 'postgres:dbname=lake host=127.0.0.1'")
        mx = s.duckdb_memory_max.strip().lower()
        if mx != "auto" and mx not in _MEMORY_OFF and memory_bytes(mx) is None:
            raise SettingsError(f"{_source('duckdb_memory_max', overrides)}={s.duckdb_memory_max!r}: expected a size "
                                "such as 2GB or 512MiB, 'auto' or 'off'")
        return replace(s, **{f.name: Path(getattr(s, f.name)).expanduser().absolute()
                             for f in fields(cls) if f.type in ("Path", Path)})


class SettingsError(ValueError):
    """A setting (a VNCLAIMS_* variable or an explicit value) that cannot be parsed or is not one of the
    accepted values; the message names it and what it accepts."""


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_MEMORY_OFF = ("off", "0", "no", "false", "")


def _env_name(name: str) -> str:
    return f"VNCLAIMS_{name.upper()}"


def _source(name: str, overrides: dict) -> str:
    """How the user set ``name``: the environment variable, unless an explicit value overrode it."""
    return f"setting {name}" if overrides.get(name) is not None else _env_name(name)


_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30,
          "tib": 2**40}


def memory_bytes(text: str) -> int | None:
    """'1GB' -> 10**9, '512MiB' -> 2**29 (DuckDB's units); None for what is not a size."""
    import re
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*", str(text).lower())
    if not m:
        return None
    return int(float(m.group(1)) * _UNITS[m.group(2) or "b"])


def _coerce(typ, raw: str, name: str):
    """The environment text ``raw`` of field ``name`` as the field's type; SettingsError if it is not one."""
    t = typ if isinstance(typ, str) else getattr(typ, "__name__", str(typ))
    if t == "Path":
        return Path(raw)
    if t == "bool":
        word = raw.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise SettingsError(f"{_env_name(name)}={raw!r} is not a yes/no value: expected one of "
                            f"{', '.join(_TRUE)} (true) or {', '.join(_FALSE)} (false)")
    if t == "int":
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{_env_name(name)}={raw!r} is not an integer: expected e.g. "
                                f"{_env_name(name)}=4") from None
    if t == "float":
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise SettingsError(f"{_env_name(name)}={raw!r} is not a number: expected e.g. "
                                f"{_env_name(name)}=0.5") from None
        return value
    return raw
