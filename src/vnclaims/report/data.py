"""Builds the reviewer's report data from the warehouse (at the newest data snapshot, or --as-of one)
and writes ``WAREHOUSE/reports/index.html`` with :mod:`vnclaims.report.render`."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ..settings import Settings
from ..lake.connect import connect
from ..lake.history import data_snapshots, resolve_snapshot, snapshots
from .render import write_report
from .reviews import claim_decisions, decision, estimates, findings, stale_decisions


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _side(c: dict, docs: dict) -> dict:
    d = docs.get(c["doc_id"], {})
    start = (c["value_start"] or 0) - (c["char_start"] or 0)
    end = (c["value_end"] or 0) - (c["char_start"] or 0)
    return {"claim_id": c["claim_id"], "source_path": c["source_path"], "title": d.get("title"),
            "as_of": c["as_of"], "as_of_source": c.get("as_of_source"), "value_text": c["value_text"],
            "value_low": c["value_low"], "value_high": c["value_high"], "unit": c["unit"],
            "qualifier": c["qualifier"], "period": c["period"], "quote": c["quote"], "highlight": [start, end],
            # the claim frame: what decided the metric, and how surely (issue 17)
            "scope": c.get("scope"), "direction": c.get("direction"), "confidence": c.get("confidence"),
            "evidence": c.get("evidence")}


MAX_ITEMS = 200           # conflict cards, list rows and table rows shown per section (totals are always shown)
MAX_CHART_SOURCES = 12    # above this many sources a chart shows distinct values, not one marker per source
MAX_POINTS = 300          # markers per chart
MAX_LISTED_SOURCES = 20   # source files listed per agreement row


def report_data(con: duckdb.DuckDBPyConnection, snapshot: int | None, as_of: int | None = None,
                run_id: str | None = None, gx_href: str | None = None, max_items: int = MAX_ITEMS) -> dict:
    """Everything the report shows, read at ``snapshot``. Long sections are cut at ``max_items`` rows,
    most important first; ``data["totals"]`` has the full counts (the page says how to query the rest)."""
    def t(name: str) -> str:
        return f"{name} AT (VERSION => {int(snapshot)})" if snapshot is not None else name

    def exists(name: str) -> bool:
        try:
            con.execute(f"SELECT 1 FROM {t(name)} LIMIT 0")
            return True
        except duckdb.Error:
            return False

    snaps = {s["snapshot_id"]: s for s in snapshots(con)}
    snap = snaps.get(snapshot, {}) if snapshot is not None else {}
    info = snap.get("info", {}) if snap else {}
    data: dict = {"title": "vnclaims validation report",
                  "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "snapshot": {"id": snapshot, "time": str(snap.get("time", "")) if snap else None,
                               "run_id": info.get("run_id") or run_id, "flow_run_id": info.get("flow_run_id"),
                               "code_version": info.get("code_version")},
                  "as_of": as_of, "gx_docs_href": gx_href}
    if snapshot is None or not exists("claims"):
        data.update(summary={"documents": 0, "raw_files": 0, "quarantined": 0, "claims": 0, "classified_claims": 0,
                             "conflicts": {"error": 0, "warning": 0, "info": 0}, "checks": {"passed": 0, "failed": 0},
                             "near_duplicates": 0, "duplicates_removed": 0},
                    conflicts=[], new_conflicts=[], resolved_conflicts=[], support=[], series=[], checks=[],
                    entity_variants=[], quarantine=[])
        return data
    sev = dict(con.execute(f"SELECT severity, count(*) FROM {t('conflicts')} GROUP BY 1").fetchall())
    checks = _rows(con, "SELECT suite, expectation, success, details FROM validation_results WHERE snapshot_id = ? "
                        "ORDER BY success, suite, expectation", [snapshot]) if exists("validation_results") else []
    n_claims, n_cls = con.execute(f"SELECT count(*), count(*) FILTER (WHERE metric <> 'unclassified') FROM {t('claims')}").fetchone()
    data["summary"] = {
        "documents": con.execute(f"SELECT count(*) FROM {t('documents')}").fetchone()[0],
        "raw_files": con.execute(f"SELECT count(*) FROM {t('raw_documents')}").fetchone()[0],
        "quarantined": con.execute(f"SELECT count(*) FROM {t('quarantine')}").fetchone()[0],
        "claims": n_claims, "classified_claims": n_cls,
        "conflicts": {k: int(sev.get(k, 0)) for k in ("error", "warning", "info")},
        "checks": {"passed": sum(1 for c in checks if c["success"]), "failed": sum(1 for c in checks if not c["success"])},
        "near_duplicates": con.execute(f"SELECT count(*) FROM {t('near_duplicates')}").fetchone()[0],
        "duplicates_removed": con.execute(f"SELECT count(*) FROM {t('dedup_decisions')}").fetchone()[0],
    }
    labels = dict(con.execute(f"SELECT metric, label FROM {t('metrics')}").fetchall())
    lim = int(max_items)
    totals: dict = {}
    # conflicts new since the previous data snapshot (compared by id, in SQL: the lists can be long)
    ds = [s["snapshot_id"] for s in data_snapshots(con) if s["snapshot_id"] <= snapshot]
    prev = ds[-2] if len(ds) >= 2 else None
    try:
        prev_sql = f"SELECT conflict_id, metric, severity, source_a, source_b FROM conflicts AT (VERSION => {prev})" \
            if prev is not None else None
        if prev_sql:
            con.execute(f"SELECT 1 FROM ({prev_sql}) LIMIT 0")
    except duckdb.Error:
        prev_sql = None
    prev_sql = prev_sql or "SELECT NULL::VARCHAR AS conflict_id, NULL AS metric, NULL AS severity, NULL AS source_a, NULL AS source_b LIMIT 0"
    rank = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"
    cur = f"""SELECT k.*, p.conflict_id IS NULL AS is_new FROM (SELECT * FROM {t('conflicts')}) k
              LEFT JOIN ({prev_sql}) p USING (conflict_id)"""
    totals["conflicts"] = sum(sev.values())
    # errors first, then the new ones, then by metric: the cards a reviewer should read first
    conflicts = _rows(con, f"SELECT * FROM ({cur}) ORDER BY {rank}, is_new DESC, metric, conflict_id LIMIT {lim}")
    wanted = sorted({k["claim_id_a"] for k in conflicts} | {k["claim_id_b"] for k in conflicts})
    claims = {c["claim_id"]: c for c in _rows(con, f"SELECT * FROM {t('claims')} WHERE claim_id IN (SELECT unnest(?))",
                                              [wanted])} if wanted else {}
    need = sorted({c["doc_id"] for c in claims.values()})
    docs = {d["doc_id"]: d for d in _rows(con, f"SELECT doc_id, source_path, title, as_of FROM {t('documents')} "
                                               "WHERE doc_id IN (SELECT unnest(?))", [need])} if need else {}
    data["conflicts"] = [{
        "conflict_id": k["conflict_id"], "metric": k["metric"], "metric_label": labels.get(k["metric"], k["metric"]),
        "period": k["period"], "severity": k["severity"], "explanation": k["explanation"],
        "status": "new" if k["is_new"] else "existing",
        "a": _side(claims[k["claim_id_a"]], docs), "b": _side(claims[k["claim_id_b"]], docs),
        **({"review": decision(k)} if "review_id" in k else {}),
    } for k in conflicts if k["claim_id_a"] in claims and k["claim_id_b"] in claims]
    if exists("claim_reviews"):
        claim_decisions(con, t("claim_reviews"), data["conflicts"])
    if exists("estimates"):
        totals["estimates"] = con.execute(f"SELECT count(*) FROM {t('estimates')}").fetchone()[0]
        data["estimates"] = estimates(con, t("estimates"), lim)
    if exists("review_decisions"):
        totals["stale_decisions"] = con.execute(
            f"SELECT count(*) FROM {t('review_decisions')} WHERE status = 'stale'").fetchone()[0]
        data["stale_decisions"] = stale_decisions(con, t("review_decisions"), lim)
    if exists("consistency_conflicts"):
        totals["findings"] = con.execute(f"SELECT count(*) FROM {t('consistency_conflicts')}").fetchone()[0]
        data["findings"] = findings(con, t("consistency_conflicts"), lim)
    # the conflicts' join with the previous snapshot's, computed once for the three summaries below (each
    # evaluated it again: three joins of every conflict with every previous one)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _report_cur AS "
                f"SELECT conflict_id, metric, severity, source_a, source_b, is_new FROM ({cur})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _report_resolved AS SELECT * FROM ({prev_sql}) p "
                f"WHERE conflict_id NOT IN (SELECT conflict_id FROM {t('conflicts')})")
    try:
        _conflict_summaries(con, data, totals, labels, rank, lim)
    finally:
        con.execute("DROP TABLE IF EXISTS temp.main._report_cur")
        con.execute("DROP TABLE IF EXISTS temp.main._report_resolved")
    sup = f"FROM {t('claim_support')} WHERE n_sources >= 2"
    totals["support"] = con.execute(f"SELECT count(*) {sup}").fetchone()[0]
    data["support"] = _rows(con, f"""SELECT metric, period, value_low, value_high, unit, n_sources, n_independent,
                                            string_split(sources, ', ')[:{MAX_LISTED_SOURCES}] AS sources
                                     {sup} ORDER BY n_sources DESC, metric, period, value_low LIMIT {lim}""")
    data["series"] = _series(con, t("claims"), labels)
    data["checks"] = checks
    for key, sql in (("entity_variants", f"SELECT canonical, variant, source_path FROM {t('entity_variants')} ORDER BY 1, 2, 3"),
                     ("quarantine", f"SELECT source_path, reason FROM {t('quarantine')} ORDER BY source_path")):
        totals[key] = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        data[key] = _rows(con, f"{sql} LIMIT {lim}")
    data["totals"] = totals
    return data


def _conflict_summaries(con: duckdb.DuckDBPyConnection, data: dict, totals: dict, labels: dict, rank: str,
                        lim: int) -> None:
    """Conflicts by metric, the new ones and the resolved ones, from the temp tables ``_report_cur`` (every
    current conflict, ``is_new`` when the previous data snapshot did not have it) and ``_report_resolved``."""
    cur, resolved = "temp.main._report_cur", "temp.main._report_resolved"
    data["conflicts_by_metric"] = [
        {**r, "label": labels.get(r["metric"], r["metric"])} for r in _rows(con, f"""
        SELECT metric, count(*) FILTER (WHERE severity = 'error') AS error,
               count(*) FILTER (WHERE severity = 'warning') AS warning, count(*) FILTER (WHERE severity = 'info') AS info,
               count(*) FILTER (WHERE is_new) AS new,
               (SELECT count(DISTINCT s) FROM (SELECT unnest(list(source_a) || list(source_b)) AS s)) AS sources
        FROM {cur} GROUP BY metric ORDER BY error DESC, warning DESC, info DESC, metric""")]
    new_sql = f"SELECT conflict_id, metric, severity, source_a, source_b FROM {cur} WHERE is_new"
    totals["new_conflicts"] = con.execute(f"SELECT count(*) FROM ({new_sql})").fetchone()[0]
    data["new_conflicts"] = _rows(con, f"SELECT * FROM ({new_sql}) ORDER BY {rank}, metric, conflict_id LIMIT {lim}")
    totals["resolved_conflicts"] = con.execute(f"SELECT count(*) FROM {resolved}").fetchone()[0]
    data["resolved_conflicts"] = _rows(con, f"SELECT * FROM {resolved} ORDER BY {rank}, metric, conflict_id LIMIT {lim}")


def _series(con: duckdb.DuckDBPyConnection, claims: str, labels: dict) -> list[dict]:
    """Each metric's values over time. A metric stated by few sources keeps one marker per source and
    value; one stated by many is drawn as its distinct values (the legend would not fit, and neither
    would the markers), the most frequent first, at most MAX_POINTS of them."""
    base = f"""SELECT metric, unit, coalesce(period, substr(as_of, 1, 4)) AS period, value_low, value_high, source_path
               FROM {claims} WHERE metric <> 'unclassified' AND qualifier <> 'target'
                 AND coalesce(period, as_of) IS NOT NULL AND metric NOT LIKE 'milestone%'"""
    n_src = dict(con.execute(f"SELECT metric, count(DISTINCT source_path) FROM ({base}) GROUP BY 1").fetchall())
    few = [m for m, n in n_src.items() if n <= MAX_CHART_SOURCES]
    rows = _rows(con, f"""
        SELECT metric, any_value(unit) AS unit, period, value_low, value_high, source_path, count(*) AS n
        FROM ({base}) WHERE metric IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY metric, period, value_low, value_high, source_path
        UNION ALL
        SELECT metric, unit, period, value_low, value_high, NULL, n FROM (
            SELECT metric, any_value(unit) AS unit, period, value_low, value_high, count(DISTINCT source_path) AS n,
                   row_number() OVER (PARTITION BY metric ORDER BY count(DISTINCT source_path) DESC, period,
                                      value_low, value_high) AS k
            FROM ({base}) WHERE metric NOT IN (SELECT unnest(?::VARCHAR[]))
            GROUP BY metric, period, value_low, value_high) WHERE k <= {MAX_POINTS}
        ORDER BY metric, period, value_low, value_high, source_path""", [few, few])
    series: dict = {}
    for r in rows:
        m = r["metric"]
        one = series.setdefault(m, {"metric": m, "label": labels.get(m, m), "unit": r["unit"], "points": [],
                                    "n_sources": n_src.get(m, 0)})
        src = r["source_path"] or f"all sources (>{MAX_CHART_SOURCES})"
        one["points"].append({"period": r["period"], "value_low": r["value_low"], "value_high": r["value_high"],
                              "source_path": src, "n": r["n"]})
    return list(series.values())


def build_report(settings: Settings, as_of: str | int | None = None, run_id: str | None = None) -> tuple[Path, dict]:
    con = connect(settings, read_only=True)
    try:
        snap = resolve_snapshot(con, as_of)
        gx = settings.reports_dir / "gx" / "index.html"
        data = report_data(con, snap, as_of=snap if as_of not in (None, "", "latest") else None, run_id=run_id,
                           gx_href="gx/index.html" if gx.exists() else None)
    finally:
        con.close()
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    path = write_report(data, settings.reports_dir)
    (settings.reports_dir / "report.json").write_text(json.dumps(data, ensure_ascii=False, default=str, indent=1))
    return path, data
