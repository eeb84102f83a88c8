"""The lines printed after a run: what the warehouse holds now and what this run changed."""
from __future__ import annotations

import duckdb

from ..errors import WarehouseError
from ..lake.connect import connect
from .context import RunContext


def warehouse_figures(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int, dict, int]:
    """What the summary says the warehouse holds: (documents, claims, classified claims, conflicts by
    severity, quarantined files), read through ``con`` (the lake selected)."""
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    n_claims, n_cls = con.execute("SELECT count(*), count(*) FILTER (WHERE metric <> 'unclassified') FROM claims").fetchone()
    sev = dict(con.execute("SELECT severity, count(*) FROM conflicts GROUP BY 1").fetchall())
    n_q = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    return n_docs, n_claims, n_cls, sev, n_q


def summary_lines(ctx: RunContext) -> list[str]:
    """The summary; its warehouse figures are those the run's record read after its commit
    (``ctx.figures``, see run.lifecycle.record_run), else read here (one more open of the lake: ~0.1 s)."""
    s = ctx.settings
    out = []
    if ctx.figures is not None:
        n_docs, n_claims, n_cls, sev, n_q = ctx.figures
    else:
        try:
            con = connect(s, read_only=True)
            try:
                n_docs, n_claims, n_cls, sev, n_q = warehouse_figures(con)
            finally:
                con.close()
        except (WarehouseError, duckdb.Error):
            return ["(no warehouse tables yet)"]
    ing = ctx.counts.get("ingest", {})
    out.append(f"documents : {n_docs} ({ing.get('new', 0)} new, {ing.get('changed', 0)} changed, "
               f"{ing.get('unchanged', 0)} unchanged files)")
    out.append(f"claims    : {n_claims} ({n_cls} classified, {n_claims - n_cls} unclassified)")
    out.append(f"conflicts : {sum(sev.values())} (error {sev.get('error', 0)}, warning {sev.get('warning', 0)}, info {sev.get('info', 0)})")
    if ctx.snapshot_id is not None:
        out.append(f"snapshot  : {ctx.snapshot_id} (new data version)")
    else:
        out.append(f"snapshot  : {ctx.current_snapshot} (unchanged: no new data version)")
    if ing.get("cleaned_again"):
        out.append(f"cleaned   : {ing['cleaned_again']} known file(s) read and cleaned again "
                   f"({ctx.counts.get('dedup', {}).get('known_documents_cleaned_differently', 0)} document(s) now "
                   f"read differently): {ing.get('again_because')}")
    ext = ctx.counts.get("extract", {})
    if ext.get("extracted_again"):
        out.append(f"extracted : {ext['extracted_again']} known document(s) extracted again "
                   f"({ctx.counts.get('load', {}).get('documents_changed_by_extracting_again', 0)} with other claims, "
                   f"mentions or dates now): {ext.get('again_because')}")
    val = ctx.counts.get("validate", {})
    if val.get("checks"):
        earlier = (f" (snapshot {val['validated_earlier']}: committed by an earlier run that stopped before "
                   "validating it, validated now)") if val.get("validated_earlier") is not None else ""
        out.append(f"checks    : {val['passed']}/{val['checks']} passed{earlier}"
                   + (f"; failed: {', '.join(val['failed_checks'][:5])}" if val["failed"] else ""))
    hidden = ing.get("skipped_hidden") or []
    if hidden:
        n = ing.get("skipped_hidden_count", len(hidden))
        out.append(f"skipped   : {n} hidden file(s)/folder(s) (names starting with \".\") not read: "
                   + ", ".join(repr(h) for h in hidden[:10]) + (" ..." if n > 10 else ""))
    rej = len(ctx.rejected)
    out.append(f"rejected  : {rej} input file(s) quarantined this run (total quarantined: {n_q})")
    for r in ctx.rejected[:10]:
        out.append(f"  - {r['source_path']!r}: {r['reason']}")
    rep = ctx.counts.get("report", {}).get("path")
    if rep:
        out.append(f"report    : {rep}")
    if ctx.memory_retries:
        out.append(f"memory    : run again with a higher DuckDB limit: {'; '.join(ctx.memory_retries)} "
                   f"(set VNCLAIMS_DUCKDB_MEMORY={ctx.settings.duckdb_memory} to start there)")
    return out
