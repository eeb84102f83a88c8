"""``rows_where``: a scoped rebuild reads a lake table's matching rows by their row ids (only the condition's
columns of the other rows). It must select exactly the rows the plain condition selects, also inside the
load's transaction, after uncommitted inserts, deletes and updates of the same table (real DuckLake)."""
from __future__ import annotations

from vnclaims.lake.connect import connect
from vnclaims.models.materialize import materialize, rows_where
from vnclaims.models.spec import Model
from vnclaims.settings import Settings


def _rows(con, where: str) -> list[tuple]:
    return sorted(con.execute(f"SELECT * FROM lake.main.t WHERE {where}").fetchall())


def test_rows_by_row_id_are_the_rows_of_the_condition_in_and_out_of_a_transaction(tmp_path):
    s = Settings(warehouse=tmp_path / "wh")
    con = connect(s)
    try:
        con.execute("CREATE TABLE lake.main.t AS SELECT 'd' || (range % 50) AS doc_id, range AS x, repeat('b', 500) AS body "
                    "FROM range(2000)")
        con.execute("INSERT INTO lake.main.t SELECT 'd' || (range % 7), 10000 + range, 'new' FROM range(30)")  # 2nd file
        con.execute("CREATE TEMP TABLE _scope AS SELECT unnest(['d3', 'd5', 'd49', 'nope']) AS v")
        cond = "doc_id IN (SELECT v FROM temp.main._scope)"
        assert _rows(con, rows_where("lake.main.t", cond)) == _rows(con, cond) != []
        con.execute("BEGIN")
        con.execute("DELETE FROM lake.main.t WHERE doc_id = 'd5' AND x % 3 = 0")
        con.execute("UPDATE lake.main.t SET body = 'changed' WHERE doc_id = 'd3' AND x < 500")
        con.execute("INSERT INTO lake.main.t SELECT 'd49', 20000 + range, 'uncommitted' FROM range(5)")
        con.execute("INSERT INTO lake.main.t SELECT 'd48', 30000 + range, 'outside' FROM range(5)")
        inside = _rows(con, cond)
        assert any(r[2] == "changed" for r in inside) and any(r[2] == "uncommitted" for r in inside)
        assert _rows(con, rows_where("lake.main.t", cond)) == inside
        # a scoped rebuild in that transaction (its old rows read by row id) leaves the table equal to its model
        m = Model("t", "40_marts", "", "x", "model",
                  "SELECT doc_id, x, upper(body) AS body FROM lake.main.t WHERE doc_id IN ('d3', 'd49')", tmp_path)
        want = sorted((d, x, b.upper() if d in ("d3", "d49") else b) for d, x, b in _rows(con, "true"))
        i, d = materialize(con, m, scope="\"doc_id\" IN (SELECT v FROM temp.main._scope) AND \"doc_id\" <> 'd5'")
        assert _rows(con, "true") == want and i == d == sum(r[0] in ("d3", "d49") for r in want)
        con.execute("ROLLBACK")
    finally:
        con.close()
