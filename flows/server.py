"""A temporary Prefect API for one `vnclaims run` when no ``PREFECT_API_URL`` is set.

Prefect starts such a server by itself, but two processes starting one at the same moment share
``PREFECT_HOME``'s SQLite database (both run its migrations) and may pick the same free port (one then
health-checks the other's server and loses its API when that one stops). Either way a run can hang
until the start-up timeout. Here the start is serialised by an flock in ``PREFECT_HOME``: one process
at a time picks a port, starts the server and waits until *its own* process answers; the runs
themselves still go on in parallel.

The server is the same one Prefect would start (``uvicorn prefect.server.api.server:create_app``,
ephemeral, no UI), but it is spawned *before* this process imports Prefect and the flow: the child's
~3 s of imports and migrations then overlap the parent's instead of following them. This module
imports nothing of Prefect at load time for that reason.
"""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from vnclaims.errors import PrefectServerError

_UVICORN_STARTUP_FAILURE = 3     # uvicorn's exit code when it cannot bind the port


def _prefect_home() -> Path:
    # the same default as Prefect's PREFECT_HOME setting (read without importing Prefect)
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Flock:
    """An exclusive flock on ``path``, acquired with a deadline."""

    def __init__(self, path: Path, timeout: float):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.fd = path, os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.release()
                    raise PrefectServerError(f"another process has been starting a Prefect server for {timeout:.0f} s "
                                             f"(lock {path}); set PREFECT_API_URL to a running server") from None
                time.sleep(0.2)

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class TemporaryServer:
    """The ephemeral Prefect API server as a child process: :meth:`spawn` it early, pass it to
    :func:`prefect_api` when the flow runs."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.lock: _Flock | None = None
        self.timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 20)

    @classmethod
    def spawn(cls) -> "TemporaryServer | None":
        """Start the server unless ``PREFECT_API_URL`` is in the environment (a profile may still set it:
        :func:`prefect_api` checks that once Prefect is imported, and stops the unneeded server)."""
        if os.environ.get("PREFECT_API_URL"):
            return None
        server = cls()
        server.lock = _Flock(_prefect_home() / ".vnclaims-server-start.lock", timeout=2 * server.timeout + 30)
        try:
            server._start_process()
        except BaseException:
            server.stop()
            raise
        atexit.register(server.stop)
        return server

    def _start_process(self) -> None:
        spec = importlib.util.find_spec("prefect")
        if spec is None or not spec.submodule_search_locations:
            raise PrefectServerError("the prefect package is not installed")
        app_dir = str(Path(list(spec.submodule_search_locations)[0]).parent)
        self.port = _free_port()
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory", "prefect.server.api.server:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            env=env)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_ready(self) -> None:
        """Wait until *this* process's server answers /health (a port taken meanwhile: a new port)."""
        import httpx
        deadline = time.monotonic() + self.timeout
        with httpx.Client(timeout=2) as client:
            while True:
                code = self.process.poll() if self.process else None
                if code == _UVICORN_STARTUP_FAILURE:
                    self._start_process()
                    continue
                if code is not None:
                    raise PrefectServerError(f"the temporary Prefect server exited during start-up (exit code {code})")
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.api_url}/health").status_code == 200:
                        break
                if time.monotonic() >= deadline:
                    raise PrefectServerError(f"the temporary Prefect server did not answer within {self.timeout:.0f} s "
                                             "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")
                time.sleep(0.05)
        if self.lock:
            self.lock.release()

    def stop(self) -> None:
        if self.lock:
            self.lock.release()
        p, self.process = self.process, None
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@contextlib.contextmanager
def prefect_api(server: TemporaryServer | None = None) -> Iterator[str | None]:
    """Yields the API URL the flow will use: the configured one, or a temporary server's (stopped on exit).
    ``server`` is one spawned earlier by :meth:`TemporaryServer.spawn`; without it one is started here."""
    from prefect.settings import PREFECT_API_URL, temporary_settings
    if PREFECT_API_URL.value():
        if server is not None:
            server.stop()       # the profile names a server after all
        yield PREFECT_API_URL.value()
        return
    try:
        if server is None:
            server = TemporaryServer.spawn()
        server.wait_ready()
    except BaseException:
        if server is not None:
            server.stop()
        raise
    # No flow-run heartbeats with the temporary server: they feed only a server's detection of crashed runs,
    # which this one does not run, and at the end of every flow Prefect waits for its heartbeat thread to
    # wake from a 1-s sleep (0-1 s per run). None is allowed in code only (not from the environment).
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            try:
                yield server.api_url
            finally:
                _drain()
    finally:
        server.stop()


def _drain(timeout: float = 10) -> None:
    """Send the logs and events still queued to the server before it stops (as Prefect's own test
    harness does); otherwise the process keeps retrying them against a dead server at exit, and the
    run's records arrive incomplete."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=timeout)
