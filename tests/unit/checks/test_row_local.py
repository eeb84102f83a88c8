"""Which expectations can run on the changed rows only, and how a suite is split for that."""
from __future__ import annotations

from vnclaims.checks.gx import _split_suite, keyed_unique, row_local


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


def test_plain_uniqueness_runs_on_the_rows_sharing_a_value_with_a_changed_row():
    unique = {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}}
    mostly = {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id", "mostly": 0.9}}
    assert keyed_unique(unique) == "id" and keyed_unique(mostly) is None
    assert keyed_unique({**unique, "meta": {"keyed": False}}) is None
    assert keyed_unique({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}) is None
    exps = [{"type": "expect_table_columns_to_match_set"}, unique, mostly,
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}]
    parts = _split_suite("t", {"expectations": exps}, delta=True)
    assert [(p, n, o) for p, n, _, o in parts] == [("all", "t", [0, 2]), ("changed", "t__changed_rows", [3]),
                                                    ("keyed:id", "t__same_id_1", [1])]
    assert parts[2][2]["expectations"] == [unique]
