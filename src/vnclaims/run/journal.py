"""Runs that could not record themselves: a run killed (kill -9, the out-of-memory killer, a power cut) or
one whose failure could not be written (a full disk) leaves no row in ``runs``. So each run keeps a small
journal file, ``.work/<run_id>.journal`` (its start, the snapshot it committed, its error), from its start
until its row is written; the next run records every journal it finds (and every scratch folder of a run
that died before journals existed) and says truthfully what the dead run had committed.
"""
from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..settings import Settings
from .context import RunContext


def journal_path(settings: Settings, run_id: str) -> Path:
    return settings.warehouse / ".work" / f"{run_id}.journal"


def write_journal(ctx: RunContext, error: str | None = None) -> None:
    """Best effort (a full disk may refuse even this): what the next run needs to record this one."""
    path = journal_path(ctx.settings, ctx.run_id)
    data = {"run_id": ctx.run_id, "flow_run_id": ctx.flow_run_id, "pid": os.getpid(),
            "started_at": ctx.started_at.isoformat(), "snapshot_id": ctx.snapshot_id, "error": error}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".journal.tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(path)


def drop_journal(settings: Settings, run_id: str) -> None:
    with contextlib.suppress(OSError):
        journal_path(settings, run_id).unlink()


def dead_runs(settings: Settings, scratch_ids: list[str], own: str) -> dict[str, dict]:
    """Run id -> its journal ({} when only scratch work of it is left), for every run but ``own``."""
    work = settings.warehouse / ".work"
    out: dict[str, dict] = {r: {} for r in scratch_ids if r != own}
    for p in sorted(work.glob("*.journal")) if work.is_dir() else []:
        run_id = p.name[: -len(".journal")]
        if run_id == own:
            continue
        try:
            out[run_id] = json.loads(p.read_text()) or {}
        except (OSError, ValueError):
            out[run_id] = {}
    return out


def committed_by(data_snapshots: list[dict], run_id: str) -> int | None:
    """The data snapshot ``run_id`` committed, if it did."""
    ids = [d["snapshot_id"] for d in data_snapshots if d["info"].get("run_id") == run_id]
    return ids[-1] if ids else None


def record_dead(ctx: RunContext, run_id: str, journal: dict, committed: int | None, recorded: set[str],
                record_run: Callable[..., bool], warn: Callable[[str], None]) -> None:
    """Say what a dead run left and write its ``runs`` row (unless it has one), then drop its journal."""
    what = (f"after committing snapshot {committed} (not validated then: this run validates it)"
            if committed is not None else "before committing a data version")
    error = journal.get("error")
    warn(f"run {run_id} stopped {what} without recording itself "
         f"({'it failed: ' + error.splitlines()[0] if error else 'killed mid-run?'}); recording it and cleaning up")
    if run_id not in recorded:
        try:
            started = datetime.fromisoformat(journal["started_at"])
        except (KeyError, TypeError, ValueError):
            started = datetime.now(timezone.utc)
        dead = RunContext(ctx.settings, run_id, flow_run_id=journal.get("flow_run_id"), started_at=started,
                          log=ctx.log)
        dead.snapshot_id = committed
        if not record_run(dead, "failed" if error else "interrupted",
                          error or f"the run stopped without recording itself (killed: kill -9, out of memory, "
                                   f"the machine stopped); recorded by run {ctx.run_id}"):
            return                                   # the warehouse refused: keep the journal for later
    drop_journal(ctx.settings, run_id)
