"""Stage 2, clean: structure, whitespace and repeated paragraphs, for the new and changed files; every
removal logged. The per-document rules are :func:`vnclaims.text.document.clean_document`.

Reads ``in_text``; writes ``c_copies``, ``c_todo``, ``c_docs``, ``c_sentences``, ``c_log``, ``c_minhash``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from ..claims.as_of import infer_as_of
from ..run.pool import map_batches
from ..run.scratch import columns, put, reset, row_batches
from ..text import document

if TYPE_CHECKING:
    from ..run.context import RunContext

DOC_COLS = columns("c_docs")


def clean(ctx: RunContext) -> dict:
    """Cleaning is a function of the text (and the manifest's date): a file whose text is exactly that of
    another file of this run (an exact copy) is not cleaned again; its rows are the first copy's, under
    its own path, raw_id, publisher and url. Files are cleaned in the order ``in_text`` holds them; a
    document's sentences are those of its first file in path order (the one dedup keeps)."""
    c = {"in": 0, "out": 0, "removed_by_rule": {}, "empty_after_cleaning": 0}
    # document -> the file whose sentences were written (files with other texts can give the same document:
    # the same words, other punctuation or case)
    written: dict[str, str] = {}
    redo: dict[str, list[dict]] = {}     # document -> the sentences of a file earlier in path order
    with ctx.work(appends=True) as w:
        reset(w, "c_docs", "c_sentences", "c_log", "c_minhash")
        copies = _exact_copies(w)   # first path -> how many other files have its text
        todo = row_batches(w, "in_text", "raw_id, source_path, text, published, publisher, url", "source_path",
                           ctx.settings.batch_size, exclude="SELECT source_path FROM c_copies")
        num_perm = ctx.settings.minhash_perm
        for results in map_batches(_clean_one, todo, ctx.settings, prepare=lambda b: [(*r, num_perm) for r in b]):
            docs, sents, logs, sigs = [], [], [], []
            for r in results:
                k = 1 + copies.get(r["doc"]["source_path"], 0)
                c["in"] += k
                c["out"] += k
                for entry in r["log"]:
                    c["removed_by_rule"][entry["rule"]] = c["removed_by_rule"].get(entry["rule"], 0) + k
                logs.extend(r["log"])
                if r["empty"]:
                    c["empty_after_cleaning"] += k
                docs.append(r["doc"])
                doc_id, path = r["doc"]["doc_id"], r["doc"]["source_path"]
                first = written.get(doc_id)
                if first is None:
                    written[doc_id] = path
                    sents.extend(r["sentences"])
                    # (the same words give the same signature: one per document)
                    sigs.append({"doc_id": doc_id, "signature": r["signature"]})
                elif path < first:
                    written[doc_id] = path
                    redo[doc_id] = r["sentences"]
            put(w, "c_docs", docs)
            put(w, "c_minhash", sigs)
            put(w, "c_sentences", sents)
            put(w, "c_log", logs)
        del written
        if redo:
            _replace_sentences(w, redo)
        if copies:
            _copy_rows(w)
    return c


def _replace_sentences(w: duckdb.DuckDBPyConnection, redo: dict[str, list[dict]]) -> None:
    """The sentences of documents first written from a file later in path order, replaced by those of the
    first file (rare: two texts with the same words)."""
    w.execute("CREATE OR REPLACE TEMP TABLE _redo AS SELECT unnest(?::VARCHAR[]) AS doc_id", [sorted(redo)])
    w.execute("DELETE FROM c_sentences WHERE doc_id IN (SELECT doc_id FROM _redo)")
    w.execute("DROP TABLE _redo")
    put(w, "c_sentences", [x for d in sorted(redo) for x in redo[d]])


def _clean_one(item: tuple) -> dict:
    """A worker's share: one file's text cleaned (see :func:`vnclaims.text.document.clean_document`)."""
    return document.clean_document(*item, infer_as_of=infer_as_of)


def _exact_copies(w: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """``c_copies``: every file of ``in_text`` whose text and date are exactly those of a file earlier in path
    order (grouped by a 64-bit hash, then compared in full), with that first file; ``c_todo``: the others,
    which are cleaned. Returns first path -> number of copies."""
    w.execute("""CREATE OR REPLACE TABLE c_copies AS
        WITH k AS (SELECT source_path, hash(text) AS h, coalesce(published, '') AS p FROM in_text),
        g AS (SELECT h, p FROM k GROUP BY ALL HAVING count(*) > 1),
        m AS (SELECT k.source_path, min(k.source_path) OVER (PARTITION BY k.h, k.p) AS first_path
              FROM k SEMI JOIN g ON k.h = g.h AND k.p = g.p)
        SELECT m.source_path, m.first_path FROM m
        JOIN in_text a ON a.source_path = m.source_path JOIN in_text b ON b.source_path = m.first_path
        WHERE m.source_path <> m.first_path AND a.text = b.text""")
    w.execute("CREATE OR REPLACE VIEW c_todo AS SELECT * FROM in_text ANTI JOIN c_copies USING (source_path)")
    return dict(w.execute("SELECT first_path, count(*) FROM c_copies GROUP BY ALL").fetchall())


def _copy_rows(w: duckdb.DuckDBPyConnection) -> None:
    """The exact copies get their first file's document and cleaning log, under their own path, raw_id,
    publisher and url."""
    w.execute("""INSERT INTO c_log BY NAME
        SELECT l.* REPLACE (t.raw_id AS raw_id) FROM c_copies x JOIN in_text t ON t.source_path = x.source_path
        JOIN c_docs d ON d.source_path = x.first_path JOIN c_log l ON l.raw_id = d.raw_id""")
    w.execute("""INSERT INTO c_docs BY NAME
        SELECT d.* REPLACE (t.raw_id AS raw_id, t.source_path AS source_path, t.publisher AS publisher,
                            t.url AS url)
        FROM c_copies x JOIN in_text t ON t.source_path = x.source_path
        JOIN c_docs d ON d.source_path = x.first_path""")
