"""Dedup's signature reading: an incremental run reads only the documents that share an LSH bucket with
a fresh one, and finds the same pairs as reading every current document."""
from __future__ import annotations

import importlib

import duckdb
import numpy as np
import pandas as pd

from vnclaims.settings import Settings
from vnclaims.dedup.lsh import find_near_pairs
from tests.unit.text.test_minhash import _with_big_bucket

dedup = importlib.import_module("vnclaims.stages.dedup")


def _scratch(sigs: np.ndarray, new: np.ndarray, lake: np.ndarray, gone: np.ndarray) -> duckdb.DuckDBPyConnection:
    """A scratch connection as dedup sees it: this run's signatures (``d_minhash``, the ``new`` rows),
    the lake's (``lake`` rows, one of them with another number of permutations), the current documents
    (all but ``gone``) and the fresh ones (``new``)."""
    ids = [f"d{i:04d}" for i in range(len(sigs))]
    blob = [s.tobytes() for s in sigs]
    w = duckdb.connect()
    frame = pd.DataFrame({"doc_id": ids, "signature": blob, "new": new, "lake": lake, "gone": gone})
    w.register("_f", frame)
    w.execute("CREATE TABLE d_minhash AS SELECT doc_id, signature FROM _f WHERE new")
    w.execute("""CREATE TABLE lake_sigs AS SELECT doc_id, CASE WHEN doc_id = 'd0001' THEN signature[1:16] ELSE signature
                 END AS signature FROM _f WHERE lake""")
    w.execute("CREATE VIEW _sigs_lake AS SELECT * FROM lake_sigs")
    w.execute("CREATE TABLE _current AS SELECT doc_id FROM _f WHERE NOT gone")
    w.execute("CREATE TABLE _fresh AS SELECT doc_id FROM _f WHERE new AND NOT gone")
    return w


def test_incremental_signatures_give_the_pairs_of_every_document(monkeypatch):
    rng = np.random.Generator(np.random.PCG64(2))
    noise = rng.integers(0, 2**32 - 1, size=(5000, 64), dtype=np.uint64).astype(np.uint32)
    sigs = np.concatenate([_with_big_bucket(seed=11), noise])       # more than two chunks of 2,048
    n = len(sigs)
    new = np.zeros(n, dtype=bool)
    new[::9] = True
    new[-2:] = True
    lake = ~new
    lake[::13] = True                     # some new documents' signatures are in the lake too: this run's win
    gone = np.zeros(n, dtype=bool)
    gone[5::17] = True
    s = Settings(minhash_perm=64, lsh_bands=16)
    monkeypatch.setattr(dedup, "SIG_CHUNK", 2048)      # several chunks
    w = _scratch(sigs, new, lake, gone)
    ids, mat, only, at = dedup._signatures(s, w, incremental=False)
    assert only is None and at is None and "d0001" not in ids and not set(ids) & {f"d{i:04d}" for i in np.flatnonzero(gone)}
    assert ids == sorted(ids) and all((mat[k] == sigs[int(d[1:])]).all() for k, d in enumerate(ids))
    fresh = np.array([d in {f"d{i:04d}" for i in np.flatnonzero(new)} for d in ids])
    every = find_near_pairs(ids, mat, 0.8, 16, only=fresh)
    ids2, mat2, only2, at2 = dedup._signatures(s, w, incremental=True)
    assert len(ids2) < len(ids) and ids2 == sorted(ids2) and len(set(at2.tolist())) == len(ids2)
    assert all((mat2[at2[k]] == sigs[int(d[1:])]).all() for k, d in enumerate(ids2))
    assert every and find_near_pairs(ids2, mat2, 0.8, 16, only=only2, at=at2) == every


def test_a_first_run_reads_every_signature_once_and_looks_for_every_pair():
    """Every current document fresh (a first run): one matrix of all of them, every pair looked for."""
    sigs = _with_big_bucket(seed=4)
    n = len(sigs)
    new = np.ones(n, dtype=bool)
    w = _scratch(sigs, new, np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    ids, mat, only, at = dedup._signatures(Settings(minhash_perm=64, lsh_bands=16), w, incremental=True)
    assert only is None and at is None and len(ids) == n and all((mat[k] == sigs[int(d[1:])]).all() for k, d in enumerate(ids))
    assert find_near_pairs(ids, mat, 0.8, 16) == find_near_pairs(ids, mat, 0.8, 16, only=np.ones(n, dtype=bool))


def test_fresh_documents_known_to_the_lake_are_read_from_it():
    """A fresh document can be known to the lake (its file comes back): its signature is the lake's, not
    this run's. The fresh signatures are read from ``d_minhash`` alone only when every fresh one is
    there; otherwise a returning document would be left out of the search for its partners."""
    sigs = _with_big_bucket(seed=9)
    n = len(sigs)
    new = np.zeros(n, dtype=bool)
    new[::11] = True
    back = np.zeros(n, dtype=bool)
    back[3::23] = True                    # fresh again, the signature in the lake only
    back &= ~new
    w = _scratch(sigs, new, ~new, np.zeros(n, dtype=bool))
    w.register("_back", pd.DataFrame({"doc_id": [f"d{i:04d}" for i in np.flatnonzero(back)]}))
    w.execute("INSERT INTO _fresh SELECT doc_id FROM _back")
    s = Settings(minhash_perm=64, lsh_bands=16)
    ids, mat, only, _ = dedup._signatures(s, w, incremental=False)
    fresh = {f"d{i:04d}" for i in np.flatnonzero(new | back)}
    every = find_near_pairs(ids, mat, 0.8, 16, only=np.array([d in fresh for d in ids]))
    ids2, mat2, only2, at2 = dedup._signatures(s, w, incremental=True)
    assert {d for d, f in zip(ids2, only2) if f} == fresh - {"d0001"}          # d0001: another length
    assert any(p.doc_a in fresh - {f"d{i:04d}" for i in np.flatnonzero(new)}
               or p.doc_b in fresh - {f"d{i:04d}" for i in np.flatnonzero(new)} for p in every)
    assert find_near_pairs(ids2, mat2, 0.8, 16, only=only2, at=at2) == every


def test_reading_more_signatures_than_the_bound_said_makes_room_for_them(monkeypatch):
    """``_read_some`` writes the rows into room for the caller's bound; a query giving more (a bound too low)
    gets more room, and the same ids, rows and places as with enough room."""
    sigs = _with_big_bucket(seed=3)
    n = len(sigs)
    w = _scratch(sigs, np.ones(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    monkeypatch.setattr(dedup, "SIG_CHUNK", 2048)
    sql = "SELECT doc_id, signature FROM d_minhash"
    ids, mat, at = dedup._read_some(w, sql, 64, n)
    for bound in (0, 1, n // 3):
        ids2, mat2, at2 = dedup._read_some(w, sql, 64, bound)
        assert ids2 == ids and (mat2[at2] == mat[at]).all() and len(mat2) == n
    assert all((mat[at[k]] == sigs[int(d[1:])]).all() for k, d in enumerate(ids))
