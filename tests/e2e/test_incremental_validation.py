"""Validation of a data version whose predecessor passed: row-local checks (SQL audits with a
``-- rows:`` header, GX column expectations, GX SQL checks marked ``row_local``) read only the rows the
new snapshot inserted or changed; table-level checks still read every row. Real DuckLake, real GX."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.e2e


def _results(settings, snapshot_id: int) -> dict[tuple[str, str], dict]:
    from vnclaims.lake.connect import connect
    con = connect(settings, read_only=True)
    try:
        rows = con.execute("SELECT suite, expectation, success, details FROM validation_results WHERE snapshot_id = ?",
                           [snapshot_id]).fetchall()
    finally:
        con.close()
    return {(s, e): {"success": ok, "details": d} for s, e, ok, d in rows}


def _hand_snapshot(settings, statements: list[str]) -> int:
    """Commit ``statements`` as a data version made by the same SQL models (as a run would)."""
    from vnclaims.lake.connect import connect
    from vnclaims.lake.history import data_snapshots
    con = connect(settings)
    try:
        info = dict(data_snapshots(con)[-1]["info"], run_id="hand-edit")
        con.execute("BEGIN")
        for st in statements:
            con.execute(st)
        con.execute("CALL lake.set_commit_message('test', 'hand edit', extra_info => ?)", [json.dumps(info)])
        con.execute("COMMIT")
        return data_snapshots(con)[-1]["snapshot_id"]
    finally:
        con.close()


# a change that breaks no check: one unclassified claim less (each call drops another one)
_DROP_ONE = ("DELETE FROM lake.main.claims WHERE claim_id = "
             "(SELECT min(claim_id) FROM lake.main.claims WHERE metric = 'unclassified')")


def _validate(settings, snapshot_id: int) -> dict:
    from vnclaims.run.context import RunContext, new_run_id
    from vnclaims.stages.validate import validate
    ctx = RunContext(settings, new_run_id(), log=lambda m: None)
    ctx.snapshot_id = snapshot_id
    return validate(ctx)


@pytest.fixture
def loaded(tmp_path, make_settings):
    """The seeds loaded and validated (all checks pass), then one new article loaded on top. Validated
    incrementally however few the rows (``validate_full_below_rows=0``: the seeds are far under the default)."""
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    s = make_settings(seeds, gx_docs=False, report=False, validate_full_below_rows=0)
    first = run_pipeline(s, log=lambda m: None)
    assert first.counts["validate"]["mode"].startswith("full") and first.counts["validate"]["failed"] == 0
    (seeds / "new.txt").write_text("Quan hệ Việt - Nga\nNăm 2019, kim ngạch thương mại song phương giữa Việt Nam "
                                   "và Liên bang Nga đạt 4,9 tỷ USD.\n", encoding="utf-8")
    second = run_pipeline(s, log=lambda m: None)
    return s, first, second


def test_a_new_version_checks_only_its_changed_rows_row_by_row(loaded):
    s, first, second = loaded
    v = second.counts["validate"]
    assert v["mode"].startswith(f"incremental: row-local checks on the rows new or changed since snapshot {first.snapshot_id}")
    assert v["failed"] == 0 and v["checks"] == first.counts["validate"]["checks"]      # the same checks, all of them
    res = _results(s, second.snapshot_id)
    # a row-local audit saw the new article's claims only; a table-level one read the whole table
    assert "among the 1 claims row(s) new or changed" in res[("sql_audits", "claims_quote_at_offsets")]["details"]
    # an audit with "-- also:" read the new claims and the rows naming a claim the snapshot touched
    assert ("0 offending row(s) among the claims rows new or changed in this snapshot or naming a claims row it "
            "inserted, changed or deleted") in res[("sql_audits", "claims_unique_id")]["details"]
    assert "new or changed" in res[("claims", "expect_column_values_to_not_be_null(claim_id)")]["details"]
    assert "whose claim_id is that of a row new or changed" in res[("claims", "expect_column_values_to_be_unique(claim_id)")]["details"]
    assert "new or changed" not in res[("claims", "unexpected_rows_expectation(doc_id exists in documents)")]["details"]
    # the changed rows GX read were written to Parquet for it, and removed after
    assert not list((s.warehouse / ".work").glob("*.changed"))


def test_a_bad_changed_row_fails_its_row_local_checks(loaded):
    s, first, second = loaded
    bad = _hand_snapshot(s, [
        "INSERT INTO lake.main.claims SELECT * REPLACE ('not the text at the offsets' AS quote, 'bad-claim' AS claim_id) "
        "FROM lake.main.claims WHERE metric <> 'unclassified' LIMIT 1"])
    v = _validate(s, bad)
    assert v["mode"].startswith(f"incremental: row-local checks on the rows new or changed since snapshot {second.snapshot_id}")
    res = _results(s, bad)
    audit = res[("sql_audits", "claims_quote_at_offsets")]
    assert not audit["success"] and "1 offending row(s) among the 1 claims row(s) new or changed" in audit["details"]
    assert "bad-claim" in audit["details"]
    gx = res[("claims", "unexpected_rows_expectation(quote matches body at offsets)")]
    assert not gx["success"] and "new or changed" in gx["details"]


def test_a_changed_row_repeating_a_kept_rows_id_fails_uniqueness(loaded):
    """Uniqueness reads the rows that share an id with a new or changed row: a new claim with the id of one
    the snapshot kept is a repeat, found as on the whole table (both rows counted)."""
    s, first, second = loaded
    bad = _hand_snapshot(s, [
        "INSERT INTO lake.main.claims SELECT * REPLACE ('copy' AS evidence) FROM lake.main.claims "
        "WHERE claim_id = (SELECT min(claim_id) FROM lake.main.claims)"])
    assert _validate(s, bad)["mode"].startswith("incremental")
    res = _results(s, bad)[("claims", "expect_column_values_to_be_unique(claim_id)")]
    assert not res["success"] and "2 unexpected" in res["details"], res["details"]
    audit = _results(s, bad)[("sql_audits", "claims_unique_id")]           # the audit reads the two rows too
    assert not audit["success"] and "1 offending row(s) among the claims rows new or changed" in audit["details"], audit
    fine = _hand_snapshot(s, ["DELETE FROM lake.main.claims WHERE evidence = 'copy'"])
    assert _validate(s, fine)["mode"].startswith("full")            # its predecessor failed
    again = _hand_snapshot(s, [_DROP_ONE])
    assert _validate(s, again)["mode"].startswith("incremental")
    assert _results(s, again)[("claims", "expect_column_values_to_be_unique(claim_id)")]["success"]


def test_the_rows_sharing_a_key_are_written_once_and_read_by_gx(loaded):
    """The keyed uniqueness check's rows (those sharing a value with a changed row) are written beside the changed
    rows, the same rows as asked of the lake, and GX reads that file: a repeat put into it fails the check."""
    import os
    from vnclaims.checks.gx import same_key_file, validate_snapshot
    from vnclaims.lake.connect import connect
    from vnclaims.models.spec import load_models
    from vnclaims.run.context import RunContext, new_run_id
    from vnclaims.stages.validate import write_changed_rows
    s, first, second = loaded
    ctx = RunContext(s, new_run_id(), log=lambda m: None)
    ctx.snapshot_id = second.snapshot_id
    con = connect(s, read_only=True)
    changed: dict = {}
    try:
        changed = write_changed_rows(con, s, ctx, load_models(s.sql_dir))
        same = same_key_file(changed["claims"], "claims", "claim_id")
        got = con.execute(f"SELECT claim_id FROM read_parquet('{same}') ORDER BY 1").fetchall()
        want = con.execute(f"SELECT claim_id FROM lake.claims AT (VERSION => {second.snapshot_id}) WHERE claim_id IN "
                           f"(SELECT claim_id FROM read_parquet('{changed['claims']}')) ORDER BY 1").fetchall()
        assert got == want and len(got) == second.counts["extract"]["claims"] > 0
        con.execute(f"COPY (SELECT claim_id FROM read_parquet('{same}') UNION ALL SELECT min(claim_id) "
                    f"FROM read_parquet('{same}')) TO '{same}.tmp' (FORMAT parquet)")
        os.replace(f"{same}.tmp", same)
        results = validate_snapshot(s.catalog_path, s.data_path, second.snapshot_id, s.expectations_dir, None,
                                    changed_since=first.snapshot_id, changed_files=changed, con=con,
                                    duckdb_config=s.duckdb_config())
    finally:
        con.close()
        for f in changed.values():
            shutil.rmtree(f.parent, ignore_errors=True)
    unique = {(r["suite"], r["expectation"]): r for r in results}[("claims", "expect_column_values_to_be_unique(claim_id)")]
    assert not unique["success"] and "2 unexpected" in unique["details"], unique


def test_a_change_that_breaks_old_rows_is_caught_by_the_table_level_checks(loaded):
    """Deleting a document leaves its (unchanged) claims orphaned: no changed claim row shows it, the
    referential checks on every row do."""
    s, first, second = loaded
    bad = _hand_snapshot(s, ["DELETE FROM lake.main.documents WHERE doc_id = (SELECT min(doc_id) FROM lake.main.claims)"])
    v = _validate(s, bad)
    assert v["mode"].startswith("incremental")
    res = _results(s, bad)
    assert not res[("claims", "unexpected_rows_expectation(doc_id exists in documents)")]["success"]


def test_a_deleted_row_breaks_the_unchanged_rows_that_name_it(loaded):
    """An audit with "-- also:" reads, besides the changed rows, those naming a row the snapshot deleted: a claim
    gone under an unchanged conflict, an extracted claim gone under an unchanged document."""
    s, first, second = loaded
    bad = _hand_snapshot(s, [
        "DELETE FROM lake.main.claims WHERE claim_id = (SELECT min(claim_id_a) FROM lake.main.conflicts)",
        "DELETE FROM lake.main.stg_claims WHERE claim_id = (SELECT min(claim_id) FROM lake.main.stg_claims "
        "WHERE doc_id NOT IN (SELECT doc_id FROM lake.main.claims WHERE claim_id IN "
        "(SELECT claim_id_a FROM lake.main.conflicts UNION ALL SELECT claim_id_b FROM lake.main.conflicts)))"])
    v = _validate(s, bad)
    assert v["mode"].startswith("incremental")
    res = _results(s, bad)
    conflict = res[("sql_audits", "conflicts_distinct_sources")]
    assert not conflict["success"] and "naming a claims row it inserted, changed or deleted" in conflict["details"]
    # the GX check of the same (table-level: every conflict, each claim it names looked up once)
    missing = res[("conflicts", "unexpected_rows_expectation(claim ids exist in claims)")]
    assert not missing["success"] and missing["details"].startswith("1 unexpected row"), missing
    extracted = res[("sql_audits", "documents_extracted")]
    assert not extracted["success"] and "1 offending row(s) among the documents rows" in extracted["details"]
    assert "naming a stg_extractions row it inserted, changed or deleted or naming a stg_claims row" in extracted["details"]
    assert res[("sql_audits", "claims_unique_id")]["success"]          # a deletion repeats no id


def test_the_conflict_audits_catch_a_claim_changed_under_an_unchanged_conflict(loaded):
    """The two audits over conflicts read the claims a conflict names (once, for both of its sides): a claim
    moved into the other side's document, or given a period of its own, breaks the conflict that names it,
    though the conflict's row did not change; a further version that puts it back passes again."""
    s, first, second = loaded
    from vnclaims.lake.connect import connect
    con = connect(s, read_only=True)
    try:
        claim_id, doc_id, period, start, end, other_doc = con.execute(
            "SELECT a.claim_id, a.doc_id, a.period, a.period_start, a.period_end, b.doc_id FROM conflicts k "
            "JOIN claims a ON a.claim_id = k.claim_id_a JOIN claims b ON b.claim_id = k.claim_id_b "
            "ORDER BY k.conflict_id LIMIT 1").fetchone()
    finally:
        con.close()
    assert doc_id != other_doc and period != "1900"

    def lit(v) -> str:
        return "NULL" if v is None else str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"

    def put(doc, per, ps, pe):
        return _hand_snapshot(s, [f"UPDATE lake.main.claims SET doc_id = {lit(doc)}, period = {lit(per)}, "
                                  f"period_start = {lit(ps)}, period_end = {lit(pe)} WHERE claim_id = {lit(claim_id)}"])

    bad = put(other_doc, "1900", 1900, 1900)
    assert _validate(s, bad)["mode"].startswith("incremental")
    res = _results(s, bad)
    for audit in ("conflicts_distinct_sources", "conflicts_same_period"):
        r = res[("sql_audits", audit)]
        assert not r["success"] and r["details"].startswith("1 offending row(s) among the conflicts rows"), (audit, r)
    assert res[("sql_audits", "claims_value_order")]["success"]
    # the claim as it was: both pass again (the version before failed, so this one is checked in full)
    fixed = put(doc_id, period, start, end)
    assert _validate(s, fixed)["mode"].startswith("full")
    res = _results(s, fixed)
    for audit in ("conflicts_distinct_sources", "conflicts_same_period"):
        assert res[("sql_audits", audit)]["success"], audit


