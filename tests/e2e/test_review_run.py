"""Every run applies the decisions: a run with no new input rebuilds the marts after a decision (and only
then), and a decision survives a rollback of the data (reviews are not data: a rollback leaves them)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.e2e.review_support import DIASPORA_000, claim_id, quiet, registry, rows, seeds_with

pytestmark = pytest.mark.e2e


def test_runs_apply_decisions_and_a_rollback_keeps_them(tmp_path, make_settings):
    from vnclaims.cli import app
    from vnclaims.pipeline import run_pipeline
    s = make_settings(seeds_with(tmp_path), metrics_file=registry(tmp_path), gx=False, report=False)
    first = run_pipeline(s, log=quiet).snapshot_id
    cli = CliRunner()
    wh = ["--warehouse", str(s.warehouse)]
    claim = claim_id(s, DIASPORA_000, "diaspora_population")
    r = cli.invoke(app, ["review", "claim", claim, "--reject", "--reason", "an old estimate", "--by", "lan", *wh])
    assert r.exit_code == 0, r.output

    # nothing new in the seeds, but a decision: the marts are rebuilt and the decision applied
    ctx = run_pipeline(s, log=quiet)
    assert ctx.snapshot_id is not None and ctx.counts["load"]["inserted"].get("claim_reviews") == 1
    assert rows(s, "SELECT * FROM conflicts") == []
    assert rows(s, "SELECT status FROM review_decisions") == [{"status": "applied"}]
    # ... and only once: the next run without news changes nothing
    assert run_pipeline(s, log=quiet).snapshot_id is None

    hist = json.loads(cli.invoke(app, ["history", "--format", "json", *wh]).output)
    review = [h for h in hist if h["run_id"] == "review by lan"]
    assert len(review) == 1 and "review decision 1: reject claim" in review[0]["changed"]
    d = json.loads(cli.invoke(app, ["diff", str(first), str(ctx.snapshot_id), "--format", "json", *wh]).output)
    assert [(x["change"], x["decision_b"]) for x in d["tables"]["reviews"]] == [("added", "reject")]

    # back to the first data version: its marts hold the conflict again, the decision is still there ...
    r = cli.invoke(app, ["rollback", str(first), *wh])
    assert r.exit_code == 0, r.output
    assert len(rows(s, "SELECT * FROM conflicts")) == 1
    assert rows(s, "SELECT review_id, decision FROM reviews") == [{"review_id": 1, "decision": "reject"}]
    # ... and the next run applies it to the rolled-back claims
    assert run_pipeline(s, log=quiet).snapshot_id is not None
    assert rows(s, "SELECT * FROM conflicts") == []
    assert rows(s, "SELECT claim_id, review_status FROM claim_reviews") == [{"claim_id": claim, "review_status": "rejected"}]
    listed = cli.invoke(app, ["review", "list", *wh]).output
    assert "reject" in listed and "[applied]" in listed


def test_the_report_opens_with_the_estimates_and_shows_decisions_or_commands(tmp_path, make_settings):
    import re

    from vnclaims.pipeline import run_pipeline
    from vnclaims.report.data import build_report
    from vnclaims.review import Decision, record
    s = make_settings(seeds_with(tmp_path), metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    conflict = rows(s, "SELECT conflict_id FROM conflicts")[0]["conflict_id"]
    path, _ = build_report(s)
    html = path.read_text(encoding="utf-8")
    assert re.search(r"<main><section id=\"estimates\">", html)          # the page opens with the estimates
    assert f"vnclaims review conflict {conflict} --trust both --reason &#34;…&#34;" in html
    assert "vnclaims review claim " in html and "<script" not in html

    record(s, Decision("conflict", conflict, "both", "2015 and 2024: different times", reviewer="lan"), log=quiet)
    run_pipeline(s, log=quiet)
    path, data = build_report(s)
    html = path.read_text(encoding="utf-8")
    card = data["conflicts"][0]
    assert card["severity"] == "info" and card["review"]["status"] == "not comparable"
    assert "decision #1 by lan: 2015 and 2024: different times" in html and "vnclaims review undo 1" in html
    assert f"vnclaims review conflict {conflict} --trust" not in html
    est = {e["metric"]: e for e in data["estimates"]}
    assert est["diaspora_population"]["value_low"] == 80000 and est["diaspora_population"]["confidence"] == "high"


def test_without_reviews_the_review_marts_are_not_evaluated(tmp_path, make_settings):
    """review_decisions and claim_reviews (``-- rows_from:``) stay empty without a review: a load that rebuilds
    the marts leaves them unevaluated (at a million files review_decisions read every claim key for nothing:
    1.3 s), says so in its counts, and evaluates them again once a review is there."""
    from vnclaims.cli import app
    from vnclaims.pipeline import run_pipeline
    seeds = seeds_with(tmp_path)
    later = sorted(seeds.glob("*.txt"))[-1]
    kept = later.read_bytes()
    later.unlink()
    s = make_settings(seeds, metrics_file=registry(tmp_path), gx=False, report=False)
    first = run_pipeline(s, log=quiet)            # the first load makes the (empty) tables
    assert "marts_empty" not in first.counts["load"]
    later.write_bytes(kept)
    second = run_pipeline(s, log=quiet)
    assert second.snapshot_id is not None
    assert second.counts["load"]["marts_empty"] == ["review_decisions", "claim_reviews"]
    assert "review_decisions" in second.counts["load"]["model_seconds"]
    assert rows(s, "SELECT * FROM review_decisions") == [] and rows(s, "SELECT * FROM claim_reviews") == []
    claim = claim_id(s, DIASPORA_000, "diaspora_population")
    r = CliRunner().invoke(app, ["review", "claim", claim, "--reject", "--reason", "old", "--by", "lan",
                                 "--warehouse", str(s.warehouse)])
    assert r.exit_code == 0, r.output
    third = run_pipeline(s, log=quiet)
    assert "marts_empty" not in third.counts["load"]
    assert rows(s, "SELECT status FROM review_decisions") == [{"status": "applied"}]
    assert rows(s, "SELECT claim_id, review_status FROM claim_reviews") == [{"claim_id": claim, "review_status": "rejected"}]
