"""Stage 1, ingest: every file under seeds/ -> a raw version (sha256, size, encoding, bytes kept) or a
quarantine row with its reason. Only new or changed files are read again (size+mtime cache, then sha256),
and files cleaned by another cleaner version.

Writes ``in_raw``, ``in_text``, ``in_quarantine`` and ``in_source_files`` (see :mod:`vnclaims.run.scratch`).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import orjson

from .. import versions                # the versions through the module: tests replace them
from ..text.decode import Rejected, decode_bytes
from ..run.lifecycle import collector_paused
from ..run.pool import map_batches
from ..run.scratch import lake_read, put, reset
from ..sources import blobs, files         # through the modules: tests replace read_input and keep_bytes
from ..sources.manifest import read_manifest
from ..text.document import without_replacement_chars
from ..errors import WarehouseError
from ..lake.connect import _sql_str
from .validate import prewarm_gx

if TYPE_CHECKING:
    from ..run.context import RunContext


def ingest(ctx: RunContext) -> dict:
    """Plan which files to read, read them (on all cores for many files), record each result in file
    order, note the files that vanished, and keep the scan cache."""
    with ctx.work(appends=True) as w:      # one scratch connection for every batch (a reconnect per batch: 5 s at 100k files)
        s = ctx.settings
        if not s.seeds.is_dir():
            raise WarehouseError(f"the seeds folder {s.seeds} does not exist (pass --seeds DIR)")
        # the plan: a million files' listing, lake rows and cache entries (acyclic: the collector paused)
        with collector_paused():
            st = _State.of(ctx)
            cache_path = s.warehouse / ".cache" / "scan.json"
            cache = _read_cache(cache_path, s.full_rescan)
            st.manifest, ignored = read_manifest(s, ctx.log)
            hidden: list[str] = []
            listed, listing_rejects = files.list_inputs(s.seeds, hidden=hidden)
        if ignored:
            before = ctx.counts.setdefault("ingest", {})
            before["manifest_entries_rejected"] = before.get("manifest_entries_rejected", 0) + ignored
        c = st.counts = {"files_seen": len(listed) + len(listing_rejects), "unchanged": 0, "new": 0, "changed": 0,
                         "cleaned_again": 0, "rejected": 0, "vanished": 0, "bytes_read": 0, "rejected_by_reason": {},
                         "cleaner_version": st.version}
        _skipped_hidden(ctx, c, hidden)
        ctx.rejected.clear()
        reset(w, "in_raw", "in_text", "in_quarantine", "in_source_files")
        for rel, rej in listing_rejects:
            reject(st, rel, rej.code, rej.reason, None, None, None)
        with collector_paused():
            todo = _plan_reads(st, listed, cache)
        chunks = (todo[i:i + s.batch_size] for i in range(0, len(todo), s.batch_size))
        for results in map_batches(read_one, chunks, s):
            if len(st.text_rows) >= s.batch_size:
                _flush(st, w)
            for r in results:
                _record(st, r)
        del todo
        with collector_paused():
            _vanished(st, {f.rel_path for f in listed} | {rel for rel, _ in listing_rejects})
        _flush(st, w)
        with collector_paused():
            _write_cache(ctx, cache_path, cache, st.new_cache)
        if c["cleaned_again"]:
            c["again_because"] = _again_because(st)
            ctx.log(f"ingest: {c['cleaned_again']} file(s) already in the warehouse are read and cleaned again: "
                    f"{c['again_because']}")
        if c["new"] or c["changed"] or c["vanished"] or c["cleaned_again"]:
            # a new snapshot to validate is likely: GX imports while the next stages work (unless the batch
            # is big: then load imports it after its marts)
            prewarm_gx(s, files_read=c["new"] + c["changed"] + c["cleaned_again"])
        c["in"] = c["files_seen"]
        c["out"] = st.n_text
        return c


HIDDEN_LISTED = 1000        # hidden names kept in the counts (the runs table); the rest are counted


def _skipped_hidden(ctx: RunContext, c: dict, hidden: list[str]) -> None:
    """Files and folders whose names start with "." are not read (editor and system files, .git/): said
    in the log and kept in the counts, so none is skipped without a record."""
    if not hidden:
        return
    c["skipped_hidden"] = hidden[:HIDDEN_LISTED]
    c["skipped_hidden_count"] = len(hidden)
    ctx.log(f"skipped {len(hidden)} hidden name(s) (starting with \".\"), not read: "
            + ", ".join(repr(h) for h in hidden[:20]) + (" ..." if len(hidden) > 20 else ""))


class _Prev:
    """The lake's source files column by column, and each path's row: ``get(path)`` gives the row as
    (source_path, raw_id, sha256, status, present, raw kept), None for a path the lake does not know. A
    million rows fetched as columns take 0.6 s, as tuples 1.5-2.2 s."""
    COLUMNS = ("source_path", "raw_id", "sha256", "status", "present", "kept")

    def __init__(self, cols: dict[str, list]):
        self.path, self.raw_id, self.sha, self.status, self.present, self.kept = (cols.get(c, []) for c in self.COLUMNS)
        self.row = dict(zip(self.path, range(len(self.path))))

    @classmethod
    def of_rows(cls, rows: list[tuple]) -> "_Prev":
        """From row tuples (the order of COLUMNS)."""
        return cls({c: [r[k] for r in rows] for k, c in enumerate(cls.COLUMNS)})

    def get(self, rel: str) -> tuple | None:
        i = self.row.get(rel)
        return None if i is None else self.at(i)

    def at(self, i: int) -> tuple:
        return self.path[i], self.raw_id[i], self.sha[i], self.status[i], self.present[i], self.kept[i]


@dataclass
class _State:
    """What ingest knows of the lake's files, and the rows it has read but not yet written to scratch."""
    ctx: RunContext
    prev_files: "_Prev"               # source_path -> (source_path, raw_id, sha256, status, present, raw kept)
    other_raws: set[str]              # raw versions no source file points at now (files' earlier versions)
    stale: dict[str, str | None]      # raw_id -> the other cleaner version that cleaned it (None: none did)
    version: str                      # the cleaner version now
    qdir: Path
    counts: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    again_from: dict = field(default_factory=dict)      # cleaner version before -> files cleaned again
    new_cache: dict = field(default_factory=dict)
    raw_rows: list = field(default_factory=list)
    text_rows: list = field(default_factory=list)
    q_rows: list = field(default_factory=list)
    sf_rows: list = field(default_factory=list)
    n_text: int = 0

    @classmethod
    def of(cls, ctx: RunContext) -> "_State":
        """Only what a million files need held: every raw id the lake knows is a file's current one (flagged
        in its row) or one of the few others; the cleaner versions only of the files cleaned by another one
        (a set of every raw id and a map of every cleaning held ~360 MB more at a million files)."""
        s = ctx.settings
        version = versions.cleaner_version()
        prev = lake_read(s, {
            # (kept: a semi join, not a join with the distinct raw ids: 0.9-1.1 -> 0.8 s at a million files)
            "files": "SELECT f.source_path, f.raw_id, f.sha256, f.status, f.present, "
                     "coalesce(f.raw_id IN ( SELECT raw_id FROM raw_documents ), false) AS kept FROM source_files f",
            "raws": "SELECT raw_id FROM raw_documents r WHERE NOT EXISTS "
                    "( SELECT 1 FROM source_files f WHERE f.raw_id = r.raw_id )",
            "stale": "SELECT f.raw_id, c.cleaner_version FROM source_files f LEFT JOIN stg_cleanings c "
                     f"ON c.raw_id = f.raw_id WHERE c.cleaner_version IS DISTINCT FROM {_sql_str(version)}",
            "cleanings": "SELECT count(*) FROM stg_cleanings",
        }, columns=("files",))
        files_ = _Prev(prev["files"])
        stale = dict(prev["stale"])
        if not prev["cleanings"]:       # a lake without the table: no file has a cleaner version recorded
            stale = dict.fromkeys(files_.raw_id)
        return cls(ctx, files_, {r[0] for r in prev["raws"]}, stale, version, s.warehouse / "quarantine")

    def clean_again(self, pf: tuple | None) -> bool:
        """A present file read fine before, but cleaned by another cleaner version (or asked to): read again."""
        return pf is not None and pf[4] and pf[3] == "ok" and (self.ctx.settings.reclean or pf[1] in self.stale)

    def known_raw(self, rel: str, raw_id: str) -> bool:
        """The lake holds this raw version already (a raw id is a hash of the path and the bytes)."""
        pf = self.prev_files.get(rel)
        return (pf is not None and pf[1] == raw_id and pf[5]) or raw_id in self.other_raws


