"""Stage 3, dedup: exact duplicates (the same cleaned content gives the same doc_id: extracted once) and
near-duplicates (MinHash-LSH over every current document; both kept and linked).

Reads ``in_source_files``, ``c_docs``, ``c_minhash`` and the lake; writes ``d_new_docs``, ``d_file_docs``,
``d_recleaned``, ``d_minhash``, ``d_near_pairs``; sets ``ctx.near_pairs_current`` (read by load).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

from ..text.minhash import NearPair, clusters, differing_numbers, find_near_pairs
from ..run.scratch import columns, lake_attached, lake_read, put, reset
from ..settings import Settings
from ..lake.connect import connect, warehouse_exists

if TYPE_CHECKING:
    from ..run.context import RunContext

# what cleaning gives a document besides its id (which hashes its title and body words and its date)
RECLEAN_COLS = ["title", "author", "source_tag", "lead", "captions", "body", "as_of", "as_of_year", "as_of_source",
                "as_of_evidence", "n_paragraphs", "n_sentences"]
PAIR_COLS = columns("d_near_pairs")


def dedup(ctx: RunContext) -> dict:
    """Which documents are new, which known ones the cleaner now reads differently, which files are exact
    copies, and the near-duplicate pairs among the current documents (found once, when the later of two
    documents arrives)."""
    s = ctx.settings
    c = {"in": 0, "exact_duplicate_files": 0, "already_known_documents": 0, "new_documents": 0,
         "near_duplicate_pairs": 0, "near_duplicate_clusters": 0}
    params = json.dumps({"shingle": "word 5-grams (digits, diacritics kept)", "num_perm": s.minhash_perm,
                         "bands": s.lsh_bands, "threshold": s.near_dup_threshold})
    with ctx.work() as w:
        same_params = all(r[0] == params for r in
                          lake_read(s, {"p": "SELECT DISTINCT params FROM stg_near_pairs"})["p"])
        if same_params and not w.execute("SELECT count(*) FROM in_source_files").fetchone()[0]:
            # no file is new, changed or gone, and the settings are the same: the documents and their
            # near-duplicate pairs stand as they are
            w.execute("CREATE OR REPLACE TABLE d_new_docs AS SELECT * FROM c_docs LIMIT 0")
            w.execute("CREATE OR REPLACE TABLE d_file_docs AS SELECT source_path, doc_id FROM c_docs LIMIT 0")
            w.execute("CREATE OR REPLACE TABLE d_recleaned AS SELECT * FROM c_docs LIMIT 0")
            reset(w, "d_minhash")
            ctx.near_pairs_current = True
            return {**c, "skipped": "no new, changed or removed file", "out": 0}
    prev = lake_read(s, {      # one connection to the lake for the three (each opening costs ~0.1 s)
        "docs": "SELECT doc_id FROM stg_documents",
        "files": "SELECT source_path, doc_id, status FROM source_files WHERE status = 'ok'",
        "pairs": f"SELECT {', '.join(PAIR_COLS)} FROM stg_near_pairs",
    })
    known_docs = {r[0] for r in prev["docs"]}
    with ctx.work() as w:
        c["in"] = w.execute("SELECT count(*) FROM c_docs").fetchone()[0]
        w.execute("""CREATE OR REPLACE TABLE d_new_docs AS
                     SELECT * FROM c_docs QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY source_path) = 1""")
        if known_docs:
            w.register("_known", pd.DataFrame({"doc_id": sorted(known_docs)}))
            c["already_known_documents"] = w.execute("SELECT count(*) FROM d_new_docs WHERE doc_id IN (SELECT doc_id FROM _known)").fetchone()[0]
            w.execute("DELETE FROM d_new_docs WHERE doc_id IN (SELECT doc_id FROM _known)")
        c["new_documents"] = w.execute("SELECT count(*) FROM d_new_docs").fetchone()[0]
        # current file -> doc map after this run
        w.execute("CREATE OR REPLACE TABLE d_file_docs AS SELECT source_path, doc_id FROM c_docs")
        cur_files = {r[0]: r[1] for r in prev["files"]}
        changed = {r[0] for r in w.execute("SELECT source_path FROM in_source_files").fetchall()}
        for p in changed:
            cur_files.pop(p, None)
        for p, d in w.execute("SELECT source_path, doc_id FROM c_docs").fetchall():
            cur_files[p] = d
        c["known_documents_cleaned_differently"] = _recleaned(s, w, known_docs, cur_files)
        doc_count: dict[str, int] = {}
        for d in cur_files.values():
            doc_count[d] = doc_count.get(d, 0) + 1
        c["exact_duplicate_files"] = sum(n - 1 for n in doc_count.values())
        # signatures for the new documents: clean made them (from the tokens it hashed)
        reset(w, "d_minhash")
        w.execute("INSERT INTO d_minhash SELECT doc_id, signature FROM c_minhash SEMI JOIN d_new_docs USING (doc_id)")
        current_docs = set(doc_count)
        fresh = current_docs - {r[1] for r in prev["files"]}   # documents that were not current before this run
        rows, found, n_clusters = _near_pairs(s, w, params, current_docs, fresh, prev.pop("pairs"))
        c["near_duplicate_pairs_new"] = found
        w.execute("DROP TABLE IF EXISTS d_near_pairs")
        put(w, "d_near_pairs", rows)
        c["near_duplicate_pairs"] = len(rows)
        c["near_duplicate_clusters"] = n_clusters
    c["out"] = c["new_documents"]
    return c


def _near_pairs(s: Settings, w: duckdb.DuckDBPyConnection, params: str, current_docs: set[str],
                fresh: set[str], old_pairs: list[tuple]) -> tuple[list[dict], int, int]:
    """The near-duplicate pairs among the current documents: the lake's (``old_pairs``, rows of PAIR_COLS)
    that still stand, and those the fresh documents make. Returns (rows, how many are new, how many clusters)."""
    # a pair is found once, when the later of its two documents arrives; it stays while both are
    # current (the same settings: otherwise every pair is looked for again)
    incremental = all(r[8] == params for r in old_pairs)
    kept = [dict(zip(PAIR_COLS, r)) for r in old_pairs
            if incremental and r[1] in current_docs and r[2] in current_docs]
    found = []
    if fresh or not incremental:
        ids, mat = _signatures(s, current_docs, w)
        if len(ids) > 1:
            only = np.fromiter((d in fresh for d in ids), dtype=bool, count=len(ids)) if incremental else None
            found = find_near_pairs(ids, mat, s.near_dup_threshold, s.lsh_bands, only=only)
    known_pairs = {(r["doc_id_a"], r["doc_id_b"]) for r in kept}
    found = [p for p in found if (p.doc_a, p.doc_b) not in known_pairs]
    cl = clusters([*(NearPair(r["doc_id_a"], r["doc_id_b"], r["similarity"]) for r in kept), *found])
    rows = [{**r, "cluster_id": cl.get(r["doc_id_a"])} for r in kept]
    if found:
        bodies = _bodies(s, w, sorted({p.doc_a for p in found} | {p.doc_b for p in found}))
        for p in found:
            only_a, only_b = differing_numbers(bodies.get(p.doc_a, ""), bodies.get(p.doc_b, ""))
            rows.append({"pair_id": hashlib.sha256(f"{p.doc_a}|{p.doc_b}".encode()).hexdigest()[:20],
                         "doc_id_a": p.doc_a, "doc_id_b": p.doc_b, "similarity": p.similarity,
                         "cluster_id": cl.get(p.doc_a), "numbers_only_in_a": ", ".join(only_a) or None,
                         "numbers_only_in_b": ", ".join(only_b) or None, "method": "minhash-lsh", "params": params})
    return rows, len(found), len(set(cl.values()))


def _bodies(s: Settings, w: duckdb.DuckDBPyConnection, need: list[str]) -> dict[str, str]:
    """The bodies of these documents: this run's new ones from scratch, the others from the lake."""
    bodies = {}
    w.register("_need", pd.DataFrame({"doc_id": need}))
    bodies.update(dict(w.execute("SELECT doc_id, body FROM d_new_docs WHERE doc_id IN (SELECT doc_id FROM _need)").fetchall()))
    missing = [d for d in need if d not in bodies]
    if missing:
        lake = connect(s, read_only=True)
        try:
            lake.register("_need", pd.DataFrame({"doc_id": missing}))
            bodies.update(dict(lake.execute("SELECT doc_id, body FROM stg_documents WHERE doc_id IN (SELECT doc_id FROM _need)").fetchall()))
        finally:
            lake.close()
    return bodies


