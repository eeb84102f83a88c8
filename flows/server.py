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

Starting it still takes ~3.5 s of CPU, more than the rest of a run that changes nothing. So the server a
run starts is left up for ``VNCLAIMS_PREFECT_SERVER_IDLE`` seconds (default 300; 0 stops it with the run),
named in ``PREFECT_HOME/.vnclaims-server.json``, and the next run uses it when it is still up and was
started with the same Python, Prefect and PREFECT_* environment. It stops itself once no run has used it
for that long (:mod:`flows.server_main`); its own output goes to ``PREFECT_HOME/.vnclaims-server.log``.
"""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import http.client
import importlib.metadata
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from flows.server_main import try_flock
from vnclaims.errors import PrefectServerError

_UVICORN_STARTUP_FAILURE = 3     # the server's exit code when it cannot bind the port
_LAUNCHER_VERSION = 2            # flows.server_main's protocol (lock and state files): a server of another is not reused
_DEFAULT_IDLE = 300.0


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


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int):
    """For Popen's preexec_fn: the child gets SIGTERM when this process dies, however it dies (kill -9, the
    out-of-memory killer), so a server started for this run alone (no idle time) and its port do not outlive
    a crashed run (Linux prctl; elsewhere the server is stopped at exit as before). The server is started
    from the main thread, whose exit is the process's: the signal is tied to the thread that started the
    child. A server left up for later runs is not tied to this process: it stops itself once no run has
    held its users lock for the idle time, and the kernel drops a killed run's lock with its process."""
    def preexec() -> None:
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            return
        if os.getppid() != parent:        # the parent died before prctl: nobody would signal us
            os._exit(1)
    return preexec if sys.platform.startswith("linux") else None


def _idle_seconds() -> float:
    """How long the server waits for the next run after the last one (VNCLAIMS_PREFECT_SERVER_IDLE, seconds;
    0 stops it with the run). It takes ~3.5 s of CPU to start, the floor of a run that starts its own."""
    try:
        return max(0.0, float(os.environ.get("VNCLAIMS_PREFECT_SERVER_IDLE", "") or _DEFAULT_IDLE))
    except ValueError:
        return _DEFAULT_IDLE


def _identity() -> dict:
    """What a server must share with this run to serve it: the same Python and Prefect, the same launcher,
    and the same PREFECT_* environment (server-side settings are read when the server starts)."""
    prefect_env = sorted((k, v) for k, v in os.environ.items() if k.startswith("PREFECT_") and k != "PREFECT_API_URL")
    try:
        version = importlib.metadata.version("prefect")
    except importlib.metadata.PackageNotFoundError:
        version = None
    return {"launcher": _LAUNCHER_VERSION, "python": sys.executable, "prefect": version,
            "env": hashlib.sha256(repr(prefect_env).encode()).hexdigest()[:16]}


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


