"""vnclaims.sources.files: listing and safe reading; every case builds its files in tmp_path."""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import socket
import stat
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from vnclaims.sources import files as input_files
from vnclaims.text.decode import Rejected
from vnclaims.sources.files import InputFile, RawRead, display_path, list_inputs, read_input

TEXT = "Kim ngạch thương mại Việt Nam – Nga năm 2023 đạt 4,6 tỷ USD.\n".encode("utf-8")
MB = 1 << 20


def _write(path: Path, data: bytes = TEXT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _rejects(rejected) -> dict[str, tuple[str, str]]:
    return {rel: (r.code, r.reason) for rel, r in rejected}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "seeds"
    r.mkdir()
    return r


# ------------------------------------------------------------------------------------------ listing

def test_list_inputs_recursive_sorted_skips_hidden_and_manifests(root):
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "0.txt", ".hidden.txt", ".git/config", "sub/.DS_Store",
                "manifest.json", "manifest.csv", "sub/manifest.json", "sub/tin tức.txt"]:
        _write(root / rel)
    files, rejected = list_inputs(root)
    assert [f.rel_path for f in files] == ["0.txt", "a/b/c.txt", "a/z.txt", "b.txt", "sub/tin tức.txt"]
    assert all(Path(f.abs_path) == root / f.rel_path for f in files)
    assert rejected == []


def test_list_inputs_keeps_odd_names_exactly(root):
    names = ["bài viết về Nga.txt", "hiệp ước\nmới.txt", "  spaces  .txt", "Đối tác #1 (2012).txt"]
    for n in names:
        _write(root / "tin" / n)
    files, rejected = list_inputs(root)
    assert sorted(f.rel_path for f in files) == sorted(f"tin/{n}" for n in names)
    f = next(f for f in files if "\n" in f.rel_path)
    assert f.rel_path == "tin/hiệp ước\nmới.txt"
    assert read_input(f, root, 10 * MB).data == TEXT
    assert display_path(f.rel_path) == repr("tin/hiệp ước\nmới.txt")
    assert display_path("tin/bài viết về Nga.txt") == "tin/bài viết về Nga.txt"


def test_symlink_to_file_outside_root_is_rejected(root, tmp_path):
    target = Path("/etc/hostname")
    if not target.exists():
        target = _write(tmp_path / "outside" / "hostname", b"host\n")
    os.symlink(target, root / "host.txt")
    _write(root / "ok.txt")
    files, rejected = list_inputs(root)
    assert [f.rel_path for f in files] == ["ok.txt"]
    code, reason = _rejects(rejected)["host.txt"]
    assert code == "symlink-outside"
    assert reason == (f"is a symbolic link pointing outside the seeds folder ({os.path.realpath(target)}); "
                      "not followed")


def test_symlinked_directory_outside_root_is_not_followed(root, tmp_path):
    _write(tmp_path / "secret" / "passwords.txt", b"hunter2")
    os.symlink(tmp_path / "secret", root / "more")
    files, rejected = list_inputs(root)
    assert files == []
    assert _rejects(rejected)["more"][0] == "symlink-outside"


def test_relative_symlink_escaping_root_is_rejected(root, tmp_path):
    _write(tmp_path / "other.txt")
    os.symlink("../other.txt", root / "escape.txt")
    files, rejected = list_inputs(root)
    assert files == []
    assert _rejects(rejected)["escape.txt"][0] == "symlink-outside"


def test_symlink_inside_root_is_listed_and_read(root):
    _write(root / "real" / "a.txt", b"Hiep dinh 1994\n")
    os.symlink("real/a.txt", root / "alias.txt")
    os.symlink("real", root / "dirlink")                 # inside root: not descended (no duplicates)
    os.symlink("..", root / "real" / "loop")            # a cycle must not hang the walk
    files, rejected = list_inputs(root)
    assert [f.rel_path for f in files] == ["alias.txt", "real/a.txt"]
    assert rejected == []
    rr = read_input(files[0], root, MB)
    assert rr.data == b"Hiep dinh 1994\n"
    assert rr.rel_path == "alias.txt"


