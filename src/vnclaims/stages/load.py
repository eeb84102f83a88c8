"""Stage 5, load: copy the run's scratch tables into the lake and rebuild the marts, in ONE transaction
(one snapshot per run that changes anything, none otherwise). A crash before the commit leaves the
warehouse untouched.

Reads every ``in_*``, ``c_*``, ``d_*``, ``x_docs`` and ``e_*`` scratch table (attached as ``work``).
"""
from __future__ import annotations

import contextlib
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from .. import versions                # the versions through the module: tests replace them
from ..claims.metrics import load_registry
from ..models.plan import build_marts, models_fingerprint, topo
from ..versions import code_version
from ..run.faults import fault_point
from ..run.lifecycle import input_fingerprint
from ..run.scratch import columns, models_dir
from ..models.spec import Model, load_models
from ..lake.connect import connect
from ..lake.history import data_snapshots
from ..models.materialize import drop_temp, ensure_schema, materialize
from ..review.store import reviews_fingerprint
from .clean import DOC_COLS
from .dedup import RECLEAN_COLS
from .extract import CLAIM_COLS, EXTRACTED_COLS, MENTION_COLS
from .validate import prewarm_gx

if TYPE_CHECKING:
    from ..run.context import RunContext

LOG_COLS = columns("c_log")


def load(ctx: RunContext) -> dict:
    """Staging rows by their write policy (insert new keys, replace per document, upsert, merge by key,
    update in place), then the marts, then the commit with the run's data-version record."""
    s = ctx.settings
    models = load_models(s.sql_dir)
    registry = load_registry(s.metrics_file)
    c = {"inserted": {}, "deleted": {}}
    con = connect(s, scratch=ctx.scratch, log=ctx.log)
    try:
        ensure_schema(con, models)
        con.execute("BEGIN")

        def ins(table: str, sql: str) -> None:
            n = con.execute(f"INSERT INTO {table} {sql}").fetchone()[0]
            if n:
                c["inserted"][table] = c["inserted"].get(table, 0) + int(n)
        ins("raw_documents", "SELECT raw_id, source_path, sha256, byte_size, encoding, status, decode_notes, blob_path, first_run_id "
                             "FROM work.in_raw WHERE raw_id NOT IN (SELECT raw_id FROM raw_documents)")
        ins("quarantine", "SELECT * FROM work.in_quarantine WHERE raw_id NOT IN (SELECT raw_id FROM quarantine)")
        ins("stg_documents", f"SELECT {', '.join(DOC_COLS)} FROM work.d_new_docs")
        # files cleaned again: the known documents the cleaner now gives differently, changed cleaning logs
        _replace_recleaned(con, c)
        # clean wrote each document's sentences once (not again for its exact duplicate files)
        ins("stg_sentences", "SELECT s.* FROM work.c_sentences s WHERE s.doc_id IN "
                             "(SELECT doc_id FROM work.d_new_docs UNION ALL SELECT doc_id FROM work.d_recleaned)")
        ins("cleaning_log", f"SELECT {', '.join(LOG_COLS)} FROM work.c_log WHERE raw_id NOT IN (SELECT raw_id FROM cleaning_log)")
        ins("stg_cleanings", f"SELECT raw_id, source_path, '{versions.cleaner_version()}', doc_id, '{ctx.run_id}' FROM work.c_docs")
        ins("stg_minhash", "SELECT * FROM work.d_minhash WHERE doc_id NOT IN (SELECT doc_id FROM stg_minhash)")
        # documents extracted again (another extractor version): their rows that differ are replaced
        _replace_extracted_again(con, c)
        ins("stg_claims", f"SELECT {', '.join(CLAIM_COLS)} FROM work.e_claims WHERE claim_id NOT IN (SELECT claim_id FROM stg_claims)")
        ins("stg_entity_mentions", f"SELECT {', '.join(MENTION_COLS)} FROM work.e_mentions "
                                   "WHERE doc_id NOT IN (SELECT DISTINCT doc_id FROM stg_entity_mentions)")
        ins("stg_extractions", f"SELECT {', '.join(EXTRACTED_COLS)} FROM work.e_extracted")
        _upsert_source_files(con, c)
        _merge_references(con, c, registry, ctx.near_pairs_current, models_dir(s, ctx.run_id))
        marts = topo([m for m in models if m.kind in ("model", "ephemeral")])
        fingerprint = models_fingerprint(marts)
        # the reviewers' decisions taken since the last data version are applied by rebuilding the marts
        decisions = reviews_fingerprint(con)
        build_marts(con, s, marts, fingerprint, c, step=lambda what: setattr(ctx, "step", what), reviews=decisions,
                    folder=models_dir(s, ctx.run_id))
        drop_temp(con, ["_sf", "_scope_doc_id", "_scope_source_path", "_x", "_x_changed"])
        if c["inserted"] or c["deleted"]:
            # a data version to validate: GX imports during the commit and the audits (after the marts, whose
            # DuckDB memory makes a big run's peak; a small run's ingest started it already)
            prewarm_gx(s)
        _commit(ctx, con, c, fingerprint, decisions)
    except BaseException:
        with contextlib.suppress(Exception):
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return c


