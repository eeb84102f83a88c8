"""The versions a stage's rows are a function of: the cleaner version and the extractor version, each a
fingerprint (a short hash) of the bytes of labelled files.

A version covers whole folders of this package, found by glob (``text/**/*.py``, ``claims/**/*.py``),
each file hashed under its path relative to the package: a module added to the folder is inside the
version without a list to update. Fingerprints are cached per process, keyed by each file's size and
mtime, so that a file edited while a long-lived process runs (``vnclaims serve``) is read again; the
folders are listed again on every call, so a new file is seen too."""
from __future__ import annotations

import hashlib
import subprocess
from functools import lru_cache
from pathlib import Path

from .settings import PROJECT_ROOT

PACKAGE = Path(__file__).parent
REGISTRY_PATH = PACKAGE / "data" / "metrics.toml"     # the default metric registry


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
    """(name, path) of files of this package, e.g. ``package_files("data/entities.toml")``."""
    return tuple((n, str(PACKAGE / n)) for n in names)


def package_tree(folder: str, pattern: str = "**/*.py", root: Path | str = PACKAGE) -> tuple[tuple[str, str], ...]:
    """(path relative to ``root``, path) of every file under ``root/folder`` matching ``pattern``, in
    the order of their relative paths."""
    base = Path(root)
    found = ((p.relative_to(base).as_posix(), str(p)) for p in (base / folder).glob(pattern) if p.is_file())
    return tuple(sorted(found))


@lru_cache(maxsize=16)
def _fingerprint(files: tuple[tuple[str, str], ...], _stamp: tuple) -> str:
    h = hashlib.sha256()
    for label, path in files:
        h.update(label.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def cleaner_version() -> str:
    """A fingerprint of the cleaner: every module of ``text/`` (decoding, cleaning, sentences, the text
    normalisation, near-duplicate signatures, the per-document logic), which a file's cleaned document
    (title, byline, body, sentences, content hash, cleaning log) is a function of, besides its bytes.
    A file cleaned by another version is cleaned again by the next run (its document may get another
    id, or another body, byline, sentences)."""
    return fingerprint(package_tree("text"))


def extractor_version(metrics_file: Path | str | None = None) -> str:
    """A fingerprint of the extractor: every module of ``claims/``, the text normalisation they match
    on, the gazetteer and the metric registry in use (by content: a copy elsewhere gives the same
    version). Claims of a document extracted under another version are stale: the pipeline extracts
    that document again, so the same inputs and code always give the same claims, whenever they arrived."""
    return fingerprint((*package_tree("claims"), *package_files("text/textnorm.py", "data/entities.toml"),
                        ("metrics", str(Path(metrics_file or REGISTRY_PATH).resolve()))))


def code_version() -> str:
    """The git commit of the code (``-dirty`` with local changes), or the package version."""
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=5)
        if out.returncode == 0 and out.stdout.strip():
            dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=5).stdout.strip()
            return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return f"vnclaims-{_package_version()}"


def _package_version() -> str:
    from . import __version__
    return __version__
