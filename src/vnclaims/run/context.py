"""What a run carries from stage to stage: its settings, id, counts, timings and the snapshot it made.

The stage registry (names in order -> stage functions) is :data:`vnclaims.stages.STAGES`: every stage
module imports this one, so the registry cannot live here without an import cycle.
"""
from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from ..lake.connect import extension_config
from ..settings import Settings

# the WAL size at which DuckDB checkpoints the scratch of a stage that appends to it a batch at a time (ingest,
# clean, extract; its default is 16 MiB): every checkpoint compresses again the row groups the previous one left
# partly filled and costs more as the database grows, so the main process's CPU grew faster than the corpus
# (clean: 1.9 s at 10,000 files, 5.7 s at 30,000; ingest's appends of a million files' rows took 75 s, 50 of them
# in its smallest table's inserts, which paid for the checkpoints). Ingest's appends at 600,000 files: 33 s at
# 16 MiB, 20 s at 128 MiB, 16 s at 512 MiB (16 s with no checkpoint before the close), the same peak memory.
# The scratch is the run's own, rebuilt by a retried stage: a longer WAL costs no safety.
SCRATCH_CHECKPOINT_THRESHOLD = "512MiB"


@dataclass
class RunContext:
    settings: Settings
    run_id: str
    flow_run_id: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    snapshot_id: int | None = None          # the data snapshot this run committed (None: nothing changed)
    current_snapshot: int | None = None     # the newest data snapshot after this run
    rejected: list = field(default_factory=list)
    step: str | None = None          # what a stage is doing now, for its error message
    log: Callable[[str], None] = print
    near_pairs_current: bool = False        # dedup found nothing to redo: the lake's near-duplicate pairs stand
    memory_retries: list = field(default_factory=list)   # stages run again with a higher DuckDB limit
    figures: tuple | None = None      # the warehouse's figures for the summary, read by the run's record
    # the input files' fingerprint the load committed its data version with: the run's record reuses it (at a
    # million files each computation reads and hashes every present file's path and sha256: ~0.8 s)
    input_fingerprint: str | None = None

    @property
    def scratch(self) -> Path:
        """The run's scratch database (see :mod:`vnclaims.run.scratch` for its tables)."""
        return self.settings.warehouse / ".work" / f"{self.run_id}.duckdb"

    @contextlib.contextmanager
    def work(self, appends: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The scratch database; ``appends``: for a stage appending to it a batch at a time (fewer checkpoints,
        see :data:`SCRATCH_CHECKPOINT_THRESHOLD`)."""
        self.scratch.parent.mkdir(parents=True, exist_ok=True)
        # the extension options too: stages attach the lake to it (run.scratch.lake_attached)
        config = {**extension_config(), **self.settings.duckdb_config(scratch=True)}
        if appends:
            config["checkpoint_threshold"] = SCRATCH_CHECKPOINT_THRESHOLD
        con = duckdb.connect(str(self.scratch), config=config)
        try:
            yield con
        finally:
            con.close()


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("r%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
