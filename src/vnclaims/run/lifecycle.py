"""One run's lifecycle, the same for ``vnclaims run`` (the Prefect flow), :func:`run_pipeline` and the
bench: take the writer lock, clean up after runs that died, run the stages of the registry in order
(each timed, with one retry at a higher DuckDB memory limit), record the run (completed or failed) in
``runs``, and remove the run's scratch work whatever happens.
"""
from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import hashlib
import json
import resource
import shutil
import time
import traceback
from datetime import datetime, timezone
from typing import Callable, Mapping

import duckdb
import pandas as pd

from ..settings import Settings
from ..errors import WarehouseError, WarehouseOutOfMemory
from ..lake.connect import connect, out_of_memory
from ..models.materialize import ensure_schema
from ..models.spec import load_models
from ..lake.lock import writer_lock
from ..versions import code_version
from ..lake.history import data_snapshots
from .context import RunContext
from .journal import committed_by, dead_runs, drop_journal, record_dead, write_journal
from .pool import shutdown_pools
from .scratch import changed_dir, models_dir, parts_dir, rows_dir
from .summary import warehouse_figures

StageRunner = Callable[[RunContext, str], dict]
Stage = Callable[[RunContext], dict]


def run_stages(ctx: RunContext, stages: Mapping[str, Stage], run: StageRunner | None = None,
               owner: str | None = None, warn: Callable[[str], None] | None = None) -> str:
    """THE run lifecycle, over a stage registry (:data:`vnclaims.stages.STAGES`, handed in by the caller:
    the run sits below the stages). ``run(ctx, name)`` runs one stage (default: :func:`timed` over the
    registry's function; the flow passes one that calls its Prefect task); ``owner`` is what the lock file says holds the warehouse (default: the run id); ``warn`` gets
    the lock-wait and clean-up messages (default: ``ctx.log``). Returns the run's status; a failing stage
    is recorded in ``runs`` and re-raised."""
    warn = warn or ctx.log
    with writer_lock(ctx.settings, owner or ctx.run_id, log=warn):
        _record_dead_runs(ctx, warn)
        write_journal(ctx)
        run = run or (lambda c, name: timed(c, name, stages[name]))
        try:
            for name in stages:
                committed = ctx.snapshot_id
                run(ctx, name)
                if ctx.snapshot_id != committed:
                    write_journal(ctx)           # a killed run's successor must know it committed this
        except BaseException as e:
            if record_failure(ctx, e):
                drop_journal(ctx.settings, ctx.run_id)
            else:
                write_journal(ctx, describe_error(e))
            raise
        finally:
            cleanup_scratch(ctx)
        status = "completed" if ctx.snapshot_id is not None else "completed (no changes)"
        if record_run(ctx, status):
            drop_journal(ctx.settings, ctx.run_id)
    return status


def _record_dead_runs(ctx: RunContext, warn: Callable[[str], None]) -> None:
    """Runs that died or could not record themselves: a ``runs`` row each, their scratch work removed."""
    dead = dead_runs(ctx.settings, interrupted_runs(ctx.settings), ctx.run_id)
    if not dead:
        return
    snaps, recorded = [], set()
    with contextlib.suppress(WarehouseError, duckdb.Error):
        con = connect(ctx.settings, read_only=True)
        try:
            snaps = data_snapshots(con)
            recorded = {r[0] for r in con.execute("SELECT run_id FROM runs WHERE run_id IN (SELECT unnest(?))",
                                                  [list(dead)]).fetchall()}
        finally:
            con.close()
    for run_id, journal in sorted(dead.items()):
        record_dead(ctx, run_id, journal, committed_by(snaps, run_id), recorded, record_run, warn)
        cleanup_scratch(RunContext(ctx.settings, run_id))


