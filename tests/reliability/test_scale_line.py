"""Issue 19 item 9: one 5 MB file of one line gave 49,348 claims and validate took 167 s: the checks that
compare a claim's quote (and value_text) with the body at its offsets took `substr` of the whole body per
claim, which is quadratic in the line length. Validation must stay linear in the claims and independent of
the line length.

The probe, scaled down and without timing the machine: the same claims over the same text, once as 3,000
one-paragraph documents and once as ONE document of one line (330,000 characters). Each quote-at-offsets
check (the SQL audit in sql/90_checks and the Great Expectations query in expectations/claims.json) runs on
both in DuckDB; the one-line case may not take more than a few times the many-documents one (quadratic:
hundreds of times). The checks are read from the project's files, so what runs here is what validate runs."""
from __future__ import annotations

import json
import re
import time

import duckdb
import pytest

from tests.conftest import ROOT

PARA = "Kim ngạch thương mại song phương giữa hai nước năm 2014 đạt 3,75 tỷ USD, phấn đấu năm 2020 đạt 10 tỷ USD. "
COPIES = 3000


def _audit_sql() -> str:
    text = (ROOT / "sql" / "90_checks" / "claims_quote_at_offsets.sql").read_text(encoding="utf-8")
    return "\n".join(l for l in text.splitlines() if not l.strip().startswith("--"))


def _gx_sql() -> str:
    suite = json.loads((ROOT / "expectations" / "claims.json").read_text(encoding="utf-8"))
    queries = [e["kwargs"]["unexpected_rows_query"] for e in suite["expectations"]
               if "quote" in e["kwargs"].get("unexpected_rows_query", "") and "body" in e["kwargs"]["unexpected_rows_query"]]
    assert len(queries) == 1, queries
    # the batch is the claims table; the documents as of the snapshot are the documents table here
    # (formatted as Great Expectations formats it: str.format, so doubled braces become single ones)
    return re.sub(r"\s+AT \(VERSION => \{\{snapshot_id\}\}\)", "", queries[0]).format(batch="claims")


def _lake(one_line: bool) -> duckdb.DuckDBPyConnection:
    """documents(doc_id, body) and claims(...) with one claim per paragraph (its quote the paragraph's first
    sentence, its value the first figure), the paragraphs in one document or one document each."""
    con = duckdb.connect()
    con.execute("CREATE TABLE documents (doc_id VARCHAR, source_path VARCHAR, body VARCHAR)")
    con.execute("CREATE TABLE claims (claim_id VARCHAR, doc_id VARCHAR, source_path VARCHAR, char_start INTEGER, "
                "char_end INTEGER, value_start INTEGER, value_end INTEGER, quote VARCHAR, value_text VARCHAR)")
    quote_end, v0 = PARA.index(","), PARA.index("3,75")
    docs, claims = [], []
    for k in range(COPIES):
        doc, off = ("d0", k * len(PARA)) if one_line else (f"d{k}", 0)
        claims.append((f"c{k}", doc, f"{doc}.txt", off, off + quote_end, off + v0, off + v0 + 4, PARA[:quote_end], "3,75"))
        if not one_line:
            docs.append((doc, f"{doc}.txt", PARA))
    if one_line:
        docs.append(("d0", "d0.txt", PARA * COPIES))
    con.executemany("INSERT INTO documents VALUES (?, ?, ?)", docs)
    con.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)
    return con


def _seconds(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, list]:
    t0 = time.perf_counter()
    rows = con.execute(sql).fetchall()
    return time.perf_counter() - t0, rows


@pytest.mark.parametrize("check", ["sql-audit", "gx-query"])
def test_quote_at_offsets_checks_do_not_depend_on_line_length(check):
    sql = _audit_sql() if check == "sql-audit" else _gx_sql()
    many, one = _lake(one_line=False), _lake(one_line=True)
    _seconds(many, sql)                                   # warm up
    t_many, bad_many = _seconds(many, sql)
    t_one, bad_one = _seconds(one, sql)
    assert bad_many == [] and bad_one == [], "the claims quote their bodies exactly: no offending rows"
    assert t_one <= 8 * t_many + 0.4, \
        f"{check}: {COPIES} claims in one line took {t_one:.2f} s, in {COPIES} documents {t_many:.3f} s"


@pytest.mark.parametrize("check", ["sql-audit", "gx-query"])
def test_quote_at_offsets_checks_still_find_a_wrong_quote(check):
    sql = _audit_sql() if check == "sql-audit" else _gx_sql()
    for one_line in (False, True):
        con = _lake(one_line)
        con.execute("UPDATE claims SET quote = 'Kim ngạch thương mại song phương giữa hai nước năm 2015 đạt 3' "
                    "WHERE claim_id = 'c1234'")
        con.execute("UPDATE claims SET char_start = char_start + 1, char_end = char_end + 1 WHERE claim_id = 'c7'")
        _, rows = _seconds(con, sql)
        assert sorted(r[0] for r in rows) == ["c1234", "c7"], (one_line, rows)
    if check == "sql-audit":
        con = _lake(True)
        con.execute("UPDATE claims SET value_text = '3,76' WHERE claim_id = 'c2999'")
        _, rows = _seconds(con, sql)
        assert [r[0] for r in rows] == ["c2999"], rows
