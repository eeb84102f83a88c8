"""Maintenance of the lake: expire old snapshots, merge small files, delete unreferenced files."""
from __future__ import annotations

import duckdb

from .history import latest_data_snapshot, snapshots


def maintain(con: duckdb.DuckDBPyConnection, retention_days: float, dry_run: bool = False) -> dict:
    """Expire snapshots older than the retention (never the newest data snapshot), merge small
    Parquet files, delete files no retained snapshot references."""
    keep = latest_data_snapshot(con)
    before = len(snapshots(con))
    res: dict = {"snapshots_before": before}
    older = f"now() - INTERVAL '{float(retention_days)} days'"
    if keep is not None:
        # never expire the newest data version, even if it is older than the retention
        keep_time = con.execute("SELECT snapshot_time FROM lake.snapshots() WHERE snapshot_id = ?", [keep]).fetchone()[0]
        older = f"least({older}, TIMESTAMPTZ '{keep_time}')"
    expired = con.execute(f"CALL ducklake_expire_snapshots('lake', dry_run => {str(dry_run).lower()}, older_than => {older})").fetchall()
    res["expired_snapshots"] = len(expired)
    if not dry_run:
        merged = con.execute("CALL ducklake_merge_adjacent_files('lake')").fetchall()
        res["merged_files"] = len(merged)
    cleaned = con.execute(f"CALL ducklake_cleanup_old_files('lake', dry_run => {str(dry_run).lower()}, cleanup_all => true)").fetchall()
    res["deleted_old_files"] = len(cleaned)
    orphans = con.execute(f"CALL ducklake_delete_orphaned_files('lake', dry_run => {str(dry_run).lower()}, cleanup_all => true)").fetchall()
    res["deleted_orphaned_files"] = len(orphans)
    res["snapshots_after"] = len(snapshots(con))
    return res