def _count(c: dict, table: str, n, *keys: str) -> None:
    """Add ``n`` rows of ``table`` to the load's ``inserted`` and/or ``deleted`` counts."""
    for key in keys:
        if n:
            c[key][table] = c[key].get(table, 0) + int(n)


def _replace_recleaned(con: duckdb.DuckDBPyConnection, c: dict) -> None:
    """For the files this run cleaned: update the known documents the cleaner now gives differently
    (``work.d_recleaned``: their sentences are inserted again by the caller), delete the cleaning logs that
    differ from the new ones and the files' cleaning records (the caller inserts the new ones)."""
    count = functools.partial(_count, c)
    sets = ", ".join(f"{x} = r.{x}" for x in RECLEAN_COLS)
    n = con.execute(f"UPDATE stg_documents SET {sets} FROM work.d_recleaned r WHERE stg_documents.doc_id = r.doc_id").fetchone()[0]
    count("stg_documents", n, "inserted", "deleted")
    count("stg_sentences", con.execute(
        "DELETE FROM stg_sentences WHERE doc_id IN (SELECT doc_id FROM work.d_recleaned)").fetchone()[0], "deleted")
    cols, here = ", ".join(LOG_COLS), "raw_id IN (SELECT raw_id FROM work.c_docs)"
    count("cleaning_log", con.execute(f"""DELETE FROM cleaning_log WHERE raw_id IN (SELECT DISTINCT raw_id FROM (
        (SELECT {cols} FROM cleaning_log WHERE {here} EXCEPT ALL SELECT {cols} FROM work.c_log WHERE {here})
        UNION ALL (SELECT {cols} FROM work.c_log WHERE {here} AND raw_id IN (SELECT raw_id FROM cleaning_log)
                   EXCEPT ALL SELECT {cols} FROM cleaning_log WHERE {here})))""").fetchone()[0], "deleted")
    count("stg_cleanings", con.execute(
        "DELETE FROM stg_cleanings WHERE raw_id IN (SELECT raw_id FROM work.c_docs)").fetchone()[0], "deleted")
    c["documents_cleaned_differently"] = con.execute("SELECT count(*) FROM work.d_recleaned").fetchone()[0]


