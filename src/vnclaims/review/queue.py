"""What a reviewer has to look at: open conflicts and consistency findings with both quoted sentences,
claims of low confidence (alone behind their estimate, outliers, or a claim frame of low confidence), the
estimates, and the decisions taken so far."""
from __future__ import annotations

import duckdb

from ..settings import Settings
from .store import list_decisions

SEVERITY_ORDER = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"
CLAIM_COLS = ("claim_id, source_path, metric, value_text, quote, value_start - char_start AS hl_start, "
              "value_end - char_start AS hl_end, period, as_of, qualifier")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_catalog = 'lake' "
                                      "AND table_name = ?", [table]).fetchall()}


def quoted(claim: dict) -> dict:
    """The claim with its sentence cut around the figure (the page escapes each part)."""
    q, a, b = claim["quote"] or "", claim["hl_start"] or 0, claim["hl_end"] or 0
    if not (0 <= a <= b <= len(q)):
        a = b = 0
    return {**claim, "before": q[:a], "figure": q[a:b], "after": q[b:]}


def _claims(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict]:
    if not ids:
        return {}
    got = _rows(con, f"SELECT {CLAIM_COLS} FROM claims WHERE claim_id IN (SELECT unnest(?))", [ids])
    return {c["claim_id"]: quoted(c) for c in got}


def open_conflicts(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict]:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_catalog = 'lake'").fetchall()}
    out = []
    for table, kind in (("consistency_conflicts", "kind"), ("conflicts", "'pair'")):
        if table not in tables:
            continue
        cols = _columns(con, table)
        where = "WHERE status = 'open'" if "status" in cols else ""
        evidence = "evidence" if "evidence" in cols else "NULL AS evidence"
        out += _rows(con, f"""SELECT conflict_id, {kind} AS kind, metric, period, severity, explanation, claim_id_a,
                                     claim_id_b, {evidence} FROM {table} {where}
                              ORDER BY {SEVERITY_ORDER}, conflict_id LIMIT {int(limit)}""")
    claims = _claims(con, sorted({c for k in out for c in
                                  [k["claim_id_a"], k["claim_id_b"], *(k["evidence"] or "").split(", ")] if c}))
    for k in out:
        k["a"], k["b"] = claims.get(k["claim_id_a"]), claims.get(k["claim_id_b"])
        k["others"] = [claims[c] for c in (k["evidence"] or "").split(", ")
                       if c and c in claims and c not in (k["claim_id_a"], k["claim_id_b"])]
    return out


def low_confidence_claims(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict]:
    """Claims alone behind their estimate or outlying from it, and (with claim frames) those whose frame has
    a confidence under 0.6; those with an applied or pending decision are left out."""
    frame = "OR TRY_CAST(c.confidence AS DOUBLE) < 0.6" if "confidence" in _columns(con, "claims") else ""
    ids = _rows(con, f"""
        WITH e AS (
            SELECT unnest(string_split(supporting_claims, ', ')) AS claim_id, 'alone behind its estimate' AS why,
                   estimate_id FROM estimates WHERE confidence = 'low'
            UNION ALL
            SELECT unnest(string_split(outlier_claims, ', ')), 'an outlier of its estimate', estimate_id
            FROM estimates WHERE outlier_claims IS NOT NULL
        )
        SELECT c.claim_id, coalesce(any_value(e.why), 'a claim frame of low confidence') AS why
        FROM claims c LEFT JOIN e USING (claim_id)
        WHERE (e.claim_id IS NOT NULL {frame})
          AND c.claim_id NOT IN (SELECT claim_id FROM claim_reviews)
          AND c.claim_id NOT IN (SELECT target_id FROM reviews WHERE target_kind = 'claim')
        GROUP BY c.claim_id ORDER BY any_value(c.metric), c.claim_id LIMIT {int(limit)}""")
    claims = _claims(con, [r["claim_id"] for r in ids])
    return [{**claims[r["claim_id"]], "why": r["why"]} for r in ids if r["claim_id"] in claims]


def estimates(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict]:
    return _rows(con, f"""SELECT metric, label, period, scope, unit, value_low, value_high, range_low, range_high,
                                 method, confidence, n_supporting, n_independent, sources, outliers, explanation
                          FROM estimates ORDER BY metric, period NULLS FIRST LIMIT {int(limit)}""")


def review_queue(settings: Settings, con: duckdb.DuckDBPyConnection, limit: int = 200) -> dict:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_catalog = 'lake'").fetchall()}
    if not {"claim_reviews", "estimates", "reviews"} <= tables:
        return {"ready": False, "conflicts": [], "claims": [], "estimates": [], "decisions": []}
    return {"ready": True, "conflicts": open_conflicts(con, limit), "claims": low_confidence_claims(con, limit),
            "estimates": estimates(con, limit), "decisions": list_decisions(settings, con=con)}
