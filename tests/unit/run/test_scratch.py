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


def _tricky_claims(n: int = 7) -> list[dict]:
    """Rows with what JSON could get wrong: NULLs, a missing key, a key the table lacks, quotes, backslashes,
    line breaks, U+2028, Vietnamese, floats that print long, NaN (stored as NULL by put too), big integers."""
    texts = ["Câu có dấu.", 'a "quoted" \\ back\nslash', "line\u2028sep\ttab", "", "😀 emoji", "x" * 3000, "0"]
    floats = [0.1 + 0.2, 1e-300, 1.7976931348623157e308, -0.0, float("nan"), 3.75e9, None]
    return [{"claim_id": f"c{i}", "doc_id": f"d{i % 3}", "metric": "trade", "value_low": floats[i % 7],
             "value_high": 2 ** 53 + i if i % 2 else None, "period_start": None if i == 1 else 2014,
             "char_start": i, "quote": texts[i % 7], "confidence": 0.95, "not_a_column": [1, 2]}
            | ({} if i == 2 else {"date": "2012-07-27"}) for i in range(n)]


def test_rows_written_as_json_files_are_the_rows_put_stores_in_order(tmp_path):
    """The extract stage's workers write their rows as JSON files that the stage loads with DuckDB (issue 20:
    the stage's main process spent most of its CPU converting every value). The table holds exactly what
    ``put`` stores from the same dicts, in the same order, across several files."""
    rows = _tricky_claims(40)
    files = [scratch.rows_file(tmp_path, "e_claims", rows[a:b]) for a, b in ((0, 3), (3, 4), (4, 40))]
    assert all(f and Path(f).exists() for f in files)
    assert scratch.rows_file(tmp_path, "e_claims", []) is None
    a, b = duckdb.connect(), duckdb.connect()
    b.execute("SET threads = 4")
    scratch.put(a, "e_claims", rows)
    scratch.put(b, "e_claims", [])
    assert scratch.put_parts(b, "e_claims", files) == 40
    assert not any(Path(f).exists() for f in files)            # loaded, then deleted
    assert b.execute("SELECT current_setting('threads')").fetchone()[0] == 4
    q = "SELECT * FROM e_claims ORDER BY rowid"
    assert a.execute(q).fetchall() == b.execute(q).fetchall()
    assert b.execute("SELECT count(*) FROM e_claims WHERE value_low IS NULL").fetchone()[0] == 11   # NaN (6) and None (5)


def test_rows_json_cannot_give_back_are_sent_as_columns(tmp_path):
    """Infinity (JSON has none), an integer beyond 64 bits and a lone surrogate: no file, and put_parts stores
    such a part from its columns between file parts, in order."""
    base = _tricky_claims(3)
    for bad in ({"value_low": float("inf")}, {"value_high": 2 ** 70}, {"quote": "bad \udc80 surrogate"}):
        assert scratch.rows_file(tmp_path, "e_claims", [base[0], base[1] | bad]) is None
    assert list(tmp_path.iterdir()) == []
    inf = [base[1] | {"value_low": float("inf"), "claim_id": "inf"}]
    parts = [scratch.rows_file(tmp_path, "e_claims", base[:1]),
             {c: [r.get(c) for r in inf] for c in scratch.columns("e_claims")},
             scratch.rows_file(tmp_path, "e_claims", base[2:])]
    a, b = duckdb.connect(), duckdb.connect()
    scratch.put(a, "e_claims", [base[0], *inf, base[2]])
    scratch.put(b, "e_claims", [])
    assert scratch.put_parts(b, "e_claims", parts) == 3
    q = "SELECT * FROM e_claims ORDER BY rowid"
    assert a.execute(q).fetchall() == b.execute(q).fetchall()
    assert b.execute("SELECT value_low FROM e_claims WHERE claim_id = 'inf'").fetchone()[0] == float("inf")


def test_rows_that_cannot_be_written_fail_with_the_folder_and_the_reason(tmp_path):
    """A worker that cannot write its rows (a full disk, a folder gone) fails its stage with an error that names
    the table, the folder and why, and leaves no half file."""
    from vnclaims.errors import WarehouseError
    gone = tmp_path / "gone"
    with pytest.raises(WarehouseError, match=r"could not write 3 e_claims row\(s\) to .*gone.*No such file"):
        scratch.rows_file(gone, "e_claims", _tricky_claims(3))
    assert not gone.exists()
