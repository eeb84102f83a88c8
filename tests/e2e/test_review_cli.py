"""`vnclaims review claim|conflict|list|undo` on a real warehouse (the Typer sub-app, in this process)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.e2e.review_support import DIASPORA_000, claim_id, quiet, registry, rows, seeds_with

pytestmark = pytest.mark.e2e


def test_review_commands(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    from vnclaims.review.commands import review_app
    s = make_settings(seeds_with(tmp_path), metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    cli = CliRunner()
    wh = ["--warehouse", str(s.warehouse)]

    def run(*args: str):
        return cli.invoke(review_app, [*args, *wh])

    claim = claim_id(s, DIASPORA_000, "diaspora_population")
    r = run("claim", claim[:10], "--reject", "--reason", "an old estimate", "--by", "lan")
    assert r.exit_code == 0, r.output
    assert r.output.startswith(f"decision 1: reject claim {claim} ({DIASPORA_000}: diaspora_population")
    conflict = rows(s, "SELECT conflict_id FROM conflicts")[0]["conflict_id"]
    r = run("conflict", conflict, "--trust", "both", "--reason", "different years")
    assert r.exit_code == 0 and "decision 2: both conflict" in r.output

    # refused: no verdict, two verdicts, an unknown trust word, an unknown claim, an undo of nothing
    assert run("claim", claim, "--reason", "x").exit_code == 2
    assert run("claim", claim, "--accept", "--reject", "--reason", "x").exit_code == 2
    r = run("conflict", conflict, "--trust", "maybe", "--reason", "x")
    assert r.exit_code == 2 and "a, b, both or neither" in r.output
    r = run("claim", "ffffffffffff", "--accept", "--reason", "x")
    assert r.exit_code == 2 and "no claim" in r.output
    assert run("undo", "99").exit_code == 2

    r = run("undo", "1", "--reason", "the 2015 figure is fine")
    assert r.exit_code == 0 and "decision 3: undo review 1" in r.output
    assert run("undo", "1").exit_code == 2                  # undone already
    listed = json.loads(run("list", "--format", "json").output)
    assert [(d["review_id"], d["decision"], d["status"]) for d in listed] == [
        (1, "reject", "undone (pending)"), (2, "both", "pending"), (3, "undo", "pending")]
    assert "no stale decision" in run("list", "--stale").output
    assert [r["review_id"] for r in rows(s, "SELECT review_id FROM reviews ORDER BY 1")] == [1, 2, 3]
