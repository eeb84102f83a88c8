"""The scale-out path on existing engines: the DuckLake catalog in PostgreSQL (a real server started for
these tests; several writer processes at once, which a DuckDB-file catalog refuses), and the extract
stage on Prefect's Dask task runner (a real local cluster of worker processes)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.e2e.test_flow_seeds import VNCLAIMS
from tests.pg import Postgres

pytestmark = pytest.mark.e2e

TABLES = ("documents", "claims", "conflicts", "claim_support", "dedup_decisions", "source_files")


@pytest.fixture(scope="module")
def postgres():
    pg = Postgres().start()
    yield pg
    pg.stop()


def _contents(settings, snapshot: int | None = None) -> dict:
    from vnclaims.lake.connect import connect
    con = connect(settings, read_only=True)
    try:
        at = f" AT (VERSION => {int(snapshot)})" if snapshot is not None else ""
        # run ids differ between two warehouses; everything else must not
        cols = {"dedup_decisions": "* EXCLUDE (run_id)"}
        return {t: sorted(map(repr, con.execute(f"SELECT {cols.get(t, '*')} FROM {t}{at}").fetchall())) for t in TABLES}
    finally:
        con.close()


def test_pipeline_on_a_postgres_catalog(postgres, seeds_copy, tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    catalog = postgres.createdb("lake_e2e")
    s = make_settings(seeds_copy, tmp_path / "pg-wh", catalog=catalog, report=False, gx_docs=False)
    first = run_pipeline(s, log=lambda m: None)
    assert first.snapshot_id is not None
    val = first.counts["validate"]
    assert val["checks"] > 20 and val["failed"] == 0, val          # SQL audits + Great Expectations on PostgreSQL
    assert not s.catalog_path.exists() and any((s.warehouse / "data").rglob("*.parquet"))

    # the same rows as with the DuckDB-file catalog
    f = make_settings(seeds_copy, tmp_path / "file-wh", gx=False, report=False)
    run_pipeline(f, log=lambda m: None)
    assert _contents(s) == _contents(f)

    # nothing new: no new data version; one edited file: one new snapshot, the old one still readable
    assert run_pipeline(s, log=lambda m: None).snapshot_id is None
    seed = seeds_copy / "000_b5e19962cae27463.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("khoảng 80.000 người", "khoảng 85.000 người"),
                    encoding="utf-8")
    second = run_pipeline(s, log=lambda m: None).snapshot_id
    assert second is not None and second > first.snapshot_id
    q = ("SELECT value_low FROM claims WHERE metric = 'diaspora_population' AND source_path LIKE '000%'")
    env = {"VNCLAIMS_CATALOG": catalog, "PYTHONWARNINGS": "ignore", "PATH": "/usr/bin:/bin"}
    out = {}
    for snap in (first.snapshot_id, second):
        r = subprocess.run([VNCLAIMS, "sql", q, "--warehouse", str(s.warehouse), "--as-of", str(snap), "--format", "csv"],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
        out[snap] = r.stdout.splitlines()[1:]
    assert out == {first.snapshot_id: ["80000.0"], second: ["85000.0"]}


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from vnclaims.settings import Settings
    from vnclaims.errors import WarehouseError
    from vnclaims.lake.connect import connect
    s = Settings.load(warehouse=Path(sys.argv[1]), catalog=sys.argv[2])
    me, go = int(sys.argv[3]), Path(sys.argv[4])
    while not go.exists():
        time.sleep(0.01)
    try:
        con = connect(s)
    except WarehouseError as e:
        print("refused:", e); sys.exit(3)
    for k in range(10):                      # ten commits each, interleaved with the other writers
        for attempt in range(20):            # optimistic concurrency: a conflicting commit is retried
            try:
                con.execute("BEGIN")
                con.execute("INSERT INTO lake.writes VALUES (?, ?)", [me, k])
                con.execute("COMMIT")
                break
            except Exception:
                con.execute("ROLLBACK")
                time.sleep(0.05)
    time.sleep(1.0)
    con.close()
    print("ok")
""")


def _concurrent_writers(tmp_path: Path, warehouse: Path, catalog: str, n: int) -> list[subprocess.CompletedProcess]:
    from vnclaims.settings import Settings
    from vnclaims.lake.connect import connect
    con = connect(Settings.load(warehouse=warehouse, catalog=catalog))
    con.execute("CREATE TABLE lake.writes (writer INTEGER, k INTEGER)")
    con.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    go = tmp_path / f"go-{len(catalog)}"
    procs = [subprocess.Popen([sys.executable, str(script), str(warehouse), catalog, str(i), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(n)]
    time.sleep(2.0)                          # all started and waiting
    go.touch()
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in procs]


def test_postgres_catalog_takes_concurrent_writers_the_file_catalog_refuses(postgres, tmp_path):
    from vnclaims.settings import Settings
    from vnclaims.lake.connect import connect
    catalog = postgres.createdb("lake_writers")
    wh = tmp_path / "pg"
    done = _concurrent_writers(tmp_path, wh, catalog, 3)
    assert [r.returncode for r in done] == [0, 0, 0], [r.stdout + r.stderr for r in done]
    con = connect(Settings.load(warehouse=wh, catalog=catalog), read_only=True)
    try:
        assert con.execute("SELECT writer, count(*) FROM lake.writes GROUP BY 1 ORDER BY 1").fetchall() == \
            [(0, 10), (1, 10), (2, 10)]
        assert con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0] >= 31
    finally:
        con.close()

    # the DuckDB-file catalog: one writer process at a time; the other waits for it (issue 19 item 2), then writes
    done = _concurrent_writers(tmp_path, tmp_path / "file", "", 2)
    assert sorted(r.returncode for r in done) == [0, 0], [r.stdout + r.stderr for r in done]


def test_extract_on_dask_workers_gives_the_same_claims(seeds_copy, tmp_path, make_settings, prefect_harness, monkeypatch):
    from flows.pipeline import daily, task_runner
    from vnclaims.pipeline import run_pipeline
    monkeypatch.setenv("VNCLAIMS_TASK_RUNNER", "dask")
    monkeypatch.setenv("VNCLAIMS_BATCH_SIZE", "2")          # 5 documents -> 3 parts
    monkeypatch.setenv("VNCLAIMS_WORKERS", "2")
    monkeypatch.setenv("VNCLAIMS_GX", "0")
    monkeypatch.setenv("VNCLAIMS_REPORT", "0")
    s = make_settings(seeds_copy, tmp_path / "dask-wh")
    result = daily.with_options(task_runner=task_runner(s))(seeds=str(seeds_copy), warehouse=str(s.warehouse))
    assert result["status"] == "completed", result
    ex = result["counts"]["extract"]
    assert ex["parts"] == 3 and ex["in"] == 5, ex
    assert len(ex["workers"]) == 2, ex                     # two Dask worker processes did the parts
    assert not [p for p in (s.warehouse / ".work").iterdir() if p.name != "spill"], "scratch or parts left behind"
    for k in ("VNCLAIMS_TASK_RUNNER", "VNCLAIMS_BATCH_SIZE"):
        monkeypatch.delenv(k)
    local = make_settings(seeds_copy, tmp_path / "local-wh")
    run_pipeline(local, log=lambda m: None)
    assert _contents(s) == _contents(local)
