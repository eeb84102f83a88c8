"""The scratch database's contract (vnclaims.run.scratch.TABLES) against the code and the lake's DDL."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from vnclaims.run import scratch
from vnclaims.settings import PROJECT_ROOT

STAGES_DIR = Path(scratch.__file__).resolve().parents[1] / "stages"
# the scratch table load copies into each lake table (same columns, same types, same order)
LAKE_TWIN = {"in_raw": "raw_documents", "in_quarantine": "quarantine", "c_docs": "stg_documents",
             "c_sentences": "stg_sentences", "c_log": "cleaning_log", "d_minhash": "stg_minhash",
             "d_near_pairs": "stg_near_pairs", "e_claims": "stg_claims", "e_mentions": "stg_entity_mentions",
             "e_extracted": "stg_extractions"}


def _ddl_columns(table: str) -> list[tuple[str, str]]:
    sql = next(p for p in (PROJECT_ROOT / "sql").glob(f"*/{table}.sql")).read_text(encoding="utf-8")
    con = duckdb.connect()
    con.execute(sql)
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall()]


@pytest.mark.parametrize("table", sorted(LAKE_TWIN))
def test_scratch_columns_are_the_lake_tables(table):
    assert scratch.SCRATCH[table] == _ddl_columns(LAKE_TWIN[table])


def test_every_scratch_table_the_stages_name_is_in_the_contract():
    named = set()
    for p in STAGES_DIR.glob("*.py"):
        named |= set(re.findall(r"\b((?:in|c|d|e|x)_[a-z]+(?:_[a-z]+)*|_stale)\b", p.read_text(encoding="utf-8")))
    assert sorted(named - set(scratch.TABLES)) == []
    for name, t in scratch.TABLES.items():
        assert t.writer in {"ingest", "clean", "dedup", "extract", "load"}, name
        assert bool(t.columns) != bool(t.made_as), name      # typed, or described where SQL makes it


def test_put_creates_the_typed_table_and_reset_empties_it():
    con = duckdb.connect()
    assert scratch.put(con, "c_minhash", [{"doc_id": "a", "signature": b"\x00\x01"}]) == 1
    assert con.execute("SELECT doc_id, signature FROM c_minhash").fetchall() == [("a", b"\x00\x01")]
    scratch.reset(con, "c_minhash")
    assert con.execute("SELECT count(*) FROM c_minhash").fetchone()[0] == 0


def test_a_stage_appending_to_the_scratch_checkpoints_after_a_longer_wal(make_settings, tmp_path):
    """Ingest, clean and extract append to the scratch a batch at a time; at DuckDB's default threshold (16 MiB)
    every checkpoint compressed the previous one's partly filled row groups again (clean's main process at
    30,000 files: 5.7 s CPU, 4.6 s at 128 MiB; ingest's appends at 600,000 files: 33 s, 16 s at 512 MiB). The
    other stages keep the default."""
    from vnclaims.run.context import RunContext
    ctx = RunContext(make_settings(tmp_path), "r-test")
    with ctx.work(appends=True) as w:
        assert w.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0] == "512.0 MiB"
    with ctx.work() as w:
        assert w.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0] == "16.0 MiB"


def test_put_columns_appends_the_rows_put_would():
    """Clean and extract send their rows back column by column; the table holds what a dict per row gave,
    NULLs, floats and integers included (a column with None in every row of one part too)."""
    rows = [{"claim_id": f"c{i}", "doc_id": "d", "metric": "trade", "value_low": None if i % 2 else 1.5,
             "period_start": None if i == 1 else 2014, "char_start": i, "quote": "Câu có dấu.", "date": None}
            for i in range(5)]
    parts = [{c: [r.get(c) for r in rows[a:b]] for c in scratch.columns("e_claims")} for a, b in ((0, 1), (1, 2), (2, 5))]
    a, b = duckdb.connect(), duckdb.connect()
    assert scratch.put(a, "e_claims", rows) == scratch.put_columns(b, "e_claims", parts) == 5
    assert scratch.put_columns(b, "e_claims", [{c: [] for c in scratch.columns("e_claims")}]) == 0
    q = "SELECT * FROM e_claims ORDER BY claim_id"
    assert a.execute(q).fetchall() == b.execute(q).fetchall()
    assert a.execute("DESCRIBE e_claims").fetchall() == b.execute("DESCRIBE e_claims").fetchall()
