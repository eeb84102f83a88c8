"""The consistency_conflicts mart on fixture rows (its SQL text in an in-memory DuckDB): a finding's content key
and evidence sources, and a growth rate stated as a fall ("giảm") read from the claim's quote (through
claim_members, made from the fixture claims by its model)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from vnclaims.models.spec import load_models

SQL = {m.name: m.sql for m in load_models(Path(__file__).resolve().parents[3] / "sql")}


def findings(claims: list[tuple], estimates: list[tuple] = (), scopes: dict | None = None) -> list[dict]:
    """claims: (claim_id, doc_id, source_path, metric, period, low, high, quote, claim_key); not targets,
    not bounds, no tolerance, documents of 2025. estimates: (metric, period, low, high, supporting_claims).
    scopes: claim_id -> frame scope (else NULL, a total). claim_members is made from the claims by its own
    model, as in a load: consistency_conflicts reads the claims' columns from it."""
    con = duckdb.connect()
    con.execute("""CREATE TABLE claims (claim_id VARCHAR, doc_id VARCHAR, voice VARCHAR, source_path VARCHAR,
                   metric VARCHAR, value_low DOUBLE, value_high DOUBLE, qualifier VARCHAR, period VARCHAR,
                   period_start INTEGER, period_end INTEGER, as_of VARCHAR, quote VARCHAR, value_text VARCHAR,
                   scope VARCHAR, direction VARCHAR, confidence DOUBLE)""")
    con.execute("CREATE TABLE claim_keys (claim_id VARCHAR, claim_key VARCHAR, source_path VARCHAR)")
    for cid, doc, path, metric, period, lo, hi, quote, key in claims:
        con.execute("INSERT INTO claims BY NAME SELECT ? AS claim_id, ? AS doc_id, ? AS voice, ? AS source_path, "
                    "? AS metric, ? AS value_low, ? AS value_high, ? AS period, ? AS period_start, ? AS period_end, "
                    "? AS value_text, ? AS quote, ? AS scope, 'exact' AS qualifier",
                    [cid, doc, doc, path, metric, lo, hi, period, int(period), int(period), f"{lo:g}", quote,
                     (scopes or {}).get(cid)])
        con.execute("INSERT INTO claim_keys VALUES (?, ?, ?)", [cid, key, path])
    con.execute("""CREATE TABLE documents AS SELECT DISTINCT doc_id, 2025 AS as_of_year, 'text' AS as_of_source
                   FROM claims""")
    con.execute("""CREATE TABLE metrics AS SELECT DISTINCT metric, metric AS label, 'USD' AS unit, 'flow' AS kind,
                   0.0 AS tolerance_abs, 0.0 AS tolerance_rel FROM claims""")
    con.execute(f"CREATE TABLE claim_members AS {SQL['claim_members']}")
    con.execute("CREATE TABLE claim_reviews (claim_id VARCHAR, excluded BOOLEAN)")
    con.execute("""CREATE TABLE estimates (metric VARCHAR, period VARCHAR, scope VARCHAR, is_target BOOLEAN,
                   value_low DOUBLE, value_high DOUBLE, sources VARCHAR, n_sources INTEGER, supporting_claims VARCHAR)""")
    for e in estimates:
        con.execute("INSERT INTO estimates VALUES (?, ?, NULL, false, ?, ?, 'S', 1, ?)", list(e))
    con.execute("""CREATE TABLE review_decisions (target_kind VARCHAR, status VARCHAR, target_key VARCHAR,
                   review_id BIGINT, decision VARCHAR, reviewer VARCHAR, reason VARCHAR)""")
    cur = con.execute(SQL["consistency_conflicts"])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_a_findings_key_and_sources_are_its_claims_in_order():
    # exports + imports (3 + 2) against a turnover of 9 across documents: the evidence is the three estimates'
    # supporting claims; keys and paths given out of order, two claims from one file
    claims = [("t1", "d1", "b.txt", "trade_turnover", "2020", 9e9, 9e9, "", "k3"),
              ("e1", "d2", "c.txt", "vn_exports_to_ru", "2020", 3e9, 3e9, "", "k1"),
              ("i1", "d3", "a.txt", "vn_imports_from_ru", "2020", 2e9, 2e9, "", "k2"),
              ("i2", "d4", "c.txt", "vn_imports_from_ru", "2020", 2e9, 2e9, "", "k0")]
    est = [("trade_turnover", "2020", 9e9, 9e9, "t1"), ("vn_exports_to_ru", "2020", 3e9, 3e9, "e1"),
           ("vn_imports_from_ru", "2020", 2e9, 2e9, "i2, i1")]
    [f] = findings(claims, est)
    assert (f["kind"], f["evidence"], f["n_evidence"]) == ("sum_across_documents", "e1, i1, i2, t1", 4)
    assert f["evidence_sources"] == "a.txt, b.txt, c.txt"
    assert f["target_key"] == hashlib.md5(b"sum_across_documents|k0|k1|k2|k3").hexdigest()


def test_a_growth_stated_as_a_fall_reads_the_quote():
    # the turnover went from 10 to 9.65 (-3.5 %): "giảm 3,5%" stored as 3.5 agrees, a rise of 3.5 % does not
    turnover = [("t0", "d1", "a.txt", "trade_turnover", "2019", 10e9, 10e9, "", "k0"),
                ("t1", "d1", "a.txt", "trade_turnover", "2020", 9.65e9, 9.65e9, "", "k1")]
    fall = ("g1", "d1", "a.txt", "trade_growth_pct", "2020", 3.5, 3.5, "kim ngạch giảm 3,5%", "k2")
    rise = ("g1", "d1", "a.txt", "trade_growth_pct", "2020", 3.5, 3.5, "kim ngạch tăng 3,5%", "k2")
    assert findings(turnover + [fall]) == []
    [f] = findings(turnover + [rise])
    assert (f["kind"], f["claim_id_a"], f["evidence"]) == ("growth_within_document", "g1", "g1, t0, t1")


def test_only_total_figures_are_summed_where_claims_have_frame_scopes():
    # exports 3 + imports 2 against a turnover of 9 in one document: a finding, unless the exports figure is
    # an item's (scope item:...): then it is not the exports total and nothing is compared
    claims = [("t1", "d1", "a.txt", "trade_turnover", "2020", 9e9, 9e9, "", "k1"),
              ("e1", "d1", "a.txt", "vn_exports_to_ru", "2020", 3e9, 3e9, "", "k2"),
              ("i1", "d1", "a.txt", "vn_imports_from_ru", "2020", 2e9, 2e9, "", "k3")]
    [f] = findings(claims)
    assert (f["kind"], f["evidence"]) == ("sum_within_document", "e1, i1, t1")
    [f] = findings(claims, scopes={"t1": "total", "e1": None, "i1": "total"})
    assert f["kind"] == "sum_within_document"
    assert findings(claims, scopes={"t1": "total", "e1": "item:cà phê", "i1": "total"}) == []
