"""The long-lived big imports run with the garbage collector off and are frozen after (Prefect's server app
in its own process, Great Expectations), and the collector is on again afterwards (issue 20: fixed cost).
Each in a fresh interpreter."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVER_APP = """
import gc, sys
from flows.server_main import load_app
config = load_app(0)
print(config.loaded, gc.isenabled(), gc.get_freeze_count() > 100_000, "prefect.server.api.server" in sys.modules)
"""

GX = """
import gc
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info["generation"]))
from vnclaims.checks.gx import _import_gx
seen.clear()
_import_gx()
on = gc.isenabled()
gc.disable()
_import_gx()                       # a caller that turned it off keeps it off
print(on, not gc.isenabled(), len(seen) <= 1)   # one young collection may follow, once it is on again
"""

CLI = """
import gc
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(info["generation"]))
from vnclaims.cli import _import_flow
seen.clear()
_import_flow()
print(gc.isenabled(), gc.get_freeze_count() > 100_000, 2 not in seen)
"""


def _run(code: str) -> list[str]:
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout.split()


def test_prefect_server_app_is_made_with_the_collector_off_then_frozen():
    assert _run(SERVER_APP) == ["True", "True", "True", "True"]


def test_gx_import_runs_no_collection_and_leaves_the_collector_as_it_found_it():
    assert _run(GX) == ["True", "True", "True"]


def test_the_cli_imports_the_flow_with_the_collector_off_then_freezes_it():
    assert _run(CLI) == ["True", "True", "True"]
