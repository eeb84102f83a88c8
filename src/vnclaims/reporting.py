"""Builds the reviewer's report data from the warehouse (at the newest data snapshot, or --as-of one)
and writes ``WAREHOUSE/reports/index.html`` with :mod:`vnclaims.report`."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .settings import Settings
from .warehouse import connect, data_snapshots, resolve_snapshot, snapshots


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
            "qualifier": c["qualifier"], "period": c["period"], "quote": c["quote"], "highlight": [start, end]}


def report_data(con: duckdb.DuckDBPyConnection, snapshot: int | None, as_of: int | None = None,
                run_id: str | None = None, gx_href: str | None = None) -> dict:
    """Everything the report shows, read at ``snapshot``."""
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
    docs = {d["doc_id"]: d for d in _rows(con, f"SELECT doc_id, source_path, title, as_of FROM {t('documents')}")}
    sev = dict(con.execute(f"SELECT severity, count(*) FROM {t('conflicts')} GROUP BY 1").fetchall())
    checks = _rows(con, "SELECT suite, expectation, success, details FROM validation_results WHERE snapshot_id = ? "
                        "ORDER BY success, suite, expectation", [snapshot]) if exists("validation_results") else []
    n_claims, n_cls = con.execute(f"SELECT count(*), count(*) FILTER (WHERE metric <> 'unclassified') FROM {t('claims')}").fetchone()
    data["summary"] = {
        "documents": len(docs),
        "raw_files": con.execute(f"SELECT count(*) FROM {t('raw_documents')}").fetchone()[0],
        "quarantined": con.execute(f"SELECT count(*) FROM {t('quarantine')}").fetchone()[0],
        "claims": n_claims, "classified_claims": n_cls,
        "conflicts": {k: int(sev.get(k, 0)) for k in ("error", "warning", "info")},
        "checks": {"passed": sum(1 for c in checks if c["success"]), "failed": sum(1 for c in checks if not c["success"])},
        "near_duplicates": con.execute(f"SELECT count(*) FROM {t('near_duplicates')}").fetchone()[0],
        "duplicates_removed": con.execute(f"SELECT count(*) FROM {t('dedup_decisions')}").fetchone()[0],
    }
    claims = {c["claim_id"]: c for c in _rows(con, f"""
        SELECT * FROM {t("claims")} WHERE claim_id IN (
            SELECT claim_id_a FROM {t('conflicts')} UNION SELECT claim_id_b FROM {t('conflicts')})""")}
    labels = dict(con.execute(f"SELECT metric, label FROM {t('metrics')}").fetchall())
    # conflicts new since the previous data snapshot
    ds = [s["snapshot_id"] for s in data_snapshots(con) if s["snapshot_id"] <= snapshot]
    prev = ds[-2] if len(ds) >= 2 else None
    prev_ids: set = set()
    prev_rows: list[dict] = []
    if prev is not None:
        try:
            prev_rows = _rows(con, f"SELECT conflict_id, metric, severity, source_a, source_b FROM conflicts AT (VERSION => {prev})")
            prev_ids = {r["conflict_id"] for r in prev_rows}
        except duckdb.Error:
            prev_rows = []
    conflicts = _rows(con, f"SELECT * FROM {t('conflicts')} ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, metric, conflict_id")
    cur_ids = {k["conflict_id"] for k in conflicts}
    data["conflicts"] = [{
        "conflict_id": k["conflict_id"], "metric": k["metric"], "metric_label": labels.get(k["metric"], k["metric"]),
        "period": k["period"], "severity": k["severity"], "explanation": k["explanation"],
        "status": "new" if prev is not None and k["conflict_id"] not in prev_ids else ("new" if prev is None else "existing"),
        "a": _side(claims[k["claim_id_a"]], docs), "b": _side(claims[k["claim_id_b"]], docs),
    } for k in conflicts if k["claim_id_a"] in claims and k["claim_id_b"] in claims]
    data["new_conflicts"] = [{"conflict_id": k["conflict_id"], "metric": k["metric"], "severity": k["severity"],
                              "source_a": k["source_a"], "source_b": k["source_b"]}
                             for k in conflicts if prev is None or k["conflict_id"] not in prev_ids]
    data["resolved_conflicts"] = [r for r in prev_rows if r["conflict_id"] not in cur_ids]
    data["support"] = _rows(con, f"""SELECT metric, period, value_low, value_high, unit, n_sources, n_independent,
                                            string_split(sources, ', ') AS sources
                                     FROM {t('claim_support')} WHERE n_sources >= 2
                                     ORDER BY n_sources DESC, metric, period""")
    series = {}
    for r in _rows(con, f"""SELECT metric, unit, coalesce(period, substr(as_of, 1, 4)) AS period, value_low, value_high, source_path
                           FROM {t('claims')} WHERE metric <> 'unclassified' AND qualifier <> 'target'
                             AND coalesce(period, as_of) IS NOT NULL AND metric NOT LIKE 'milestone%'
                           ORDER BY metric, period, source_path"""):
        series.setdefault(r["metric"], {"metric": r["metric"], "label": labels.get(r["metric"], r["metric"]),
                                        "unit": r["unit"], "points": []})["points"].append(
            {"period": r["period"], "value_low": r["value_low"], "value_high": r["value_high"], "source_path": r["source_path"]})
    data["series"] = list(series.values())
    data["checks"] = checks
    data["entity_variants"] = _rows(con, f"SELECT canonical, variant, source_path FROM {t('entity_variants')} ORDER BY 1, 2, 3")
    data["quarantine"] = _rows(con, f"SELECT source_path, reason FROM {t('quarantine')} ORDER BY source_path")
    return data


def build_report(settings: Settings, as_of: str | int | None = None, run_id: str | None = None) -> tuple[Path, dict]:
    from .report import write_report
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
