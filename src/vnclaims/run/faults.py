"""Fault points: where the reliability tests make a run pause (to kill it) or fail. Unset in normal use."""
from __future__ import annotations

import os
import time
from pathlib import Path


def fault_point(name: str) -> None:
    """Test hook: VNCLAIMS_FAULT="<name>:sleep:<seconds>" pauses here (reliability tests SIGKILL the
    process meanwhile); "<name>:raise" raises. Unset in normal use."""
    spec = os.environ.get("VNCLAIMS_FAULT", "")
    if not spec.startswith(name + ":"):
        return
    action = spec.split(":")
    if action[1] == "sleep":
        marker = os.environ.get("VNCLAIMS_FAULT_MARKER")
        if marker:
            Path(marker).write_text(str(os.getpid()))
        time.sleep(float(action[2]))
    elif action[1] == "raise":
        raise RuntimeError(f"injected fault at {name}")
