"""Issue 19 item 1: `vnclaims sql` is read-only in deed. Every route the probe found (re-attaching the
catalog for writing, COPY over a live data file, ATTACH of a new file, EXPORT DATABASE, INSTALL/LOAD,
several statements in one call) and the write-capable table functions reachable from a SELECT are
refused with a message, and the warehouse is byte-for-byte as before; ordinary reads still work."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from . import _cli
from ._support import make_seeds


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("sql-ro")
    seeds = make_seeds(base)
    r = _cli.run(seeds, base / "wh")
    assert r.returncode == 0, _cli.text(r)
    return base / "wh"


@pytest.fixture
def wh(built, tmp_path) -> Path:
    """A private copy of the built warehouse (a route that works must not spoil the next case)."""
    dst = tmp_path / "wh"
    shutil.copytree(built, dst)
    return dst


def _files(wh: Path) -> dict[str, str]:
    """Every file of the warehouse (catalog, data, raw copies...) -> sha256; scratch and caches aside."""
    out = {}
    for p in sorted(wh.rglob("*")):
        rel = p.relative_to(wh).as_posix()
        if p.is_file() and not rel.startswith((".work/", ".cache/")) and rel != ".vnclaims.lock":
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _a_data_file(wh: Path, table: str = "claims") -> Path:
    files = sorted((wh / "data" / "main" / table).glob("*.parquet"))
    assert files, f"no data file of {table}"
    return files[0]


ROUTES = {
    "detach-reattach-delete-history": lambda wh, tmp: (
        f"USE memory; DETACH lake; ATTACH '{wh / 'vnclaims.ducklake'}' AS rw; "
        "DELETE FROM rw.ducklake_snapshot WHERE snapshot_id >= 2"),
    "reattach-ducklake-writable": lambda wh, tmp: (
        f"USE memory; DETACH lake; ATTACH 'ducklake:{wh / 'vnclaims.ducklake'}' AS rw; DELETE FROM rw.claims"),
    "copy-over-live-data-file": lambda wh, tmp: (
        f"COPY (SELECT 1 AS x) TO '{_a_data_file(wh)}' (FORMAT parquet)"),
    "copy-table-to-new-file": lambda wh, tmp: f"COPY claims TO '{tmp / 'out.csv'}'",
    "attach-new-file": lambda wh, tmp: f"ATTACH '{tmp / 'new.duckdb'}' AS n",
    "export-database": lambda wh, tmp: f"EXPORT DATABASE '{tmp / 'export'}'",
    "install": lambda wh, tmp: "INSTALL httpfs",
    "load": lambda wh, tmp: "LOAD httpfs",
    "two-statements": lambda wh, tmp: "SELECT 1; SELECT 2",
    "set-external-access": lambda wh, tmp: "SET enable_external_access = true",
    "call-merge-files": lambda wh, tmp: "CALL ducklake_merge_adjacent_files('lake')",
    "select-delete-orphaned-files": lambda wh, tmp: (
        "SELECT * FROM ducklake_delete_orphaned_files('lake', cleanup_all => true)"),
    "select-cleanup-old-files": lambda wh, tmp: (
        "SELECT * FROM ducklake_cleanup_old_files('lake', cleanup_all => true)"),
    "select-rewrite-data-files": lambda wh, tmp: "SELECT * FROM ducklake_rewrite_data_files('lake')",
    "select-via-query-function": lambda wh, tmp: (
        "SELECT * FROM query('SELECT * FROM ducklake_delete_orphaned_files(''lake'', cleanup_all => true)')"),
    "insert": lambda wh, tmp: "INSERT INTO claims SELECT * FROM claims",
    "delete": lambda wh, tmp: "DELETE FROM documents",
    "drop": lambda wh, tmp: "DROP TABLE claims",
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_sql_refuses_every_write_route_and_changes_nothing(route, wh, tmp_path):
    out = tmp_path / "elsewhere"
    out.mkdir()
    # a file in the data folder that no snapshot references (as a run's not yet committed file would be)
    stray = wh / "data" / "main" / "claims" / "not-yet-committed.parquet"
    shutil.copyfile(_a_data_file(wh), stray)
    before = _files(wh)
    query = ROUTES[route](wh, out)
    r = _cli.vnclaims("sql", query, "--warehouse", wh, timeout=120)
    assert r.returncode != 0, f"{route}: `vnclaims sql {query!r}` was accepted:\n{_cli.text(r)}"
    assert "Traceback" not in r.stderr, r.stderr
    assert "read-only" in r.stderr.lower() or "read only" in r.stderr.lower(), \
        f"{route}: the refusal does not say that `vnclaims sql` is read-only: {r.stderr!r}"
    assert _files(wh) == before, f"{route}: the warehouse changed"
    assert not any(out.iterdir()), f"{route}: files were written outside the warehouse: {list(out.iterdir())}"
    # the warehouse still reads as before
    assert _cli.sql(wh, "SELECT count(*) AS n FROM documents") == [{"n": 5}]
    assert [h["snapshot"] for h in _cli.history(wh)]


READS = [
    "SELECT count(*) AS n FROM claims",
    "select count(*) as n from claims;",
    "/* a comment */\nWITH x AS (SELECT count(*) AS n FROM documents) SELECT * FROM x",
    "FROM documents SELECT count(*) AS n",
    "DESCRIBE claims",
    "SHOW TABLES",
    "SELECT * FROM lake.snapshots()",
    "SELECT count(*) AS n FROM ducklake_list_files('lake', 'claims')",
]


@pytest.mark.parametrize("query", READS)
def test_sql_still_answers_read_queries(query, built):
    r = _cli.vnclaims("sql", query, "--warehouse", built, "--format", "json", timeout=120)
    assert r.returncode == 0, (query, r.stderr)
    assert r.stdout.strip().startswith("["), r.stdout


def test_sql_as_of_still_reads_an_older_snapshot(built):
    snaps = [h["snapshot"] for h in _cli.history(built)]
    rows = _cli.sql(built, "SELECT count(*) AS n FROM documents")
    r = _cli.vnclaims("sql", "SELECT count(*) AS n FROM documents", "--warehouse", built, "--as-of", snaps[0],
                      "--format", "json", timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == '[{"n": 5}]' and rows == [{"n": 5}]