def _signatures(s: Settings, current: set[str], w: duckdb.DuckDBPyConnection) -> tuple[list[str], np.ndarray]:
    """The MinHash matrix of the current documents (doc_id order): this run's signatures (scratch
    ``d_minhash``) plus the lake's, streamed into one preallocated array (a million documents: 0.5 GB,
    with no dict of signatures besides)."""
    new = {r[0] for r in w.execute("SELECT doc_id FROM d_minhash").fetchall()}
    stored: list[str] = []
    if warehouse_exists(s):
        con = connect(s, read_only=True)
        try:
            with contextlib.suppress(duckdb.CatalogException):
                stored = [r[0] for r in con.execute("SELECT doc_id FROM stg_minhash").fetchall()]
            ids = sorted({d for d in stored if d in current} | {d for d in new if d in current})
            index = {d: i for i, d in enumerate(ids)}
            mat = np.zeros((len(ids), s.minhash_perm), dtype=np.uint32)
            filled = np.zeros(len(ids), dtype=bool)
            if stored:
                cur = con.execute("SELECT doc_id, signature FROM stg_minhash")
                while rows := cur.fetchmany(20_000):
                    for d, sig in rows:
                        k = index.get(d)
                        if k is not None and d not in new and len(sig) == 4 * s.minhash_perm:
                            mat[k] = np.frombuffer(sig, dtype=np.uint32)
                            filled[k] = True
        finally:
            con.close()
    else:
        ids = sorted(d for d in new if d in current)
        index = {d: i for i, d in enumerate(ids)}
        mat = np.zeros((len(ids), s.minhash_perm), dtype=np.uint32)
        filled = np.zeros(len(ids), dtype=bool)
    cur = w.execute("SELECT doc_id, signature FROM d_minhash")
    while rows := cur.fetchmany(20_000):
        for d, sig in rows:
            k = index.get(d)
            if k is not None:
                mat[k] = np.frombuffer(sig, dtype=np.uint32)
                filled[k] = True
    del new, stored
    if not filled.all():          # signatures made with other settings (num_perm) are not compared
        ids, mat = [d for d, f in zip(ids, filled) if f], mat[filled]
    return ids, mat


