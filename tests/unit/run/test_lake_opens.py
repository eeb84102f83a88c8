"""A run adding one file opens the lake no more often than it needs to (each open: ~0.1 s): dedup
attaches it once to its scratch connection (no connection of its own), and the summary's figures come
from the run record's connection (the summary opens nothing)."""
from __future__ import annotations

import shutil

from vnclaims.lake import connect as lake_connect
from vnclaims.run import scratch
from vnclaims.pipeline import RunContext, new_run_id, run_stages, summary_lines, timed
from vnclaims.stages import STAGES


def _counting(monkeypatch, module, name: str, calls: list) -> None:
    real = getattr(module, name)

    def counted(*a, **kw):
        calls.append(name)
        return real(*a, **kw)
    monkeypatch.setattr(module, name, counted)


def test_a_plus_one_run_opens_the_lake_less(tmp_path, seeds_copy, make_settings, monkeypatch):
    last = sorted(seeds_copy.glob("*.txt"))[-1]
    shutil.move(last, tmp_path / last.name)
    s = make_settings(seeds_copy, gx=False)
    run_stages(RunContext(s, new_run_id(), log=lambda m: None), STAGES)
    shutil.move(tmp_path / last.name, last)                 # the fifth file arrives

    opens: list = []
    _counting(monkeypatch, lake_connect, "_open", opens)
    _counting(monkeypatch, scratch, "attach_lake", opens)         # scratch.lake_attached
    seen = {}

    def runner(ctx, name):
        before = len(opens)
        counts = timed(ctx, name, STAGES[name])
        seen[name] = opens[before:]
        return counts
    ctx = RunContext(s, new_run_id(), log=lambda m: None)
    run_stages(ctx, STAGES, runner)
    assert ctx.snapshot_id is not None and ctx.counts["dedup"]["new_documents"] == 1
    # dedup: one attach to its scratch connection, no connection of its own
    assert seen["dedup"] == ["attach_lake"]

    before = len(opens)
    lines = summary_lines(ctx)
    assert opens[before:] == []                             # read by record_run after its commit
    # the same lines as when the summary reads the warehouse itself
    ctx.figures = None
    assert summary_lines(ctx) == lines
    assert opens[before:].count("_open") == 1
    assert any(line.startswith("documents : ") and "(1 new," in line for line in lines)