def test_a_pair_of_groups_across_comparison_classes_fails_its_audit(loaded):
    """claim_support's sums are exact only if two groups are compared within one comparison class: a
    group_pairs row pairing groups of two metrics fails group_pairs_within_class (the changed row alone)."""
    s, first, second = loaded
    res = _results(s, second.snapshot_id)
    assert res[("sql_audits", "group_pairs_within_class")]["success"]
    bad = _hand_snapshot(s, [
        "UPDATE lake.main.group_pairs SET group_b = (SELECT min(g.group_id) FROM lake.main.claim_groups g "
        "WHERE g.metric <> group_pairs.metric) WHERE pair_id = (SELECT min(pair_id) FROM lake.main.group_pairs)"])
    assert _validate(s, bad)["mode"].startswith("incremental")
    r = _results(s, bad)[("sql_audits", "group_pairs_within_class")]
    assert not r["success"] and r["details"].startswith("1 offending row(s) among the 1 group_pairs row(s) new or changed"), r


def test_after_a_failed_validation_or_with_other_checks_everything_is_checked_again(loaded, make_settings):
    from dataclasses import replace
    s, first, second = loaded
    bad = _hand_snapshot(s, ["INSERT INTO lake.main.claims SELECT * REPLACE ('x' AS quote, 'bad-claim' AS claim_id) "
                             "FROM lake.main.claims LIMIT 1"])
    assert _validate(s, bad)["failed"] > 0
    fixed = _hand_snapshot(s, ["DELETE FROM lake.main.claims WHERE claim_id = 'bad-claim'"])
    v = _validate(s, fixed)
    assert v["mode"].startswith("full") and v["failed"] == 0          # its predecessor did not pass
    again = _hand_snapshot(s, [_DROP_ONE])
    assert _validate(s, again)["mode"].startswith("incremental")     # its predecessor passed, with these checks
    later = _hand_snapshot(s, [_DROP_ONE])
    assert _validate(replace(s, gx=False), later)["mode"].startswith("full")    # other checks than before
    off = _hand_snapshot(s, [_DROP_ONE])
    assert _validate(replace(s, incremental_share=0.0), off)["mode"].startswith("full")


