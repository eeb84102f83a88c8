"""Dedup's library: the near-duplicate search over the signatures clean made (:mod:`.lsh`)."""
