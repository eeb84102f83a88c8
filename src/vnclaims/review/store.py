"""Decisions in the lake: written one snapshot each under the writer lock, listed with what they do now.

A decision is resolved against the current data when it is taken: the claim (or the two claims of a
conflict) is looked up in the ``claim_keys`` mart, and the row keeps their content keys and what they said.
The marts apply it from the next run on (``review_decisions``); until then it is listed as pending."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import duckdb

from ..settings import Settings
from ..errors import WarehouseError
from ..lake.connect import connect
from ..lake.history import latest_data_snapshot, snapshots, table_columns
from ..lake.lock import writer_lock
from ..models.spec import load_models
from .model import Decision, ReviewError, pair_key

REVIEW_COLS = ["review_id", "reviewed_at", "reviewer", "via", "target_kind", "target_key", "decision", "reason", "undoes",
               "target_id", "claim_key_a", "claim_key_b", "says_a", "says_b", "place_a", "metric", "seen", "seen_snapshot"]


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'lake'").fetchall()}


def _one(con: duckdb.DuckDBPyConnection, sql: str, ident: str, what: str) -> dict | None:
    """The row whose id is ``ident`` or starts with it (6+ characters); an ambiguous prefix is an error."""
    cur = con.execute(sql + " WHERE id = ? OR (length(?) >= 6 AND starts_with(id, ?)) ORDER BY id LIMIT 3",
                      [ident, ident, ident])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    exact = [r for r in rows if r["id"] == ident]
    if exact:
        return exact[0]
    if len(rows) > 1:
        raise ReviewError(f"{what} id {ident!r} is ambiguous ({', '.join(r['id'] for r in rows)}, ...): give more of it")
    return rows[0] if rows else None


def _claim(con: duckdb.DuckDBPyConnection, claim_id: str) -> dict:
    row = _one(con, "SELECT * FROM (SELECT claim_id AS id, claim_key, place_key, says, said, metric, source_path "
                    "FROM claim_keys)", claim_id, "claim")
    if row is None:
        c = _one(con, "SELECT * FROM (SELECT claim_id AS id, metric FROM claims)", claim_id, "claim")
        if c is not None:
            raise ReviewError(f"claim {c['id']} is {c['metric']}: only claims of a metric in the registry are reviewed")
        raise ReviewError(f"no claim {claim_id!r} in the current data (see `vnclaims sql \"SELECT claim_id, metric, "
                          "value_text, source_path FROM claims\"`)")
    return row


def _conflict(con: duckdb.DuckDBPyConnection, conflict_id: str, tables: set[str]) -> dict:
    """A pairwise conflict, or a consistency finding (its own content key)."""
    row = _one(con, "SELECT * FROM (SELECT conflict_id AS id, metric, claim_id_a, claim_id_b, NULL AS target_key "
                    "FROM conflicts)", conflict_id, "conflict")
    if row is None and "consistency_conflicts" in tables:
        row = _one(con, "SELECT * FROM (SELECT conflict_id AS id, metric, claim_id_a, claim_id_b, target_key "
                        "FROM consistency_conflicts)", conflict_id, "conflict")
    if row is None:
        raise ReviewError(f"no conflict {conflict_id!r} in the current data (see `vnclaims sql \"SELECT conflict_id, "
                          "explanation FROM conflicts\"`)")
    return row


def _resolve(con: duckdb.DuckDBPyConnection, d: Decision, tables: set[str]) -> dict:
    """The reviews row for ``d`` (without id, time and snapshot), from the data as it is now."""
    row = {c: None for c in REVIEW_COLS}
    row.update(reviewer=d.reviewer.strip(), via=d.via, target_kind=d.target_kind, decision=d.decision,
               reason=d.reason.strip())
    if d.target_kind == "review":
        try:
            rid = int(d.target_id)
        except ValueError:
            raise ReviewError(f"a decision id is a number (not {d.target_id!r}; see `vnclaims review list`)") from None
        old = con.execute("SELECT decision FROM reviews WHERE review_id = ?", [rid]).fetchone() if "reviews" in tables else None
        if old is None:
            raise ReviewError(f"there is no decision {rid} (see `vnclaims review list`)")
        if old[0] == "undo":
            raise ReviewError(f"decision {rid} is an undo; take the decision again instead")
        if con.execute("SELECT 1 FROM reviews WHERE decision = 'undo' AND undoes = ?", [rid]).fetchone():
            raise ReviewError(f"decision {rid} is undone already")
        row.update(target_key=str(rid), target_id=str(rid), undoes=rid, seen=f"decision {rid}")
        return row
    if "claim_keys" not in tables:
        raise ReviewError("this warehouse has no claim keys yet: run `vnclaims run` once with this version first")
    if d.target_kind == "claim":
        c = _claim(con, d.target_id)
        row.update(target_key=c["claim_key"], target_id=c["id"], claim_key_a=c["claim_key"], says_a=c["says"],
                   place_a=c["place_key"], metric=c["metric"], seen=f"{c['source_path']}: {c['said']}")
        return row
    k = _conflict(con, d.target_id, tables)
    a, b = _claim(con, k["claim_id_a"]), _claim(con, k["claim_id_b"])
    row.update(target_key=k["target_key"] or pair_key(a["claim_key"], b["claim_key"]), target_id=k["id"],
               claim_key_a=a["claim_key"], claim_key_b=b["claim_key"], says_a=a["says"], says_b=b["says"],
               place_a=a["place_key"], metric=k["metric"],
               seen=f"a: {a['source_path']}: {a['said']} | b: {b['source_path']}: {b['said']}")
    return row


def record(settings: Settings, d: Decision, log=print, lock_timeout: float | None = None) -> dict:
    """Write decision ``d`` as one new row of ``reviews``, in a snapshot of its own (kind ``review``), under
    the warehouse's writer lock (waiting up to ``lock_timeout`` s for a run that holds it; default: the
    settings'). Returns the row, with its ``review_id`` and ``snapshot_id``."""
    with writer_lock(settings, f"review decision by {d.reviewer}", timeout=lock_timeout, log=log):
        con = connect(settings)
        try:
            tables = _tables(con)
            row = _resolve(con, d, tables)
            con.execute("BEGIN")
            try:
                if "reviews" not in tables:         # a warehouse made before reviews existed
                    con.execute(next(m.sql for m in load_models(settings.sql_dir) if m.name == "reviews"))
                missing = [c for c in REVIEW_COLS if c not in table_columns(con, "reviews")]
                if missing:
                    raise WarehouseError(f"the reviews table lacks columns {missing}: the warehouse is from another version")
                row["review_id"] = con.execute("SELECT coalesce(max(review_id), 0) + 1 FROM reviews").fetchone()[0]
                row["reviewed_at"] = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
                row["seen_snapshot"] = latest_data_snapshot(con)
                con.execute(f"INSERT INTO reviews ({', '.join(REVIEW_COLS)}) VALUES ({', '.join('?' * len(REVIEW_COLS))})",
                            [row[c] for c in REVIEW_COLS])
                what = f"{d.decision} {d.target_kind} {row['target_id']}"
                con.execute("CALL lake.set_commit_message(?, ?, extra_info => ?)",
                            [row["reviewer"], f"review decision {row['review_id']}: {what} ({row['reason']})",
                             json.dumps({"kind": "review", "review_id": row["review_id"], "target_kind": d.target_kind,
                                         "target_id": row["target_id"], "decision": d.decision, "via": d.via},
                                        ensure_ascii=False)])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            row["snapshot_id"] = snapshots(con)[-1]["snapshot_id"]
        finally:
            con.close()
    return row


