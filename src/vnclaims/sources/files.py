"""Listing and reading the input files safely: nothing outside the seeds folder is ever read,
special files are never opened for reading, files that change while being read are rejected (the
next run picks them up), and files above the size limit are streamed with bounded memory.

Pure library code (no Prefect, no DuckDB). Problems are raised/returned as
:class:`vnclaims.errors.InputRejected`; their reasons are predicates meant to follow the file's
``rel_path`` (``f"{display_path(rel)}: {reason}"``).
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

from ..text.decode import Rejected

__all__ = ["InputFile", "RawRead", "list_inputs", "read_input", "display_path", "CHUNK_SIZE"]

CHUNK_SIZE = 1 << 20           # 1 MiB
DEFAULT_SKIP = frozenset({"manifest.json", "manifest.csv"})
_PLACEHOLDER_SHA = "0" * 64


class InputFile(NamedTuple):
    """One listed file. A named tuple, not a frozen dataclass: a million of them are made on every run, and a
    frozen dataclass sets each field through ``object.__setattr__`` (0.41 -> 0.22 s per million made)."""
    rel_path: str     # POSIX path relative to the root, exactly as on disk (spaces, Vietnamese, even "\n")
    abs_path: Path | str   # root / rel_path (not resolved: a symlink inside the root stays a symlink); a str
                           # when listed: a million Path objects cost ~0.4 GB more than their strings
    root_real: str | None = None   # the root's real path when it was listed (one string shared by all)


@dataclass(frozen=True)
class RawRead:
    rel_path: str
    data: bytes | None   # None when the file was larger than max_bytes (streamed, not loaded)
    sha256: str          # hex digest of exactly the bytes read
    byte_size: int
    mtime_ns: int = field(default=0, compare=False)    # of the file as read (checked unchanged by its end)


def display_path(rel_path: str) -> str:
    """``rel_path`` for messages: as is when printable, else ``repr`` (a newline shows as ``\\n``)."""
    return rel_path if rel_path.isprintable() else repr(rel_path)


def _inside(path: str, root_real: str) -> bool:
    return path == root_real or path.startswith(root_real.rstrip(os.sep) + os.sep)


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _not_regular(mode: int) -> Rejected:
    return Rejected("not-regular", f"is {_kind(mode)}, not a regular file; not read")


# ----------------------------------------------------------------------------------------------------
# listing
# ----------------------------------------------------------------------------------------------------

def shown_name(rel: str) -> str:
    """A path as listed (undecodable bytes as surrogates) as a string that can be stored and printed: the
    bytes that are not UTF-8 as ``\\xNN`` escapes (``badname_\\xff.txt``)."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def list_inputs(root: Path, skip_names: frozenset[str] = DEFAULT_SKIP, hidden: list[str] | None = None
                ) -> tuple[list[InputFile], list[tuple[str, Rejected]]]:
    """Every regular file under ``root`` (recursively, sorted by rel_path), skipping hidden files and
    folders (".name", appended to ``hidden`` when given; a folder with a trailing "/") and ``skip_names``;
    plus the entries rejected while listing:

    * ``symlink-outside``: a symbolic link (to a file or a folder) resolving outside ``root``;
    * ``broken-symlink``: a symbolic link whose target does not exist (or a link loop);
    * ``not-regular``: FIFO, socket, device;
    * ``unreadable``: a folder that cannot be listed;
    * ``bad-name``: a name that is not valid UTF-8 (listed as :func:`shown_name`, with ``\\xNN`` escapes).

    Symbolic links inside ``root`` are fine: a link to a file is listed under the link's own path;
    a link to a folder inside ``root`` is not descended (its files are listed where they really
    are, and link cycles cannot loop). Raises NotADirectoryError when ``root`` is not a folder and
    PermissionError when it cannot be listed."""
    root = Path(root)
    root_real = os.path.realpath(root)
    if not os.path.isdir(root_real):
        raise NotADirectoryError(f"the seeds folder {root} does not exist or is not a folder")
    files: list[InputFile] = []
    rejected: list[tuple[str, Rejected]] = []

    def walk(dir_path: str, prefix: str) -> None:
        try:
            with os.scandir(dir_path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except FileNotFoundError:
            return                                     # vanished while listing: nothing to read
        except PermissionError:
            if not prefix:
                raise                                  # the seeds folder itself: nothing can be done
            rejected.append((prefix, Rejected("unreadable", "is a folder that cannot be listed: permission denied")))
            return
        for e in entries:
            name = e.name
            rel = f"{prefix}/{name}" if prefix else name
            if name.startswith("."):
                if hidden is not None:
                    with contextlib.suppress(OSError):
                        hidden.append(shown_name(rel) + ("/" if e.is_dir(follow_symlinks=False) else ""))
                continue
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                rejected.append((shown_name(rel), Rejected(
                    "bad-name", "has a name that is not valid UTF-8 (shown here with \\x escapes); not read, "
                                "rename it")))
                continue
            try:
                # a regular file asked first (not a link, by follow_symlinks=False): one call for most entries
                if e.is_file(follow_symlinks=False):
                    if name not in skip_names:
                        files.append(InputFile(rel, e.path, root_real))
                elif e.is_symlink():
                    _listed_symlink(e.path, rel, name, root, root_real, skip_names, files, rejected)
                elif e.is_dir(follow_symlinks=False):
                    walk(e.path, rel)
                else:
                    rejected.append((rel, _not_regular(e.stat(follow_symlinks=False).st_mode)))
            except FileNotFoundError:
                continue                               # vanished while listing
            except PermissionError:
                rejected.append((rel, Rejected("unreadable", "cannot be read: permission denied")))

    walk(root_real, "")
    if hidden is not None:
        hidden.sort()
    files.sort(key=lambda f: f.rel_path)
    rejected.sort(key=lambda r: r[0])
    return files, rejected


def _listed_symlink(link: str, rel: str, name: str, root: Path, root_real: str, skip_names: frozenset[str],
                    files: list[InputFile], rejected: list[tuple[str, Rejected]]) -> None:
    try:
        raw_target = os.readlink(link)
    except OSError:
        raw_target = "?"
    target = os.path.realpath(link)
    try:
        st = os.stat(link)                             # follows the whole chain
    except FileNotFoundError:
        rejected.append((rel, Rejected("broken-symlink", f"is a symbolic link whose target does not exist "
                                                         f"({display_path(raw_target)}); not followed")))
        return
    except OSError as ex:
        if ex.errno == errno.ELOOP:
            rejected.append((rel, Rejected("broken-symlink", "is a symbolic link that loops back on itself; "
                                                             "not followed")))
            return
        raise
    if not _inside(target, root_real):
        rejected.append((rel, Rejected("symlink-outside", f"is a symbolic link pointing outside the seeds folder "
                                                          f"({display_path(target)}); not followed")))
        return
    if stat.S_ISDIR(st.st_mode):
        return                                         # inside root: its files are listed at their real path
    if not stat.S_ISREG(st.st_mode):
        rejected.append((rel, _not_regular(st.st_mode)))
        return
    if name not in skip_names:
        files.append(InputFile(rel, os.path.join(root, rel), root_real))


# ----------------------------------------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------------------------------------

def _read_chunk(fobj, view: memoryview) -> int:
    """One read into ``view`` (a separate function so tests can act between chunks)."""
    return fobj.readinto(view) or 0


_CHANGED = "changed while it was being read; it will be picked up by the next run"


_PROC_FD = os.path.isdir("/proc/self/fd")
_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))


