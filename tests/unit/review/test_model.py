from __future__ import annotations

import duckdb
import pytest

from vnclaims.review import Decision, ReviewError, conflict_decision, pair_key


def test_decisions_are_checked():
    assert Decision("claim", "abc", "reject", "wrong period", reviewer="lan").decision == "reject"
    with pytest.raises(ReviewError, match="reason"):
        Decision("claim", "abc", "reject", "  ", reviewer="lan")
    with pytest.raises(ReviewError, match="accept, reject"):
        Decision("claim", "abc", "trust_a", "x", reviewer="lan")
    with pytest.raises(ReviewError, match="trust_a, trust_b, both, neither"):
        Decision("conflict", "abc", "accept", "x", reviewer="lan")
    with pytest.raises(ReviewError, match="claim, a conflict or a review"):
        Decision("document", "abc", "accept", "x", reviewer="lan")
    assert Decision("claim", "abc", "accept", "ok").reviewer      # the login name by default


def test_trust_words():
    assert [conflict_decision(t) for t in ("a", "B", "both", "neither")] == ["trust_a", "trust_b", "both", "neither"]
    with pytest.raises(ReviewError):
        conflict_decision("maybe")


def test_pair_key_is_symmetric_and_duckdb_md5():
    assert pair_key("k1", "k2") == pair_key("k2", "k1")
    assert pair_key("k2", "k1") == duckdb.connect().execute("SELECT md5('k1|k2')").fetchone()[0]