def _read_cache(path: Path, full_rescan: bool) -> dict:
    """The scan cache: {source path: "size:mtime_ns|sha256"}; {} when absent, unreadable or asked to rescan.
    Parsed by orjson (a million entries: 1.07 -> 0.61 s); a cache holding a path that is not valid UTF-8 (a
    lone surrogate, escaped by :mod:`json`) is one orjson refuses: read by :mod:`json` then."""
    if full_rescan or not path.exists():
        return {}
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        try:
            return json.loads(data)
        except ValueError:
            return {}


KEY_OF_READ = "?"       # a work item's cache key to be taken from the file as read
_AGAIN = object()       # the plan's mark: a file the lake does not hold as present and unchanged-if-unmodified


def _plan_reads(st: _State, listed: list, cache: dict) -> list[tuple]:
    """Which files need reading: not those whose size and mtime are as when they were last read (unless
    they are to be cleaned again). Returns the work items of :func:`read_one`."""
    s = st.ctx.settings
    max_bytes = int(s.max_file_mb * 1024 * 1024)
    seeds, qdir, warehouse = str(s.seeds), str(st.qdir), str(s.warehouse)
    todo: list[tuple] = []
    # a million files go through this loop on every run: names bound locally, st.clean_again made once per lake
    # row, and an unchanged file's cache entry compared with one string built (2.5 s of it the stat calls)
    prev, new_cache, stat_ = st.prev_files, st.new_cache, os.stat
    # per lake row: the sha256 a file must still have to be unchanged, or _AGAIN (gone from the listing
    # before, or read fine but to be cleaned again: st.clean_again), made once for every row, not per file
    again = [False] * len(prev.path) if not (s.reclean or st.stale) else \
        [s.reclean or r in st.stale for r in prev.raw_id]
    expect = [sha if present and not (status == "ok" and a) else _AGAIN
              for sha, present, status, a in zip(prev.sha, prev.present, prev.status, again)]
    del again
    row, raw_id = prev.row, prev.raw_id
    unchanged = 0
    for f in listed:
        rel = f.rel_path
        hit = cache.get(rel)            # "size:mtime_ns|sha256" (a dict in caches of earlier versions)
        i = row.get(rel)
        e = _AGAIN if i is None else expect[i]
        if hit is None:                 # not in the cache: read; its size and mtime are taken as read (no stat)
            key = KEY_OF_READ
        else:
            try:
                stat = stat_(f.abs_path)
            except OSError:
                key = None
            else:
                if hit.__class__ is dict:
                    hit = f"{hit.get('key')}|{hit.get('sha')}"
                if e is not _AGAIN and hit == f"{stat.st_size}:{stat.st_mtime_ns}|{e}":
                    unchanged += 1
                    new_cache[rel] = hit
                    continue
                key = f"{stat.st_size}:{stat.st_mtime_ns}"
        # a file read again whose bytes turn out to be the same as before is not decoded again
        same_as = raw_id[i] if e is not _AGAIN else None
        todo.append((rel, f.abs_path, f.root_real, key, same_as, seeds, max_bytes, qdir, warehouse, s.io_retries))
    st.counts["unchanged"] += unchanged
    return todo


