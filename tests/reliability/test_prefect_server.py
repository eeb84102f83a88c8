"""Issue 19 item 12: the temporary Prefect server a `vnclaims run` starts outlived a `kill -9` of the run
(one process and one port leaked per crash). It must die with its parent."""
from __future__ import annotations

import os
import signal
import time

from . import _cli
from ._support import make_seeds


def test_the_temporary_prefect_server_dies_with_a_killed_run(tmp_path):
    seeds = make_seeds(tmp_path)
    wh = tmp_path / "wh"
    marker = tmp_path / "in-load"
    p = _cli.spawn(tmp_path / "run.log", "run", "--seeds", seeds, "--warehouse", wh, VNCLAIMS_GX="0",
                   VNCLAIMS_FAULT="load-before-commit:sleep:120", VNCLAIMS_FAULT_MARKER=str(marker))
    children: list[int] = []
    try:
        _cli.wait_for(marker, p)
        assert int(marker.read_text()) == p.pid, "the fault point is not in the run's own process"
        children = _cli.descendants(p.pid)
        servers = [c for c in children if "uvicorn" in _cli.cmdline(c) or "prefect" in _cli.cmdline(c)]
        assert servers, f"no temporary Prefect server among the run's child processes: " \
                        f"{[(c, _cli.cmdline(c)) for c in children]}"
        _cli.kill9(p, reap=False)                       # the run process alone, as the OOM killer does
        deadline = time.monotonic() + 30
        while any(_cli.alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = [(c, _cli.cmdline(c)) for c in children if _cli.alive(c)]
        assert not left, f"still running 30 s after the run was killed: {left}"
    finally:
        if p.poll() is None:
            _cli.kill9(p)
        for c in children:                               # whatever leaked, by pid
            if _cli.alive(c):
                os.kill(c, signal.SIGKILL)
