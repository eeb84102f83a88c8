"""Stage 3, dedup: exact duplicates (the same cleaned content gives the same doc_id: extracted once) and
near-duplicates (MinHash-LSH over every current document; both kept and linked).

Reads ``in_source_files``, ``c_docs``, ``c_minhash`` and the lake; writes ``d_new_docs``, ``d_file_docs``,
``d_recleaned``, ``d_minhash``, ``d_near_pairs``; sets ``ctx.near_pairs_current`` (read by load).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from typing import TYPE_CHECKING, Iterator

import duckdb
import numpy as np
import pandas as pd

from ..dedup.lsh import (FreshBuckets, band_keys, cluster_ids, differing_numbers, find_near_pairs, sharing_a_bucket)
from ..run.scratch import columns, lake_attached, put, reset
from ..settings import Settings
from ..lake.connect import warehouse_exists

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
    # the lake is attached once for the whole stage (an open of the lake: ~0.1 s)
    with ctx.work() as w, _lake(w, s) as have:
        same_params = all(r[0] == params for r in w.execute(
            "SELECT DISTINCT params FROM lake.main.stg_near_pairs").fetchall()) if "stg_near_pairs" in have else True
        if same_params and not w.execute("SELECT count(*) FROM in_source_files").fetchone()[0]:
            # no file is new, changed or gone, and the settings are the same: the documents and their
            # near-duplicate pairs stand as they are
            w.execute("CREATE OR REPLACE TABLE d_new_docs AS SELECT * FROM c_docs LIMIT 0")
            w.execute("CREATE OR REPLACE TABLE d_file_docs AS SELECT source_path, doc_id FROM c_docs LIMIT 0")
            w.execute("CREATE OR REPLACE TABLE d_recleaned AS SELECT * FROM c_docs LIMIT 0")
            reset(w, "d_minhash")
            ctx.near_pairs_current = True
            return {**c, "skipped": "no new, changed or removed file", "out": 0}
        _previous(w, have)
        c["in"] = w.execute("SELECT count(*) FROM c_docs").fetchone()[0]
        # one row per document, its first path (a join on the first paths: a window over every column of
        # c_docs held the bodies of a million documents in DuckDB's memory at once)
        # (made without a DELETE: extract reads it by row id, which a deleted row could renumber)
        c["already_known_documents"] = w.execute(
            "SELECT count(DISTINCT doc_id) FROM c_docs SEMI JOIN _known USING (doc_id)").fetchone()[0]
        w.execute("""CREATE OR REPLACE TABLE d_new_docs AS
                     SELECT c.* FROM c_docs c
                     SEMI JOIN (SELECT doc_id, min(source_path) AS source_path FROM c_docs GROUP BY doc_id) f
                       USING (doc_id, source_path)
                     ANTI JOIN _known USING (doc_id)""")
        c["new_documents"] = w.execute("SELECT count(*) FROM d_new_docs").fetchone()[0]
        w.execute("CREATE OR REPLACE TABLE d_file_docs AS SELECT source_path, doc_id FROM c_docs")
        # the current file -> document map after this run, in DuckDB (a million files: no Python dicts of them)
        w.execute("""CREATE OR REPLACE TEMP TABLE _cur_files AS
                     SELECT source_path, doc_id FROM _prev_files
                        ANTI JOIN in_source_files USING (source_path) ANTI JOIN c_docs USING (source_path)
                     UNION ALL SELECT source_path, doc_id FROM c_docs""")
        c["known_documents_cleaned_differently"] = _recleaned(w, have, c["already_known_documents"] > 0)
        c["exact_duplicate_files"] = w.execute("SELECT count(*) - count(DISTINCT doc_id) FROM _cur_files").fetchone()[0]
        # signatures for the new documents: clean made them (from the tokens it hashed)
        reset(w, "d_minhash")
        w.execute("INSERT INTO d_minhash SELECT doc_id, signature FROM c_minhash SEMI JOIN d_new_docs USING (doc_id)")
        w.execute("CREATE OR REPLACE TEMP TABLE _current AS SELECT DISTINCT doc_id FROM _cur_files")
        # documents that were not current before this run
        w.execute("CREATE OR REPLACE TEMP TABLE _fresh AS SELECT doc_id FROM _current ANTI JOIN _prev_files USING (doc_id)")
        c["near_duplicate_pairs"], c["near_duplicate_pairs_new"], c["near_duplicate_clusters"] = \
            _near_pairs(s, w, params, have)
    c["out"] = c["new_documents"]
    return c


@contextlib.contextmanager
def _lake(w: duckdb.DuckDBPyConnection, s: Settings) -> Iterator[set[str]]:
    """The lake attached to the scratch connection (its table names), or nothing (no warehouse yet)."""
    if not warehouse_exists(s):
        yield set()
        return
    with lake_attached(w, s) as have:
        yield have


def _previous(w: duckdb.DuckDBPyConnection, have: set[str]) -> None:
    """Views of what the lake holds: ``_prev_files`` (its current files), ``_known`` (its documents) and
    ``_sigs_lake`` (its signatures); empty when it has no such table."""
    def view(name: str, table: str, sql: str, empty: str) -> None:
        w.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql if table in have else empty}")
    view("_prev_files", "source_files", "SELECT source_path, doc_id FROM lake.main.source_files WHERE status = 'ok'",
         "SELECT NULL::VARCHAR AS source_path, NULL::VARCHAR AS doc_id LIMIT 0")
    view("_known", "stg_documents", "SELECT doc_id FROM lake.main.stg_documents", "SELECT NULL::VARCHAR AS doc_id LIMIT 0")
    view("_sigs_lake", "stg_minhash", "SELECT doc_id, signature FROM lake.main.stg_minhash",
         "SELECT NULL::VARCHAR AS doc_id, NULL::BLOB AS signature LIMIT 0")


def _near_pairs(s: Settings, w: duckdb.DuckDBPyConnection, params: str, have: set[str]) -> tuple[int, int, int]:
    """``d_near_pairs``: the near-duplicate pairs among the current documents, the lake's that still stand
    and those the fresh documents make. Returns (how many pairs, how many are new, how many clusters)."""
    w.execute("DROP TABLE IF EXISTS d_near_pairs")
    put(w, "d_near_pairs", [])
    # a pair is found once, when the later of its two documents arrives; it stays while both are current
    # and the settings are the same (otherwise every pair is looked for again). The pairs that stay are
    # copied in DuckDB, only their doc ids read here (their rows through Python: ~0.5 s at a million files)
    incremental = "stg_near_pairs" not in have or not w.execute(
        "SELECT count(*) FROM lake.main.stg_near_pairs WHERE params IS DISTINCT FROM ?", [params]).fetchone()[0]
    w.execute(f"""CREATE OR REPLACE TEMP TABLE _kept_pairs AS SELECT {', '.join(PAIR_COLS)} FROM lake.main.stg_near_pairs
                  WHERE doc_id_a IN (SELECT doc_id FROM _current) AND doc_id_b IN (SELECT doc_id FROM _current)"""
              if incremental and "stg_near_pairs" in have else "CREATE OR REPLACE TEMP TABLE _kept_pairs AS "
              "SELECT * FROM d_near_pairs LIMIT 0")
    kept = w.execute("SELECT doc_id_a, doc_id_b FROM _kept_pairs").fetchnumpy()
    found = []
    if not incremental or w.execute("SELECT count(*) FROM _fresh").fetchone()[0]:
        ids, mat, fresh, at = _signatures(s, w, incremental)
        if len(ids) > 1:
            found = find_near_pairs(ids, mat, s.near_dup_threshold, s.lsh_bands, only=fresh, at=at)
        del ids, mat, at
    if found:
        known_pairs = set(zip(kept["doc_id_a"].tolist(), kept["doc_id_b"].tolist()))
        found = [p for p in found if (p.doc_a, p.doc_b) not in known_pairs]
    docs, cl = cluster_ids(np.concatenate([kept["doc_id_a"], np.array([p.doc_a for p in found], dtype=object)]),
                           np.concatenate([kept["doc_id_b"], np.array([p.doc_b for p in found], dtype=object)]))
    w.register("_clusters", pd.DataFrame({"doc_id": docs, "cluster_id": cl}))
    try:
        w.execute("""INSERT INTO d_near_pairs SELECT k.* REPLACE (c.cluster_id AS cluster_id)
                     FROM _kept_pairs k JOIN _clusters c ON c.doc_id = k.doc_id_a""")
    finally:
        w.unregister("_clusters")
    cluster_of = dict(zip(docs.tolist(), cl.tolist())) if found else {}
    rows = []
    if found:
        bodies = _bodies(w, have, sorted({p.doc_a for p in found} | {p.doc_b for p in found}))
        for p in found:
            only_a, only_b = differing_numbers(bodies.get(p.doc_a, ""), bodies.get(p.doc_b, ""))
            rows.append({"pair_id": hashlib.sha256(f"{p.doc_a}|{p.doc_b}".encode()).hexdigest()[:20],
                         "doc_id_a": p.doc_a, "doc_id_b": p.doc_b, "similarity": p.similarity,
                         "cluster_id": cluster_of[p.doc_a], "numbers_only_in_a": ", ".join(only_a) or None,
                         "numbers_only_in_b": ", ".join(only_b) or None, "method": "minhash-lsh", "params": params})
    put(w, "d_near_pairs", rows)
    return len(kept["doc_id_a"]) + len(rows), len(found), len(np.unique(cl))


def _bodies(w: duckdb.DuckDBPyConnection, have: set[str], need: list[str]) -> dict[str, str]:
    """The bodies of these documents: this run's new ones from scratch, the others from the lake."""
    w.register("_need", pd.DataFrame({"doc_id": need}))
    try:
        bodies = dict(w.execute("SELECT doc_id, body FROM d_new_docs SEMI JOIN _need USING (doc_id)").fetchall())
        if "stg_documents" in have and len(bodies) < len(need):
            bodies.update(dict(w.execute("""SELECT doc_id, body FROM lake.main.stg_documents SEMI JOIN _need USING (doc_id)
                                            WHERE doc_id NOT IN (SELECT doc_id FROM d_new_docs)""").fetchall()))
    finally:
        w.unregister("_need")
    return bodies


