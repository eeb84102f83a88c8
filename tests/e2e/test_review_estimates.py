"""The estimates mart and the consistency checks on the seeds, and on the seeds plus a made-up article whose
exports plus imports do not add up to the turnover it states."""
from __future__ import annotations

import pytest

from tests.e2e.review_support import DIASPORA_000, DIASPORA_001, PLANTED, quiet, registry, rows, seeds_with

pytestmark = pytest.mark.e2e


def test_seeds_estimates_and_no_false_inconsistency(tmp_path, make_settings, gold_conflicts):
    from vnclaims.pipeline import run_pipeline
    s = make_settings(seeds_with(tmp_path), metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    assert rows(s, "SELECT * FROM consistency_conflicts") == []
    # the seeds gold still holds: the diaspora conflict is flagged, open
    flagged = rows(s, "SELECT metric, source_a, source_b, status FROM conflicts")
    for want in gold_conflicts["must_flag"]:
        assert any(k["metric"] == want["metric"] and {k["source_a"], k["source_b"]} == set(want["sources"])
                   and k["status"] == "open" for k in flagged)
    est = rows(s, "SELECT * FROM estimates WHERE metric = 'diaspora_population'")
    assert len(est) == 1
    e = est[0]
    # about 80,000: the 2015 article's figure, inside the 2024 backgrounder's 60-80 thousand
    assert (e["value_low"], e["value_high"], e["range_low"], e["range_high"]) == (80000, 80000, 60000, 80000)
    assert e["sources"] == f"{DIASPORA_000}, {DIASPORA_001}" and e["n_supporting"] == 2
    assert e["outliers"] is None and e["n_outlying"] == 0 and e["confidence"] == "high"
    # agreed facts of the gold are estimates supported by all their sources
    for want in gold_conflicts["must_agree"]:
        got = rows(s, "SELECT * FROM estimates WHERE metric = ?", [want["metric"]])
        assert len(got) == 1 and got[0]["n_supporting"] == len(want["sources"]) and got[0]["n_outlying"] == 0
        assert float(got[0]["value_low"]) == float(want["value"])


def test_the_planted_inconsistency_is_found(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    from vnclaims.review import Decision, record
    s = make_settings(seeds_with(tmp_path, PLANTED), metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    found = rows(s, "SELECT * FROM consistency_conflicts")
    assert len(found) == 1
    f = found[0]
    planted = rows(s, "SELECT claim_id, metric FROM claims WHERE source_path = ? AND metric IN "
                      "('trade_turnover', 'vn_exports_to_ru', 'vn_imports_from_ru')", [PLANTED.name])
    assert sorted(p["metric"] for p in planted) == ["trade_turnover", "vn_exports_to_ru", "vn_imports_from_ru"]
    assert f["kind"] == "sum_within_document" and f["period"] == "2021" and f["severity"] == "warning"
    assert sorted(f["evidence"].split(", ")) == sorted(p["claim_id"] for p in planted) and f["n_evidence"] == 3
    assert "3,2 tỷ USD" in f["explanation"] and "7,2 tỷ USD" in f["explanation"]
    # the made-up article's 150,000 is the diaspora estimate's outlier
    e = rows(s, "SELECT * FROM estimates WHERE metric = 'diaspora_population'")[0]
    assert e["value_low"] == 80000 and e["n_supporting"] == 2 and e["outliers"] == f"{PLANTED.name}: 150.000 người"
    assert e["confidence"] == "medium"

    # the reviewer trusts the turnover over the sum: the finding is resolved, and trusting the outlier
    # makes it the estimate (the reviewer's choice)
    record(s, Decision("conflict", f["conflict_id"], "trust_a", "the customs total is right", reviewer="lan"), log=quiet)
    outlier = rows(s, "SELECT claim_id FROM claims WHERE source_path = ? AND metric = 'diaspora_population'",
                   [PLANTED.name])[0]["claim_id"]
    record(s, Decision("claim", outlier, "accept", "the embassy's 2022 count", reviewer="lan"), log=quiet)
    (s.seeds / "new.txt").write_text("Một bài viết mới không có con số nào.", encoding="utf-8")
    run_pipeline(s, log=quiet)
    f2 = rows(s, "SELECT status, review, severity FROM consistency_conflicts")
    assert f2 == [{"status": "resolved", "review": "trust_a", "severity": "warning"}]
    e = rows(s, "SELECT * FROM estimates WHERE metric = 'diaspora_population'")[0]
    assert (e["method"], e["confidence"], e["value_low"], e["reviewer_choice"]) == ("reviewer", "reviewed", 150000, outlier)
    assert e["sources"] == PLANTED.name and e["n_outlying"] == 2


def test_a_growth_its_figures_contradict_and_a_target_already_past(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    planted = PLANTED.parent / "planted_growth_2023.txt"
    s = make_settings(seeds_with(tmp_path, planted), metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    found = {f["kind"]: f for f in rows(s, "SELECT * FROM consistency_conflicts")}
    claims = {c["metric"] + "|" + (c["period"] or ""): c["claim_id"] for c in rows(
        s, "SELECT metric, period, claim_id FROM claims WHERE source_path = ? AND metric <> 'unclassified'", [planted.name])}
    g = found["growth_within_document"]
    assert g["claim_id_a"] == claims["trade_growth_pct|2022"] and g["n_evidence"] == 3
    assert set(g["evidence"].split(", ")) == {claims["trade_growth_pct|2022"], claims["trade_turnover|2022"],
                                              claims["trade_turnover|2021"]}
    assert '"25%"' in g["explanation"] and "-18.2 %" in g["explanation"]
    t = found["target_before_text"]
    assert t["evidence"] == claims["trade_target|2020"] and "2023" in t["explanation"]
    # the seeds' own 2.3 % growth in 2023 now meets the planted 2022 turnover (4.5 bn -> 3.63 bn): across documents
    x = found["growth_across_documents"]
    assert x["source_a"] == "001_501a62dae2258d1a.txt" and claims["trade_turnover|2022"] in x["evidence"]
    assert set(found) == {"growth_within_document", "target_before_text", "growth_across_documents"}