def _replace_extracted_again(con: duckdb.DuckDBPyConnection, c: dict) -> None:
    """For the documents extracted again this run (``work.x_docs``): delete their claims that the new
    extraction did not give again (by the whole row), their entity mentions where those differ, and their
    extraction records; update their inferred dates where the extractor now infers others. The caller then
    inserts what is new. ``_x_changed`` holds the documents whose rows changed (the marts' scope)."""
    count = functools.partial(_count, c)
    con.execute("CREATE TEMP TABLE _x AS SELECT doc_id FROM work.x_docs")
    again = "doc_id IN (SELECT doc_id FROM temp.main._x)"
    cols = ", ".join(CLAIM_COLS)
    con.execute(f"""CREATE TEMP TABLE _x_gone AS
        SELECT {cols} FROM stg_claims WHERE {again} EXCEPT SELECT {cols} FROM work.e_claims WHERE {again}""")
    mcols = ", ".join(MENTION_COLS)
    con.execute(f"""CREATE TEMP TABLE _x_mentions AS SELECT DISTINCT doc_id FROM (
        SELECT doc_id FROM (SELECT {mcols} FROM stg_entity_mentions WHERE {again}
                            EXCEPT ALL SELECT {mcols} FROM work.e_mentions WHERE {again})
        UNION ALL SELECT doc_id FROM (SELECT {mcols} FROM work.e_mentions WHERE {again}
                                      EXCEPT ALL SELECT {mcols} FROM stg_entity_mentions WHERE {again}))""")
    con.execute(f"""CREATE TEMP TABLE _x_changed AS SELECT DISTINCT doc_id FROM (
        SELECT doc_id FROM _x_gone
        UNION ALL SELECT doc_id FROM (SELECT {cols} FROM work.e_claims WHERE {again}
                                      EXCEPT SELECT {cols} FROM stg_claims WHERE {again})
        UNION ALL SELECT doc_id FROM _x_mentions
        UNION ALL SELECT doc_id FROM work.e_asof)""")
    count("stg_claims", con.execute(
        "DELETE FROM stg_claims WHERE claim_id IN (SELECT claim_id FROM _x_gone)").fetchone()[0], "deleted")
    # mentions have no key: a document whose mentions differ has them all replaced
    count("stg_entity_mentions", con.execute(
        "DELETE FROM stg_entity_mentions WHERE doc_id IN (SELECT doc_id FROM _x_mentions)").fetchone()[0], "deleted")
    n = con.execute("""UPDATE stg_documents SET as_of = a.as_of, as_of_year = a.as_of_year,
                           as_of_source = a.as_of_source, as_of_evidence = a.as_of_evidence
                       FROM work.e_asof a WHERE stg_documents.doc_id = a.doc_id""").fetchone()[0]
    count("stg_documents", n, "inserted", "deleted")
    count("stg_extractions", con.execute(
        "DELETE FROM stg_extractions WHERE doc_id IN (SELECT doc_id FROM work.e_extracted)").fetchone()[0], "deleted")
    c["documents_extracted_again"] = con.execute("SELECT count(*) FROM _x").fetchone()[0]
    c["documents_changed_by_extracting_again"] = con.execute("SELECT count(*) FROM _x_changed").fetchone()[0]
    drop_temp(con, ["_x_gone", "_x_mentions"])


def _upsert_source_files(con: duckdb.DuckDBPyConnection, c: dict) -> None:
    """source_files: upsert the paths this run saw change (doc_id from cleaning). Leaves ``_sf`` (those
    rows) and ``_scope_doc_id`` (the documents this run touches: new ones, and those of every file that
    changed, old and new doc) for the marts."""
    upd = """SELECT f.source_path, f.raw_id, f.sha256,
                    CASE WHEN f.keep_doc THEN o.doc_id ELSE d.doc_id END AS doc_id, f.status, f.present
             FROM work.in_source_files f
             LEFT JOIN work.d_file_docs d ON d.source_path = f.source_path
             LEFT JOIN source_files o ON o.source_path = f.source_path"""
    con.execute(f"CREATE TEMP TABLE _sf AS {upd}")
    con.execute("""CREATE TEMP TABLE _scope_doc_id AS
             SELECT doc_id AS v FROM work.d_new_docs UNION SELECT doc_id FROM _sf
             UNION SELECT doc_id FROM source_files WHERE source_path IN (SELECT source_path FROM _sf)
             UNION SELECT doc_id FROM _x_changed UNION SELECT doc_id FROM work.d_recleaned""")
    n_del = con.execute("""DELETE FROM source_files WHERE source_path IN (
             SELECT source_path FROM (SELECT * FROM source_files WHERE source_path IN (SELECT source_path FROM _sf)
                                      EXCEPT SELECT * FROM _sf))""").fetchone()[0]
    n_ins = con.execute("INSERT INTO source_files SELECT * FROM _sf EXCEPT SELECT * FROM source_files").fetchone()[0]
    if n_ins:
        c["inserted"]["source_files"] = int(n_ins)
    if n_del:
        c["deleted"]["source_files"] = int(n_del)


