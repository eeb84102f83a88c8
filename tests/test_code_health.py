"""The tree is clean under the linter (ruff) and keeps its import contracts (import-linter): the rule set
and the contracts are in pyproject.toml ([tool.ruff], [tool.importlinter])."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent          # the venv's bin folder: ruff and lint-imports are installed beside python


def _tool(name: str) -> Path:
    exe = BIN / name
    assert exe.exists(), f"{exe} is not installed: it is in the test extra (pip install -e '.[test]')"
    return exe


def _configured(section: str) -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
    assert section in tool, f"pyproject.toml lost its [tool.{section}] table"


def _run(cmd: list) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_ruff_finds_no_defects():
    _configured("ruff")
    r = _run([_tool("ruff"), "check", "--no-cache", "src", "flows", "bench", "tests"])
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_contracts_are_kept():
    _configured("importlinter")
    r = _run([_tool("lint-imports"), "--no-cache"])
    assert r.returncode == 0, r.stdout + r.stderr