def test_broken_symlink(root):
    os.symlink(root / "does-not-exist.txt", root / "dead.txt")
    os.symlink("self-loop", root / "self-loop")
    files, rejected = list_inputs(root)
    assert files == []
    rj = _rejects(rejected)
    assert rj["dead.txt"][0] == "broken-symlink"
    assert "target does not exist" in rj["dead.txt"][1]
    assert rj["self-loop"][0] == "broken-symlink"


def test_fifo_and_socket_are_not_regular(root):
    os.mkfifo(root / "pipe.txt")
    sock_dir = Path(tempfile.mkdtemp(dir="/tmp"))        # AF_UNIX paths must be short
    try:
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(sock_dir / "s"))
        os.symlink(sock_dir / "s", root / "sock-outside")
        files, rejected = list_inputs(root)
        rj = _rejects(rejected)
        assert files == []
        assert rj["pipe.txt"] == ("not-regular", "is a named pipe (FIFO), not a regular file; not read")
        assert rj["sock-outside"][0] == "symlink-outside"
        s.close()
        shutil.move(str(sock_dir / "s"), str(root / "s"))   # a socket inside the root
    finally:
        shutil.rmtree(sock_dir, ignore_errors=True)
    _, rejected = list_inputs(root)
    assert _rejects(rejected)["s"][0] == "not-regular"


def test_missing_root_raises(tmp_path):
    with pytest.raises(NotADirectoryError):
        list_inputs(tmp_path / "nope")


# ------------------------------------------------------------------------------------------ reading

def test_read_small_file(root):
    data = TEXT * 1000 + b"\x00tail"                    # exact bytes, whatever they are
    _write(root / "a.txt", data)
    files, _ = list_inputs(root)
    rr = read_input(files[0], root, 10 * MB)
    assert rr == RawRead("a.txt", data, hashlib.sha256(data).hexdigest(), len(data))


def test_read_file_larger_than_one_chunk(root):
    data = os.urandom(3 * MB + 17)
    _write(root / "big.bin", data)
    rr = read_input(InputFile("big.bin", root / "big.bin"), root, 10 * MB)
    assert rr.data == data
    assert rr.sha256 == hashlib.sha256(data).hexdigest()


def test_read_empty_file(root):
    _write(root / "empty.txt", b"")
    rr = read_input(InputFile("empty.txt", root / "empty.txt"), root, MB)
    assert (rr.data, rr.byte_size, rr.sha256) == (b"", 0, hashlib.sha256(b"").hexdigest())


def test_vanished_between_listing_and_reading(root):
    _write(root / "gone.txt")
    files, _ = list_inputs(root)
    (root / "gone.txt").unlink()
    with pytest.raises(Rejected) as ei:
        read_input(files[0], root, MB)
    assert (ei.value.code, ei.value.reason) == ("vanished", "disappeared before it could be read")


def test_symlink_retargeted_outside_after_listing(root, tmp_path):
    _write(root / "real.txt")
    _write(tmp_path / "outside.txt", b"secret")
    os.symlink("real.txt", root / "link.txt")
    files, _ = list_inputs(root)
    link = next(f for f in files if f.rel_path == "link.txt")
    (root / "link.txt").unlink()
    os.symlink(tmp_path / "outside.txt", root / "link.txt")
    with pytest.raises(Rejected) as ei:
        read_input(link, root, MB)
    assert ei.value.code == "symlink-outside"


def test_folder_swapped_for_a_symlink_outside_after_listing_is_not_opened(root, tmp_path):
    """A listed file's folder replaced by a link to a folder outside: rejected, and nothing outside is
    opened (the cheap open of a listed file checks its folders before opening)."""
    _write(root / "sub" / "a.txt")
    _write(tmp_path / "elsewhere" / "a.txt", b"secret")
    files, _ = list_inputs(root)
    shutil.rmtree(root / "sub")
    os.symlink(tmp_path / "elsewhere", root / "sub")
    opened = []
    real_open = os.open
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "open", lambda p, *a, **k: opened.append(os.fspath(p)) or real_open(p, *a, **k))
        with pytest.raises(Rejected) as ei:
            read_input(files[0], root, MB)
    assert ei.value.code == "symlink-outside"
    assert not [p for p in opened if "elsewhere" in p]


