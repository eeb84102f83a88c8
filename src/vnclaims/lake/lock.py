"""The writer lock: one vnclaims process writes to a warehouse at a time."""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from pathlib import Path

from ..errors import WarehouseBusy
from ..settings import Settings


@contextlib.contextmanager
def writer_lock(settings: Settings, owner: str, timeout: float | None = None, log=print):
    """Serialise writers: an flock on warehouse/.vnclaims.lock. A second run waits up to ``timeout``
    seconds (printing who holds the lock), then fails with a clear message. The OS releases the lock
    if the holder dies, so a killed run never leaves the warehouse locked."""
    settings.warehouse.mkdir(parents=True, exist_ok=True)
    path = settings.warehouse / ".vnclaims.lock"
    timeout = settings.lock_timeout if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    announced = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                holder = _read_holder(path)
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(f"another vnclaims run is writing to {settings.warehouse} ({holder}); "
                                        f"gave up after waiting {timeout:.0f} s") from None
                if not announced:
                    log(f"waiting for the warehouse lock held by {holder} (up to {timeout:.0f} s)")
                    announced = True
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "owner": owner, "since": time.strftime("%Y-%m-%dT%H:%M:%S")}).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_holder(path: Path) -> str:
    try:
        d = json.loads(path.read_text() or "{}")
        return f"pid {d.get('pid')}, {d.get('owner')}, since {d.get('since')}"
    except (OSError, ValueError):
        return "another process"


def writer_holder(settings: Settings) -> str | None:
    """Who holds the writer lock (a vnclaims run, rollback or maintenance), or None when nobody does."""
    path = settings.warehouse / ".vnclaims.lock"
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    except OSError:
        return _read_holder(path)
    finally:
        os.close(fd)
