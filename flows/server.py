"""A temporary Prefect API for one `vnclaims run` when no ``PREFECT_API_URL`` is set.

Prefect starts such a server by itself, but two processes starting one at the same moment share
``PREFECT_HOME``'s SQLite database (both run its migrations) and may pick the same free port (one then
health-checks the other's server and loses its API when that one stops). Either way a run can hang
until the start-up timeout. Here the start is serialised by an flock in ``PREFECT_HOME``: one process
at a time picks a port, starts the server and waits until *its own* process answers; the runs
themselves still go on in parallel.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator


class PrefectServerError(RuntimeError):
    """The temporary Prefect server could not be started."""


@contextlib.contextmanager
def _flock(path: Path, timeout: float) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PrefectServerError(f"another process has been starting a Prefect server for {timeout:.0f} s "
                                       f"(lock {path}); set PREFECT_API_URL to a running server") from None
                time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def prefect_api() -> Iterator[str | None]:
    """Yields the API URL the flow will use: the configured one, or a temporary server's (stopped on exit)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, \
        temporary_settings
    if PREFECT_API_URL.value():
        yield PREFECT_API_URL.value()
        return
    from prefect.server.api.server import SubprocessASGIServer
    timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
    server = SubprocessASGIServer()
    with _flock(Path(PREFECT_HOME.value()) / ".vnclaims-server-start.lock", timeout=2 * timeout + 30):
        try:
            server.start(timeout=timeout)
        except Exception as e:
            server.stop()
            raise PrefectServerError(str(e)[:800]) from e
        if server.server_process is None or server.server_process.poll() is not None:
            server.stop()
            raise PrefectServerError("the temporary Prefect server exited during start-up")
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
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