def read_one(item: tuple) -> dict:
    """Read one input file (retrying transient errors), hash it, and unless its bytes are those it had
    (``same_as``, its raw_id before), decode it and keep a copy of its bytes. Runs in a worker process for
    large batches: returns plain data (a rejection as the arguments of :func:`reject`)."""
    rel, abs_path, root_real, key, same_as, seeds, max_bytes, qdir, warehouse, io_retries = item
    out: dict = {"rel": rel, "key": key}
    f = files.InputFile(rel, abs_path, root_real)
    rr = None
    for attempt in range(max(1, io_retries)):
        try:
            rr = files.read_input(f, Path(seeds), max_bytes, blob_sink=lambda sha: Path(qdir) / sha)
            break
        except Rejected as e:
            if e.code in ("vanished", "changed-during-read") and attempt + 1 < io_retries:
                time.sleep(0.2 * (attempt + 1))
                continue
            return {**out, "reject": (e.code, e.reason, None, None, None)}
        except OSError as e:   # transient I/O: retried, then reported
            if attempt + 1 < io_retries:
                time.sleep(0.2 * (attempt + 1))
                continue
            return {**out, "reject": ("io-error", f"could not be read: {e.strerror or e}", None, None, None)}
    raw_id = hashlib.sha256(f"{rel}\0{rr.sha256}".encode()).hexdigest()[:20]
    out.update(sha=rr.sha256, size=rr.byte_size, raw_id=raw_id)
    if key == KEY_OF_READ:
        out["key"] = f"{rr.byte_size}:{rr.mtime_ns}"
    if raw_id == same_as:
        return {**out, "unchanged": True}
    if rr.data is None:
        return {**out, "too_large": True}
    try:
        dec = without_replacement_chars(decode_bytes(rr.data, rel))
    except Rejected as e:
        return {**out, "reject": (e.code, e.reason, rr.sha256, rr.byte_size, rr.data)}
    # where a raw copy goes (plain strings: a hundred thousand Path objects cost seconds)
    rel_blob = f"raw/{rr.sha256[:2]}/{rr.sha256}"
    blob = os.path.join(warehouse, rel_blob)
    if not os.path.exists(blob):
        blobs.keep_bytes(blob, rr.data, rel)
    return {**out, "text": dec.text, "encoding": dec.encoding, "notes": dec.notes, "blob_path": rel_blob}


