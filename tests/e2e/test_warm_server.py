"""The temporary Prefect server a run starts is left up for the next runs (VNCLAIMS_PREFECT_SERVER_IDLE):
a second run uses it instead of starting one (~3.5 s of CPU), it does not stop while a run uses it, it stops
by itself once unused for the idle time, and a caller reading a run's output is not kept waiting by it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.server]
IDLE = 4

# one run's use of the server: start or find it, hold it for HOLD seconds, then leave it
_RUN = """
import json, sys, time
from flows.server import TemporaryServer, _answers
s = TemporaryServer.spawn()
s.wait_ready()
time.sleep(float(sys.argv[1]))
up = _answers(s.port)
print(json.dumps({"port": s.port, "reused": s.reused, "up_after_hold": up}))
s.finish()
"""


def _run(home: Path, hold: float = 0) -> dict:
    env = {**os.environ, "PREFECT_HOME": str(home), "VNCLAIMS_PREFECT_SERVER_IDLE": str(IDLE),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("PREFECT_API_URL", None)
    # capture_output: reads the child's output to its end, which a server holding that pipe would block
    r = subprocess.run([sys.executable, "-c", _RUN, str(hold)], capture_output=True, text=True, env=env,
                       timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # a zombie (exited, not yet reaped by init) counts as gone
    return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"


def test_the_server_is_reused_kept_while_used_and_stops_when_idle(tmp_path):
    home = tmp_path / "prefect-home"
    t0 = time.monotonic()
    first = _run(home)
    assert not first["reused"] and first["up_after_hold"]
    assert time.monotonic() - t0 < 120            # returned although the server it started is still up
    state = json.loads((home / ".vnclaims-server.json").read_text())
    assert state["port"] == first["port"] and _alive(state["pid"])

    second = _run(home, hold=IDLE + 3)              # used for longer than the idle time
    assert second == {"port": first["port"], "reused": True, "up_after_hold": True}

    deadline = time.monotonic() + IDLE + 30
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(state["pid"]), "the server did not stop after being idle"
    assert not (home / ".vnclaims-server.json").exists()

    third = _run(home)                               # a new server, named in a new state file
    assert not third["reused"]
    new = json.loads((home / ".vnclaims-server.json").read_text())
    assert new["pid"] != state["pid"]
    deadline = time.monotonic() + IDLE + 30
    while _alive(new["pid"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(new["pid"])


def test_no_idle_time_stops_the_server_with_the_run(tmp_path):
    home = tmp_path / "prefect-home"
    env = {**os.environ, "PREFECT_HOME": str(home), "VNCLAIMS_PREFECT_SERVER_IDLE": "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("PREFECT_API_URL", None)
    code = ("from flows.server import TemporaryServer\n"
            "s = TemporaryServer.spawn(); s.wait_ready(); print(s.process.pid); s.finish()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert not _alive(int(r.stdout.split()[-1]))
    assert not (home / ".vnclaims-server.json").exists()