def _recleaned(s: Settings, w: duckdb.DuckDBPyConnection, known_docs: set[str], cur_files: dict[str, str]) -> int:
    """``d_recleaned``: the known documents whose representative file (their first current path) this run
    cleaned, and which the cleaner now gives another title, byline, body, sentences or date than the lake
    holds (a file cleaned by another cleaner version; the same words in another layout). Their rows are
    replaced and their claims extracted again. Returns how many."""
    w.execute("CREATE OR REPLACE TABLE d_recleaned AS SELECT * FROM c_docs LIMIT 0")
    here = {r[0] for r in w.execute("SELECT DISTINCT doc_id FROM c_docs").fetchall()} & known_docs
    if not here:
        return 0
    rep: dict[str, str] = {}
    for path, d in cur_files.items():
        if d in here and (d not in rep or path < rep[d]):
            rep[d] = path
    w.register("_rep", pd.DataFrame({"doc_id": list(rep), "source_path": list(rep.values())}))
    try:
        with lake_attached(w, s):
            w.execute(f"""INSERT INTO d_recleaned SELECT c.* FROM c_docs c JOIN _rep r USING (doc_id, source_path)
                          JOIN lake.main.stg_documents d USING (doc_id)
                          WHERE {' OR '.join(f'c.{x} IS DISTINCT FROM d.{x}' for x in RECLEAN_COLS)}""")
    finally:
        w.unregister("_rep")
    return w.execute("SELECT count(*) FROM d_recleaned").fetchone()[0]
