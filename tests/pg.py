"""A throw-away PostgreSQL server for the tests (Debian's postgresql: initdb + pg_ctl), on 127.0.0.1 at a
free port, with its data and socket in a temporary folder. As root, the server runs as the `postgres`
system user (PostgreSQL refuses to run as root)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("pg_ctl")
    return Path(which).parent if which else None


def require_postgres() -> Path:
    """The PostgreSQL binaries' folder; skips when absent (fails instead under CI=true)."""
    b = pg_bin()
    if b is None or not (b / "initdb").exists():
        msg = "PostgreSQL server binaries not found (Debian's `postgresql` package; `make postgres` as root)"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("CI=true but " + msg)
        pytest.skip(msg)
    return b


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    def __init__(self):
        self.bin = require_postgres()
        # its own folder under the system temp dir: pytest's tmp_path is private to root (mode 700)
        self.root = root = Path(tempfile.mkdtemp(prefix="vnclaims-pg-"))
        self.data = root / "data"
        self.port = _free_port()
        self.user = "vnclaims"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no `postgres` user to run the server as")
            os.chown(root, pw.pw_uid, pw.pw_gid)
            self._as = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups"]

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        r = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, cwd=self.root)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed ({r.returncode}): {r.stdout[-1500:]}{r.stderr[-1500:]}")
        return r

    def start(self) -> "Postgres":
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        return self

    def createdb(self, name: str) -> str:
        """A new database; returns the vnclaims catalog setting for it."""
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name)
        return f"postgres:dbname={name} host=127.0.0.1 port={self.port} user={self.user}"

    def stop(self) -> None:
        subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60, cwd=self.root)
        shutil.rmtree(self.root, ignore_errors=True)