def _record(st: _State, r: dict) -> None:
    """One result of :func:`read_one`: counted, and its rows buffered (or the file rejected)."""
    s, c = st.ctx.settings, st.counts
    rel, key = r["rel"], r["key"]
    if "reject" in r:
        reject(st, rel, *r["reject"])
        return
    c["bytes_read"] += r["size"]
    if key:
        st.new_cache[rel] = f"{key}|{r['sha']}"
    pf = st.prev_files.get(rel)
    if r.get("unchanged"):
        c["unchanged"] += 1
        return
    raw_id = r["raw_id"]
    if r.get("too_large"):
        reject(st, rel, "too-large", f"too large ({r['size'] / 1e6:.0f} MB > limit {s.max_file_mb:.0f} MB); "
               "bytes kept in quarantine, raise VNCLAIMS_MAX_FILE_MB to process it", r["sha"], r["size"],
               None, kept_at=st.qdir / r["sha"])
        return
    if st.clean_again(pf) and pf[1] == raw_id:
        c["cleaned_again"] += 1
        was = None if s.reclean else st.stale.get(raw_id)
        st.again_from[was] = st.again_from.get(was, 0) + 1
    else:
        c["changed" if pf else "new"] += 1
    if not st.known_raw(rel, raw_id):
        st.raw_rows.append({"raw_id": raw_id, "source_path": rel, "sha256": r["sha"], "byte_size": r["size"],
                            "encoding": r["encoding"], "status": "ok", "decode_notes": ",".join(r["notes"]) or None,
                            "blob_path": r["blob_path"], "first_run_id": st.ctx.run_id})
    meta = st.manifest.get(rel, {})
    st.text_rows.append({"raw_id": raw_id, "source_path": rel, "text": r["text"], "published": meta.get("published"),
                         "publisher": meta.get("publisher"), "url": meta.get("url")})
    st.sf_rows.append({"source_path": rel, "raw_id": raw_id, "sha256": r["sha"], "doc_id": None, "status": "ok",
                       "present": True})