def _merge_references(con: duckdb.DuckDBPyConnection, c: dict, registry, near_pairs_current: bool,
                      folder: Path) -> None:
    """Reference data (the metric registry) and the recomputed near-duplicate pairs, merged by key; both
    documents of every pair that appears, goes or changes (its cluster) join the marts' scope."""
    con.register("_metrics", pd.DataFrame(registry.rows()))
    refs = [("metrics", "SELECT metric, label, subject, unit, kind, direction, target_of, "
                        "tolerance_rel, tolerance_abs FROM _metrics", "metric")]
    if not near_pairs_current:
        refs.append(("stg_near_pairs", "SELECT * FROM work.d_near_pairs", "pair_id"))
        con.execute("""INSERT INTO _scope_doc_id SELECT v FROM (
                 SELECT unnest([doc_id_a, doc_id_b]) AS v FROM (
                     (SELECT * FROM work.d_near_pairs EXCEPT SELECT * FROM stg_near_pairs) UNION ALL
                     (SELECT * FROM stg_near_pairs EXCEPT SELECT * FROM work.d_near_pairs))
                 EXCEPT SELECT v FROM _scope_doc_id)""")
    for name, sql, key in refs:
        i, d = materialize(con, Model(name, "20_staging", "", key, "model", sql, Path()), folder=folder)
        if i:
            c["inserted"][name] = i
        if d:
            c["deleted"][name] = d


def _commit(ctx: RunContext, con: duckdb.DuckDBPyConnection, c: dict, fingerprint: str, decisions: str = "") -> None:
    """Commit the transaction as one data version (with what made it), or roll it back when nothing
    changed; the run learns its snapshot and the newest one."""
    s = ctx.settings
    changed = bool(c["inserted"] or c["deleted"])
    fault_point("load-before-commit")
    if changed:
        inputs = input_fingerprint(con)
        info = {"kind": "data", "run_id": ctx.run_id, "flow_run_id": ctx.flow_run_id, "code_version": code_version(),
                "input_fingerprint": inputs, "models_fingerprint": fingerprint,
                "reviews_fingerprint": decisions,
                "extractor_version": versions.extractor_version(s.metrics_file), "cleaner_version": versions.cleaner_version(),
                "inserted": c["inserted"], "deleted": c["deleted"], "seeds": str(s.seeds)}
        summary = ", ".join(f"{t} +{n}" for t, n in sorted(c["inserted"].items()) if t in ("documents", "claims", "conflicts")) \
            or "changes in staging only"
        con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                    [f"run {ctx.run_id}: {summary}", json.dumps(info, ensure_ascii=False)])
        con.execute("COMMIT")
        ctx.input_fingerprint = inputs      # source_files is the load's alone: the run's record finds it so
        ctx.snapshot_id = data_snapshots(con)[-1]["snapshot_id"]
    else:
        con.execute("ROLLBACK")
        ctx.snapshot_id = None
    ds = data_snapshots(con)
    ctx.current_snapshot = ds[-1]["snapshot_id"] if ds else None
    c["snapshot_id"] = ctx.snapshot_id
    c["changed"] = changed
    c["in"] = sum(c["inserted"].values())
    c["out"] = c["in"]
