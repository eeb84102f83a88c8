"""The seeds' optional ``manifest.json``: each file's publication date, publisher and URL."""
from __future__ import annotations

import json
import os
from typing import Callable

from ..settings import Settings


def read_manifest(settings: Settings, log: Callable[[str], None]) -> tuple[dict[str, dict], int]:
    """Optional seeds/manifest.json: {"files": {"<relative path>": {"published": "2015-04-05", "publisher": ..., "url": ...}}}.
    Entries that point outside the seeds folder are ignored with a warning. Returns (relative path ->
    metadata, how many entries were ignored)."""
    path = settings.seeds / "manifest.json"
    if not path.is_file():
        return {}, 0
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log(f"warning: {path} is not valid JSON ({e}); metadata ignored")
        return {}, 0
    files = data.get("files", data) if isinstance(data, dict) else {}
    out, ignored = {}, 0
    root = settings.seeds.resolve()
    for rel, meta in files.items() if isinstance(files, dict) else []:
        target = (root / str(rel)).resolve()
        if not str(target).startswith(str(root) + os.sep) or not isinstance(meta, dict):
            log(f"warning: manifest entry {rel!r} points outside the seeds folder (or is malformed); ignored")
            ignored += 1
            continue
        out[target.relative_to(root).as_posix()] = {k: (str(v) if v is not None else None) for k, v in meta.items()}
    return out, ignored
