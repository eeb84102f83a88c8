"""The report's estimates list is in one order for one snapshot: estimates that tie on confidence,
support, metric and period are ordered by their id (before, two renders of the same snapshot could swap them,
and with a limit show a different subset)."""
from __future__ import annotations

import duckdb

from vnclaims.report.reviews import estimates

COLUMNS = ("estimate_id VARCHAR, metric VARCHAR, label VARCHAR, period VARCHAR, scope VARCHAR, is_target BOOLEAN, "
           "unit VARCHAR, value_low DOUBLE, value_high DOUBLE, range_low DOUBLE, range_high DOUBLE, method VARCHAR, "
           "confidence VARCHAR, n_supporting INTEGER, n_independent INTEGER, n_outlying INTEGER, sources VARCHAR, "
           "outliers VARCHAR, reviewer_choice VARCHAR, review_id BIGINT, explanation VARCHAR")


def _table(ids: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE e ({COLUMNS})")
    for i in ids:      # every sort key but the id ties
        con.execute("INSERT INTO e VALUES (?, 'trade', 'x', '2014', 'VN-RU', false, 'USD', 1, 1, 1, 1, 'm', "
                    "'high', 3, 2, 0, 'a.txt, b.txt', NULL, NULL, NULL, 'e')", [i])
    return con


def test_tied_estimates_come_in_id_order_whatever_the_row_order():
    ids = [f"est-{n:03d}" for n in range(40)]
    for order in (ids, ids[::-1], ids[1::2] + ids[::2]):
        got = [r["estimate_id"] for r in estimates(_table(order), "e", limit=10)]
        assert got == ids[:10]


def test_the_id_only_breaks_ties():
    con = _table(["est-b", "est-a"])
    con.execute("UPDATE e SET n_supporting = 9 WHERE estimate_id = 'est-b'")
    assert [r["estimate_id"] for r in estimates(con, "e", limit=5)] == ["est-b", "est-a"]
