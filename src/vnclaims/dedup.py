# SHIM (layout move): remove at integration
"""Old home of the near-duplicate signatures: they now live in :mod:`vnclaims.text.minhash`."""
from .text.minhash import (SHINGLE, MinHasher, NearPair, clusters, differing_numbers, find_near_pairs,  # noqa: F401
                           lsh_candidates, near_duplicates)
