"""The temporary Prefect server's own process (started by :mod:`flows.server`): Prefect's API app under
uvicorn, ephemeral and without UI, as Prefect starts it itself. With ``--idle SECONDS`` it outlives the
run that started it and stops once no run has used it for that long, so that the next runs find it up.

Who uses it: a run holds a shared flock on the ``--users`` file for as long as it runs (the OS drops it
when the run's process ends, however it ends). The server is idle while it can take that lock exclusively.
It decides to stop only while holding the pick lock (``--pick-lock``), which a run holds while it picks a
server, and it removes the state file (``--state``) before stopping: a run that finds the state file
therefore finds a server that cannot stop before the run has taken its shared lock.

Standard library, uvicorn and Prefect only (nothing of vnclaims).
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

_STARTUP_FAILURE = 3        # the exit code uvicorn's own CLI uses when it cannot start (e.g. the port is taken)


def try_flock(path: Path, mode: int) -> int | None:
    """An open fd holding ``mode`` (LOCK_SH or LOCK_EX) on ``path``, or None if someone else holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        os.close(fd)
        return None


def _forget(state: Path) -> None:
    """Remove the state file if it names this process (a newer server may have replaced it)."""
    with contextlib.suppress(OSError, ValueError):
        if json.loads(state.read_text(encoding="utf-8")).get("pid") == os.getpid():
            state.unlink()


def watch_idle(server, idle: float, users: Path, pick_lock: Path, state: Path, tick: float = 1.0) -> None:
    """Set ``server.should_exit`` once no run has held ``users`` for ``idle`` seconds (see the module doc)."""
    free_since = None
    while not server.should_exit:
        time.sleep(tick)
        pick = try_flock(pick_lock, fcntl.LOCK_EX)
        if pick is None:            # a run is picking a server (maybe this one): not idle
            free_since = None
            continue
        try:
            mine = try_flock(users, fcntl.LOCK_EX)
            if mine is None:        # a run is using this server
                free_since = None
                continue
            now = time.monotonic()
            free_since = free_since if free_since is not None else now
            if now - free_since < idle:
                os.close(mine)
                continue
            _forget(state)          # no run can find this server any more; `mine` stays held until exit
            server.should_exit = True
        finally:
            os.close(pick)


def load_app(port: int):
    """uvicorn's config with Prefect's API app imported and made. The ~1.5 s of imports and the app's objects
    live as long as the process: made with the garbage collector off (it would walk the growing heap again
    and again: import CPU 3.0 -> 1.75 s), then frozen out of its way."""
    gc.disable()
    try:
        import uvicorn
        config = uvicorn.Config("prefect.server.api.server:create_app", factory=True, host="127.0.0.1", port=port,
                                log_level="error", lifespan="on")
        config.load()
        gc.freeze()
    finally:
        gc.enable()
    return config


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--idle", type=float, default=0, help="stop after this many seconds unused (0: run until stopped)")
    ap.add_argument("--users", type=Path, help="the file runs hold a shared flock on while they use this server")
    ap.add_argument("--pick-lock", type=Path, help="the lock runs hold while they pick a server")
    ap.add_argument("--state", type=Path, help="the file naming this server to later runs")
    a = ap.parse_args(argv)
    config = load_app(a.port)
    import uvicorn
    server = uvicorn.Server(config)
    if a.idle > 0:
        threading.Thread(target=watch_idle, args=(server, a.idle, a.users, a.pick_lock, a.state),
                         name="idle-watch", daemon=True).start()
    try:
        server.run()
    finally:
        if a.state is not None:
            _forget(a.state)
        if a.users is not None:
            with contextlib.suppress(OSError):
                a.users.unlink()
    return 0 if server.started else _STARTUP_FAILURE


if __name__ == "__main__":
    sys.exit(main())