def test_a_small_data_version_is_validated_in_full(loaded):
    """Under ``validate_full_below_rows`` rows in the tables with a GX suite, a data version that could be
    validated incrementally is validated in full (fewer GX suite runs), says so and why, and gives the same
    verdicts, check for check, as the incremental validation of the same snapshot."""
    from dataclasses import replace
    from vnclaims.lake.connect import connect
    s, first, second = loaded
    con = connect(s, read_only=True)
    try:
        rows = sum(con.execute(f"SELECT count(*) FROM {t} AT (VERSION => {second.snapshot_id})").fetchone()[0]
                   for t in ("raw_documents", "documents", "claims", "conflicts"))
    finally:
        con.close()
    incremental = _validate(s, second.snapshot_id)
    assert incremental["mode"].startswith("incremental")
    at_limit = _validate(replace(s, validate_full_below_rows=rows), second.snapshot_id)
    assert at_limit["mode"].startswith("incremental")           # not fewer than the limit: as before
    small = _validate(replace(s, validate_full_below_rows=rows + 1), second.snapshot_id)
    assert small["mode"].startswith("full: every check on every row") and f"({rows:,} rows" in small["mode"], small
    assert small["checks"] == incremental["checks"] and small["failed"] == incremental["failed"] == 0


def test_a_moved_warehouse_loads_and_validates_in_its_new_folder(loaded, make_settings, tmp_path):
    """DuckLake keeps the data folder as an absolute path: after the warehouse is moved (a backup restored
    elsewhere), the next run writes, validates (GX attaches the catalog on its own) and reads in the new folder."""
    from vnclaims.pipeline import run_pipeline
    from vnclaims.lake.connect import connect
    s, first, second = loaded
    moved = tmp_path / "restored" / "warehouse"
    shutil.move(str(s.warehouse), str(moved))
    m = make_settings(s.seeds, moved, gx_docs=False, report=False)
    (s.seeds / "newer.txt").write_text("Năm 2020, kim ngạch thương mại Việt Nam - Liên bang Nga đạt 4,8 tỷ USD.\n",
                                       encoding="utf-8")
    third = run_pipeline(m, log=lambda msg: None)
    v = third.counts["validate"]
    assert v["failed"] == 0 and v["checks"] == first.counts["validate"]["checks"], v
    assert not s.warehouse.exists()
    con = connect(m, read_only=True)
    try:
        stored = con.execute("SELECT value FROM __ducklake_metadata_lake.ducklake_metadata "
                             "WHERE key = 'data_path'").fetchone()[0]
        assert stored == f"{moved / 'data'}/"
        assert con.execute("SELECT count(*) FROM documents WHERE source_path = 'newer.txt'").fetchone()[0] == 1
    finally:
        con.close()


def test_validate_opens_the_lake_once_to_read_and_once_to_write(loaded, monkeypatch):
    """The audits, the data-file check and GX's preflight share one read-only connection (each open of
    the lake costs 0.1-0.3 s); only GX's own engine and the writer of the results open it again."""
    import importlib

    import duckdb
    VS = importlib.import_module("vnclaims.stages.validate")
    s, first, second = loaded
    bad = _hand_snapshot(s, [_DROP_ONE])
    opened, raw = [], []
    real_connect, real_duckdb = VS.connect, duckdb.connect
    monkeypatch.setattr(VS, "connect", lambda settings, **kw: opened.append(kw.get("read_only", False))
                        or real_connect(settings, **kw))
    monkeypatch.setattr(duckdb, "connect", lambda *a, **kw: raw.append(str(kw.get("database", a[0] if a else "")))
                        or real_duckdb(*a, **kw))
    v = _validate(s, bad)
    assert v["failed"] == 0
    assert opened == [True, False]
    # GX's engine (a connection string naming the catalog) aside, no DuckDB of its own was opened
    assert len([d for d in raw if not d.startswith("ducklake:")]) == 2
