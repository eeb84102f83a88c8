"""The daily Prefect flow: one task per stage, each a one-line call into ``vnclaims.pipeline``.

Tasks pass nothing big between them: stages share the run's scratch database, so each task returns
only its counts (logged, and kept in the ``runs`` table).
"""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed

from vnclaims import pipeline as p
from vnclaims.settings import Settings
from vnclaims.warehouse import WarehouseError, writer_lock

# I/O-bound stages are retried (a file being copied in, a busy disk); pure transformations are not:
# retrying the same input through the same code gives the same error.
_io = dict(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
_pure = dict(retries=0, cache_policy=NO_CACHE)


@task(name="ingest", **_io)
def ingest_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "ingest", p.ingest)


@task(name="clean", **_pure)
def clean_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "clean", p.clean)


@task(name="dedup", **_pure)
def dedup_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "dedup", p.dedup)


@task(name="extract", **_pure)
def extract_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "extract", p.extract)


@task(name="extract-plan", **_pure)
def extract_plan_task(ctx: p.RunContext) -> list:
    return p.extract_plan(ctx)


@task(name="extract-part", **_pure)
def extract_part_task(settings: Settings, run_id: str, part: int, first: str, last: str) -> dict:
    return p.extract_part(settings, run_id, part, first, last)


@task(name="extract-merge", **_pure)
def extract_merge_task(ctx: p.RunContext, parts: list) -> dict:
    return p.extract_merge(ctx, parts)


def extract_distributed(ctx: p.RunContext) -> dict:
    """The extract stage as one task per part, submitted to the flow's task runner (Dask), merged after."""
    def run(c: p.RunContext) -> dict:
        plan = extract_plan_task(c)
        futures = [extract_part_task.submit(c.settings, c.run_id, k, a, b) for k, (a, b) in enumerate(plan)]
        return extract_merge_task(c, [f.result() for f in futures])
    return p.timed(ctx, "extract", run)


def task_runner(settings: Settings):
    """The task runner for ``daily``: Prefect's default, or a Dask one (local cluster or a scheduler)."""
    if settings.task_runner != "dask":
        return None
    from prefect_dask import DaskTaskRunner
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": settings.n_workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


@task(name="load", **_pure)
def load_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "load", p.load)


@task(name="validate", **_pure)
def validate_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "validate", p.validate)


@task(name="report", **_io)
def report_task(ctx: p.RunContext) -> dict:
    return p.timed(ctx, "report", p.report)


@flow(name="vnclaims-daily", log_prints=True)
def daily(seeds: str = "seeds", warehouse: str = "warehouse") -> dict:
    """Ingest, clean, dedup, extract, load (one DuckLake snapshot), validate and report."""
    logger = get_run_logger()
    settings = Settings.load(seeds=seeds, warehouse=warehouse)
    ctx = p.RunContext(settings, p.new_run_id(), flow_run_id=str(flow_run.get_id() or ""), log=logger.info)
    try:
        with writer_lock(settings, f"run {ctx.run_id} (flow run {ctx.flow_run_id})", log=logger.warning):
            for dead in p.interrupted_runs(settings):
                logger.warning(f"run {dead} left scratch work behind (killed mid-run?); it committed nothing. Cleaning up.")
                p.cleanup_scratch(p.RunContext(settings, dead))
            try:
                for t in (ingest_task, clean_task, dedup_task, extract_task, load_task, validate_task, report_task):
                    if t is extract_task and settings.task_runner == "dask":
                        counts = extract_distributed(ctx)
                    else:
                        counts = t(ctx)
                    logger.info(f"{t.name}: {_brief(counts)}")
            except BaseException as e:
                p.record_failure(ctx, e)
                raise
            finally:
                p.cleanup_scratch(ctx)
            status = "completed" if ctx.snapshot_id is not None else "completed (no changes)"
            p.record_run(ctx, status)
    except Exception as e:
        # A failed run is a state with a one-line reason, not a traceback on the console;
        # the full traceback of an unexpected error is kept in runs.error.
        msg = p.describe_error(e)
        logger.error(f"run {ctx.run_id} failed; nothing was committed to the data tables: {msg}")
        return Failed(message=msg)
    lines = p.summary_lines(ctx)
    create_markdown_artifact(key="vnclaims-summary", description="vnclaims run summary",
                             markdown="## vnclaims run " + ctx.run_id + "\n\n" + "\n".join(f"- {l}" for l in lines))
    return {"run_id": ctx.run_id, "snapshot_id": ctx.snapshot_id, "current_snapshot": ctx.current_snapshot,
            "status": status, "summary": lines, "rejected": ctx.rejected, "counts": ctx.counts}


def _brief(counts: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items() if not isinstance(v, (dict, list)))[:400]
