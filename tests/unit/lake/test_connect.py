"""Opening the lake: the project's own connections load the DuckLake extension without DuckDB's per-LOAD
signature check of the 50 MB file (0.3 s each, 6-14 times a run); connections for user-written SQL keep it."""
from __future__ import annotations

import duckdb
import pytest

from vnclaims.lake.connect import connect, extension_config
from vnclaims.run.context import RunContext
from vnclaims.run.scratch import lake_attached
from vnclaims.settings import Settings


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Settings:
    s = Settings(warehouse=tmp_path_factory.mktemp("lake") / "wh")
    con = connect(s)
    con.execute("CREATE TABLE t AS SELECT range AS x FROM range(10)")
    con.close()
    return s


def _unsigned(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0]


def test_pipeline_connections_skip_the_signature_check_and_read_the_lake(lake):
    for read_only in (True, False):
        con = connect(lake, read_only=read_only)
        try:
            assert _unsigned(con) is True
            assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 10
        finally:
            con.close()


def test_user_sql_connections_keep_the_signature_check(lake):
    con = connect(lake, read_only=True, verify_extensions=True)
    try:
        assert _unsigned(con) is False
        assert con.execute("SELECT sum(x) FROM t").fetchone()[0] == 45
    finally:
        con.close()
    assert extension_config(verify=True)["allow_unsigned_extensions"] == "false"
    assert extension_config()["autoinstall_known_extensions"] == "false"


def test_the_scratch_connection_attaches_the_lake_without_the_check(lake):
    ctx = RunContext(lake, "r-test")
    with ctx.work() as w:
        assert _unsigned(w) is True
        with lake_attached(w, lake) as tables:
            assert "t" in tables
            assert w.execute("SELECT count(*) FROM lake.t").fetchone()[0] == 10
