"""Fingerprints of the code and data a stage's output is a function of (the extractor version, the
cleaner version): a short hash of the bytes of labelled files. Cached per process, keyed by each
file's size and mtime, so that a file edited while a long-lived process runs (`vnclaims serve`) is
read again."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).parent


def stamp(paths: tuple[str, ...]) -> tuple:
    """(size, mtime) of each file."""
    out = []
    for p in paths:
        st = Path(p).stat()
        out.append((st.st_size, st.st_mtime_ns))
    return tuple(out)


def fingerprint(files: tuple[tuple[str, str], ...]) -> str:
    """16 hex digits over (label, bytes) of each (label, path); the label, not the path, names a file:
    the same bytes elsewhere (a copy of the metric registry) give the same fingerprint."""
    return _fingerprint(files, stamp(tuple(p for _, p in files)))


def package_files(*names: str) -> tuple[tuple[str, str], ...]:
    """(name, path) of files of this package, e.g. ``package_files("clean.py", "data/entities.toml")``."""
    return tuple((n, str(PACKAGE / n)) for n in names)


@lru_cache(maxsize=16)
def _fingerprint(files: tuple[tuple[str, str], ...], _stamp: tuple) -> str:
    h = hashlib.sha256()
    for label, path in files:
        h.update(label.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return h.hexdigest()[:16]
