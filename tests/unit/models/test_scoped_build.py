"""The incremental mart loop (``plan._build`` with scopes, real DuckLake, inside one transaction): the scoped
marts' lake tables are written only after every mart was evaluated, because DuckLake's planner estimate of a
table this transaction inserted into is ~2 rows (the later marts then built their hash joins on whole tables and
ran out of memory). Meanwhile every mart reads the rows a scoped mart will have after the load, and the tables
end up as a full rebuild leaves them, with the same counts of rows written."""
from __future__ import annotations

import re

from vnclaims.lake.connect import connect
from vnclaims.models.plan import _build
from vnclaims.settings import Settings
from vnclaims.models.spec import Model

N_DOCS, PER_DOC = 300, 20


def _models(tmp_path) -> list[Model]:
    mk = lambda name, sql, **kw: Model(name, "40_marts", "", kw.pop("key"), "model", sql, tmp_path, **kw)
    return [
        # scoped: one row per (document, figure), from the staging rows of the touched documents only
        mk("facts", "SELECT doc_id || ':' || i AS fact_id, doc_id, i, v * 2 AS v2 FROM stg",
           key="fact_id", scope=("doc_id", "doc_id"), scope_inputs=("stg",)),
        # scoped, reading the scoped mart before it (as claim_members reads claims)
        mk("doc_totals", "SELECT doc_id, sum(v2) AS total, count(*) AS n FROM facts GROUP BY doc_id",
           key="doc_id", scope=("doc_id", "doc_id"), scope_inputs=("facts",)),
        # global: reads both scoped marts whole (as consistency_conflicts reads claims)
        mk("overall", "SELECT count(*) AS n, sum(f.v2) AS s, sum(t.total) AS t FROM facts f JOIN doc_totals t USING (doc_id)",
           key="n"),
    ]


def _estimate(con, table: str) -> int:
    plan = con.execute(f"EXPLAIN SELECT * FROM lake.main.{table}").fetchall()[0][1]
    return int(re.findall(r"~([\d,]+)", plan)[0].replace(",", ""))


def _tables(con) -> dict:
    return {t: sorted(con.execute(f"SELECT * FROM lake.main.{t}").fetchall()) for t in ("facts", "doc_totals", "overall")}


def test_scoped_marts_are_written_after_every_mart_read_their_new_rows(tmp_path):
    con = connect(Settings(warehouse=tmp_path / "wh"))
    try:
        con.execute(f"CREATE TABLE lake.main.stg AS SELECT 'd' || lpad((range // {PER_DOC})::VARCHAR, 4, '0') AS doc_id, "
                    f"range % {PER_DOC} AS i, range AS v FROM range({N_DOCS * PER_DOC})")
        models = _models(tmp_path)
        c = {"inserted": {}, "deleted": {}, "model_seconds": {}}
        _build(con, models, None, c, lambda _: None, tmp_path / "full.models")       # the first, full build
        con.execute("SET search_path = 'lake.main'")
        # the run: two documents change, one is new; the other 297 are untouched
        con.execute("BEGIN")
        con.execute("UPDATE lake.main.stg SET v = v + 1000 WHERE doc_id IN ('d0003', 'd0150')")
        con.execute(f"INSERT INTO lake.main.stg SELECT 'd9999', range, 7 FROM range({PER_DOC})")
        con.execute("CREATE TEMP TABLE _scope_doc_id AS SELECT unnest(['d0003', 'd0150', 'd9999']) AS v")
        seen = {}

        def step(what: str) -> None:
            if what == "model overall":         # a later mart: the scoped tables are not written yet
                seen["estimates"] = {t: _estimate(con, t) for t in ("facts", "doc_totals")}
                seen["view"] = con.execute("SELECT count(*), sum(v2) FROM facts").fetchone()
        c = {"inserted": {}, "deleted": {}, "model_seconds": {}}
        _build(con, models, {"doc_id": 3, "source_path": 0}, c, step, tmp_path / "inc.models")
        assert seen["estimates"] == {"facts": N_DOCS * PER_DOC, "doc_totals": N_DOCS}
        want_v2 = con.execute("SELECT count(*), sum(v * 2) FROM lake.main.stg").fetchone()
        assert seen["view"] == want_v2            # what 'overall' read: the facts after the load
        assert c["inserted"] == {"facts": 3 * PER_DOC, "doc_totals": 3, "overall": 1}
        assert c["deleted"] == {"facts": 2 * PER_DOC, "doc_totals": 2, "overall": 1}
        incremental = _tables(con)
        con.execute("ROLLBACK")
        # the same changes with a full rebuild give the same tables
        con.execute("BEGIN")
        con.execute("UPDATE lake.main.stg SET v = v + 1000 WHERE doc_id IN ('d0003', 'd0150')")
        con.execute(f"INSERT INTO lake.main.stg SELECT 'd9999', range, 7 FROM range({PER_DOC})")
        _build(con, models, None, {"inserted": {}, "deleted": {}, "model_seconds": {}}, lambda _: None,
               tmp_path / "full2.models")
        assert _tables(con) == incremental
        assert incremental["overall"] == [(N_DOCS * PER_DOC + PER_DOC, want_v2[1], PER_DOC * want_v2[1])]
        con.execute("ROLLBACK")
    finally:
        con.close()
