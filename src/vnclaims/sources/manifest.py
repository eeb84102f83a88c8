"""The seeds' optional ``manifest.json``: each file's publication date, publisher and URL.

Nothing in it is trusted: a manifest that is a symbolic link out of the seeds folder is not read (links
out of the folder are never followed), entries must name files inside the folder, and each value must be
what its field means (a real date, a plain name, an http(s) URL). What is not gets a warning naming the
file and the field, and is not used; the entry's other fields still are.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from typing import Callable
from urllib.parse import urlsplit

from ..settings import Settings

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _date(v: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date between 1800 and next year."""
    m = _DATE.fullmatch(v)
    if not m:
        return False
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return 1800 <= dt.date(y, mo, d).year <= dt.date.today().year + 1
    except ValueError:
        return False


def _name(v: str) -> bool:
    return 0 < len(v) <= 200 and v.isprintable() and not re.search(r"[<>]", v)


def _url(v: str) -> bool:
    parts = urlsplit(v)
    return len(v) <= 2000 and v.isprintable() and parts.scheme in ("http", "https") \
        and bool(parts.netloc)


FIELDS: dict[str, tuple[Callable[[str], bool], str]] = {
    "published": (_date, "a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "publisher": (_name, "a plain name (printable, at most 200 characters, no < or >)"),
    "url": (_url, "an http(s) URL"),
}


def _outside(path: str, root: str) -> bool:
    return not (path == root or path.startswith(root.rstrip(os.sep) + os.sep))


def _entry(rel: str, meta: dict, log: Callable[[str], None]) -> dict:
    """The fields of one entry that are what they claim to be."""
    out = {}
    for field, value in meta.items():
        check = FIELDS.get(field)
        if check is None:
            log(f"warning: manifest entry {rel!r}: unknown field {field!r}; not used")
        elif value is None:
            out[field] = None
        elif not isinstance(value, str) or not check[0](value.strip()):
            log(f"warning: manifest entry {rel!r}: field {field!r} = {str(value)[:80]!r} is not {check[1]}; "
                "not used")
        else:
            out[field] = value.strip()
    return out


def read_manifest(settings: Settings, log: Callable[[str], None]) -> tuple[dict[str, dict], int]:
    """Optional seeds/manifest.json: {"files": {"<relative path>": {"published": "2015-04-05", "publisher": ..., "url": ...}}}.
    Returns (relative path -> metadata, how many entries were ignored whole)."""
    path = settings.seeds / "manifest.json"
    if not path.is_file():
        return {}, 0
    root = os.path.realpath(settings.seeds)
    real = os.path.realpath(path)
    if path.is_symlink() and _outside(real, root):
        log(f"warning: {path} is a symbolic link to {real}, outside the seeds folder; links out of the seeds folder "
            "are not followed, so the manifest is not read")
        return {}, 0
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log(f"warning: {path} is not valid JSON ({e}); metadata ignored")
        return {}, 0
    files = data.get("files", data) if isinstance(data, dict) else {}
    out, ignored = {}, 0
    for rel, meta in files.items() if isinstance(files, dict) else []:
        target = os.path.realpath(os.path.join(root, str(rel)))
        if _outside(target, root) or target == root or not isinstance(meta, dict):
            log(f"warning: manifest entry {rel!r} points outside the seeds folder (or is malformed); ignored")
            ignored += 1
            continue
        out[os.path.relpath(target, root).replace(os.sep, "/")] = _entry(str(rel), meta, log)
    return out, ignored