LAST_POOL_STAGE = "extract"       # the last stage that maps over worker processes (run.pool)


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off for a block that builds many objects that form no cycles (plain
    tuples, strings, dicts: refcounting frees them), then back as it was. Each full collection walks every
    tracked object, so a block that makes a million of them ran it over a growing heap again and again
    (ingest's listing of a million files: 2.7 -> 1.4 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def release_memory() -> None:
    """Give the memory a finished stage freed back to the system: Python frees its objects into the C
    allocator, which keeps the pages (a million files' listing, manifest and scan cache in ingest stayed in
    the process through the stages after it). glibc's ``malloc_trim`` returns them; elsewhere a no-op."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def timed(ctx: RunContext, stage: str, fn: Callable[[RunContext], dict]) -> dict:
    """Run a stage; keep its counts, its seconds and the process's peak memory so far (MB, this
    process and its worker processes)."""
    t0 = time.perf_counter()
    ctx.step = None
    try:
        counts = fn(ctx)
    except (duckdb.OutOfMemoryException, WarehouseOutOfMemory) as e:
        # every stage starts its scratch work again and commits only at its end: it can be run again
        # once, with a higher limit (VNCLAIMS_DUCKDB_MEMORY_MAX), which the rest of the run keeps
        first = ctx.settings
        where = lambda: stage + (f" ({ctx.step})" if ctx.step else "")     # noqa: E731
        bigger = first.memory_retry_limit()
        if bigger is None:
            raise out_of_memory(first, where(), e) from e
        ctx.log(f"{where()}: DuckDB ran out of memory at VNCLAIMS_DUCKDB_MEMORY={first.duckdb_memory}; nothing was "
                f"committed; running the stage again with {bigger} (VNCLAIMS_DUCKDB_MEMORY_MAX)")
        ctx.settings = dataclasses.replace(first, duckdb_memory=bigger)
        ctx.memory_retries.append(f"{stage}: {first.duckdb_memory} -> {bigger}")
        ctx.step = None
        try:
            counts = fn(ctx)
        except (duckdb.OutOfMemoryException, WarehouseOutOfMemory) as e2:
            raise out_of_memory(first, where(), e2, retried=bigger) from e2
        counts = {**counts, "memory_retry": f"{first.duckdb_memory} -> {bigger}"}
    if stage == LAST_POOL_STAGE:
        # no later stage uses the worker processes: their memory (~0.3 GB at 100,000 files) is given back
        # before load, where DuckDB's buffers make the run's peak
        shutdown_pools()
    release_memory()
    ctx.seconds[stage] = round(time.perf_counter() - t0, 3)
    peak = {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}
    ctx.counts[stage] = {**ctx.counts.get(stage, {}), **counts, "peak_rss_mb": peak}
    return counts


# ---------------------------------------------------------------- run records
def input_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The present input files and their contents (path, sha256), as 16 hex digits. Read in chunks: at a
    million files the whole list as Python tuples took ~230 MB more (during load's commit, right after the
    marts), and the chunks are 2.4x faster (0.84 against 1.97 s)."""
    cur = con.execute("SELECT source_path, sha256 FROM source_files WHERE present ORDER BY source_path")
    h = hashlib.sha256()
    while rows := cur.fetchmany(50_000):
        for p, sha in rows:
            h.update(f"{p}\t{sha}\n".encode())
    return h.hexdigest()[:16]