class TemporaryServer:
    """The ephemeral Prefect API server as a child process: :meth:`spawn` it early, pass it to
    :func:`prefect_api` when the flow runs. With an idle time (:func:`_idle_seconds`) a server that an
    earlier run left up is used instead, and the one started here is left up for the next run
    (see :mod:`flows.server_main` for how it stops)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.lock: _Flock | None = None
        self.users_fd: int | None = None        # the shared flock this run holds on the server's users file
        self.users: Path | None = None
        self.reused = False
        self.idle = _idle_seconds()
        self.home = _prefect_home()
        self.timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 20)

    @property
    def state_file(self) -> Path:
        return self.home / ".vnclaims-server.json"

    @property
    def start_lock(self) -> Path:
        """Held while a server starts (seconds: its imports and migrations)."""
        return self.home / ".vnclaims-server-start.lock"

    @property
    def pick_lock(self) -> Path:
        """Held for a moment while a run picks a server, or a server decides to stop (flows.server_main)."""
        return self.home / ".vnclaims-server-pick.lock"

    @classmethod
    def spawn(cls) -> "TemporaryServer | None":
        """Start the server (or find the one an earlier run left up) unless ``PREFECT_API_URL`` is in the
        environment (a profile may still set it: :func:`prefect_api` checks that once Prefect is imported,
        and stops the unneeded server)."""
        if os.environ.get("PREFECT_API_URL"):
            return None
        server = cls()
        try:
            if not (server.idle > 0 and server._pick()):
                server.lock = _Flock(server.start_lock, timeout=2 * server.timeout + 30)
                if server.idle > 0 and server._pick():      # another run started one meanwhile
                    server.lock.release()
                else:
                    server._start_process()
        except BaseException:
            server.stop()
            raise
        atexit.register(server.finish)
        return server

    def _pick(self) -> bool:
        """Use the server named in the state file if it is up and fits this run. Under the pick lock: that
        server cannot decide to stop meanwhile, and once this run holds its users lock it will not."""
        lock = _Flock(self.pick_lock, timeout=60)
        try:
            return self._reuse()
        finally:
            lock.release()

    def _reuse(self) -> bool:
        try:
            state = json.loads(self.state_file.read_text(encoding="utf-8"))
            pid, port, users = int(state["pid"]), int(state["port"]), Path(state["users"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if {k: state.get(k) for k in ("launcher", "python", "prefect", "env")} != _identity():
            return False
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        fd = try_flock(users, fcntl.LOCK_SH) if users.exists() else None
        if fd is None:
            return False
        if not _answers(port):
            os.close(fd)
            return False
        self.port, self.users, self.users_fd, self.reused = port, users, fd, True
        return True

    def _start_process(self) -> None:
        if importlib.util.find_spec("prefect") is None:
            raise PrefectServerError("the prefect package is not installed")
        self.port = _free_port()
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        cmd = [sys.executable, "-m", "flows.server_main", "--port", str(self.port)]
        if self.idle <= 0:
            self.process = subprocess.Popen(cmd, env=env, preexec_fn=_die_with_parent(os.getpid()))
            return
        # left up after this run: its own session (a Ctrl-C here does not reach it), and no inherited output
        # (a caller reading this run's output to its end would wait for the server too)
        if self.users is None:
            # this run is the server's first user from the start: it does not count as idle while starting
            self.users = self.home / f".vnclaims-server-{os.getpid()}-{time.time_ns()}.users"
            self.users_fd = try_flock(self.users, fcntl.LOCK_SH)
        cmd += ["--idle", str(self.idle), "--users", str(self.users), "--pick-lock", str(self.pick_lock),
                "--state", str(self.state_file)]
        with open(self.home / ".vnclaims-server.log", "ab") as log:
            self.process = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_ready(self) -> None:
        """Wait until *this* process's server answers /health (a port taken meanwhile: a new port); a server
        left up for later runs is then named in the state file."""
        if self.reused:
            return
        deadline = time.monotonic() + self.timeout
        while True:
            code = self.process.poll() if self.process else None
            if code == _UVICORN_STARTUP_FAILURE:
                self._start_process()
                continue
            if code is not None:
                raise PrefectServerError(f"the temporary Prefect server exited during start-up (exit code {code})")
            if _answers(self.port):
                break
            if time.monotonic() >= deadline:
                raise PrefectServerError(f"the temporary Prefect server did not answer within {self.timeout:.0f} s "
                                         "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS)")
            time.sleep(0.05)
        if self.idle > 0:
            pick = _Flock(self.pick_lock, timeout=60)     # no server removes the state file meanwhile
            try:
                tmp = self.state_file.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps({"pid": self.process.pid, "port": self.port, "users": str(self.users),
                                           **_identity()}), encoding="utf-8")
                os.replace(tmp, self.state_file)
            finally:
                pick.release()
        if self.lock:
            self.lock.release()

    def finish(self) -> None:
        """This run is done with the server: leave it up for the next run, or stop it (no idle time)."""
        if self.idle > 0 and (self.reused or (self.process is not None and self.process.poll() is None)):
            self.process = None             # it stops itself when idle
            if self.lock:
                self.lock.release()
            if self.users_fd is not None:
                os.close(self.users_fd)
                self.users_fd = None
            return
        self.stop()

    def stop(self) -> None:
        if self.lock:
            self.lock.release()
        if self.users_fd is not None:
            os.close(self.users_fd)
            self.users_fd = None
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
    """Yields the API URL the flow will use: the configured one, or a temporary server's (stopped on exit, or
    left up for the next run: :meth:`TemporaryServer.finish`).
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
        server.finish()


def _drain(timeout: float = 10) -> None:
    """Send the logs and events still queued to the server before it stops (as Prefect's own test
    harness does); otherwise the process keeps retrying them against a dead server at exit, and the
    run's records arrive incomplete."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=timeout)
