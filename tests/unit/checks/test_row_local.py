"""Which expectations can run on the changed rows only, and how a suite is split for that."""
from __future__ import annotations

from vnclaims.checks.gx import _split_suite, row_local


def test_row_local_expectations():
    assert row_local({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}})
    assert not row_local({"type": "expect_column_values_to_be_unique", "kwargs": {"column": "a"}})
    assert not row_local({"type": "expect_table_columns_to_match_set", "kwargs": {}})
    assert not row_local({"type": "unexpected_rows_expectation", "kwargs": {}})     # SQL: only when marked
    assert row_local({"type": "unexpected_rows_expectation", "kwargs": {}, "meta": {"row_local": True}})
    assert not row_local({"type": "expect_column_values_to_be_in_set", "meta": {"row_local": False}})


def test_split_suite_keeps_every_expectation_once_in_its_place():
    exps = [{"type": "expect_table_columns_to_match_set"}, {"type": "expect_column_values_to_not_be_null"},
            {"type": "expect_column_values_to_be_unique"}, {"type": "expect_column_values_to_be_in_set"}]
    spec = {"expectations": exps}
    assert _split_suite("t", spec, delta=False) == [("all", "t", spec, [0, 1, 2, 3])]
    parts = _split_suite("t", spec, delta=True)
    assert [(p, n, o) for p, n, _, o in parts] == [("all", "t", [0, 2]), ("changed", "t__changed_rows", [1, 3])]
    assert [e["type"] for e in parts[1][2]["expectations"]] == [exps[1]["type"], exps[3]["type"]]
