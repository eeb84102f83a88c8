"""The worker processes end with the last stage that uses them: load, validate and report run without
their memory."""
from __future__ import annotations

from vnclaims.run import pool
from vnclaims.run.context import RunContext
from vnclaims.run.lifecycle import LAST_POOL_STAGE, timed
from vnclaims.settings import Settings
from vnclaims.stages import STAGES


def test_worker_pool_is_stopped_after_the_last_stage_that_uses_it(tmp_path):
    ctx = RunContext(Settings(seeds=tmp_path, warehouse=tmp_path / "w"), "r1", log=lambda m: None)
    ex = pool.pool(1)
    try:
        timed(ctx, "clean", lambda c: {})
        assert pool._POOLS.get(1) is ex             # still wanted by extract
        timed(ctx, LAST_POOL_STAGE, lambda c: {})
        assert not pool._POOLS
    finally:
        pool.shutdown_pools()


def test_no_stage_after_the_last_pool_stage_uses_the_pool():
    import inspect
    names = list(STAGES)
    later = names[names.index(LAST_POOL_STAGE) + 1:]
    assert later and all(w not in inspect.getsource(inspect.getmodule(STAGES[n]))
                     for n in later for w in ("map_batches", "pool_map", "run.pool"))
