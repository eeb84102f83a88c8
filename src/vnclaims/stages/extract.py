"""Stage 4, extract: claims and entity mentions for each new document, and for each known document whose
claims another extractor version made (or that the cleaner now reads differently). The per-document
rules are :func:`vnclaims.claims.document.extract_one`.

Reads ``c_docs``, ``c_sentences``, ``d_new_docs``, ``d_recleaned`` and the lake; writes ``x_docs``,
``x_sentences``, ``e_todo``, ``e_spans``, then ``e_claims``, ``e_mentions``, ``e_extracted``, ``e_asof``.

:func:`extract` runs in this process on all cores; :func:`extract_plan` / :func:`extract_part` /
:func:`extract_merge` do the same cut into parts that other processes or hosts can run (the Dask task
runner).
"""
from __future__ import annotations

import functools
import gc
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import duckdb

from .. import versions
from ..claims.document import extract_one
from ..claims.metrics import load_registry
from ..run.pool import chunks, map_batches
from ..run.scratch import (add_rows, batches, columns, empty_columns, lake_attached, parts_dir, put, put_parts,
                             reset, row_batches, rows_dir, rows_file)
from ..settings import Settings
from ..text.sentences import split_sentences
from ..errors import WarehouseError
from ..lake.connect import warehouse_exists

if TYPE_CHECKING:
    from ..run.context import RunContext

CLAIM_COLS = columns("e_claims")
MENTION_COLS = columns("e_mentions")
EXTRACTED_COLS = columns("e_extracted")
ASOF_COLS = columns("e_asof")
# what the extract stage writes to the scratch database (and a Dask part to its Parquet files)
E_TABLES = {"e_claims": CLAIM_COLS, "e_mentions": MENTION_COLS, "e_extracted": EXTRACTED_COLS, "e_asof": ASOF_COLS}

_TODO_COLS = "doc_id, source_path, body, as_of, as_of_source, as_of_evidence"
_DOC_FIELDS = _TODO_COLS + ", again"
GC_THRESHOLD = 20_000          # gen-0 allocations between collections in an extracting process (see _registry)
RECLEANED = "(cleaned differently)"      # x_docs.was_version of a document extracted again for its new text


