"""Near-duplicate search over MinHash signatures (:mod:`vnclaims.text.minhash`): LSH banding, the candidate
pairs it gives (sub-quadratic), their verification, the clusters they link, and the figures two near-duplicates
do not share. Used by the dedup stage; deterministic (fixed seeds, pairs sorted)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..text.minhash import MinHasher

# candidate pairs per block: verifying one copies both rows' signatures (2 x 512 bytes per pair at 128
# permutations), so 200,000 pairs held 205 MB at once; 50,000 hold 51 MB for the same pairs
VERIFY_BLOCK = 50_000
_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")


def band_keys(sigs: np.ndarray, bands: int, band: int) -> np.ndarray:
    """One LSH band's bucket key of every signature (uint64): documents share a bucket when their
    ``perm // bands`` values of that band are equal. The key is sum(value_i * mult_i) mod 2^64."""
    rows = sigs.shape[1] // bands
    return _weighted_sum(sigs[:, band * rows:(band + 1) * rows], _band_mult(rows))


def all_band_keys(sigs: np.ndarray, bands: int) -> np.ndarray:
    """Every band's keys at once, an (n, bands) uint64 array: column ``b`` is ``band_keys(sigs, bands, b)``
    (one pass over the signatures instead of one a band: every key of 717,083 signatures 0.66 -> 0.11 s)."""
    rows = sigs.shape[1] // bands
    return _weighted_sum(sigs[:, :bands * rows].reshape(len(sigs), bands, rows), _band_mult(rows))


KEY_BLOCK = 4096        # signatures whose keys are made at once (their temporaries stay in the CPU's cache)


def _weighted_sum(v: np.ndarray, mult: np.ndarray) -> np.ndarray:
    """sum over the last axis of ``v`` (uint32) times ``mult`` (uint64), mod 2^64: one multiply-add per
    column into one accumulator, a block of rows at a time (the whole (.., rows) product converted to
    uint64 and summed made three temporaries of its size, and a column of every row at once left the
    cache: each five times slower at 600,000 signatures)."""
    out = np.empty(v.shape[:-1], dtype=np.uint64)
    for i in range(0, len(v), KEY_BLOCK):
        blk, k = v[i:i + KEY_BLOCK], out[i:i + KEY_BLOCK]
        np.multiply(blk[..., 0], mult[0], out=k, dtype=np.uint64)
        for j in range(1, v.shape[-1]):
            k += blk[..., j].astype(np.uint64) * mult[j]
    return out


def _band_mult(rows: int) -> np.ndarray:
    mult = _BAND_MULT.get(rows)
    if mult is None:
        rng = np.random.Generator(np.random.PCG64(7))
        mult = _BAND_MULT[rows] = rng.integers(1, 2**63 - 1, size=rows, dtype=np.uint64) | np.uint64(1)
    return mult


