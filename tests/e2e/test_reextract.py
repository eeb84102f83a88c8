"""Claims follow the extractor that made them: a document extracted by another extractor version (other
rules, another metric registry) is extracted again by the next run, so a warehouse that lived through a
registry change holds the same rows as one built from scratch with the new registry."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import SEEDS
from tests.e2e.test_incremental_marts import _marts
from tests.e2e.test_reclean import _rows

pytestmark = pytest.mark.e2e

NEW_METRIC = '''
[[metric]]
name = "partner_localities"
label = "Vietnamese localities with a Russian partner"
subject = "Vietnamese localities in partnerships with Russian regions"
unit = "địa phương"
units = ["địa phương"]
cues = ['địa phương']
kind = "stock"
tolerance_rel = 0.0
'''


def _quiet(msg: str) -> None:
    pass


def _registry_with_new_metric(tmp_path):
    from vnclaims.versions import REGISTRY_PATH
    path = tmp_path / "metrics.toml"
    path.write_text(REGISTRY_PATH.read_text(encoding="utf-8") + NEW_METRIC, encoding="utf-8")
    return path


def _claims(settings, where: str = "true") -> list[tuple]:
    return _rows(settings, f"SELECT metric, value_low, value_text FROM claims WHERE {where} ORDER BY ALL")


def test_a_new_metric_reclassifies_the_documents_already_loaded(tmp_path, make_settings):
    from vnclaims.versions import extractor_version
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    old = make_settings(seeds, gx=False, report=False)
    run_pipeline(old, log=_quiet)
    assert _claims(old, "value_text = '21 địa phương'") == [("unclassified", 21.0, "21 địa phương")]

    # the user adds a metric to the registry; no input file changes
    new = make_settings(seeds, gx=False, report=False, metrics_file=_registry_with_new_metric(tmp_path))
    assert extractor_version(new.metrics_file) != extractor_version(old.metrics_file)
    logged = []
    ctx = run_pipeline(new, log=logged.append)
    ext, load = ctx.counts["extract"], ctx.counts["load"]
    assert ctx.counts["ingest"]["unchanged"] == 5 and ext["extracted_again"] == 5
    assert f"now version {extractor_version(new.metrics_file)}" in ext["again_because"]
    assert any("5 document(s) already in the warehouse are extracted again" in m for m in logged)
    assert _claims(new, "value_text = '21 địa phương'") == [("partner_localities", 21.0, "21 địa phương")]
    # only what the new metric changed is replaced: one claim of one document, no entity mention
    assert load["documents_changed_by_extracting_again"] == 1
    assert load["deleted"].get("stg_claims") == 1 and load["inserted"].get("stg_claims") == 1
    assert "stg_entity_mentions" not in load["deleted"] and "stg_entity_mentions" not in load["inserted"]

    # the same rows and ids as a warehouse built from scratch with the new registry
    fresh = make_settings(seeds, tmp_path / "fresh", gx=False, report=False, metrics_file=new.metrics_file)
    run_pipeline(fresh, log=_quiet)
    got, want = _marts(new), _marts(fresh)
    for name in want:
        assert got[name] == want[name], f"{name} differs from a warehouse built with the new registry"

    # extracted by this version now: the next run extracts nothing again and makes no snapshot
    again = run_pipeline(new, log=_quiet)
    assert again.counts["extract"]["extracted_again"] == 0 and again.snapshot_id is None

    # and going back to the old registry restores the old classification
    back = run_pipeline(old, log=_quiet)
    assert back.counts["extract"]["extracted_again"] == 5
    assert _claims(old, "value_text = '21 địa phương'") == [("unclassified", 21.0, "21 địa phương")]


def test_documents_without_an_extraction_record_are_extracted_again_once(tmp_path, make_settings):
    """A warehouse made before extraction records existed (simulated: its records deleted) is extracted
    again by the next run, once; nothing changes in the claims, so the snapshot holds the records only.
    ``reextract`` extracts everything again on demand."""
    from dataclasses import replace
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=_quiet)
    before = _claims(s)
    _rows(s, "DELETE FROM stg_extractions", read_only=False)
    ctx = run_pipeline(s, log=_quiet)
    assert ctx.counts["extract"]["extracted_again"] == 5
    assert "no extractor version recorded" in ctx.counts["extract"]["again_because"]
    load = ctx.counts["load"]
    assert load["inserted"] == {"stg_extractions": 5} and load["deleted"] == {}
    assert _claims(s) == before
    assert run_pipeline(s, log=_quiet).counts["extract"]["extracted_again"] == 0

    forced = run_pipeline(replace(s, reextract=True), log=_quiet)
    assert forced.counts["extract"]["extracted_again"] == 5
    assert forced.counts["extract"]["again_because"] == "5 as asked to (--reextract / VNCLAIMS_REEXTRACT)"
    assert _claims(s) == before


def test_an_inferred_date_is_inferred_again_with_the_claims(tmp_path, make_settings):
    """The reference year of a document without metadata is inferred by the extractor's rules: a document
    extracted again has it inferred again, and its claims carry the new one (simulated: a wrong stored year)."""
    from vnclaims.pipeline import run_pipeline
    from vnclaims.lake.connect import connect
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(sorted(SEEDS.glob("001_*.txt"))[0], seeds)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=_quiet)
    con = connect(s)
    try:
        want = con.execute("SELECT as_of, as_of_evidence FROM documents").fetchone()
        assert want[0] == "2024"
        con.execute("BEGIN")
        con.execute("UPDATE stg_documents SET as_of = '1999', as_of_year = 1999, as_of_evidence = 'stale'")
        con.execute("DELETE FROM stg_extractions")
        con.execute("COMMIT")
    finally:
        con.close()
    ctx = run_pipeline(s, log=_quiet)
    assert ctx.counts["extract"]["dates_inferred_again"] == 1
    con = connect(s, read_only=True)
    try:
        assert con.execute("SELECT as_of, as_of_evidence FROM documents").fetchone() == want
        assert con.execute("SELECT DISTINCT as_of FROM claims").fetchall() == [("2024",)]
    finally:
        con.close()