def record_run(ctx: RunContext, status: str, error: str | None = None) -> bool:
    """Write the run's row to ``runs``; False when the warehouse cannot be opened (the run's journal then
    stays, and the next run records it)."""
    s = ctx.settings
    try:
        con = connect(s, log=ctx.log)
    except WarehouseError:
        return False
    try:
        ensure_schema(con, load_models(s.sql_dir))
        fp = ctx.input_fingerprint           # the one this run's data version was committed with, else read now
        if fp is None:
            with contextlib.suppress(duckdb.Error):
                fp = input_fingerprint(con)
        row = {"run_id": ctx.run_id, "flow_run_id": ctx.flow_run_id, "started_at": ctx.started_at.replace(tzinfo=None),
               "finished_at": datetime.now(timezone.utc).replace(tzinfo=None), "status": status,
               "snapshot_id": ctx.snapshot_id, "code_version": code_version(), "input_fingerprint": fp,
               "seeds": str(s.seeds), "counts": json.dumps(ctx.counts, ensure_ascii=False, default=str),
               "stage_seconds": json.dumps(ctx.seconds), "rejected": len(ctx.rejected), "error": error}
        con.register("_run", pd.DataFrame([row]))
        con.execute("BEGIN")
        con.execute("INSERT INTO runs SELECT * FROM _run")
        con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                    [f"run {ctx.run_id} {status}", json.dumps({"kind": "runs", "run_id": ctx.run_id, "status": status})])
        con.execute("COMMIT")
        # the summary's figures, through this connection (summary_lines would open the lake once more)
        ctx.figures = None
        with contextlib.suppress(duckdb.Error):
            ctx.figures = warehouse_figures(con)
    finally:
        con.close()
    return True


def record_failure(ctx: RunContext, error: BaseException) -> bool:
    """Record a failed run in ``runs``, never masking the run's own error: when the warehouse is what
    failed (read-only, disk full), writing the row fails too; that is logged, and the caller re-raises
    the original error."""
    if isinstance(error, WarehouseOutOfMemory):   # the limit that failed the run must not lose its record too
        ctx = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, duckdb_memory="512MB"))
    try:
        return record_run(ctx, "failed", describe_error(error, with_traceback=True))
    except Exception as e:      # noqa: BLE001 - the run's error matters more than its bookkeeping
        ctx.log(f"warning: the failed run {ctx.run_id} could not be recorded in the runs table either: "
                f"{describe_error(e)}; the next run records it")
        return False


def committed_or_not(ctx: RunContext) -> str:
    """What a failed run leaves, truthfully: a snapshot it committed before failing (validate failed
    after load) is there, and the next run validates it."""
    if ctx.snapshot_id is not None:
        return (f"snapshot {ctx.snapshot_id} was committed but not validated (the next run validates it); "
                "then the run failed")
    return "nothing was committed to the data tables"


def describe_error(e: BaseException, with_traceback: bool = False) -> str:
    """One line a user understands; known errors carry their own words, others their type."""
    msg = str(e) if isinstance(e, WarehouseError) else f"{type(e).__name__}: {e}"
    if "No space left on device" in msg:
        msg = "the disk holding the warehouse is full — " + msg
    elif isinstance(e, duckdb.Error) and ".parquet" in msg:
        msg += " (a data file of the warehouse may be damaged: `vnclaims verify` names the files that cannot be read)"
    if with_traceback and not isinstance(e, WarehouseError):
        msg += "\n" + "".join(traceback.format_exception(type(e), e, e.__traceback__))[-4000:]
    return msg


# ---------------------------------------------------------------- scratch work
def interrupted_runs(settings: Settings) -> list[str]:
    """Scratch files left by runs that died (SIGKILL, power loss): their run ids."""
    work = settings.warehouse / ".work"
    return sorted({p.name.split(".")[0] for p in (*work.glob("*.duckdb"), *work.glob("*.parts"),
                                                  *work.glob("*.changed"), *work.glob("*.models"),
                                                  *work.glob("*.rows"))}) \
        if work.is_dir() else []


def cleanup_scratch(ctx: RunContext) -> None:
    """Stop the worker processes and delete the run's scratch database, extract parts, workers' row files,
    the models' results and changed rows."""
    shutdown_pools()
    for p in (ctx.scratch, ctx.scratch.with_suffix(".duckdb.wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    shutil.rmtree(parts_dir(ctx.settings, ctx.run_id), ignore_errors=True)
    shutil.rmtree(changed_dir(ctx.settings, ctx.run_id), ignore_errors=True)
    shutil.rmtree(models_dir(ctx.settings, ctx.run_id), ignore_errors=True)
    shutil.rmtree(rows_dir(ctx.settings, ctx.run_id), ignore_errors=True)
