"""The claims_quote_at_offsets audit (sql/90_checks) on made-up rows in DuckDB: a claim whose quote or value text
is not the body at its offsets is listed, whichever way the value is read (from the quote when it lies inside it,
from the body when it does not), and multi-byte letters before the offsets count as one character each."""
from __future__ import annotations

import duckdb

from tests.conftest import ROOT

BODY = "Đầu năm, Nga và Việt Nam ký thỏa thuận.\n\nNăm 2014 kim ngạch đạt 3,75 tỷ USD, tăng 12%."


def _offending(claims: list[tuple]) -> list[str]:
    sql = (ROOT / "sql" / "90_checks" / "claims_quote_at_offsets.sql").read_text(encoding="utf-8")
    con = duckdb.connect()
    con.execute("CREATE TABLE documents AS SELECT 'd' AS doc_id, 'd.txt' AS source_path, ? AS body", [BODY])
    con.execute("CREATE TABLE claims (claim_id VARCHAR, doc_id VARCHAR, source_path VARCHAR, char_start INTEGER, "
                "char_end INTEGER, value_start INTEGER, value_end INTEGER, quote VARCHAR, value_text VARCHAR)")
    con.executemany("INSERT INTO claims VALUES (?, 'd', 'd.txt', ?, ?, ?, ?, ?, ?)", claims)
    return sorted(r[0] for r in con.execute(sql).fetchall())


def _claim(cid: str, sentence: str, value: str, quote: str | None = None, value_text: str | None = None,
           value_at: int | None = None) -> tuple:
    a = BODY.index(sentence)
    v = BODY.index(value) if value_at is None else value_at
    return (cid, a, a + len(sentence), v, v + len(value), sentence if quote is None else quote,
            value if value_text is None else value_text)


def test_a_claim_is_listed_when_its_quote_or_value_text_is_not_the_body_at_its_offsets():
    s2 = "Năm 2014 kim ngạch đạt 3,75 tỷ USD, tăng 12%."
    good = [_claim("ok", s2, "3,75"), _claim("ok2", s2, "12%"), _claim("ok3", s2, "2014")]
    assert _offending(good) == []
    bad = [_claim("wrong_value", s2, "3,75", value_text="3,76"),          # inside its quote
           _claim("wrong_quote", s2, "3,75", quote=s2.replace("2014", "2015")),
           _claim("value_off_by_one", s2, "3,75", value_at=BODY.index("3,75") + 1, value_text="3,75")]
    assert _offending(good + bad) == ["value_off_by_one", "wrong_quote", "wrong_value"]


def test_a_value_outside_its_quote_is_read_from_the_body():
    s1 = "Đầu năm, Nga và Việt Nam ký thỏa thuận."
    right = _claim("outside", s1, "3,75")          # a quote from another sentence: the value is the body's
    wrong = _claim("outside_wrong", s1, "3,75", value_text="3,7")
    assert _offending([right, wrong]) == ["outside_wrong"]