def reject(st: _State, rel: str, code: str, reason: str, sha: str | None, size: int | None, data: bytes | None,
           kept_at: Path | None = None) -> None:
    """Quarantine one input file: counted and logged with its reason, its bytes (if read) kept under
    quarantine/<sha256>, and a raw version, a quarantine row and a source-file row buffered, unless the
    lake already holds this same bad version. A file never read gets a sha256 of its path and reason."""
    ctx, s, c = st.ctx, st.ctx.settings, st.counts
    sha = sha or hashlib.sha256((rel + "|" + code).encode()).hexdigest()
    raw_id = hashlib.sha256(f"{rel}\0{sha}".encode()).hexdigest()[:20]
    prevf = st.prev_files.get(rel)
    if prevf and prevf[1] == raw_id and prevf[4]:
        # the same bad version as before, already recorded and reported: not reported again (whether it was
        # rejected while listing or for its content), so identical runs exit alike (see `vnclaims run --help`)
        c["still_quarantined"] = c.get("still_quarantined", 0) + 1
        return
    c["rejected"] += 1
    c["rejected_by_reason"][code] = c["rejected_by_reason"].get(code, 0) + 1
    ctx.rejected.append({"source_path": rel, "reason": reason, "code": code})
    ctx.log(f"rejected {rel!r}: {reason}")
    keep = None
    if data is not None:
        st.qdir.mkdir(parents=True, exist_ok=True)
        keep = st.qdir / sha
        if not keep.exists():
            blobs.keep_bytes(keep, data, rel)
    elif kept_at is not None:
        keep = kept_at
    if prevf and prevf[1] == raw_id:
        return   # the same bad version as before, back after it was gone: already recorded
    blob_path = str(keep.relative_to(s.warehouse)) if keep else None
    if not st.known_raw(rel, raw_id):
        st.raw_rows.append({"raw_id": raw_id, "source_path": rel, "sha256": sha, "byte_size": size, "encoding": None,
                            "status": "quarantined", "decode_notes": code, "blob_path": blob_path,
                            "first_run_id": ctx.run_id})
        st.q_rows.append({"raw_id": raw_id, "source_path": rel, "sha256": sha, "byte_size": size, "reason_code": code,
                          "reason": reason, "blob_path": blob_path, "run_id": ctx.run_id})
    st.sf_rows.append({"source_path": rel, "raw_id": raw_id, "sha256": sha, "doc_id": None, "status": "quarantined",
                       "present": True})


def _vanished(st: _State, listed: set[str]) -> None:
    """Files the lake holds as present that are no longer listed: marked gone (their document is kept)."""
    prev = st.prev_files
    for i in [i for i, (rel, present) in enumerate(zip(prev.path, prev.present)) if present and rel not in listed]:
        rel, pf = prev.path[i], prev.at(i)
        st.counts["vanished"] += 1
        st.sf_rows.append({"source_path": rel, "raw_id": pf[1], "sha256": pf[2], "doc_id": None, "status": pf[3],
                           "present": False, "_keep_doc": True})


def _flush(st: _State, w: duckdb.DuckDBPyConnection) -> None:
    """Append what was read so far to the scratch database: memory holds one batch of texts, not the corpus."""
    put(w, "in_raw", st.raw_rows)
    put(w, "in_text", st.text_rows)
    put(w, "in_quarantine", st.q_rows)
    put(w, "in_source_files", [{k: v for k, v in r.items() if not k.startswith("_")}
                               | {"keep_doc": bool(r.get("_keep_doc"))} for r in st.sf_rows])
    st.n_text += len(st.text_rows)
    for rows in (st.raw_rows, st.text_rows, st.q_rows, st.sf_rows):
        rows.clear()


def _write_cache(ctx: RunContext, path: Path, cache: dict, new_cache: dict) -> None:
    """The size+mtime cache only saves re-hashing: without it the next run reads every file again."""
    try:
        if new_cache != cache or not path.exists():     # unchanged: not written again (0.2 s at 100k)
            blobs.keep_bytes(path, _cache_bytes(new_cache), "the scan cache")
    except WarehouseError as e:
        with contextlib.suppress(OSError):
            path.unlink()
        ctx.log(f"warning: {e}; the next run re-reads every file")


def _cache_bytes(cache: dict) -> bytes:
    """The cache as JSON: by orjson (a million entries: 0.78 -> 0.08 s), by :mod:`json` when a path is not
    valid UTF-8 (orjson refuses lone surrogates; json escapes them, and :func:`_read_cache` reads them back)."""
    try:
        return orjson.dumps(cache)
    except orjson.JSONEncodeError:
        return json.dumps(cache).encode()


def _again_because(st: _State) -> str:
    """Why known files were cleaned again, for the counts and the log."""
    if st.ctx.settings.reclean:
        return "asked to (--reclean / VNCLAIMS_RECLEAN)"
    why = [f"{k} cleaned by cleaner version {was}" if was else f"{k} with no cleaner version recorded "
           "(cleaned by an earlier vnclaims)" for was, k in sorted(st.again_from.items(), key=lambda kv: str(kv[0]))]
    return "; ".join(why) + f"; the cleaner (decoding and cleaning rules) is now version {st.version}"
