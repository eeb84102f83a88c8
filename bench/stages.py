"""Run pipeline stages one at a time, without Prefect, printing each stage's seconds, counts and the
process's peak RSS. For corpora where a whole `vnclaims run` is too long to repeat: the scratch database
(`WAREHOUSE/.work/RUN_ID.duckdb`) is kept between invocations, so a later invocation with the same
--run-id can go on from a stage (e.g. `--stages load,validate,report` after a failed load). It takes
no writer lock and runs only the chosen stages of the registry (each with ``pipeline.run_stage``,
as a run does), not the whole lifecycle: do not run it beside a `vnclaims run` on the same warehouse.

    .venv/bin/python bench/stages.py --seeds bench/out/work-1000000/corpus --warehouse /tmp/w1m \\
        --run-id r1m --stages ingest,clean,dedup,extract,load,validate,report
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, required=True)
    ap.add_argument("--warehouse", type=Path, required=True)
    ap.add_argument("--run-id", default="stages", help="scratch database name (default: stages)")
    ap.add_argument("--stages", default="ingest,clean,dedup,extract,load,validate,report")
    ap.add_argument("--cleanup", action="store_true", help="delete the scratch database at the end")
    ap.add_argument("--detail", action="store_true",
                    help="also print each stage's nested counts (e.g. the load's model_seconds)")
    a = ap.parse_args(argv)
    from vnclaims.run.context import RunContext
    from vnclaims.pipeline import run_stage
    from vnclaims.run.lifecycle import cleanup_scratch
    from vnclaims.run.pool import shutdown_pools
    from vnclaims.settings import Settings
    from vnclaims.stages import STAGES
    stages = [x.strip() for x in a.stages.split(",") if x.strip()]
    bad = [x for x in stages if x not in STAGES]
    if bad:
        ap.error(f"unknown stage(s) {bad}; the stages are {', '.join(STAGES)}")
    s = Settings.load(seeds=a.seeds, warehouse=a.warehouse)
    ctx = RunContext(s, a.run_id, log=lambda m: print("  ", m, flush=True))
    total = 0.0
    try:
        for st in stages:
            t = time.perf_counter()
            c = run_stage(ctx, st)
            dt = time.perf_counter() - t
            total += dt
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
            flat = {k: v for k, v in c.items() if not isinstance(v, (dict, list))}
            print(f"{st:9s} {dt:8.1f} s  peak RSS {rss} MB (workers {workers} MB)  {flat}", flush=True)
            if a.detail:
                for k, v in c.items():
                    if isinstance(v, (dict, list)):
                        print(f"{'':9s} {k}: {v}", flush=True)
    finally:
        shutdown_pools()
        if a.cleanup:
            cleanup_scratch(ctx)
    print(f"{'total':9s} {total:8.1f} s  DuckDB memory limit {ctx.settings.duckdb_memory}, {s.workers or 'all'} workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
