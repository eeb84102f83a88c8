"""Issue 19 item 12: the temporary Prefect server a `vnclaims run` starts outlived a `kill -9` of the run
(one process and one port leaked per crash). A server started for one run alone (VNCLAIMS_PREFECT_SERVER_IDLE=0)
must die with its parent; a server left up for later runs (issue 20) must stop by itself once the killed run's
hold on it is gone and the idle time has passed."""
from __future__ import annotations

import os
import signal
import time

from . import _cli
from ._support import make_seeds


def _servers(children: list[int]) -> list[int]:
    return [c for c in children if "server_main" in _cli.cmdline(c) or "uvicorn" in _cli.cmdline(c)]


def _kill_run_in_load(tmp_path, within: float, **env: str) -> None:
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    marker = tmp_path / "in-load"
    p = _cli.spawn(tmp_path / "run.log", "run", "--seeds", seeds, "--warehouse", wh, VNCLAIMS_GX="0",
                   VNCLAIMS_FAULT="load-before-commit:sleep:120", VNCLAIMS_FAULT_MARKER=str(marker), **env)
    children: list[int] = []
    try:
        _cli.wait_for(marker, p)
        assert int(marker.read_text()) == p.pid, "the fault point is not in the run's own process"
        children = _cli.descendants(p.pid)
        assert _servers(children), f"no temporary Prefect server among the run's child processes: " \
                                   f"{[(c, _cli.cmdline(c)) for c in children]}"
        _cli.kill9(p, reap=False)                       # the run process alone, as the OOM killer does
        deadline = time.monotonic() + within
        while any(_cli.alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = [(c, _cli.cmdline(c)) for c in children if _cli.alive(c)]
        assert not left, f"still running {within:.0f} s after the run was killed: {left}"
    finally:
        if p.poll() is None:
            _cli.kill9(p)
        for c in children:                               # whatever leaked, by pid
            if _cli.alive(c):
                os.kill(c, signal.SIGKILL)


def test_a_run_own_prefect_server_dies_with_a_killed_run(tmp_path):
    _kill_run_in_load(tmp_path, within=30, VNCLAIMS_PREFECT_SERVER_IDLE="0")


def test_a_server_left_up_for_later_runs_stops_by_itself_after_a_killed_run(tmp_path):
    # its own PREFECT_HOME: a server of another test is neither reused nor waited for
    _kill_run_in_load(tmp_path, within=40, VNCLAIMS_PREFECT_SERVER_IDLE="3",
                      PREFECT_HOME=str(tmp_path / "prefect-home"))
