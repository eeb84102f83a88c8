"""MinHash signatures of a document's word 5-gram shingles, which clean computes for every document; the
near-duplicate search over them (LSH banding) is the dedup stage's, :mod:`vnclaims.dedup.lsh` (outside
``text/``, so that it is not part of the cleaner's version: a change to it cleans nothing again).

The shingles come from :func:`vnclaims.text.textnorm.dedup_tokens`, which keeps digits and diacritics:
two articles that differ in one figure are near-duplicates (linked, both kept), never exact
duplicates. Exact duplicates are handled upstream by identical cleaned content (same doc_id).
Deterministic: fixed seeds, crc32 token hashes.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from .textnorm import dedup_tokens

SHINGLE = 5
_MASK32 = np.uint64(0xFFFFFFFF)
_SHINGLE_MULT = np.uint64(1_000_003)
_SHIFT32 = np.uint64(32)


class _CrcOfToken(dict):
    """token -> zlib.crc32 of its UTF-8 bytes, computed on first use: Vietnamese is written in a few thousand
    syllables, so nearly every token of a document was seen before and its hash is one dict lookup (2.5x
    faster than encoding and hashing every token)."""

    def __missing__(self, token: str) -> int:
        h = self[token] = zlib.crc32(token.encode())
        return h


_TOKEN_CRC = _CrcOfToken()
_TOKEN_CRC_MAX = 1 << 16        # emptied beyond this many tokens (numbers and names are many): ~10 MB at most


@dataclass(frozen=True)
class MinHasher:
    num_perm: int = 128
    seed: int = 20240522

    def _params(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.Generator(np.random.PCG64(self.seed))
        a = rng.integers(1, 2**63 - 1, size=self.num_perm, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**63 - 1, size=self.num_perm, dtype=np.uint64)
        return a, b

    def signature(self, text: str) -> np.ndarray:
        return self.signature_of_tokens(dedup_tokens(text))

    def signature_of_tokens(self, toks: list[str]) -> np.ndarray:
        """The signature of a text's :func:`~vnclaims.text.textnorm.dedup_tokens` (computed once by clean,
        which hashes the same tokens)."""
        if len(_TOKEN_CRC) > _TOKEN_CRC_MAX:
            _TOKEN_CRC.clear()
        th = np.fromiter(map(_TOKEN_CRC.__getitem__, toks), dtype=np.uint64, count=len(toks))
        if len(th) == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        k = min(SHINGLE, len(th))
        m = len(th) - k + 1
        # rolling polynomial combination of k consecutive token hashes -> 64-bit shingle hashes (in place)
        sh = th[:m].copy()
        for i in range(1, k):
            sh *= _SHINGLE_MULT
            sh += th[i:m + i]
        a, b = self._params_cached()
        # (n_shingles, num_perm), wraps mod 2^64. Repeated shingles are not dropped (np.unique sorted them:
        # a third of the time) and the shift is taken after the minimum: neither changes the minimum
        # (x >> 32 is monotonic)
        hv = np.multiply.outer(sh, a)
        hv += b
        return (hv.min(axis=0) >> _SHIFT32).astype(np.uint32)

    def _params_cached(self):
        key = (self.num_perm, self.seed)
        if key not in _PARAMS:
            _PARAMS[key] = self._params()
        return _PARAMS[key]


_PARAMS: dict = {}