SIG_CHUNK = 10_240      # signatures per chunk read from DuckDB (5 MB at 128 permutations; 50,000: a
#                         traced peak of 170 MB beside the matrix at 100,000 files, this: 77 MB)


def _signatures(s: Settings, w: duckdb.DuckDBPyConnection, incremental: bool
                ) -> tuple[list[str], np.ndarray, np.ndarray | None, np.ndarray | None]:
    """The doc_ids (sorted) of the current documents that can make a new pair, their MinHash matrix,
    which of them are fresh (None: every pair is looked for), and where each one's signature is in the
    matrix (``mat[at[k]]`` is ``ids[k]``'s; None: ``mat[k]``). A signature is this run's (``d_minhash``) or else
    the lake's (of the run's number of permutations: others are not compared). Incremental: only the
    documents that share an LSH bucket with a fresh one (every member of such a bucket, so banding
    finds the same pairs as over all documents), chosen chunk by chunk: a million documents' signatures
    are read but never held at once (357 MB)."""
    w.execute(f"""CREATE OR REPLACE TEMP VIEW _sigs AS
        SELECT doc_id, signature FROM d_minhash SEMI JOIN _current USING (doc_id)
        UNION ALL
        SELECT doc_id, signature FROM _sigs_lake SEMI JOIN _current USING (doc_id)
        WHERE octet_length(signature) = {4 * s.minhash_perm} AND doc_id NOT IN (SELECT doc_id FROM d_minhash)""")
    if not incremental or not w.execute("SELECT count(*) FROM _current ANTI JOIN _fresh USING (doc_id)").fetchone()[0]:
        # every pair is looked for, or every current document is fresh (a first run): all of them, once
        return (*_read_all(w, s.minhash_perm), None, None)
    # the fresh documents' signatures are this run's, unless a fresh document was known before (a file
    # that comes back): only then is the lake's signature column read for them
    lake_fresh = w.execute("SELECT count(*) FROM _fresh ANTI JOIN d_minhash USING (doc_id)").fetchone()[0]
    count = {t: w.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("_fresh", "_current", "d_minhash")}
    fids, fmat, _ = _read_some(w, f"SELECT doc_id, signature FROM {'_sigs' if lake_fresh else 'd_minhash'} "
                                  "SEMI JOIN _fresh USING (doc_id)", s.minhash_perm, count["_fresh"] + count["d_minhash"])
    fresh_buckets = FreshBuckets([np.unique(band_keys(fmat, s.lsh_bands, b)) for b in range(s.lsh_bands)])
    del fmat
    # (at most one of the lake's signatures per current document, and this run's)
    ids, mat, at = _read_some(w, "SELECT doc_id, signature FROM _sigs", s.minhash_perm,
                              count["_current"] + count["d_minhash"],
                              keep=lambda m: sharing_a_bucket(m, s.lsh_bands, fresh_buckets))
    fresh = set(fids)
    return ids, mat, np.fromiter((d in fresh for d in ids), dtype=bool, count=len(ids)), at