def test_read_gives_the_size_and_mtime_of_what_was_read(root):
    f = _write(root / "a.txt")
    os.utime(f, ns=(1_700_000_000_123_456_789, 1_700_000_000_123_456_789))
    files, _ = list_inputs(root)
    rr = read_input(files[0], root, MB)
    assert (rr.byte_size, rr.mtime_ns) == (len(TEXT), 1_700_000_000_123_456_789)


def test_replaced_by_directory_after_listing(root):
    _write(root / "x.txt")
    files, _ = list_inputs(root)
    (root / "x.txt").unlink()
    (root / "x.txt").mkdir()
    with pytest.raises(Rejected) as ei:
        read_input(files[0], root, MB)
    assert (ei.value.code, ei.value.reason) == ("not-regular", "is a directory, not a regular file; not read")


def test_replaced_by_fifo_after_listing_does_not_hang(root):
    _write(root / "x.txt")
    files, _ = list_inputs(root)
    (root / "x.txt").unlink()
    os.mkfifo(root / "x.txt")
    with pytest.raises(Rejected) as ei:
        read_input(files[0], root, MB)
    assert ei.value.code == "not-regular"


def _as_nobody(fn) -> str:
    """Run ``fn()`` as user 'nobody' in a forked child (root can read anything); returns what it
    returned (a str), or the code of the Rejected it raised."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                          # child
        out = "no-result"
        try:
            os.close(r)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            out = fn()
        except Rejected as e:
            out = e.code
        except BaseException as e:                        # noqa: BLE001 - report anything to the parent
            out = f"error:{type(e).__name__}:{e}"
        finally:
            os.write(w, str(out).encode())
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        out = fh.read().decode()
    os.waitpid(pid, 0)
    return out


@pytest.fixture
def world_dir():
    """A folder that user 'nobody' can traverse (tmp_path's parents are private to root)."""
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="vnclaims-perm-"))
    base.chmod(0o755)
    yield base
    for p in base.rglob("*"):
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(base, ignore_errors=True)


def test_unreadable_permission_denied(world_dir):
    p = _write(world_dir / "secret.txt")
    files, _ = list_inputs(world_dir)
    p.chmod(0)
    if os.geteuid() != 0:
        if os.access(p, os.R_OK):
            pytest.skip("chmod 000 does not make the file unreadable on this file system")
        with pytest.raises(Rejected) as ei:
            read_input(files[0], world_dir, MB)
        assert (ei.value.code, ei.value.reason) == ("unreadable", "cannot be read: permission denied")
    else:
        assert _as_nobody(lambda: read_input(files[0], world_dir, MB)) == "unreadable"


def test_unlistable_subfolder_is_rejected(world_dir):
    _write(world_dir / "ok.txt")
    _write(world_dir / "locked" / "a.txt")
    (world_dir / "locked").chmod(0)

    def listing() -> str:
        files, rejected = list_inputs(world_dir)
        return repr(([f.rel_path for f in files], _rejects(rejected)))

    out = listing() if os.geteuid() != 0 else _as_nobody(listing)
    if os.geteuid() != 0 and os.access(world_dir / "locked", os.R_OK):
        pytest.skip("chmod 000 does not lock the folder on this file system")
    assert out == repr((["ok.txt"], {"locked": ("unreadable", "is a folder that cannot be listed: "
                                                             "permission denied")}))


def test_unreadable_simulated(root, monkeypatch):
    """Same mapping without relying on file permissions (e.g. on file systems that ignore them)."""
    _write(root / "a.txt")
    files, _ = list_inputs(root)
    real_open = os.open

    def deny(path, flags, *a, **kw):
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(input_files.os, "open", deny)
    with pytest.raises(Rejected) as ei:
        read_input(files[0], root, MB)
    assert (ei.value.code, ei.value.reason) == ("unreadable", "cannot be read: permission denied")


def _change_during_read(monkeypatch, path: Path, how: str) -> None:
    real = input_files._read_chunk
    state = {"n": 0}

    def chunk_then_modify(fobj, view):
        n = real(fobj, view)
        state["n"] += 1
        if state["n"] == 1:                               # another writer acts after our first chunk
            if how == "append":
                with open(path, "ab") as fh:
                    fh.write(b"them mot doan moi\n")
            elif how == "truncate":
                os.truncate(path, MB + 10)
            elif how == "rewrite":                        # same size, new content and mtime
                with open(path, "r+b") as fh:
                    fh.seek(MB * 2)
                    fh.write(b"X" * 10)
                st = os.stat(path)
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        return n

    monkeypatch.setattr(input_files, "_read_chunk", chunk_then_modify)


