"""The pipeline's public entry points (a façade; the code lives in ``run/`` and ``stages/``).

Each stage (``stages/<name>.py``) reads its inputs from and writes its outputs to a per-run scratch
DuckDB file (``warehouse/.work/<run_id>.duckdb``, see ``run/scratch.py``), so memory stays bounded at
any corpus size, and returns a counts dict. ``load`` copies everything into the DuckLake warehouse in ONE
transaction: one snapshot per run that changes anything, none otherwise. ``run/lifecycle.py`` holds the
one run lifecycle that :func:`run_pipeline`, ``flows/pipeline.py`` and ``bench/stages.py`` share.
"""
from __future__ import annotations

from typing import Callable

from .run.context import RunContext, new_run_id
from .run.lifecycle import (
    cleanup_scratch, describe_error, interrupted_runs, record_failure, record_run, run_stages, timed,
)
from .settings import Settings
from .run.pool import shutdown_pools
from .run.summary import summary_lines
from .stages import STAGES

__all__ = ["STAGES", "RunContext", "cleanup_scratch", "describe_error", "interrupted_runs", "new_run_id",
           "record_failure", "record_run", "run_pipeline", "run_stage", "run_stages", "shutdown_pools",
           "summary_lines", "timed"]


def run_pipeline(settings: Settings, run_id: str | None = None, log: Callable[[str], None] = print) -> RunContext:
    """All stages without Prefect (the same lifecycle and stage functions as the flow's)."""
    ctx = RunContext(settings, run_id or new_run_id(), log=log)
    run_stages(ctx, STAGES)
    return ctx


def run_stage(ctx: RunContext, name: str) -> dict:
    """One stage of the registry, timed (see :func:`vnclaims.run.lifecycle.timed`)."""
    return timed(ctx, name, STAGES[name])
