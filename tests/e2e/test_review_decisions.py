"""Decisions are data, keyed by content: they survive a re-extraction with another metric registry and a
re-clean that moves every offset; a decision whose figure changed is stale and applied to nothing."""
from __future__ import annotations

import pytest

from tests.e2e.review_support import DIASPORA_000, DIASPORA_001, claim_id, quiet, registry, rows, seeds_with
from tests.e2e.test_reclean import RULES, _install

pytestmark = pytest.mark.e2e

# a metric no seed sentence matches: a new registry (every document extracted again), the same claims
EXTRA_METRIC = '''
[[metric]]
name = "test_bridges_built"
label = "Bridges built"
unit = "bridge"
units = ["bridge"]
cues = ['cây cầu']
kind = "stock"
tolerance_rel = 0.0
'''


def _status(s) -> dict[int, dict]:
    return {r["review_id"]: r for r in rows(s, "SELECT * FROM review_decisions")}


def test_a_rejection_survives_a_new_registry_and_a_reclean(tmp_path, make_settings, monkeypatch):
    from vnclaims.pipeline import run_pipeline
    from vnclaims.review import Decision, list_decisions, record
    seeds = seeds_with(tmp_path)
    s = make_settings(seeds, metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    rejected = claim_id(s, DIASPORA_000, "diaspora_population")
    assert len(rows(s, "SELECT * FROM conflicts WHERE metric = 'diaspora_population'")) == 1

    row = record(s, Decision("claim", rejected[:8], "reject", "the 2015 figure is an old estimate", reviewer="lan"),
                 log=quiet)
    assert row["review_id"] == 1 and row["target_id"] == rejected
    assert [d["status"] for d in list_decisions(s)] == ["pending"]
    snap = rows(s, "SELECT author, commit_extra_info FROM lake.snapshots() WHERE snapshot_id = ?", [row["snapshot_id"]])
    assert snap[0]["author"] == "lan" and '"kind": "review"' in snap[0]["commit_extra_info"]

    # another registry: every document is extracted again; the decision is applied by this run's marts
    s = make_settings(seeds, metrics_file=registry(tmp_path, "metrics2.toml", EXTRA_METRIC), gx=False, report=False)
    ctx = run_pipeline(s, log=quiet)
    assert ctx.counts["load"]["documents_extracted_again"] == 5
    assert _status(s)[1]["status"] == "applied" and _status(s)[1]["claim_id_a"] == rejected
    assert rows(s, "SELECT review_status FROM claim_reviews WHERE claim_id = ?", [rejected]) == [{"review_status": "rejected"}]
    # the rejected claim stays in claims, but leaves conflicts, agreement and the estimate
    assert rows(s, "SELECT count(*) AS n FROM claims WHERE claim_id = ?", [rejected]) == [{"n": 1}]
    assert rows(s, "SELECT * FROM conflicts WHERE metric = 'diaspora_population'") == []
    est = rows(s, "SELECT * FROM estimates WHERE metric = 'diaspora_population'")
    assert len(est) == 1 and est[0]["sources"] == DIASPORA_001 and est[0]["value_low"] == 60000

    # a re-clean that moves every offset after the first ", ": the claim ids change, the decision follows
    _install(monkeypatch, RULES["layout"], "test-layout")
    run_pipeline(s, log=quiet)
    moved = claim_id(s, DIASPORA_000, "diaspora_population")
    assert moved != rejected
    assert _status(s)[1]["status"] == "applied" and _status(s)[1]["claim_id_a"] == moved
    assert rows(s, "SELECT claim_id FROM claim_reviews") == [{"claim_id": moved}]
    assert rows(s, "SELECT * FROM conflicts WHERE metric = 'diaspora_population'") == []


def test_a_decision_on_a_changed_figure_is_stale_and_applied_to_nothing(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    from vnclaims.review import Decision, list_decisions, record
    seeds = seeds_with(tmp_path)
    s = make_settings(seeds, metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    record(s, Decision("claim", claim_id(s, DIASPORA_000, "diaspora_population"), "reject", "too round", reviewer="lan"),
           log=quiet)
    conflict = rows(s, "SELECT conflict_id FROM conflicts")[0]["conflict_id"]
    record(s, Decision("conflict", conflict, "both", "2015 and 2024 are different times", reviewer="minh"), log=quiet)

    # the article is corrected: "80.000" becomes "85.000" (another document, another figure)
    path = seeds / DIASPORA_000
    text = path.read_text(encoding="utf-8")
    assert text.count("80.000 người") == 1
    path.write_text(text.replace("80.000 người", "85.000 người"), encoding="utf-8")
    run_pipeline(s, log=quiet)

    st = {d["review_id"]: d for d in list_decisions(s, stale_only=True)}
    assert set(st) == {1, 2}
    assert "80.000" in st[1]["stale_reason"] and "no longer" in st[1]["stale_reason"]
    assert "other claim" in st[2]["stale_reason"] or "no longer" in st[2]["stale_reason"]
    # not applied to the new figure: nothing rejected, the new conflict open with its own severity
    assert rows(s, "SELECT * FROM claim_reviews") == []
    k = rows(s, "SELECT severity, status, review FROM conflicts WHERE metric = 'diaspora_population'")
    assert k == [{"severity": "warning", "status": "open", "review": None}]
    # the report lists them
    from vnclaims.report.data import build_report
    path, data = build_report(s)
    assert [d["review_id"] for d in data["stale_decisions"]] == [1, 2]
    assert 'id="stale-decisions"' in path.read_text(encoding="utf-8")