def _chunks(w: duckdb.DuckDBPyConnection, sql: str, perm: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(first column, signatures as a uint32 matrix) of a (key, signature) query, SIG_CHUNK rows at a time."""
    cur = w.execute(sql)
    while len(df := cur.fetch_df_chunk(max(1, SIG_CHUNK // 2048))):
        keys, n = df.iloc[:, 0].to_numpy(), len(df)
        sigs = b"".join(df["signature"].tolist())
        del df              # the chunk's bytearray objects (twice the signatures' size) go before the next
        yield keys, np.frombuffer(sigs, dtype=np.uint32).reshape(n, perm)
        del sigs


def _read_all(w: duckdb.DuckDBPyConnection, perm: int) -> tuple[list[str], np.ndarray]:
    """Every signature of ``_sigs``, into one preallocated matrix in doc_id order (each row's place
    joined to it in DuckDB)."""
    ids = sorted(r[0] for r in w.execute("SELECT DISTINCT doc_id FROM _sigs").fetchall())
    mat = np.zeros((len(ids), perm), dtype=np.uint32)
    w.register("_place", pd.DataFrame({"doc_id": ids, "k": np.arange(len(ids), dtype=np.int64)}))
    try:
        for k, m in _chunks(w, "SELECT p.k, s.signature FROM _sigs s JOIN _place p USING (doc_id)", perm):
            mat[k] = m
    finally:
        w.unregister("_place")
    return ids, mat


def _read_some(w: duckdb.DuckDBPyConnection, sql: str, perm: int, rows: int, keep=None
               ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The signatures of a (doc_id, signature) query: its doc_ids sorted (each once), the signatures in the
    order read, and where each id's is among them (``mat[at[k]]`` is ``ids[k]``'s: the first row read of
    that id). ``keep(matrix) -> mask`` chooses the rows of each chunk that are kept. The rows are not moved
    into doc_id order: at a million files that scattered 635,614 signatures of 512 bytes (0.8 s); the
    search reads them through ``at``."""
    # room for ``rows`` signatures (the caller's bound on what the query gives), each kept row written there
    # as its chunk is read: memory holds the kept rows (pages never written are never resident), and they are
    # not copied again (collected and then joined into one matrix: 0.3 s more at a million files)
    mat = np.empty((max(rows, 1), perm), dtype=np.uint32)
    id_parts, off = [], 0
    for d, m in _chunks(w, sql, perm):
        if keep is not None:
            mask = keep(m)
            d, m = d[mask], m[mask]
        if off + len(m) > len(mat):         # more rows than the bound said: more room (not expected)
            mat = np.concatenate([mat[:off], np.empty((max(len(mat), len(m)), perm), dtype=np.uint32)])
        id_parts.append(d)
        mat[off:off + len(m)] = m
        off += len(m)
    mat = mat[:off]
    if not off:
        return [], np.zeros((0, perm), dtype=np.uint32), np.zeros(0, dtype=np.int64)
    # as fixed-width strings (not Python objects): sorted and compared without a Python call per comparison
    # (an argsort of 300,000 doc ids as objects took 0.7 s)
    ids = np.concatenate(id_parts).astype(str)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    first = np.concatenate(([True], sorted_ids[1:] != sorted_ids[:-1])) if len(ids) else np.zeros(0, dtype=bool)
    return sorted_ids[first].tolist(), mat, order[first]


def _recleaned(w: duckdb.DuckDBPyConnection, have: set[str], any_known: bool) -> int:
    """``d_recleaned``: the known documents whose representative file (their first current path) this run
    cleaned, and which the cleaner now gives another title, byline, body, sentences or date than the lake
    holds (a file cleaned by another cleaner version; the same words in another layout). Their rows are
    replaced and their claims extracted again. Returns how many. ``any_known``: whether a document of
    ``c_docs`` is in the lake (none: no row to compare, and the join would read every stored document's
    columns: 0.07 s of CPU at 30,000 files)."""
    w.execute("CREATE OR REPLACE TABLE d_recleaned AS SELECT * FROM c_docs LIMIT 0")
    if "stg_documents" not in have or not any_known:
        return 0
    w.execute(f"""INSERT INTO d_recleaned
        WITH rep AS (SELECT doc_id, min(source_path) AS source_path FROM _cur_files
                     WHERE doc_id IN (SELECT doc_id FROM c_docs) AND doc_id IN (SELECT doc_id FROM _known)
                     GROUP BY doc_id)
        SELECT c.* FROM c_docs c JOIN rep r USING (doc_id, source_path)
        JOIN lake.main.stg_documents d USING (doc_id)
        WHERE {' OR '.join(f'c.{x} IS DISTINCT FROM d.{x}' for x in RECLEAN_COLS)}""")
    return w.execute("SELECT count(*) FROM d_recleaned").fetchone()[0]
