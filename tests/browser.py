"""Headless Chromium for the tests: dump a page's DOM, take a screenshot.

Each call uses a fresh temporary profile (--user-data-dir) and runs Chromium in its own process
group, which is killed on timeout (and swept after a normal exit, so no renderer is left behind).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM: str | None = next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"))
     if p), None)

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps", "--mute-audio",
    "--no-default-browser-check", "--hide-scrollbars",
]


def require_chromium() -> str:
    """The Chromium path; skips the test when it is absent (fails instead under CI=true: CI must have it)."""
    if CHROMIUM is None:
        msg = ("headless Chromium not found on PATH (chromium / chromium-browser / google-chrome); "
               "install Debian's `chromium` package, e.g. `make browser` as root")
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("CI=true but " + msg)
        pytest.skip(msg)
    return CHROMIUM


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="vnclaims-chromium-", ignore_cleanup_errors=True) as profile:
        cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--crash-dumps-dir={profile}", *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                start_new_session=True, env={**os.environ, "HOME": profile})
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, err = proc.communicate()
            raise TimeoutError(f"chromium timed out after {timeout}s: {' '.join(args)}\n"
                               f"{err.decode(errors='replace')[-2000:]}") from None
        finally:
            _kill_group(proc)  # leftover zygote/renderer processes of this run only
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def dump_dom(html_path: Path, timeout: float = 60) -> str:
    """The DOM (serialized HTML) of ``html_path`` after Chromium loaded it."""
    url = Path(html_path).resolve().as_uri()
    r = _run(["--dump-dom", url], timeout)
    dom = r.stdout.decode("utf-8", errors="replace")
    if r.returncode != 0 or "<html" not in dom.lower():
        raise RuntimeError(f"chromium --dump-dom failed (rc={r.returncode}):\n"
                           f"{r.stderr.decode(errors='replace')[-2000:]}")
    return dom


def screenshot(html_path: Path, png_path: Path, width: int = 1280, height: int = 2400,
               timeout: float = 60) -> Path:
    """A PNG of the top ``width`` x ``height`` pixels of ``html_path``."""
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    png_path.unlink(missing_ok=True)
    url = Path(html_path).resolve().as_uri()
    r = _run([f"--window-size={width},{height}", f"--screenshot={png_path}", url], timeout)
    if not png_path.exists():
        raise RuntimeError(f"chromium --screenshot wrote nothing (rc={r.returncode}):\n"
                           f"{r.stderr.decode(errors='replace')[-2000:]}")
    return png_path