def in_sorted(f: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Which of the keys ``k`` are in ``f`` (sorted, unique): a binary search each."""
    if not len(f):
        return np.zeros(len(k), dtype=bool)
    return f[np.minimum(np.searchsorted(f, k), len(f) - 1)] == k


_BAND_MULT: dict[int, np.ndarray] = {}
_SPREAD = np.uint64(0x9E3779B97F4A7C15)     # odd: multiplying by it mixes a key's bits into its top ones
_TABLE_BITS = 22                            # a table of 4 MiB for the fresh keys of every band


class FreshBuckets:
    """The buckets of the fresh documents, per band (their sorted keys), and a table of 2**22 flags indexed
    by a hash of (band, key) that every one of them sets: a key whose flag is unset is in no fresh bucket,
    which most keys are, so only the few others are looked up in the sorted keys (a binary search of every
    key of a million documents in 32 bands took 1.9 s)."""

    def __init__(self, keys: list[np.ndarray]):
        self.keys = keys                    # per band, sorted (np.unique)
        self.table = np.zeros(1 << _TABLE_BITS, dtype=bool)
        for b, f in enumerate(keys):
            self.table[self.slot(f, b)] = True

    @staticmethod
    def slot(k: np.ndarray, band: int) -> np.ndarray:
        return ((k ^ np.uint64(band)) * _SPREAD) >> np.uint64(64 - _TABLE_BITS)

    def contains(self, k: np.ndarray, band: int) -> np.ndarray:
        """Which of the keys ``k`` (one band's) are keys of a fresh bucket."""
        out = np.zeros(len(k), dtype=bool)
        f = self.keys[band]
        if len(f):
            maybe = np.flatnonzero(self.table[self.slot(k, band)])
            kk = k[maybe]
            out[maybe] = in_sorted(f, kk)
        return out


def sharing_a_bucket(sigs: np.ndarray, bands: int, fresh: FreshBuckets) -> np.ndarray:
    """Which of these signatures share at least one band's bucket with the fresh documents: the only
    documents that can pair with one of them."""
    hit = np.zeros(len(sigs), dtype=bool)
    keys = all_band_keys(sigs, bands)
    todo = np.arange(len(sigs))         # the rows no band has found yet: only they are looked up in the next
    for b in range(bands):
        if len(fresh.keys[b]) and len(todo):
            found = fresh.contains(keys[todo, b], b)
            hit[todo[found]] = True
            todo = todo[~found]
    return hit


BAND_GROUP = 8          # bands whose keys are made together (635,614 documents: 8 x 5 MB)


def _band_candidates(sigs: np.ndarray, bands: int, max_bucket: int, only: np.ndarray | None,
                     at: np.ndarray | None = None):
    """Candidate index pairs (i < j), one (k, 2) array at a time: per band, the buckets of each size
    are expanded together (vectorised). Buckets larger than ``max_bucket`` are linked as a chain
    (enough to connect a cluster, avoids k² blow-up). With ``only``, pairs touching it only. With ``at``,
    index i's signature is row ``at[i]`` of ``sigs`` (else row i); the chain follows the indices."""
    per = sigs.shape[1] // bands
    for b in range(bands):
        if b % BAND_GROUP == 0:         # the keys of the next few bands at once (one band's alone: 5x slower)
            group = all_band_keys(sigs[:, b * per:min(b + BAND_GROUP, bands) * per], min(BAND_GROUP, bands - b))
            if at is not None:
                group = group[at]       # (the keys moved into index order, not the signatures: 16 times smaller)
        keys = group[:, b % BAND_GROUP]
        rows = None
        if only is not None:
            # only the buckets that hold one of ``only`` can give a pair: their members are the rows whose key
            # is one of those buckets' keys, so only those are sorted (the same buckets, members and order as
            # sorting every row's key; at a million files that sort, per band, was most of an incremental run)
            # (looked up through FreshBuckets' table of flags: a binary search of every key was 1.3 s of a
            # million-file +1 % dedup, where nearly every document shares a bucket with a fresh one)
            f = np.unique(keys[only])
            rows = np.flatnonzero(FreshBuckets([f]).contains(keys, 0))
            keys = keys[rows]
        o = np.argsort(keys, kind="stable")
        sk = keys[o]
        order = o if rows is None else rows[o]      # rows of sigs (rows is ascending: the same stable order)
        n = len(sk)
        starts = np.flatnonzero(np.concatenate(([True], sk[1:] != sk[:-1])))
        sizes = np.diff(np.concatenate((starts, [n])))
        for m in np.unique(sizes[sizes > 1]):
            st = starts[sizes == m]
            members = np.sort(order[st[:, None] + np.arange(m)], axis=1)        # (buckets, m), ascending
            if only is not None:
                members = members[only[members].any(axis=1)]
                if not len(members):
                    continue
            if m <= max_bucket:
                p, q = np.triu_indices(m, 1)
            else:
                p, q = np.arange(m - 1), np.arange(1, m)
            step = max(1, VERIFY_BLOCK // len(p))                               # bounded memory per array
            for k in range(0, len(members), step):
                blk = members[k:k + step]
                pairs = np.stack((blk[:, p].ravel(), blk[:, q].ravel()), axis=1).astype(np.int64)
                if only is not None:
                    pairs = pairs[only[pairs[:, 0]] | only[pairs[:, 1]]]
                yield pairs


def lsh_candidates(sigs: np.ndarray, bands: int, max_bucket: int = 64,
                   only: np.ndarray | None = None) -> np.ndarray:
    """Index pairs (i < j), as an (n, 2) int64 array, that share at least one LSH band bucket (see
    :func:`_band_candidates`). With ``only`` (a boolean mask), just the pairs with a member in it."""
    if len(sigs) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    found = list(_band_candidates(sigs, bands, max_bucket, only))
    return np.unique(np.concatenate(found), axis=0) if found else np.zeros((0, 2), dtype=np.int64)


@dataclass
class NearPair:
    doc_a: str
    doc_b: str
    similarity: float


def find_near_pairs(doc_ids: list[str], sigs: np.ndarray, threshold: float, bands: int,
                    only: np.ndarray | None = None, at: np.ndarray | None = None) -> list[NearPair]:
    """Pairs whose estimated Jaccard (share of equal MinHash values) >= threshold. Sorted, deterministic.
    With ``only`` (a boolean mask over ``doc_ids``): just the pairs that involve one of those documents.
    With ``at``: ``doc_ids[i]``'s signature is row ``at[i]`` of ``sigs`` (the rows as read, not moved into
    doc_id order), else row i. Candidates are verified as they are generated, so memory holds the (few)
    pairs found, not every candidate: templated corpora put many documents in the same buckets."""
    kept: dict[tuple[int, int], float] = {}
    if len(doc_ids) >= 2:
        for c in _band_candidates(sigs, bands, 64, only, at):
            r = c if at is None else at[c]
            sim = (sigs[r[:, 0]] == sigs[r[:, 1]]).mean(axis=1)
            ok = sim >= threshold
            for (i, j), v in zip(c[ok].tolist(), sim[ok].tolist()):
                kept[(i, j)] = v
    out = []
    for (i, j), v in kept.items():
        a, b = sorted((doc_ids[i], doc_ids[j]))
        out.append(NearPair(a, b, round(float(v), 4)))
    out.sort(key=lambda p: (p.doc_a, p.doc_b))
    return out


def clusters(pairs: list[NearPair]) -> dict[str, str]:
    """doc_id -> cluster id (the smallest doc_id of its connected component)."""
    if not pairs:
        return {}
    docs, cl = cluster_ids(np.array([p.doc_a for p in pairs], dtype=object),
                           np.array([p.doc_b for p in pairs], dtype=object))
    return dict(zip(docs.tolist(), cl.tolist()))


def cluster_ids(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The connected components of the pairs (a[i], b[i]) of doc ids: the documents (sorted) and each one's
    cluster id, the smallest doc_id of its component. Vectorised: each round every pair lowers the labels
    (places in the sorted ids) of its two ends to the smaller of the two, then every label jumps to its
    label's label, until no label moves (a union-find in Python over 96,648 pairs: 0.28 s)."""
    ids = np.concatenate([np.asarray(a, dtype=object), np.asarray(b, dtype=object)]).astype(str)
    docs, inv = np.unique(ids, return_inverse=True)
    ia, ib = inv[:len(a)], inv[len(a):]
    label = np.arange(len(docs))
    while True:
        low = np.minimum(label[ia], label[ib])
        new = label.copy()
        np.minimum.at(new, ia, low)
        np.minimum.at(new, ib, low)
        new = new[new]
        if np.array_equal(new, label):      # every pair's ends share a label, each label its own: the smallest
            return docs, docs[label]
        label = new


def differing_numbers(body_a: str, body_b: str) -> tuple[list[str], list[str]]:
    na, nb = set(_NUM_RE.findall(body_a)), set(_NUM_RE.findall(body_b))
    return sorted(na - nb), sorted(nb - na)


def near_duplicates(docs: list[tuple[str, str]], threshold: float = 0.8, num_perm: int = 128,
                    bands: int | None = None) -> list[tuple[str, str, float]]:
    """Convenience API: (doc_id, text) pairs -> [(doc_a, doc_b, similarity)]."""
    mh = MinHasher(num_perm)
    sigs = np.stack([mh.signature(t) for _, t in docs]) if docs else np.zeros((0, num_perm), np.uint32)
    return [(p.doc_a, p.doc_b, p.similarity)
            for p in find_near_pairs([d for d, _ in docs], sigs, threshold, bands or max(1, num_perm // 4))]
