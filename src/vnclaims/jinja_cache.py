"""Compiled Jinja templates kept between processes (Jinja's bytecode cache, in its per-user folder).

Every run renders the report (17 templates) and, when it validates, Great Expectations' Data Docs (~50
templates): compiling them again in each new process cost ~0.3 s of CPU on a run adding one file. Jinja
recompiles a template whose source changed (the cache checks its checksum); the key also carries a
``salt`` for what else shapes the compiled code (our environment's options and extension, GX's version).
The cache never fails a run: a folder it cannot use means compiling as before.
"""
from __future__ import annotations

import contextlib
import hashlib
import pickle

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


class QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache, keys salted, and I/O errors ignored (the template is then
    compiled, as without a cache)."""

    def __init__(self, salt: str, directory: str | None = None) -> None:
        super().__init__(directory)
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = f"{self.salt}|jinja2 {jinja2.__version__}|{super().get_cache_key(name, filename)}"
        return hashlib.sha1(key.encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
            bucket.reset()          # a damaged file: compiled again (and written again)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache(salt: str, directory: str | None = None) -> QuietBytecodeCache | None:
    """A cache (in Jinja's per-user temporary folder unless ``directory``), or None when that folder is
    not safe to use (Jinja checks its owner and mode)."""
    try:
        return QuietBytecodeCache(salt, directory)
    except (OSError, RuntimeError):
        return None


def file_salt(*paths) -> str:
    """A salt from the text of the files that shape the compiled templates (their environment's code)."""
    h = hashlib.sha1()
    for p in paths:
        with contextlib.suppress(OSError):
            with open(p, "rb") as fh:
                h.update(fh.read())
    return h.hexdigest()
