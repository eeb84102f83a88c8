"""The daily Prefect flow: one task per stage, each a one-line call into ``vnclaims``.

The run's lifecycle (lock, clean-up after interrupted runs, the stages in registry order, the run record)
is :func:`vnclaims.run.lifecycle.run_stages`, the same as ``run_pipeline``'s; the flow hands it a stage
runner that calls each stage's task. Tasks pass nothing big between them: stages share the run's scratch
database, so each task returns only its counts (logged, and kept in the ``runs`` table).
"""
from __future__ import annotations

from prefect import Flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed

from vnclaims.run.context import RunContext, new_run_id
from vnclaims.run.lifecycle import committed_or_not, describe_error, run_stages, timed
from vnclaims.run.summary import summary_lines
from vnclaims.settings import Settings
from vnclaims.stages import STAGES
from vnclaims.stages.extract import extract_merge, extract_part, extract_plan

# I/O-bound stages are retried (a file being copied in, a busy disk); pure transformations are not:
# retrying the same input through the same code gives the same error.
_io = dict(retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
_pure = dict(retries=0, cache_policy=NO_CACHE)


@task(name="ingest", **_io)
def ingest_task(ctx: RunContext) -> dict:
    return timed(ctx, "ingest", STAGES["ingest"])


@task(name="clean", **_pure)
def clean_task(ctx: RunContext) -> dict:
    return timed(ctx, "clean", STAGES["clean"])


@task(name="dedup", **_pure)
def dedup_task(ctx: RunContext) -> dict:
    return timed(ctx, "dedup", STAGES["dedup"])


@task(name="extract", **_pure)
def extract_task(ctx: RunContext) -> dict:
    return timed(ctx, "extract", STAGES["extract"])


@task(name="extract-plan", **_pure)
def extract_plan_task(ctx: RunContext) -> list:
    return extract_plan(ctx)


@task(name="extract-part", **_pure)
def extract_part_task(settings: Settings, run_id: str, part: int, first: str, last: str) -> dict:
    return extract_part(settings, run_id, part, first, last)


@task(name="extract-merge", **_pure)
def extract_merge_task(ctx: RunContext, parts: list) -> dict:
    return extract_merge(ctx, parts)


def extract_distributed(ctx: RunContext) -> dict:
    """The extract stage as one task per part, submitted to the flow's task runner (Dask), merged after."""
    def run(c: RunContext) -> dict:
        plan = extract_plan_task(c)
        futures = [extract_part_task.submit(c.settings, c.run_id, k, a, b) for k, (a, b) in enumerate(plan)]
        return extract_merge_task(c, [f.result() for f in futures])
    return timed(ctx, "extract", run)


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
def load_task(ctx: RunContext) -> dict:
    return timed(ctx, "load", STAGES["load"])


@task(name="validate", **_pure)
def validate_task(ctx: RunContext) -> dict:
    return timed(ctx, "validate", STAGES["validate"])


@task(name="report", **_io)
def report_task(ctx: RunContext) -> dict:
    return timed(ctx, "report", STAGES["report"])


# the task of each stage of the registry (run_stages runs them in the registry's order)
TASKS = {t.name: t for t in (ingest_task, clean_task, dedup_task, extract_task, load_task, validate_task,
                             report_task)}
assert list(TASKS) == list(STAGES), "flows/pipeline.py needs one task per stage of vnclaims.stages.STAGES"


class _PlainParamsFlow(Flow):
    """A Prefect flow whose parameters, all plain JSON values (str, bool, None), are sent to the API as they
    are: Prefect's own serialize_parameters imports FastAPI for its JSON encoder (~0.2 s of CPU on every run,
    before the first task), which returns such values unchanged. Any other value goes through Prefect's."""

    def serialize_parameters(self, parameters: dict) -> dict:
        if all(v is None or type(v) in (str, bool, int, float) for v in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)


def _flow(**options):
    return lambda fn: _PlainParamsFlow(fn, **options)


@_flow(name="vnclaims-daily", log_prints=True)
def daily(seeds: str = "seeds", warehouse: str = "warehouse", gx: bool | None = None, full_rescan: bool | None = None,
          reextract: bool | None = None, reclean: bool | None = None) -> dict:
    """Ingest, clean, dedup, extract, load (one DuckLake snapshot), validate and report. The optional
    switches override the VNCLAIMS_* settings (None: as the environment says)."""
    logger = get_run_logger()
    settings = Settings.load(seeds=seeds, warehouse=warehouse, gx=gx, full_rescan=full_rescan, reextract=reextract,
                             reclean=reclean)
    ctx = RunContext(settings, new_run_id(), flow_run_id=str(flow_run.get_id() or ""), log=logger.info)

    def run_task(c: RunContext, name: str) -> dict:
        if name == "extract" and settings.task_runner == "dask":
            counts = extract_distributed(c)
        else:
            counts = TASKS[name](c)
        logger.info(f"{name}: {_brief(counts)}")
        return counts
    try:
        status = run_stages(ctx, STAGES, run_task, owner=f"run {ctx.run_id} (flow run {ctx.flow_run_id})", warn=logger.warning)
    except Exception as e:
        # A failed run is a state with a one-line reason, not a traceback on the console;
        # the full traceback of an unexpected error is kept in runs.error.
        msg = f"{committed_or_not(ctx)}: {describe_error(e)}"
        logger.error(f"run {ctx.run_id} failed; {msg}")
        return Failed(message=msg)
    lines = summary_lines(ctx)
    create_markdown_artifact(key="vnclaims-summary", description="vnclaims run summary",
                             markdown="## vnclaims run " + ctx.run_id + "\n\n" + "\n".join(f"- {l}" for l in lines))
    return {"run_id": ctx.run_id, "snapshot_id": ctx.snapshot_id, "current_snapshot": ctx.current_snapshot,
            "status": status, "summary": lines, "rejected": ctx.rejected, "counts": ctx.counts}


def _brief(counts: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items() if not isinstance(v, (dict, list)))[:400]