@pytest.mark.parametrize("how", ["append", "truncate", "rewrite"])
@pytest.mark.parametrize("streamed", [False, True])
def test_changed_during_read(root, tmp_path, monkeypatch, how, streamed):
    p = _write(root / "growing.txt", TEXT * (3 * MB // len(TEXT)))
    files, _ = list_inputs(root)
    _change_during_read(monkeypatch, p, how)
    sink_dir = tmp_path / "quarantine"
    with pytest.raises(Rejected) as ei:
        read_input(files[0], root, MB if streamed else 10 * MB, blob_sink=lambda sha: sink_dir / sha)
    assert (ei.value.code, ei.value.reason) == (
        "changed-during-read", "changed while it was being read; it will be picked up by the next run")
    if streamed:                                          # no half-written blob left behind
        assert not sink_dir.exists() or list(sink_dir.iterdir()) == []


def test_large_file_streamed_with_bounded_memory(root, tmp_path):
    size = 250 * MB
    p = root / "huge.txt"
    expected = hashlib.sha256()
    line = "Kim ngạch xuất khẩu nông sản sang Nga tăng mạnh; hiệp định thương mại tự do có hiệu lực.\n".encode()
    block = line * (MB // len(line)) + b"." * (MB % len(line))
    assert len(block) == MB
    with open(p, "wb") as fh:                             # generated in 1 MiB chunks, never all in memory
        for i in range(size // MB):
            chunk = block[:-8] + i.to_bytes(8, "big")
            expected.update(chunk)
            fh.write(chunk)
    sink_dir = tmp_path / "warehouse" / "quarantine"
    f = InputFile("huge.txt", p)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss      # KiB on Linux
    tracemalloc.start()
    try:
        rr = read_input(f, root, max_bytes=50 * MB, blob_sink=lambda sha: sink_dir / sha)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert rr.data is None
    assert rr.byte_size == size
    assert rr.sha256 == expected.hexdigest()
    assert peak < 8 * MB, f"streaming allocated {peak / MB:.1f} MiB"
    assert rss_growth_mb < 100
    blob = sink_dir / rr.sha256
    assert blob.stat().st_size == size
    h = hashlib.sha256()
    with open(blob, "rb") as fh:
        while chunk := fh.read(MB):
            h.update(chunk)
    assert h.hexdigest() == rr.sha256
    assert sorted(x.name for x in sink_dir.iterdir()) == [rr.sha256]      # no temp file left


def test_large_file_without_sink_is_only_hashed(root):
    data = os.urandom(2 * MB + 3)
    _write(root / "big.bin", data)
    rr = read_input(InputFile("big.bin", root / "big.bin"), root, max_bytes=MB)
    assert rr == RawRead("big.bin", None, hashlib.sha256(data).hexdigest(), len(data))


def test_large_file_already_in_sink_is_kept(root, tmp_path):
    data = os.urandom(2 * MB)
    _write(root / "big.bin", data)
    sha = hashlib.sha256(data).hexdigest()
    sink = _write(tmp_path / "q" / sha, data)
    mtime = sink.stat().st_mtime_ns
    rr = read_input(InputFile("big.bin", root / "big.bin"), root, max_bytes=MB, blob_sink=lambda s: tmp_path / "q" / s)
    assert rr.sha256 == sha
    assert sink.stat().st_mtime_ns == mtime
    assert [x.name for x in (tmp_path / "q").iterdir()] == [sha]


def test_file_exactly_at_limit_is_loaded(root):
    data = b"a" * MB
    _write(root / "edge.txt", data)
    rr = read_input(InputFile("edge.txt", root / "edge.txt"), root, max_bytes=MB)
    assert rr.data == data


def test_listed_special_file_mode_names():
    assert input_files._kind(stat.S_IFIFO) == "a named pipe (FIFO)"
    assert input_files._kind(stat.S_IFCHR) == "a character device"