def _opened_path(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


def _open_listed(f: InputFile, root_real: str) -> int | None:
    """The common case, cheaply: a file listed at its place under the real root, with no symbolic link in
    the folders between the root and it (one ``lstat`` per such folder instead of ``realpath``'s one per
    component of the whole path: a third of the cost of reading a small file), opened without following
    a link, and what was opened checked to be inside the root (Linux). None when it is not that case or
    anything fails: :func:`_open_checked` then decides as it always did."""
    path = f.abs_path
    prefix = root_real.rstrip(os.sep) + os.sep
    if not _PROC_FD or not isinstance(path, str) or not path.startswith(prefix):
        return None
    folder = prefix[:-1]
    for part in path[len(prefix):].split(os.sep)[:-1]:
        folder = f"{folder}{os.sep}{part}"
        try:
            if stat.S_ISLNK(os.lstat(folder).st_mode):
                return None
        except OSError:
            return None
    try:
        fd = os.open(path, _FLAGS)
    except OSError:
        return None
    opened = _opened_path(fd)
    if opened is None or not _inside(opened, root_real):
        os.close(fd)
        return None
    return fd


def _open_checked(f: InputFile, root_real: str) -> int:
    fd = _open_listed(f, root_real)
    if fd is not None:
        return fd
    real = os.path.realpath(f.abs_path)
    if not _inside(real, root_real):
        raise Rejected("symlink-outside", f"now resolves outside the seeds folder ({display_path(real)}); not read")
    try:
        fd = os.open(real, _FLAGS)                     # O_NONBLOCK: a FIFO swapped in cannot hang us
    except FileNotFoundError:
        raise Rejected("vanished", "disappeared before it could be read") from None
    except PermissionError:
        raise Rejected("unreadable", "cannot be read: permission denied") from None
    except OSError as ex:
        if ex.errno == errno.ELOOP:                    # became a symlink after realpath()
            raise Rejected("changed-during-read", "was replaced by a symbolic link while it was being read; "
                                                  "it will be picked up by the next run") from None
        if ex.errno in (errno.EISDIR, errno.ENXIO, errno.ENODEV):
            raise Rejected("not-regular", "is not a regular file; not read") from None
        raise
    # what was actually opened (Linux): guards against a parent folder swapped for a symlink
    opened = _opened_path(fd)
    if opened is not None and opened.startswith("/") and not _inside(opened, root_real):
        os.close(fd)
        raise Rejected("symlink-outside", f"now resolves outside the seeds folder ({display_path(opened)}); "
                                          "not read")
    return fd


def read_input(f: InputFile, root: Path, max_bytes: int,
               blob_sink: Callable[[str], Path] | None = None) -> RawRead:
    """Read one listed file, hashing it (sha256) in 1 MiB chunks.

    Files up to ``max_bytes`` are returned in ``data``. Larger ones are never held in memory: they
    are streamed through the hash and, when ``blob_sink`` is given, into a temporary file next to
    ``blob_sink("0"*64)`` that is renamed to ``blob_sink(sha256)`` at the end (kept as is when that
    already exists); ``data`` is then None.

    Raises Rejected: ``vanished``, ``unreadable``, ``changed-during-read``, ``not-regular``,
    ``symlink-outside`` (the path now resolves outside ``root``). Other OSErrors propagate (the
    caller retries them as transient I/O errors)."""
    # the root as resolved when it was listed (the same run): resolving it again cost as much as the read
    root_real = f.root_real or os.path.realpath(root)
    fd = _open_checked(f, root_real)
    try:
        st1 = os.fstat(fd)
        if not stat.S_ISREG(st1.st_mode):          # e.g. replaced by a folder or a FIFO since listing
            raise _not_regular(st1.st_mode)
        fobj = os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise
    with fobj:
        size = st1.st_size
        h = hashlib.sha256()
        try:
            if size <= max_bytes:
                data = _read_all(fobj, size, h)
                _check_unchanged(fd, st1)
                return RawRead(f.rel_path, data, h.hexdigest(), size, st1.st_mtime_ns)
            _stream(fobj, fd, st1, h, blob_sink)
            return RawRead(f.rel_path, None, h.hexdigest(), size, st1.st_mtime_ns)
        except PermissionError:
            raise Rejected("unreadable", "cannot be read: permission denied") from None


def _read_all(fobj, size: int, h) -> bytes:
    buf = bytearray(size)
    view = memoryview(buf)
    pos = 0
    while pos < size:
        n = _read_chunk(fobj, view[pos:pos + CHUNK_SIZE])
        if n == 0:                                     # shrank while being read
            raise Rejected("changed-during-read", _CHANGED)
        h.update(view[pos:pos + n])
        pos += n
    _expect_eof(fobj)
    del view
    return bytes(buf)


def _expect_eof(fobj) -> None:
    probe = bytearray(1)
    if _read_chunk(fobj, memoryview(probe)):          # grew while being read
        raise Rejected("changed-during-read", _CHANGED)


def _check_unchanged(fd: int, st1: os.stat_result) -> None:
    st2 = os.fstat(fd)
    if st2.st_size != st1.st_size or st2.st_mtime_ns != st1.st_mtime_ns:
        raise Rejected("changed-during-read", _CHANGED)


def _stream(fobj, fd: int, st1: os.stat_result, h, blob_sink: Callable[[str], Path] | None) -> None:
    """Hash (and copy to the blob sink) ``st1.st_size`` bytes with one reusable 1 MiB buffer."""
    size = st1.st_size
    buf = bytearray(CHUNK_SIZE)
    view = memoryview(buf)
    out = tmp_path = None
    try:
        if blob_sink is not None:
            tmp_dir = Path(blob_sink(_PLACEHOLDER_SHA)).parent
            tmp_dir.mkdir(parents=True, exist_ok=True)
            tmp_fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=".partial-", suffix=".tmp")
            tmp_path = Path(tmp_name)
            os.fchmod(tmp_fd, 0o644)                   # like the other blobs, not mkstemp's 0600
            out = os.fdopen(tmp_fd, "wb", buffering=0)
        pos = 0
        while pos < size:
            n = _read_chunk(fobj, view[: min(CHUNK_SIZE, size - pos)])
            if n == 0:
                raise Rejected("changed-during-read", _CHANGED)
            chunk = view[:n]
            h.update(chunk)
            if out is not None:
                written = 0
                while written < n:
                    written += out.write(chunk[written:])
            pos += n
        _expect_eof(fobj)
        _check_unchanged(fd, st1)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
            out.close()
            out = None
            target = Path(blob_sink(h.hexdigest()))
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                tmp_path.unlink()                     # same bytes already kept
            else:
                try:
                    os.replace(tmp_path, target)
                except OSError as ex:
                    if ex.errno != errno.EXDEV:
                        raise
                    shutil.move(str(tmp_path), str(target))   # blob_sink spans two file systems
            tmp_path = None
    finally:
        if out is not None:
            out.close()
        if tmp_path is not None:
            try:
                tmp_path.unlink()
            except FileNotFoundError:
                pass