def extract(ctx: RunContext) -> dict:
    """Plan the documents to extract, extract them a batch at a time (on all cores for large batches)
    and write their rows."""
    s = ctx.settings
    n_docs = 0
    folder = rows_dir(s, ctx.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with ctx.work(appends=True) as w:
            version = plan_extraction(ctx, w)
            reset(w, *E_TABLES)
            prepare = lambda b: chunks(_extract_items(w, b[1], s.metrics_file, version, ctx.run_id, spans=b[0]),  # noqa: E731
                                       s, PARALLEL_MIN_DOCS)
            work = functools.partial(_extract_chunk, folder=str(folder))
            for results in map_batches(work, _todo(w, s.batch_size), s, min_parallel=2, prepare=prepare):
                parts = list(results)
                n_docs += sum(ch["documents"] for ch in parts)
                for t in E_TABLES:
                    put_parts(w, t, [ch[t] for ch in parts])
            return _extract_counts(w, n_docs, s, version)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


PARALLEL_MIN_DOCS = 200     # a smaller batch is extracted in this process (starting the workers costs more)


def _extract_chunk(items: list[tuple], folder: str | None = None) -> dict:
    """A worker's share: the rows of a chunk of documents (:func:`_extract_one`, gathered by :func:`_collect`)
    for each of :data:`E_TABLES`, written to a JSON file in ``folder`` (its path is sent back: see
    :func:`~vnclaims.run.scratch.rows_file`), or column by column where a table's rows cannot be written so (or
    ``folder`` is None). At 100,000 files, files cost the worker ~2.4 us a claim and the caller ~3.3 us of
    DuckDB's CPU; columns cost the worker ~8 us (the columns, pickling) and the caller ~12 us (unpickling,
    pandas, DuckDB's conversion of every value), and the caller was the busiest process of the stage.
    ``documents``: how many documents the chunk held."""
    out: dict = {"documents": len(items)}
    for t, rows in _collect(map(_extract_one, items)).items():
        out[t] = rows_file(folder, t, rows) if folder else None
        if out[t] is None:          # columns instead
            out[t] = empty_columns(t)
            add_rows(out[t], rows)
    return out


def plan_extraction(ctx: RunContext, w: duckdb.DuckDBPyConnection) -> str:
    """What the extract stage extracts (``e_todo``, with sentence spans in ``e_spans``): the new documents,
    and every current document of the lake whose claims were extracted by another extractor version (other
    rules, another metric registry: see :func:`vnclaims.versions.extractor_version`), or all of them with
    ``reextract``. Those are copied from the lake (``x_docs``, ``x_sentences``). Returns the version."""
    s = ctx.settings
    version = versions.extractor_version(s.metrics_file)
    w.execute("CREATE OR REPLACE TABLE x_docs (doc_id VARCHAR, source_path VARCHAR, body VARCHAR, as_of VARCHAR, "
              "as_of_source VARCHAR, as_of_evidence VARCHAR, was_version VARCHAR)")
    w.execute("CREATE OR REPLACE TABLE x_sentences (doc_id VARCHAR, sentence_index INTEGER, char_start INTEGER, "
              "char_end INTEGER)")
    if warehouse_exists(s):
        _stale_from_lake(w, s, version)
    # documents cleaned differently this run: extracted again from their new text (not the lake's)
    w.execute(f"""INSERT INTO x_docs SELECT {_TODO_COLS}, '{RECLEANED}' FROM d_recleaned""")
    w.execute("""INSERT INTO x_sentences SELECT doc_id, sentence_index, char_start, char_end
                 FROM c_sentences SEMI JOIN d_recleaned USING (doc_id)""")
    w.execute(f"""CREATE OR REPLACE VIEW e_todo AS
        SELECT {_TODO_COLS}, false AS again FROM d_new_docs
        UNION ALL SELECT {_TODO_COLS}, true FROM x_docs""")
    w.execute("""CREATE OR REPLACE VIEW e_spans AS
        SELECT doc_id, sentence_index, char_start, char_end FROM c_sentences SEMI JOIN d_new_docs USING (doc_id)
        UNION ALL SELECT doc_id, sentence_index, char_start, char_end FROM x_sentences""")
    again = _again_counts(w, s, version)
    if again["extracted_again"]:
        ctx.log(f"extract: {again['extracted_again']} document(s) already in the warehouse are extracted again: "
                f"{again['again_because']}")
    return version


def _stale_from_lake(w: duckdb.DuckDBPyConnection, s: Settings, version: str) -> None:
    """Copy to ``x_docs``/``x_sentences`` the lake's current documents (and those of this run's files: a file
    back to an old version) whose claims another extractor version made."""
    with lake_attached(w, s) as tables:
        if not {"stg_documents", "stg_sentences", "documents"} <= tables:
            return
        done = ("SELECT doc_id, extractor_version FROM lake.main.stg_extractions" if "stg_extractions" in tables
                else "SELECT NULL::VARCHAR AS doc_id, NULL::VARCHAR AS extractor_version WHERE false")
        # by id first (a few columns of ids: usually none is stale, and no text is read)
        w.execute(f"""CREATE OR REPLACE TEMP TABLE _stale AS
            WITH cand AS (SELECT doc_id FROM lake.main.documents UNION SELECT doc_id FROM c_docs),
                 done AS ({done})
            SELECT c.doc_id, e.extractor_version AS was_version FROM cand c LEFT JOIN done e USING (doc_id)
            WHERE c.doc_id NOT IN (SELECT doc_id FROM d_new_docs)
              AND c.doc_id NOT IN (SELECT doc_id FROM d_recleaned)
              AND (? OR e.extractor_version IS DISTINCT FROM ?)""", [bool(s.reextract), version])
        if w.execute("SELECT count(*) FROM _stale").fetchone()[0]:
            w.execute("""INSERT INTO x_docs
                SELECT d.doc_id, d.source_path, d.body, d.as_of, d.as_of_source, d.as_of_evidence, x.was_version
                FROM lake.main.stg_documents d JOIN _stale x USING (doc_id)""")
            w.execute("""INSERT INTO x_sentences SELECT doc_id, sentence_index, char_start, char_end
                         FROM lake.main.stg_sentences SEMI JOIN x_docs USING (doc_id)""")
        w.execute("DROP TABLE _stale")


SPLIT = "split"     # a batch whose sentence spans the workers compute from the body (see _todo)


def _todo(w: duckdb.DuckDBPyConnection, size: int) -> Iterator[tuple[str, list[tuple]]]:
    """``e_todo`` a batch at a time, read from its two tables in the order they hold their rows (see
    :func:`~vnclaims.run.scratch.row_batches`), each batch with where its sentence spans come from: the new
    documents were cleaned in this run, so theirs are ``split_sentences(body)`` (what clean wrote to
    ``c_sentences``; the workers compute them again, instead of this process reading them with a join over
    every sentence for each batch: 2.9 s of 23 s at 100,000 files, ~0.1 s a batch at a million); the documents
    extracted again keep the sentences the lake has for them (``x_sentences``: cut by the cleaner that cleaned
    them)."""
    for table, again, spans in (("d_new_docs", "false", SPLIT), ("x_docs", "true", "x_sentences")):
        for rows in row_batches(w, table, f"{_TODO_COLS}, {again} AS again", "doc_id", size):
            yield spans, rows


def _extract_items(w: duckdb.DuckDBPyConnection, batch: list[tuple], metrics_file: Path, version: str,
                   run_id: str, spans: str | None = None) -> list[tuple]:
    """The work items of a batch of documents, each with its sentence spans: from the table ``spans`` for
    the batch's documents, none (:data:`SPLIT`: the worker splits the body), or (None: a batch of ``e_todo``
    in doc_id order) from ``e_spans`` between its first and last doc_id."""
    if spans == SPLIT:
        return [(*r[:7], None, str(metrics_file), version, run_id) for r in batch]
    if spans is None:
        q, params = ("SELECT doc_id, char_start, char_end FROM e_spans WHERE doc_id BETWEEN ? AND ? "
                     "ORDER BY doc_id, sentence_index"), [batch[0][0], batch[-1][0]]
    else:
        q, params = (f"SELECT doc_id, char_start, char_end FROM {spans} "
                     "SEMI JOIN (SELECT unnest(?::VARCHAR[]) AS doc_id) b USING (doc_id) "
                     "ORDER BY doc_id, sentence_index"), [[r[0] for r in batch]]
    by_doc: dict[str, list] = {}
    for doc_id, a, b in w.execute(q, params).fetchall():
        by_doc.setdefault(doc_id, []).append((a, b))
    return [(*r[:7], by_doc.get(r[0], []), str(metrics_file), version, run_id) for r in batch]


@functools.lru_cache(maxsize=4)
def _registry(metrics_file: str, version: str):
    """The metric registry of a batch's extractor version: read once per version, not checked per document
    (the version already changes with the file). The process that extracts also collects its young objects
    less often (GC_THRESHOLD): every claim row is a few dicts that live until its batch is sent, and the
    sentence memo keeps thousands, so the default threshold (700) ran the cyclic collector over them
    thousands of times a batch, ~5 % of extraction; it finds no cycles there."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    return load_registry(metrics_file)


def _extract_one(item: tuple) -> tuple[list[dict], list[dict], dict, dict | None]:
    """A worker's share: one document's claims and entity mentions, its extraction record, and its new
    reference date if the extractor now infers another (see :func:`vnclaims.claims.document.extract_one`)."""
    (doc_id, path, body, as_of, as_of_source, as_of_evidence, again, sentences, metrics_file, version,
     run_id) = item
    if sentences is None:       # a document cleaned in this run: the spans clean wrote (see _todo)
        sentences = split_sentences(body)
    rows, mentions, asof = extract_one(doc_id, path, body, sentences, as_of, as_of_source, as_of_evidence, again,
                                       _registry(metrics_file, version))
    record = {"doc_id": doc_id, "extractor_version": version, "claims": len(rows), "entity_mentions": len(mentions),
              "run_id": run_id}
    return rows, mentions, record, asof


def _collect(results: Iterable[tuple]) -> dict[str, list[dict]]:
    """The rows of :data:`E_TABLES` from :func:`_extract_one` results."""
    out: dict[str, list[dict]] = {t: [] for t in E_TABLES}
    for claims, mentions, record, asof in results:
        out["e_claims"].extend(claims)
        out["e_mentions"].extend(mentions)
        out["e_extracted"].append(record)
        if asof:
            out["e_asof"].append(asof)
    return out


def _again_counts(con: duckdb.DuckDBPyConnection, s: Settings, version: str) -> dict:
    """How many known documents are extracted again, and why."""
    by = dict(con.execute("SELECT was_version, count(*) FROM x_docs GROUP BY ALL").fetchall())
    n = sum(by.values())
    why = []
    if by.get(RECLEANED):
        why.append(f"{by.pop(RECLEANED)} whose text the cleaner now gives differently")
    if by and s.reextract:
        why.append(f"{sum(by.values())} as asked to (--reextract / VNCLAIMS_REEXTRACT)")
    elif by:
        for was, k in sorted(by.items(), key=lambda kv: (kv[0] is None, str(kv[0]))):
            why.append(f"{k} extracted by extractor version {was}" if was is not None else
                       f"{k} with no extractor version recorded (extracted by an earlier vnclaims)")
        why[-1] += f"; the extractor (rules or metric registry) is now version {version}"
    return {"extractor_version": version, "extracted_again": n, "again_because": "; ".join(why) or None}


def _extract_counts(con: duckdb.DuckDBPyConnection, n_docs: int, s: Settings, version: str) -> dict:
    by_metric = dict(con.execute("SELECT metric, count(*) FROM e_claims GROUP BY 1 ORDER BY 1").fetchall())
    n = sum(by_metric.values())
    return {"in": n_docs, "claims": n, "classified": n - by_metric.get("unclassified", 0),
            "unclassified": by_metric.get("unclassified", 0),
            "entity_mentions": con.execute("SELECT count(*) FROM e_mentions").fetchone()[0],
            **_again_counts(con, s, version),
            "dates_inferred_again": con.execute("SELECT count(*) FROM e_asof").fetchone()[0],
            "by_metric": by_metric, "out": n}


# ---------------------------------------------------------------- the same, in parts (Dask task runner)
def extract_plan(ctx: RunContext) -> list[tuple[str, str]]:
    """The documents to extract cut into parts of ``batch_size``: [(first doc_id, last doc_id)]."""
    with ctx.work() as w:
        plan_extraction(ctx, w)
        return [(b[0][0], b[-1][0]) for b in batches(w, "e_todo", "doc_id", "doc_id", ctx.settings.batch_size)]


def extract_part(settings: Settings, run_id: str, part: int, first: str, last: str) -> dict:
    """Extract one part in any process that sees the warehouse folder: it reads the run's scratch
    database read-only and writes its claims, mentions and extraction records as Parquet files beside it."""
    scratch = settings.warehouse / ".work" / f"{run_id}.duckdb"
    out = parts_dir(settings, run_id)
    out.mkdir(parents=True, exist_ok=True)
    version = versions.extractor_version(settings.metrics_file)     # this worker's: the code it runs
    con = duckdb.connect(str(scratch), read_only=True, config=settings.duckdb_config(scratch=True))
    try:
        batch = con.execute(f"SELECT {_DOC_FIELDS} FROM e_todo WHERE doc_id BETWEEN ? AND ? ORDER BY doc_id",
                            [first, last]).fetchall()
        items = _extract_items(con, batch, settings.metrics_file, version, run_id) if batch else []
    finally:
        con.close()
    rows = _collect(map(_extract_one, items))
    mem = duckdb.connect()
    try:
        for table in E_TABLES:
            put(mem, table, rows[table])
            tmp = out / f"{table}-{part:05d}.parquet.tmp"
            mem.execute(f"COPY {table} TO '{tmp}' (FORMAT parquet)")
            os.replace(tmp, out / f"{table}-{part:05d}.parquet")
    finally:
        mem.close()
    return {"part": part, "documents": len(items), "claims": len(rows["e_claims"]), "host": os.uname().nodename,
            "pid": os.getpid()}


def extract_merge(ctx: RunContext, parts: list[dict]) -> dict:
    """Load the parts' Parquet files into the run's scratch (all of them, or none: a missing part fails)."""
    out = parts_dir(ctx.settings, ctx.run_id)
    files = {t: [out / f"{t}-{p['part']:05d}.parquet" for p in sorted(parts, key=lambda p: p["part"])]
             for t in E_TABLES}
    missing = [str(f) for fs in files.values() for f in fs if not f.exists()]
    if missing:
        raise WarehouseError(f"extraction parts are missing ({len(missing)}), e.g. {missing[0]}")
    with ctx.work() as w:
        reset(w, *E_TABLES)
        for t, fs in files.items():
            if fs:
                w.execute(f"INSERT INTO {t} BY NAME SELECT * FROM read_parquet(?)", [[str(f) for f in fs]])
        c = _extract_counts(w, sum(p["documents"] for p in parts), ctx.settings,
                            versions.extractor_version(ctx.settings.metrics_file))
    shutil.rmtree(out, ignore_errors=True)
    c["parts"] = len(parts)
    c["workers"] = sorted({f"{p['host']}:{p['pid']}" for p in parts})
    return c
