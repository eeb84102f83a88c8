"""The reviewer's loop in the report: the estimates (what the sources, taken together, support), the
consistency findings, and on each conflict card and claim the decision taken or the command that takes one
(the page stays script-free: a reviewer copies the command)."""
from __future__ import annotations

import duckdb

CONFIDENCE_ORDER = "CASE confidence WHEN 'reviewed' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def conflict_commands(conflict_id: str) -> list[str]:
    return [f'vnclaims review conflict {conflict_id} --trust {t} --reason "…"' for t in ("a", "b", "both", "neither")]


def claim_commands(claim_id: str) -> list[str]:
    return [f'vnclaims review claim {claim_id} --{v} --reason "…"' for v in ("accept", "reject")]


def decision(k: dict) -> dict:
    """A conflict row's decision (``review_id``, ``review``, ``review_note`` and ``status`` of the
    conflicts mart), or the commands that take one."""
    if k.get("review_id") is not None:
        return {"decided": True, "status": k.get("status"), "review": k.get("review"), "note": k.get("review_note"),
                "undo": f"vnclaims review undo {k['review_id']}"}
    return {"decided": False, "commands": conflict_commands(k["conflict_id"])}


def claim_decisions(con: duckdb.DuckDBPyConnection, table: str, cards: list[dict]) -> None:
    """Each side of each card: the decision its claim is under (claim_reviews), or the commands."""
    ids = sorted({c[s]["claim_id"] for c in cards for s in ("a", "b") if c[s].get("claim_id")})
    got = {r["claim_id"]: r for r in _rows(con, f"""SELECT claim_id, review_id, review_status, reviewer, reason
                                                   FROM {table} WHERE claim_id IN (SELECT unnest(?))""", [ids])} if ids else {}
    for c in cards:
        for side in ("a", "b"):
            cid = c[side].get("claim_id")
            r = got.get(cid)
            c[side]["review"] = ({"decided": True, "status": r["review_status"],
                                  "note": f"decision #{r['review_id']} by {r['reviewer']}: {r['reason']}"}
                                 if r else {"decided": False, "commands": claim_commands(cid)})


def estimates(con: duckdb.DuckDBPyConnection, table: str, limit: int) -> list[dict]:
    """The estimates, reviewed and well-supported first."""
    return _rows(con, f"""SELECT estimate_id, metric, label, period, scope, is_target, unit, value_low, value_high,
                                 range_low, range_high, method, confidence, n_supporting, n_independent, n_outlying,
                                 string_split(sources, ', ') AS sources, outliers, reviewer_choice, review_id, explanation
                          FROM {table} ORDER BY {CONFIDENCE_ORDER}, n_supporting DESC, metric, period NULLS FIRST, estimate_id
                          LIMIT {int(limit)}""")


def findings(con: duckdb.DuckDBPyConnection, table: str, limit: int) -> list[dict]:
    rows = _rows(con, f"""SELECT conflict_id, kind, metric, period, severity, explanation, evidence_sources, n_evidence,
                                 status, review, review_note, review_id
                          FROM {table} ORDER BY status = 'open' DESC, kind, conflict_id LIMIT {int(limit)}""")
    for r in rows:
        r["decision"] = decision(r)
    return rows


def stale_decisions(con: duckdb.DuckDBPyConnection, table: str, limit: int) -> list[dict]:
    """Decisions whose target is gone or now says something else: applied to nothing, listed for a reviewer."""
    return _rows(con, f"""SELECT review_id, reviewed_at, reviewer, decision, target_kind, target_id, reason, seen,
                                 stale_reason
                          FROM {table} WHERE status = 'stale' ORDER BY review_id LIMIT {int(limit)}""")
