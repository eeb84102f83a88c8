"""Stage 2, clean: structure, whitespace and repeated paragraphs, for the new and changed files; every
removal logged. The per-document rules are :func:`vnclaims.text.document.clean_document`.

Reads ``in_text``; writes ``c_copies``, ``c_todo``, ``c_docs``, ``c_sentences``, ``c_log``, ``c_minhash``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from ..claims.as_of import infer_as_of
from ..run.pool import chunks, map_batches
from ..run.scratch import add_rows, columns, empty_columns, put, put_columns, reset, row_batches
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
        prepare = lambda b: chunks([(*r, num_perm) for r in b], ctx.settings, PARALLEL_MIN_FILES)   # noqa: E731
        for results in map_batches(_clean_chunk, todo, ctx.settings, min_parallel=2, prepare=prepare):
            parts = [_take_chunk(c, ch, copies, written, redo) for ch in results]
            for t in ("c_docs", "c_minhash", "c_sentences", "c_log"):
                put_columns(w, t, [x[t] for x in parts])
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
    """One file's text cleaned (see :func:`vnclaims.text.document.clean_document`)."""
    return document.clean_document(*item, infer_as_of=infer_as_of)


PARALLEL_MIN_FILES = 400    # a smaller batch is cleaned in this process (starting the workers costs more)
_SENT_COLS = columns("c_sentences")


def _clean_chunk(items: list[tuple]) -> dict:
    """A worker's share: a chunk of files cleaned (:func:`_clean_one`), their rows column by column (cheaper
    to send back and to turn into DataFrames than a dict per row: the caller was the busiest process of the
    stage), with each file's number of sentences and log entries, its signature and whether it is empty."""
    out = {"c_docs": empty_columns("c_docs"), "c_log": empty_columns("c_log"),
           "c_sentences": empty_columns("c_sentences"), "n_sentences": [], "n_log": [], "signature": [], "empty": []}
    for item in items:
        r = _clean_one(item)
        add_rows(out["c_docs"], (r["doc"],))
        add_rows(out["c_log"], r["log"])
        add_rows(out["c_sentences"], r["sentences"])
        out["n_sentences"].append(len(r["sentences"]))
        out["n_log"].append(len(r["log"]))
        out["signature"].append(r["signature"])
        out["empty"].append(r["empty"])
    return out


def _take_chunk(c: dict, ch: dict, copies: dict[str, int], written: dict[str, str],
                redo: dict[str, list[dict]]) -> dict[str, dict[str, list]]:
    """Count a cleaned chunk's rows and return those to write, column by column: every file's document and
    log; a document's sentences and signature once, from its first file in path order (``written``,
    ``redo``: see :func:`clean`)."""
    docs, sents = ch["c_docs"], ch["c_sentences"]
    rules = ch["c_log"]["rule"]
    keep: list[tuple[int, int]] = []        # the ranges of sentence rows written
    sig_ids, sigs = [], []
    s0 = l0 = 0
    for i, (doc_id, path) in enumerate(zip(docs["doc_id"], docs["source_path"])):
        s1, l1 = s0 + ch["n_sentences"][i], l0 + ch["n_log"][i]
        k = 1 + copies.get(path, 0)
        c["in"] += k
        c["out"] += k
        for rule in rules[l0:l1]:
            c["removed_by_rule"][rule] = c["removed_by_rule"].get(rule, 0) + k
        if ch["empty"][i]:
            c["empty_after_cleaning"] += k
        first = written.get(doc_id)
        if first is None:
            written[doc_id] = path
            keep.append((s0, s1))
            # (the same words give the same signature: one per document)
            sig_ids.append(doc_id)
            sigs.append(ch["signature"][i])
        elif path < first:
            written[doc_id] = path
            redo[doc_id] = [{col: sents[col][j] for col in _SENT_COLS} for j in range(s0, s1)]
        s0, l0 = s1, l1
    if len(keep) != len(docs["doc_id"]):
        sents = {col: [v for a, b in keep for v in values[a:b]] for col, values in sents.items()}
    return {"c_docs": docs, "c_minhash": {"doc_id": sig_ids, "signature": sigs}, "c_sentences": sents,
            "c_log": ch["c_log"]}


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