def undo(settings: Settings, review_id: int | str, reason: str, reviewer: str | None = None, via: str = "cli",
         log=print, lock_timeout: float | None = None) -> dict:
    kw = {"reviewer": reviewer} if reviewer else {}
    return record(settings, Decision("review", str(review_id), "undo", reason, via=via, **kw), log=log,
                  lock_timeout=lock_timeout)


def list_decisions(settings: Settings, stale_only: bool = False, con: duckdb.DuckDBPyConnection | None = None) -> list[dict]:
    """Every decision, newest last, with its status now: applied, stale (and why), undone, superseded, or
    pending (taken after the last run, which has not applied it yet)."""
    own = con is None
    con = con or connect(settings, read_only=True)
    try:
        tables = _tables(con)
        if "reviews" not in tables:
            return []
        status = ("d.status, d.stale_reason, d.claim_id_a, d.claim_id_b" if "review_decisions" in tables
                  else "NULL AS status, NULL AS stale_reason, NULL AS claim_id_a, NULL AS claim_id_b")
        join = "LEFT JOIN review_decisions d USING (review_id)" if "review_decisions" in tables else ""
        cur = con.execute(f"""SELECT r.review_id, r.reviewed_at, r.reviewer, r.via, r.target_kind, r.target_id, r.decision,
                                     r.reason, r.undoes, r.metric, r.seen, {status},
                                     u.review_id AS undone_by
                              FROM reviews r {join}
                              LEFT JOIN reviews u ON u.decision = 'undo' AND u.undoes = r.review_id
                              ORDER BY r.review_id""")
        names = [x[0] for x in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        if own:
            con.close()
    for r in rows:
        if r["status"] is None:
            r["status"] = "pending"
            r["stale_reason"] = "taken after the last run: the next `vnclaims run` applies it"
        if r["undone_by"] is not None and r["status"] not in ("undone", "undo"):
            r["status"] = "undone (pending)"
    return [r for r in rows if r["status"] == "stale"] if stale_only else rows


def reviews_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the decisions are, as a short hash ('' when there are none): a run whose inputs did not change
    still rebuilds the marts when this differs from the last data version's (a decision taken since)."""
    if "reviews" not in _tables(con):
        return ""
    n, h = con.execute("SELECT count(*), bit_xor(hash(review_id, decision, undoes, target_key)) FROM reviews").fetchone()
    return f"{n}:{h:016x}" if n else ""
