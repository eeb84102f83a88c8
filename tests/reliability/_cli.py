"""The reliability probes of issue 19 drive the public interface: the `vnclaims` command line in a child
process, with its own --seeds and --warehouse under tmp_path (this worktree's code first on PYTHONPATH).
Helpers to run it, read the warehouse through `vnclaims sql`, and look at child processes in /proc."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import ROOT

from ._support import PY, child_env

CLI = [PY, "-m", "vnclaims.cli"]


def cli_env(**extra: str) -> dict:
    """No VNCLAIMS_* from the caller, no Prefect API unless given (a run then starts its own server)."""
    env = child_env(**extra)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    if "PREFECT_API_URL" not in extra:
        env.pop("PREFECT_API_URL", None)
    return env


def vnclaims(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    """`vnclaims ARGS...`; returns the finished process (stdout, stderr, returncode)."""
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, env=cli_env(**env),
                          timeout=timeout, cwd=str(ROOT))


def run(seeds: Path, warehouse: Path, *extra: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    env.setdefault("VNCLAIMS_GX", "0")
    return vnclaims("run", "--seeds", seeds, "--warehouse", warehouse, *extra, timeout=timeout, **env)


def sql(warehouse: Path, query: str, **env: str) -> list[dict]:
    """Rows of a read query through `vnclaims sql --format json` (fails the test when it fails)."""
    r = vnclaims("sql", query, "--warehouse", warehouse, "--format", "json", timeout=120, **env)
    assert r.returncode == 0, (query, r.returncode, r.stdout, r.stderr)
    return json.loads(r.stdout)


def history(warehouse: Path) -> list[dict]:
    r = vnclaims("history", "--warehouse", warehouse, "--format", "json", timeout=120)
    assert r.returncode == 0, (r.stdout, r.stderr)
    return json.loads(r.stdout)


def text(r: subprocess.CompletedProcess) -> str:
    return f"{r.stdout}\n{r.stderr}"


def spawn(log: Path, *args: str, **env: str) -> subprocess.Popen:
    """`vnclaims ARGS...` in the background, stdout and stderr into the file ``log`` (read it with
    ``log.read_text()``; a pipe nobody reads would block a chatty run)."""
    with open(log, "w") as fh:
        return subprocess.Popen([*CLI, *map(str, args)], stdout=fh, stderr=subprocess.STDOUT, text=True,
                                env=cli_env(**env), cwd=str(ROOT))


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 180) -> None:
    """Wait until ``path`` exists (a fault point's marker); fails when the process ended first."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before reaching the fault point")
        assert time.monotonic() < deadline, f"the run did not reach the fault point within {timeout:.0f} s"
        time.sleep(0.1)


def kill9(proc: subprocess.Popen, reap: bool = True) -> None:
    """SIGKILL the process alone; with ``reap``, then also whatever it had started (by pid), so a test
    about something else leaks no temporary Prefect server."""
    children = descendants(proc.pid) if reap else []
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    for c in children:
        if alive(c):
            with contextlib.suppress(ProcessLookupError):
                os.kill(c, signal.SIGKILL)


# ----------------------------------------------------------------------------------------- processes
def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, process group) of ``pid``, None when it is gone or a zombie."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[2])


def descendants(pid: int) -> list[int]:
    """Living processes whose parent chain leads to ``pid``."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            st = _stat(int(d.name))
            if st is not None:
                parents[int(d.name)] = st[0]
    out, frontier = [], {pid}
    while frontier:
        kids = {p for p, pp in parents.items() if pp in frontier and p not in out}
        out.extend(sorted(kids))
        frontier = kids
    return out


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
