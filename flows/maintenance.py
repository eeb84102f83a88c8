"""Weekly maintenance flow: expire snapshots past retention, merge small files, delete orphans."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from vnclaims.settings import Settings
from vnclaims.lake.connect import connect
from vnclaims.lake.maintain import maintain
from vnclaims.lake.lock import writer_lock


@task(name="maintain", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def maintain_task(settings: Settings, dry_run: bool) -> dict:
    con = connect(settings)
    try:
        return maintain(con, settings.retention_days, dry_run=dry_run)
    finally:
        con.close()


@flow(name="vnclaims-maintenance")
def weekly(warehouse: str = "warehouse", retention_days: float | None = None, dry_run: bool = False) -> dict:
    s = Settings.load(warehouse=warehouse, retention_days=retention_days)
    with writer_lock(s, "maintenance flow", log=get_run_logger().warning):
        res = maintain_task(s, dry_run)
    get_run_logger().info(f"maintenance: {res}")
    return res
