"""Settings refuse what they cannot parse: the error names the variable and what it accepts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vnclaims.settings import Settings, SettingsError


@pytest.fixture(autouse=True)
def no_vnclaims_env(monkeypatch):
    import os
    for k in list(os.environ):
        if k.startswith("VNCLAIMS_"):
            monkeypatch.delenv(k)


@pytest.mark.parametrize("word, value", [("1", True), ("true", True), ("Yes", True), (" ON ", True),
                                         ("0", False), ("false", False), ("NO", False), ("off", False)])
def test_boolean_words(monkeypatch, word, value):
    monkeypatch.setenv("VNCLAIMS_GX", word)
    assert Settings.load().gx is value


@pytest.mark.parametrize("word", ["flase", "ture", "2", "y", "enabled"])
def test_unknown_boolean_word_is_refused(monkeypatch, word):
    monkeypatch.setenv("VNCLAIMS_REPORT", word)
    with pytest.raises(SettingsError) as e:
        Settings.load()
    msg = str(e.value)
    assert f"VNCLAIMS_REPORT={word!r}" in msg
    assert "1, true, yes, on" in msg and "0, false, no, off" in msg


def test_empty_variable_means_default(monkeypatch):
    monkeypatch.setenv("VNCLAIMS_GX", "")
    monkeypatch.setenv("VNCLAIMS_WORKERS", "")
    s = Settings.load()
    assert s.gx is True and s.workers == 0


def test_integers_and_numbers(monkeypatch):
    monkeypatch.setenv("VNCLAIMS_WORKERS", " 3 ")
    monkeypatch.setenv("VNCLAIMS_NEAR_DUP_THRESHOLD", "0.7")
    s = Settings.load()
    assert s.workers == 3 and s.near_dup_threshold == 0.7


@pytest.mark.parametrize("name, raw, what", [("WORKERS", "four", "not an integer"),
                                             ("BATCH_SIZE", "2.5", "not an integer"),
                                             ("NEAR_DUP_THRESHOLD", "0,8", "not a number"),
                                             ("LOCK_TIMEOUT", "nan", "not a number"),
                                             ("MAX_FILE_MB", "inf", "not a number")])
def test_non_numbers_are_refused(monkeypatch, name, raw, what):
    monkeypatch.setenv(f"VNCLAIMS_{name}", raw)
    with pytest.raises(SettingsError, match=f"VNCLAIMS_{name}={raw!r} is {what}"):
        Settings.load()


def test_task_runner_choices(monkeypatch):
    monkeypatch.setenv("VNCLAIMS_TASK_RUNNER", "dask")
    assert Settings.load().task_runner == "dask"
    monkeypatch.setenv("VNCLAIMS_TASK_RUNNER", "Dask ")
    with pytest.raises(SettingsError, match="VNCLAIMS_TASK_RUNNER='Dask ': expected 'local' or 'dask'"):
        Settings.load()
    monkeypatch.delenv("VNCLAIMS_TASK_RUNNER")
    with pytest.raises(SettingsError, match="setting task_runner='ray': expected 'local' or 'dask'"):
        Settings.load(task_runner="ray")


def test_memory_max_is_checked_when_loaded_not_when_memory_runs_out(monkeypatch):
    for ok in ("auto", "off", "OFF", "2GB", "512MiB"):
        monkeypatch.setenv("VNCLAIMS_DUCKDB_MEMORY_MAX", ok)
        Settings.load()
    monkeypatch.setenv("VNCLAIMS_DUCKDB_MEMORY_MAX", "lots")
    with pytest.raises(SettingsError, match="VNCLAIMS_DUCKDB_MEMORY_MAX='lots': expected a size"):
        Settings.load()


def test_catalog_error_does_not_echo_a_password(monkeypatch):
    monkeypatch.setenv("VNCLAIMS_CATALOG", "postgresql://u:secret@host/db")
    with pytest.raises(SettingsError) as e:
        Settings.load()
    assert "VNCLAIMS_CATALOG=postgresql:..." in str(e.value) and "secret" not in str(e.value)


def test_settings_error_is_a_value_error():
    assert issubclass(SettingsError, ValueError)   # callers that catch ValueError keep working


def test_cli_prints_the_error_and_exits_2(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "VNCLAIMS_GX": "flase",
           "PYTHONPATH": ":".join(sys.path)}
    r = subprocess.run([sys.executable, "-m", "vnclaims.cli", "history", "--warehouse", str(tmp_path / "wh")],
                       capture_output=True, text=True, env=env, timeout=120, cwd=Path(__file__).parent)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.strip().splitlines() == [
        "error: VNCLAIMS_GX='flase' is not a yes/no value: expected one of 1, true, yes, on (true) "
        "or 0, false, no, off (false)"]


def test_scratch_connections_take_a_quarter_of_the_memory_limit(tmp_path):
    """The stages' scratch connections (ingest, clean, dedup, extract) get a quarter of VNCLAIMS_DUCKDB_MEMORY: DuckDB
    keeps the blocks they write cached up to its limit; the lake's connections keep the whole limit."""
    import duckdb

    from vnclaims.run.context import RunContext

    s = Settings(warehouse=tmp_path / "wh", duckdb_memory="1GB")
    assert s.duckdb_config()["memory_limit"] == "1GB"
    # the lake's connections flush DuckDB's allocator sooner (load's marts' peak); the scratch ones keep the default
    from vnclaims.lake.connect import connect
    con = connect(s)
    try:
        got = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name LIKE 'allocator_%flush%'").fetchall())
    finally:
        con.close()
    assert got == {"allocator_flush_threshold": "32.0 MiB", "allocator_bulk_deallocation_flush_threshold": "32.0 MiB"}
    assert "allocator_flush_threshold" not in s.duckdb_config(scratch=True)
    assert s.duckdb_config(scratch=True)["memory_limit"] == "244140KiB"
    assert Settings(duckdb_memory="512MiB").duckdb_config(scratch=True)["memory_limit"] == "131072KiB"
    assert Settings(duckdb_memory="80%").duckdb_config(scratch=True)["memory_limit"] == "80%"   # not a size: as given
    with RunContext(s, "r1").work() as w:
        got = w.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    want = duckdb.connect(config={"memory_limit": "244140KiB"}).execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert got == want and got != duckdb.connect(config={"memory_limit": "1GB"}).execute(
        "SELECT current_setting('memory_limit')").fetchone()[0]
