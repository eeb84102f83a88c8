"""A real `prefect server` on 127.0.0.1 (random free port), `vnclaims serve` serving the deployments,
a run triggered through the API, awaited, and its snapshot found in the warehouse."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.e2e.test_flow_seeds import VNCLAIMS

pytestmark = [pytest.mark.e2e, pytest.mark.server]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(p: subprocess.Popen) -> None:
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


def _wait(pred, timeout: float, what: str, procs=()):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"{what}: a process exited early ({p.args[:3]}, code {p.returncode})")
        try:
            v = pred()
            if v:
                return v
        except (httpx.HTTPError, OSError):
            pass
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def test_served_deployment_runs_through_the_api(seeds_copy, tmp_path):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    wh = tmp_path / "wh"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api,
           "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "VNCLAIMS_GX": "0",
           "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port)}
    logs = tmp_path / "logs"
    logs.mkdir()
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=open(logs / "server.log", "w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    serve = None
    try:
        _wait(lambda: httpx.get(f"{api}/health", timeout=2).json() is True, 120, "prefect server health", [server])
        serve = subprocess.Popen([VNCLAIMS, "serve", "--cron", "0 6 * * *", "--seeds", str(seeds_copy),
                                  "--warehouse", str(wh)], env=env, cwd=ROOT,
                                 stdout=open(logs / "serve.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)

        def deployment():
            r = httpx.post(f"{api}/deployments/filter", json={}, timeout=5).json()
            return next((d for d in r if d["name"] == "daily"), None)
        dep = _wait(deployment, 120, "the served deployment", [server, serve])
        assert dep["parameters"] == {"seeds": str(seeds_copy), "warehouse": str(wh)}
        sched = httpx.get(f"{api}/deployments/{dep['id']}/schedules", timeout=5).json()
        assert sched and sched[0]["schedule"]["cron"] == "0 6 * * *"
        assert sched[0]["schedule"]["timezone"] == "Asia/Ho_Chi_Minh"

        def trigger():
            # a server busy with the serve process's registration can answer 5xx once (SQLite "database is
            # locked" under load): ask again, but any other answer is the result
            resp = httpx.post(f"{api}/deployments/{dep['id']}/create_flow_run", json={}, timeout=10)
            return None if resp.status_code >= 500 else resp
        resp = _wait(trigger, 60, "a flow run created through the API", [server, serve])
        fr = resp.json()
        assert resp.status_code < 300 and "id" in fr, (resp.status_code, fr)

        def finished():
            st = httpx.get(f"{api}/flow_runs/{fr['id']}", timeout=5).json()["state"]
            return st if st and st["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None
        state = _wait(finished, 300, "the triggered flow run", [server, serve])
        assert state["type"] == "COMPLETED", (state, (logs / "serve.log").read_text()[-3000:])

        hist = json.loads(subprocess.run([VNCLAIMS, "history", "--warehouse", str(wh), "--format", "json"],
                                         capture_output=True, text=True, check=True).stdout)
        assert len(hist) == 1
        runs = json.loads(subprocess.run([VNCLAIMS, "sql", "SELECT flow_run_id, snapshot_id FROM runs", "--warehouse",
                                          str(wh), "--format", "json"], capture_output=True, text=True, check=True).stdout)
        assert runs == [{"flow_run_id": fr["id"], "snapshot_id": hist[0]["snapshot"]}]
        # the summary artifact is attached to the flow run
        arts = httpx.post(f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [fr["id"]]}}}, timeout=5).json()
        assert any(a["key"] == "vnclaims-summary" and "conflicts" in (a["data"] or "") for a in arts)
    finally:
        if serve is not None:
            _stop(serve)
        _stop(server)
