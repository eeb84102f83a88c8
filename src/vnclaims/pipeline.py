"""The pipeline's stages as plain functions over a run context — no Prefect here.

Each stage reads its inputs from / writes its outputs to a per-run scratch DuckDB file
(``warehouse/.work/<run_id>.duckdb``), so memory stays bounded at any corpus size, and returns a
counts dict (in / out / dropped by reason). ``load`` copies everything into the DuckLake warehouse
in ONE transaction: one snapshot per run that changes anything, none otherwise. A crash before that
commit leaves the warehouse untouched.

``flows/pipeline.py`` wraps each stage in a Prefect task; :func:`run_pipeline` runs the same stages
without Prefect (used by the benchmark's profiling and by library users).
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import duckdb
import numpy as np
import pandas as pd

from . import __version__
from .clean import clean_text, cleaner_version, hash_tokens
from .dedup import MinHasher, NearPair, clusters, differing_numbers, find_near_pairs
from .entities import find_mentions
from .extract import extract_document, extractor_version, infer_as_of, load_registry
from .settings import PROJECT_ROOT, Settings
from .warehouse import (
    WarehouseError, WarehouseOutOfMemory, connect, data_snapshots, drop_temp, ensure_schema, load_models,
    changed_rows_query, materialize, out_of_memory, table_columns, warehouse_exists, writer_lock,
)

STAGES = ("ingest", "clean", "dedup", "extract", "load", "validate", "report")


# ---------------------------------------------------------------- context
@dataclass
class RunContext:
    settings: Settings
    run_id: str
    flow_run_id: str | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    snapshot_id: int | None = None          # the data snapshot this run committed (None: nothing changed)
    current_snapshot: int | None = None     # the newest data snapshot after this run
    rejected: list = field(default_factory=list)
    step: str | None = None          # what a stage is doing now, for its error message
    log: Callable[[str], None] = print
    near_pairs_current: bool = False        # dedup found nothing to redo: the lake's near-duplicate pairs stand
    memory_retries: list = field(default_factory=list)   # stages run again with a higher DuckDB limit

    @property
    def scratch(self) -> Path:
        return self.settings.warehouse / ".work" / f"{self.run_id}.duckdb"

    @contextlib.contextmanager
    def work(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.scratch.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.scratch), config=self.settings.duckdb_config())
        try:
            yield con
        finally:
            con.close()


def new_run_id() -> str:
    return datetime.now(timezone.utc).strftime("r%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]


def code_version() -> str:
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
                             capture_output=True, text=True, timeout=5)
        if out.returncode == 0 and out.stdout.strip():
            dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=5).stdout.strip()
            return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return f"vnclaims-{__version__}"


V, I, B = "VARCHAR", "INTEGER", "BIGINT"
SCRATCH = {
    "in_raw": [("raw_id", V), ("source_path", V), ("sha256", V), ("byte_size", B), ("encoding", V), ("status", V),
               ("decode_notes", V), ("blob_path", V), ("first_run_id", V)],
    "in_text": [("raw_id", V), ("source_path", V), ("text", V), ("published", V), ("publisher", V), ("url", V)],
    "in_quarantine": [("raw_id", V), ("source_path", V), ("sha256", V), ("byte_size", B), ("reason_code", V),
                      ("reason", V), ("blob_path", V), ("run_id", V)],
    "in_source_files": [("source_path", V), ("raw_id", V), ("sha256", V), ("doc_id", V), ("status", V),
                        ("present", "BOOLEAN"), ("keep_doc", "BOOLEAN")],
    "c_docs": [("doc_id", V), ("raw_id", V), ("source_path", V), ("title", V), ("author", V), ("source_tag", V),
               ("lead", V), ("captions", V), ("body", V), ("content_hash", V), ("as_of", V), ("as_of_year", I),
               ("as_of_source", V), ("as_of_evidence", V), ("publisher", V), ("url", V), ("n_paragraphs", I),
               ("n_sentences", I)],
    "c_sentences": [("doc_id", V), ("sentence_index", I), ("char_start", I), ("char_end", I), ("text", V)],
    "c_log": [("raw_id", V), ("seq", I), ("kind", V), ("rule", V), ("text", V), ("paragraph", I), ("kept_paragraph", I)],
    "c_minhash": [("doc_id", V), ("signature", "BLOB")],
    "d_minhash": [("doc_id", V), ("signature", "BLOB")],
    "d_near_pairs": [("pair_id", V), ("doc_id_a", V), ("doc_id_b", V), ("similarity", "DOUBLE"), ("cluster_id", V),
                     ("numbers_only_in_a", V), ("numbers_only_in_b", V), ("method", V), ("params", V)],
    "e_claims": [("claim_id", V), ("doc_id", V), ("metric", V), ("subject", V), ("value_low", "DOUBLE"),
                 ("value_high", "DOUBLE"), ("unit", V), ("qualifier", V), ("period", V), ("period_start", I),
                 ("period_end", I), ("date", V), ("as_of", V), ("as_of_source", V), ("quote", V), ("char_start", I),
                 ("char_end", I), ("value_start", I), ("value_end", I), ("value_text", V), ("sentence_index", I),
                 ("method", V)],
    "e_mentions": [("doc_id", V), ("entity", V), ("entity_type", V), ("surface", V), ("match", V),
                   ("char_start", I), ("char_end", I)],
    "e_extracted": [("doc_id", V), ("extractor_version", V), ("claims", I), ("entity_mentions", I), ("run_id", V)],
    "e_asof": [("doc_id", V), ("as_of", V), ("as_of_year", I), ("as_of_source", V), ("as_of_evidence", V)],
}


def _put(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: list[str] | None = None) -> int:
    """Append rows to a typed scratch table (created from SCRATCH on first use)."""
    schema = SCRATCH[table]
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(f'{c} {t}' for c, t in schema)})")
    if not rows:
        return 0
    df = pd.DataFrame(rows, columns=[c for c, _ in schema])
    con.register("_put_df", df)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _put_df")
    finally:
        con.unregister("_put_df")
    return len(df)


def _reset(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    """Empty a stage's scratch tables before it writes them: a retried stage (Prefect retries ingest
    and report) must not append its second attempt to the first one's rows."""
    for t in tables:
        con.execute(f"DROP TABLE IF EXISTS {t}")
        _put(con, t, [])


_POOLS: dict[int, cf.ProcessPoolExecutor] = {}


def _pool(n: int) -> cf.ProcessPoolExecutor:
    """One pool of worker processes per run, reused by every batch (forkserver: no inherited threads).
    A new pool per batch cost ~0.5 s of start-up and imports each time: minutes at a million documents."""
    ex = _POOLS.get(n)
    if ex is None:
        ex = _POOLS[n] = cf.ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("forkserver"))
    return ex


def shutdown_pools() -> None:
    """Stop the worker processes (end of a run: a long-lived `serve` process keeps none between runs)."""
    for ex in _POOLS.values():
        ex.shutdown(wait=True, cancel_futures=True)
    _POOLS.clear()


def _pool_map(fn, items: list, settings: Settings, min_parallel: int = 400) -> Iterable:
    """Map over items using all cores for large batches."""
    if len(items) < min_parallel or settings.n_workers <= 1:
        return map(fn, items)
    chunk = max(1, len(items) // (settings.n_workers * 8))
    ex = _pool(settings.n_workers)

    def gen():
        try:
            yield from ex.map(fn, items, chunksize=chunk)
        except cf.process.BrokenProcessPool:      # a worker died (OOM killer): the next batch gets a new pool
            _POOLS.pop(settings.n_workers, None)
            raise
    return gen()


def _map_batches(fn, batches: Iterable[list], settings: Settings, min_parallel: int = 400,
                 prepare=None) -> Iterator[Iterable]:
    """For each batch, ``fn`` over ``prepare(batch)`` (or the batch), in order. The next batch is handed
    to the workers before the caller gets the current one's results: the workers compute it while the
    caller writes, instead of waiting for every write (and for the slowest chunk of each batch)."""
    pending = None
    for batch in batches:
        results = _pool_map(fn, prepare(batch) if prepare else batch, settings, min_parallel)
        if pending is not None:
            yield pending
        pending = results
    if pending is not None:
        yield pending


def _batches(con: duckdb.DuckDBPyConnection, table: str, columns: str, key: str, size: int) -> Iterator[list[tuple]]:
    """Rows of ``table`` in ``key`` order (a unique column, one of ``columns``), ``size`` at a time.

    Keyset pagination: no result set stays open while the caller writes to the same database. With a
    streaming cursor open, DuckDB's automatic checkpoint after a large write waits for the reader's
    lock forever (a run hung in clean at 10,000 documents)."""
    last = None
    idx = None
    while True:
        where, params = ("", []) if last is None else (f"WHERE {key} > ?", [last])
        cur = con.execute(f"SELECT {columns} FROM {table} {where} ORDER BY {key} LIMIT {int(size)}", params)
        if idx is None:
            idx = [d[0] for d in cur.description].index(key.split(".")[-1])
        rows = cur.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][idx]


def _lake_read(settings: Settings, queries: dict[str, str]) -> dict[str, list[tuple]]:
    """Run read queries against the current lake (empty results when there is no warehouse yet)."""
    if not warehouse_exists(settings):
        return {k: [] for k in queries}
    con = connect(settings, read_only=True)
    try:
        existing = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog='lake'").fetchall()}
        out = {}
        for k, q in queries.items():
            tables = [w for w in q.replace(",", " ").split() if w in existing or w.startswith("stg_") or w in ("source_files", "raw_documents")]
            if any(t not in existing for t in tables):
                out[k] = []
            else:
                out[k] = con.execute(q).fetchall()
        return out
    finally:
        con.close()


# ---------------------------------------------------------------- 1. ingest
def _manifest(settings: Settings, ctx: RunContext) -> dict[str, dict]:
    """Optional seeds/manifest.json: {"files": {"<relative path>": {"published": "2015-04-05", "publisher": ..., "url": ...}}}.
    Entries that point outside the seeds folder are ignored with a warning."""
    path = settings.seeds / "manifest.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        ctx.log(f"warning: {path} is not valid JSON ({e}); metadata ignored")
        return {}
    files = data.get("files", data) if isinstance(data, dict) else {}
    out = {}
    root = settings.seeds.resolve()
    for rel, meta in files.items() if isinstance(files, dict) else []:
        target = (root / str(rel)).resolve()
        if not str(target).startswith(str(root) + os.sep) or not isinstance(meta, dict):
            ctx.log(f"warning: manifest entry {rel!r} points outside the seeds folder (or is malformed); ignored")
            ctx.counts.setdefault("ingest", {}).setdefault("manifest_entries_rejected", 0)
            ctx.counts["ingest"]["manifest_entries_rejected"] += 1
            continue
        out[target.relative_to(root).as_posix()] = {k: (str(v) if v is not None else None) for k, v in meta.items()}
    return out


def _without_replacement_chars(dec):
    """No U+FFFD reaches the documents: the decoder puts one where a handful of bytes were not valid
    UTF-8 (noted ``invalid-utf8-replaced:N``), and damaged files may already contain some. They are
    removed here and noted; the exact bytes stay in warehouse/raw/."""
    from dataclasses import replace
    from .decode import Rejected
    n = dec.text.count("\ufffd")
    if not n:
        return dec
    text = dec.text.replace("\ufffd", "")
    if not text.strip():
        raise Rejected("undecodable", "the file contains only replacement characters (U+FFFD), no readable text")
    return replace(dec, text=text, notes=(*dec.notes, f"replacement-chars-removed:{n}"))


def _keep_bytes(target: Path | str, data: bytes, source: str) -> None:
    """Write a copy atomically (temp file + rename): a full disk or a killed run leaves no half file
    under the final name, and the error names the input and where its copy was going. Plain ``os``
    calls, and the folder made only when missing: half the cost of pathlib's, a tenth of ingest."""
    path = os.fspath(target)
    tmp = f"{path}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            fd = os.open(tmp, flags, 0o644)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(tmp), exist_ok=True)
            fd = os.open(tmp, flags, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WarehouseError(f"could not keep the bytes of {source!r} in {os.path.dirname(path)}: "
                             f"{e.strerror or e}") from e


def _read_one(item: tuple) -> dict:
    """Read one input file (retrying transient errors), hash it, and unless its bytes are those it had
    (``same_as``, its raw_id before), decode it and keep a copy of its bytes. Runs in a worker process for
    large batches: returns plain data (a rejection as the arguments of ``reject``)."""
    from .decode import Rejected, decode_bytes
    from .fsread import InputFile, read_input
    rel, abs_path, root_real, key, same_as, seeds, max_bytes, qdir, warehouse, io_retries = item
    out: dict = {"rel": rel, "key": key}
    f = InputFile(rel, abs_path, root_real)
    rr = None
    for attempt in range(max(1, io_retries)):
        try:
            rr = read_input(f, Path(seeds), max_bytes, blob_sink=lambda sha: Path(qdir) / sha)
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
    if raw_id == same_as:
        return {**out, "unchanged": True}
    if rr.data is None:
        return {**out, "too_large": True}
    try:
        dec = _without_replacement_chars(decode_bytes(rr.data, rel))
    except Rejected as e:
        return {**out, "reject": (e.code, e.reason, rr.sha256, rr.byte_size, rr.data)}
    # where a raw copy goes (plain strings: a hundred thousand Path objects cost seconds)
    rel_blob = f"raw/{rr.sha256[:2]}/{rr.sha256}"
    blob = os.path.join(warehouse, rel_blob)
    if not os.path.exists(blob):
        _keep_bytes(blob, rr.data, rel)
    return {**out, "text": dec.text, "encoding": dec.encoding, "notes": dec.notes, "blob_path": rel_blob}


def ingest(ctx: RunContext) -> dict:
    """Every file under seeds/ -> a raw version (sha256, size, encoding, bytes kept) or a quarantine row.
    Only new or changed files are read again (size+mtime cache, then sha256)."""
    with ctx.work() as w:      # one scratch connection for every batch (a reconnect per batch: 5 s at 100k files)
        return _ingest(ctx, w)


def _ingest(ctx: RunContext, w: duckdb.DuckDBPyConnection) -> dict:
    from .fsread import list_inputs

    s = ctx.settings
    if not s.seeds.is_dir():
        raise WarehouseError(f"the seeds folder {s.seeds} does not exist (pass --seeds DIR)")
    prev = _lake_read(s, {
        "files": "SELECT source_path, raw_id, sha256, status, present FROM source_files",
        "raws": "SELECT raw_id FROM raw_documents",
        "cleanings": "SELECT raw_id, cleaner_version FROM stg_cleanings",
    })
    prev_files = {r[0]: r for r in prev["files"]}
    known_raw = {r[0] for r in prev["raws"]}
    version = cleaner_version()
    cleaned = dict(prev["cleanings"])
    del prev

    def clean_again(pf: tuple | None) -> bool:
        """A present file read fine before, but cleaned by another cleaner version (or asked to): read again."""
        return pf is not None and pf[4] and pf[3] == "ok" and (s.reclean or cleaned.get(pf[1]) != version)
    cache_path = s.warehouse / ".cache" / "scan.json"
    try:
        cache = json.loads(cache_path.read_text()) if cache_path.exists() and not s.full_rescan else {}
    except ValueError:
        cache = {}
    manifest = _manifest(s, ctx)
    files, listing_rejects = list_inputs(s.seeds)
    c = {"files_seen": len(files) + len(listing_rejects), "unchanged": 0, "new": 0, "changed": 0,
         "cleaned_again": 0, "rejected": 0, "vanished": 0, "bytes_read": 0, "rejected_by_reason": {},
         "cleaner_version": version}
    again_from: dict[str | None, int] = {}
    raw_rows, text_rows, q_rows, sf_rows = [], [], [], []
    n_text = 0
    ctx.rejected.clear()
    _reset(w, "in_raw", "in_text", "in_quarantine", "in_source_files")

    def flush() -> None:
        """Append what was read so far to the scratch database: memory holds one batch of texts, not the corpus."""
        nonlocal n_text
        _put(w, "in_raw", raw_rows)
        _put(w, "in_text", text_rows)
        _put(w, "in_quarantine", q_rows)
        _put(w, "in_source_files", [{k: v for k, v in r.items() if not k.startswith("_")}
                                    | {"keep_doc": bool(r.get("_keep_doc"))} for r in sf_rows])
        n_text += len(text_rows)
        for rows in (raw_rows, text_rows, q_rows, sf_rows):
            rows.clear()

    new_cache = {}
    max_bytes = int(s.max_file_mb * 1024 * 1024)
    qdir = s.warehouse / "quarantine"

    def reject(rel: str, code: str, reason: str, sha: str | None, size: int | None, data: bytes | None,
               kept_at: Path | None = None) -> None:
        sha = sha or hashlib.sha256((rel + "|" + code).encode()).hexdigest()
        raw_id = hashlib.sha256(f"{rel}\0{sha}".encode()).hexdigest()[:20]
        c["rejected"] += 1
        c["rejected_by_reason"][code] = c["rejected_by_reason"].get(code, 0) + 1
        ctx.rejected.append({"source_path": rel, "reason": reason, "code": code})
        ctx.log(f"rejected {rel!r}: {reason}")
        keep = None
        if data is not None:
            qdir.mkdir(parents=True, exist_ok=True)
            keep = qdir / sha
            if not keep.exists():
                _keep_bytes(keep, data, rel)
        elif kept_at is not None:
            keep = kept_at
        prevf = prev_files.get(rel)
        if prevf and prevf[1] == raw_id:
            return   # the same bad version as before: already recorded
        if raw_id not in known_raw:
            raw_rows.append({"raw_id": raw_id, "source_path": rel, "sha256": sha, "byte_size": size, "encoding": None,
                             "status": "quarantined", "decode_notes": code,
                             "blob_path": str(keep.relative_to(s.warehouse)) if keep else None,
                             "first_run_id": ctx.run_id})
            q_rows.append({"raw_id": raw_id, "source_path": rel, "sha256": sha, "byte_size": size, "reason_code": code,
                           "reason": reason, "blob_path": str(keep.relative_to(s.warehouse)) if keep else None,
                           "run_id": ctx.run_id})
        sf_rows.append({"source_path": rel, "raw_id": raw_id, "sha256": sha, "doc_id": None, "status": "quarantined",
                        "present": True})

    for rel, rej in listing_rejects:
        reject(rel, rej.code, rej.reason, None, None, None)

    # 1. which files need reading: not those whose size and mtime are as when they were last read (unless
    # they are to be cleaned again)
    todo: list[tuple] = []
    for f in files:
        rel = f.rel_path
        try:
            st = os.stat(f.abs_path)
            key = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            key = None
        hit = cache.get(rel)            # "size:mtime_ns|sha256" (a dict in caches of earlier versions)
        if isinstance(hit, dict):
            hit = f"{hit.get('key')}|{hit.get('sha')}"
        pf = prev_files.get(rel)
        again = clean_again(pf)
        if key and hit and pf and pf[4] and hit == f"{key}|{pf[2]}" and not again:
            c["unchanged"] += 1
            new_cache[rel] = hit
            continue
        # a file read again whose bytes turn out to be the same as before is not decoded again
        same_as = pf[1] if pf and pf[4] and not again else None
        todo.append((rel, f.abs_path, f.root_real, key, same_as,
                     str(s.seeds), max_bytes, str(qdir), str(s.warehouse), s.io_retries))

    # 2. read, hash, decode and keep the bytes (on all cores for many files), then record, in file order
    chunks = (todo[i:i + s.batch_size] for i in range(0, len(todo), s.batch_size))
    for results in _map_batches(_read_one, chunks, s):
        if len(text_rows) >= s.batch_size:
            flush()
        for r in results:
            rel, key = r["rel"], r["key"]
            if "reject" in r:
                reject(rel, *r["reject"])
                continue
            c["bytes_read"] += r["size"]
            if key:
                new_cache[rel] = f"{key}|{r['sha']}"
            pf = prev_files.get(rel)
            if r.get("unchanged"):
                c["unchanged"] += 1
                continue
            raw_id = r["raw_id"]
            if r.get("too_large"):
                reject(rel, "too-large", f"too large ({r['size'] / 1e6:.0f} MB > limit {s.max_file_mb:.0f} MB); "
                       "bytes kept in quarantine, raise VNCLAIMS_MAX_FILE_MB to process it", r["sha"], r["size"],
                       None, kept_at=qdir / r["sha"])
                continue
            if clean_again(pf) and pf[1] == raw_id:
                c["cleaned_again"] += 1
                was = None if s.reclean else cleaned.get(raw_id)
                again_from[was] = again_from.get(was, 0) + 1
            else:
                c["changed" if pf else "new"] += 1
            if raw_id not in known_raw:
                raw_rows.append({"raw_id": raw_id, "source_path": rel, "sha256": r["sha"], "byte_size": r["size"],
                                 "encoding": r["encoding"], "status": "ok", "decode_notes": ",".join(r["notes"]) or None,
                                 "blob_path": r["blob_path"], "first_run_id": ctx.run_id})
            meta = manifest.get(rel, {})
            text_rows.append({"raw_id": raw_id, "source_path": rel, "text": r["text"], "published": meta.get("published"),
                              "publisher": meta.get("publisher"), "url": meta.get("url")})
            sf_rows.append({"source_path": rel, "raw_id": raw_id, "sha256": r["sha"], "doc_id": None, "status": "ok",
                            "present": True})
    del todo

    listed = {f.rel_path for f in files} | {rel for rel, _ in listing_rejects}
    for rel, pf in prev_files.items():
        if rel not in listed and pf[4]:
            c["vanished"] += 1
            sf_rows.append({"source_path": rel, "raw_id": pf[1], "sha256": pf[2], "doc_id": None, "status": pf[3],
                            "present": False, "_keep_doc": True})
    flush()
    try:   # the size+mtime cache only saves re-hashing: without it the next run reads every file again
        if new_cache != cache or not cache_path.exists():     # unchanged: not written again (0.2 s at 100k)
            _keep_bytes(cache_path, json.dumps(new_cache).encode(), "the scan cache")
    except WarehouseError as e:
        with contextlib.suppress(OSError):
            cache_path.unlink()
        ctx.log(f"warning: {e}; the next run re-reads every file")
    if c["cleaned_again"]:
        why = (["asked to (--reclean / VNCLAIMS_RECLEAN)"] if s.reclean else
               [f"{k} cleaned by cleaner version {was}" if was else f"{k} with no cleaner version recorded "
                "(cleaned by an earlier vnclaims)" for was, k in sorted(again_from.items(), key=lambda kv: str(kv[0]))])
        c["again_because"] = "; ".join(why) + ("" if s.reclean else f"; the cleaner (decoding and cleaning rules) "
                                                                   f"is now version {version}")
        ctx.log(f"ingest: {c['cleaned_again']} file(s) already in the warehouse are read and cleaned again: "
                f"{c['again_because']}")
    c["in"] = c["files_seen"]
    c["out"] = n_text
    return c


# ---------------------------------------------------------------- 2. clean
def _clean_one(item: tuple) -> dict:
    raw_id, path, text, published, publisher, url, num_perm = item
    d = clean_text(text)
    tokens = d.tokens()
    if published:
        as_of, as_of_year, as_of_source, evidence = published, int(published[:4]) if published[:4].isdigit() else None, "manifest", "manifest.json"
    else:
        y, evidence = infer_as_of(d.body, d.sentences)
        as_of, as_of_year, as_of_source = (str(y) if y else None), y, ("inferred" if y else "unknown")
    content_hash = hash_tokens(tokens)
    doc_id = hashlib.sha256(f"{content_hash}|{published or ''}".encode()).hexdigest()[:20]
    return {
        "doc": {"doc_id": doc_id, "raw_id": raw_id, "source_path": path, "title": d.title, "author": d.author,
                "source_tag": d.source_tag, "lead": d.lead, "captions": json.dumps(d.captions, ensure_ascii=False),
                "body": d.body, "content_hash": content_hash, "as_of": as_of, "as_of_year": as_of_year,
                "as_of_source": as_of_source, "as_of_evidence": evidence, "publisher": publisher, "url": url,
                "n_paragraphs": len(d.paragraphs), "n_sentences": len(d.sentences)},
        "sentences": [{"doc_id": doc_id, "sentence_index": i, "char_start": a, "char_end": b, "text": d.body[a:b]}
                      for i, (a, b) in enumerate(d.sentences)],
        "log": [{"raw_id": raw_id, "seq": i, "kind": r.kind, "rule": r.rule, "text": r.text, "paragraph": r.paragraph,
                 "kept_paragraph": r.kept_paragraph} for i, r in enumerate(d.removals)],
        "empty": not d.body.strip(),
        # the near-duplicate signature, from the same tokens (dedup compares those of new documents)
        "signature": MinHasher(num_perm).signature_of_tokens(tokens).tobytes(),
    }


DOC_COLS = ["doc_id", "raw_id", "source_path", "title", "author", "source_tag", "lead", "captions", "body",
            "content_hash", "as_of", "as_of_year", "as_of_source", "as_of_evidence", "publisher", "url",
            "n_paragraphs", "n_sentences"]


def clean(ctx: RunContext) -> dict:
    """Structure + whitespace + repeated paragraphs, for the new/changed files; every removal logged.

    Cleaning is a function of the text (and the manifest's date): a file whose text is exactly that of
    another file of this run (an exact copy) is not cleaned again; its rows are the first copy's, under
    its own path, raw_id, publisher and url."""
    c = {"in": 0, "out": 0, "removed_by_rule": {}, "empty_after_cleaning": 0}
    seen: set[str] = set()          # documents whose sentences are already written (exact duplicate files)
    with ctx.work() as w:
        _reset(w, "c_docs", "c_sentences", "c_log", "c_minhash")
        copies = _exact_copies(w)   # first path -> how many other files have its text
        batches = _batches(w, "c_todo", "raw_id, source_path, text, published, publisher, url", "source_path",
                           ctx.settings.batch_size)
        num_perm = ctx.settings.minhash_perm
        for results in _map_batches(_clean_one, batches, ctx.settings,
                                    prepare=lambda b: [(*r, num_perm) for r in b]):
            docs, sents, logs, sigs = [], [], [], []
            for r in results:
                k = 1 + copies.get(r["doc"]["source_path"], 0)
                c["in"] += k
                c["out"] += k
                for l in r["log"]:
                    c["removed_by_rule"][l["rule"]] = c["removed_by_rule"].get(l["rule"], 0) + k
                logs.extend(r["log"])
                if r["empty"]:
                    c["empty_after_cleaning"] += k
                docs.append(r["doc"])
                if r["doc"]["doc_id"] not in seen:
                    seen.add(r["doc"]["doc_id"])
                    sents.extend(r["sentences"])
                    sigs.append({"doc_id": r["doc"]["doc_id"], "signature": r["signature"]})
            _put(w, "c_docs", docs, DOC_COLS)
            _put(w, "c_minhash", sigs)
            _put(w, "c_sentences", sents, ["doc_id", "sentence_index", "char_start", "char_end", "text"])
            _put(w, "c_log", logs, ["raw_id", "seq", "kind", "rule", "text", "paragraph", "kept_paragraph"])
        if copies:
            w.execute("""INSERT INTO c_log BY NAME
                SELECT l.* REPLACE (t.raw_id AS raw_id) FROM c_copies x JOIN in_text t ON t.source_path = x.source_path
                JOIN c_docs d ON d.source_path = x.first_path JOIN c_log l ON l.raw_id = d.raw_id""")
            w.execute("""INSERT INTO c_docs BY NAME
                SELECT d.* REPLACE (t.raw_id AS raw_id, t.source_path AS source_path, t.publisher AS publisher,
                                    t.url AS url)
                FROM c_copies x JOIN in_text t ON t.source_path = x.source_path
                JOIN c_docs d ON d.source_path = x.first_path""")
    return c


def _exact_copies(w: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """``c_copies``: every file of ``in_text`` whose text and date are exactly those of a file earlier in path
    order (grouped by a 64-bit hash, then compared in full), with that first file; ``c_todo``: the others,
    which are cleaned. Returns first path -> number of copies."""
    w.execute("""CREATE OR REPLACE TABLE c_copies AS
        WITH k AS (SELECT source_path, hash(text) AS h, coalesce(published, '') AS p FROM in_text),
        g AS (SELECT h, p FROM k GROUP BY ALL HAVING count(*) > 1),
        m AS (SELECT k.source_path, min(k.source_path) OVER (PARTITION BY k.h, k.p) AS first_path
              FROM k SEMI JOIN g ON k.h = g.h AND k.p = g.p)
        SELECT m.source_path, m.first_path FROM m
        JOIN in_text a ON a.source_path = m.source_path JOIN in_text b ON b.source_path = m.first_path
        WHERE m.source_path <> m.first_path AND a.text = b.text""")
    w.execute("CREATE OR REPLACE VIEW c_todo AS SELECT * FROM in_text ANTI JOIN c_copies USING (source_path)")
    return dict(w.execute("SELECT first_path, count(*) FROM c_copies GROUP BY ALL").fetchall())


# ---------------------------------------------------------------- 3. dedup
def _signatures(s: Settings, current: set[str], w: duckdb.DuckDBPyConnection) -> tuple[list[str], np.ndarray]:
    """The MinHash matrix of the current documents (doc_id order): this run's signatures (scratch
    ``d_minhash``) plus the lake's, streamed into one preallocated array (a million documents: 0.5 GB,
    with no dict of signatures besides)."""
    new = {r[0] for r in w.execute("SELECT doc_id FROM d_minhash").fetchall()}
    stored: list[str] = []
    if warehouse_exists(s):
        con = connect(s, read_only=True)
        try:
            with contextlib.suppress(duckdb.CatalogException):
                stored = [r[0] for r in con.execute("SELECT doc_id FROM stg_minhash").fetchall()]
            ids = sorted({d for d in stored if d in current} | {d for d in new if d in current})
            index = {d: i for i, d in enumerate(ids)}
            mat = np.zeros((len(ids), s.minhash_perm), dtype=np.uint32)
            filled = np.zeros(len(ids), dtype=bool)
            if stored:
                cur = con.execute("SELECT doc_id, signature FROM stg_minhash")
                while rows := cur.fetchmany(20_000):
                    for d, sig in rows:
                        k = index.get(d)
                        if k is not None and d not in new and len(sig) == 4 * s.minhash_perm:
                            mat[k] = np.frombuffer(sig, dtype=np.uint32)
                            filled[k] = True
        finally:
            con.close()
    else:
        ids = sorted(d for d in new if d in current)
        index = {d: i for i, d in enumerate(ids)}
        mat = np.zeros((len(ids), s.minhash_perm), dtype=np.uint32)
        filled = np.zeros(len(ids), dtype=bool)
    cur = w.execute("SELECT doc_id, signature FROM d_minhash")
    while rows := cur.fetchmany(20_000):
        for d, sig in rows:
            k = index.get(d)
            if k is not None:
                mat[k] = np.frombuffer(sig, dtype=np.uint32)
                filled[k] = True
    del new, stored
    if not filled.all():          # signatures made with other settings (num_perm) are not compared
        ids, mat = [d for d, f in zip(ids, filled) if f], mat[filled]
    return ids, mat


# what cleaning gives a document besides its id (which hashes its title and body words and its date)
RECLEAN_COLS = ["title", "author", "source_tag", "lead", "captions", "body", "as_of", "as_of_year", "as_of_source",
                "as_of_evidence", "n_paragraphs", "n_sentences"]


def _recleaned(s: Settings, w: duckdb.DuckDBPyConnection, known_docs: set[str], cur_files: dict[str, str]) -> int:
    """``d_recleaned``: the known documents whose representative file (their first current path) this run
    cleaned, and which the cleaner now gives another title, byline, body, sentences or date than the lake
    holds (a file cleaned by another cleaner version; the same words in another layout). Their rows are
    replaced and their claims extracted again. Returns how many."""
    w.execute("CREATE OR REPLACE TABLE d_recleaned AS SELECT * FROM c_docs LIMIT 0")
    here = {r[0] for r in w.execute("SELECT DISTINCT doc_id FROM c_docs").fetchall()} & known_docs
    if not here:
        return 0
    rep: dict[str, str] = {}
    for path, d in cur_files.items():
        if d in here and (d not in rep or path < rep[d]):
            rep[d] = path
    w.register("_rep", pd.DataFrame({"doc_id": list(rep), "source_path": list(rep.values())}))
    try:
        with _lake_attached(w, s):
            w.execute(f"""INSERT INTO d_recleaned SELECT c.* FROM c_docs c JOIN _rep r USING (doc_id, source_path)
                          JOIN lake.main.stg_documents d USING (doc_id)
                          WHERE {' OR '.join(f'c.{x} IS DISTINCT FROM d.{x}' for x in RECLEAN_COLS)}""")
    finally:
        w.unregister("_rep")
    return w.execute("SELECT count(*) FROM d_recleaned").fetchone()[0]


PAIR_COLS = ["pair_id", "doc_id_a", "doc_id_b", "similarity", "cluster_id", "numbers_only_in_a", "numbers_only_in_b",
             "method", "params"]


def dedup(ctx: RunContext) -> dict:
    """Exact duplicates (same cleaned content -> same doc_id: extracted once) and near-duplicates
    (MinHash-LSH over every current document; both kept and linked)."""
    s = ctx.settings
    c = {"in": 0, "exact_duplicate_files": 0, "already_known_documents": 0, "new_documents": 0,
         "near_duplicate_pairs": 0, "near_duplicate_clusters": 0}
    params = json.dumps({"shingle": "word 5-grams (digits, diacritics kept)", "num_perm": s.minhash_perm,
                         "bands": s.lsh_bands, "threshold": s.near_dup_threshold})
    with ctx.work() as w:
        same_params = all(r[0] == params for r in
                          _lake_read(s, {"p": "SELECT DISTINCT params FROM stg_near_pairs"})["p"])
        if same_params and not w.execute("SELECT count(*) FROM in_source_files").fetchone()[0]:
            # no file is new, changed or gone, and the settings are the same: the documents and their
            # near-duplicate pairs stand as they are
            w.execute("CREATE OR REPLACE TABLE d_new_docs AS SELECT * FROM c_docs LIMIT 0")
            w.execute("CREATE OR REPLACE TABLE d_file_docs AS SELECT source_path, doc_id FROM c_docs LIMIT 0")
            w.execute("CREATE OR REPLACE TABLE d_recleaned AS SELECT * FROM c_docs LIMIT 0")
            _reset(w, "d_minhash")
            ctx.near_pairs_current = True
            return {**c, "skipped": "no new, changed or removed file", "out": 0}
    prev = _lake_read(s, {
        "docs": "SELECT doc_id FROM stg_documents",
        "files": "SELECT source_path, doc_id, status FROM source_files WHERE status = 'ok'",
    })
    known_docs = {r[0] for r in prev["docs"]}
    with ctx.work() as w:
        c["in"] = w.execute("SELECT count(*) FROM c_docs").fetchone()[0]
        w.execute("""CREATE OR REPLACE TABLE d_new_docs AS
                     SELECT * FROM c_docs QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY source_path) = 1""")
        if known_docs:
            w.register("_known", pd.DataFrame({"doc_id": sorted(known_docs)}))
            c["already_known_documents"] = w.execute("SELECT count(*) FROM d_new_docs WHERE doc_id IN (SELECT doc_id FROM _known)").fetchone()[0]
            w.execute("DELETE FROM d_new_docs WHERE doc_id IN (SELECT doc_id FROM _known)")
        c["new_documents"] = w.execute("SELECT count(*) FROM d_new_docs").fetchone()[0]
        # current file -> doc map after this run
        w.execute("CREATE OR REPLACE TABLE d_file_docs AS SELECT source_path, doc_id FROM c_docs")
        cur_files = {r[0]: r[1] for r in prev["files"]}
        changed = {r[0] for r in w.execute("SELECT source_path FROM in_source_files").fetchall()}
        for p in changed:
            cur_files.pop(p, None)
        for p, d in w.execute("SELECT source_path, doc_id FROM c_docs").fetchall():
            cur_files[p] = d
        c["known_documents_cleaned_differently"] = _recleaned(s, w, known_docs, cur_files)
        doc_count: dict[str, int] = {}
        for d in cur_files.values():
            doc_count[d] = doc_count.get(d, 0) + 1
        c["exact_duplicate_files"] = sum(n - 1 for n in doc_count.values())
        # signatures for the new documents: clean made them (from the tokens it hashed)
        _reset(w, "d_minhash")
        w.execute("INSERT INTO d_minhash SELECT doc_id, signature FROM c_minhash SEMI JOIN d_new_docs USING (doc_id)")
        current_docs = set(doc_count)
        fresh = current_docs - {r[1] for r in prev["files"]}   # documents that were not current before this run
        old = _lake_read(s, {"pairs": f"SELECT {', '.join(PAIR_COLS)} FROM stg_near_pairs"})
        # a pair is found once, when the later of its two documents arrives; it stays while both are
        # current (the same settings: otherwise every pair is looked for again)
        incremental = all(r[8] == params for r in old["pairs"])
        kept = [dict(zip(PAIR_COLS, r)) for r in old["pairs"]
                if incremental and r[1] in current_docs and r[2] in current_docs]
        found = []
        if fresh or not incremental:
            ids, mat = _signatures(s, current_docs, w)
            if len(ids) > 1:
                only = np.fromiter((d in fresh for d in ids), dtype=bool, count=len(ids)) if incremental else None
                found = find_near_pairs(ids, mat, s.near_dup_threshold, s.lsh_bands, only=only)
        known_pairs = {(r["doc_id_a"], r["doc_id_b"]) for r in kept}
        found = [p for p in found if (p.doc_a, p.doc_b) not in known_pairs]
        cl = clusters([*(NearPair(r["doc_id_a"], r["doc_id_b"], r["similarity"]) for r in kept), *found])
        rows = [{**r, "cluster_id": cl.get(r["doc_id_a"])} for r in kept]
        if found:
            need = sorted({p.doc_a for p in found} | {p.doc_b for p in found})
            bodies = {}
            w.register("_need", pd.DataFrame({"doc_id": need}))
            bodies.update(dict(w.execute("SELECT doc_id, body FROM d_new_docs WHERE doc_id IN (SELECT doc_id FROM _need)").fetchall()))
            missing = [d for d in need if d not in bodies]
            if missing:
                lake = connect(s, read_only=True)
                try:
                    lake.register("_need", pd.DataFrame({"doc_id": missing}))
                    bodies.update(dict(lake.execute("SELECT doc_id, body FROM stg_documents WHERE doc_id IN (SELECT doc_id FROM _need)").fetchall()))
                finally:
                    lake.close()
            for p in found:
                only_a, only_b = differing_numbers(bodies.get(p.doc_a, ""), bodies.get(p.doc_b, ""))
                rows.append({"pair_id": hashlib.sha256(f"{p.doc_a}|{p.doc_b}".encode()).hexdigest()[:20],
                             "doc_id_a": p.doc_a, "doc_id_b": p.doc_b, "similarity": p.similarity,
                             "cluster_id": cl.get(p.doc_a), "numbers_only_in_a": ", ".join(only_a) or None,
                             "numbers_only_in_b": ", ".join(only_b) or None, "method": "minhash-lsh", "params": params})
        c["near_duplicate_pairs_new"] = len(found)
        w.execute("DROP TABLE IF EXISTS d_near_pairs")
        _put(w, "d_near_pairs", rows, PAIR_COLS)
        c["near_duplicate_pairs"] = len(rows)
        c["near_duplicate_clusters"] = len(set(cl.values()))
    c["out"] = c["new_documents"]
    return c


# ---------------------------------------------------------------- 4. extract
CLAIM_COLS = ["claim_id", "doc_id", "metric", "subject", "value_low", "value_high", "unit", "qualifier", "period",
              "period_start", "period_end", "date", "as_of", "as_of_source", "quote", "char_start", "char_end",
              "value_start", "value_end", "value_text", "sentence_index", "method"]
MENTION_COLS = ["doc_id", "entity", "entity_type", "surface", "match", "char_start", "char_end"]


EXTRACTED_COLS = ["doc_id", "extractor_version", "claims", "entity_mentions", "run_id"]
ASOF_COLS = ["doc_id", "as_of", "as_of_year", "as_of_source", "as_of_evidence"]
# what the extract stage writes to the scratch database (and a Dask part to its Parquet files)
E_TABLES = {"e_claims": CLAIM_COLS, "e_mentions": MENTION_COLS, "e_extracted": EXTRACTED_COLS, "e_asof": ASOF_COLS}


@functools.lru_cache(maxsize=4)
def _registry(metrics_file: str, version: str):
    """The metric registry of a batch's extractor version: read once per version, not checked per document
    (the version already changes with the file)."""
    return load_registry(metrics_file)


def _extract_one(item: tuple) -> tuple[list[dict], list[dict], dict, dict | None]:
    """One document's claims and entity mentions, its extraction record, and (for a document extracted
    again whose date was inferred from its text) its reference date when the extractor now infers another."""
    (doc_id, path, body, as_of, as_of_source, as_of_evidence, again, sentences, metrics_file, version,
     run_id) = item
    asof = None
    if again and as_of_source in ("inferred", "unknown"):
        # the date is inferred by the extractor's rules too (extract.infer_as_of): redone with them
        y, evidence = infer_as_of(body, sentences)
        new = (str(y) if y else None, "inferred" if y else "unknown", evidence)
        if new != (as_of, as_of_source, as_of_evidence or ""):
            asof = {"doc_id": doc_id, "as_of": new[0], "as_of_year": y, "as_of_source": new[1], "as_of_evidence": evidence}
        as_of, as_of_source = new[0], new[1]
    claims = extract_document(doc_id, path, body, sentences, as_of=as_of, as_of_source=as_of_source,
                              registry=_registry(metrics_file, version))
    rows = []
    for cl in claims:
        r = cl.as_row()
        r.pop("source_path")
        rows.append(r)
    mentions = [{"doc_id": doc_id, **m} for m in find_mentions(body)]
    record = {"doc_id": doc_id, "extractor_version": version, "claims": len(rows), "entity_mentions": len(mentions),
              "run_id": run_id}
    return rows, mentions, record, asof


def _collect(results: Iterable[tuple]) -> dict[str, list[dict]]:
    """The rows of :data:`E_TABLES` from :func:`_extract_one` results."""
    out: dict[str, list[dict]] = {t: [] for t in E_TABLES}
    for claims, mentions, record, asof in results:
        out["e_claims"].extend(claims)
        out["e_mentions"].extend(mentions)
        out["e_extracted"].append(record)
        if asof:
            out["e_asof"].append(asof)
    return out


_TODO_COLS = "doc_id, source_path, body, as_of, as_of_source, as_of_evidence"
_DOC_FIELDS = _TODO_COLS + ", again"


def _extract_items(w: duckdb.DuckDBPyConnection, batch: list[tuple], metrics_file: Path, version: str,
                   run_id: str) -> list[tuple]:
    """The work items of a batch of documents (doc_id order), each with its sentence spans."""
    spans: dict[str, list] = {}
    for doc_id, a, b in w.execute(
            "SELECT doc_id, char_start, char_end FROM e_spans WHERE doc_id BETWEEN ? AND ? "
            "ORDER BY doc_id, sentence_index", [batch[0][0], batch[-1][0]]).fetchall():
        spans.setdefault(doc_id, []).append((a, b))
    return [(*r[:7], spans.get(r[0], []), str(metrics_file), version, run_id) for r in batch]


@contextlib.contextmanager
def _lake_attached(w: duckdb.DuckDBPyConnection, settings: Settings) -> Iterator[set[str]]:
    """The lake attached read-only (as ``lake``) to a scratch connection, for copying from one to the
    other in DuckDB; yields the names of the lake's tables."""
    from .warehouse import attach_lake, extension_dir
    w.execute(f"SET extension_directory = '{extension_dir()}'")
    w.execute("SET autoinstall_known_extensions = false")
    attach_lake(w, settings, read_only=True)
    try:
        yield {r[0] for r in w.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_catalog = 'lake'").fetchall()}
    finally:
        w.execute("DETACH lake")


def plan_extraction(ctx: RunContext, w: duckdb.DuckDBPyConnection) -> str:
    """What the extract stage extracts (``e_todo``, with sentence spans in ``e_spans``): the new documents,
    and every current document of the lake whose claims were extracted by another extractor version (other
    rules, another metric registry: see :func:`vnclaims.extract.extractor_version`), or all of them with
    ``reextract``. Those are copied from the lake (``x_docs``, ``x_sentences``). Returns the version."""
    s = ctx.settings
    version = extractor_version(s.metrics_file)
    w.execute("CREATE OR REPLACE TABLE x_docs (doc_id VARCHAR, source_path VARCHAR, body VARCHAR, as_of VARCHAR, "
              "as_of_source VARCHAR, as_of_evidence VARCHAR, was_version VARCHAR)")
    w.execute("CREATE OR REPLACE TABLE x_sentences (doc_id VARCHAR, sentence_index INTEGER, char_start INTEGER, "
              "char_end INTEGER)")
    if warehouse_exists(s):
        with _lake_attached(w, s) as tables:
            if {"stg_documents", "stg_sentences", "documents"} <= tables:
                done = ("SELECT doc_id, extractor_version FROM lake.main.stg_extractions" if "stg_extractions" in tables
                        else "SELECT NULL::VARCHAR AS doc_id, NULL::VARCHAR AS extractor_version WHERE false")
                # the lake's current documents, and those of this run's files (a file back to an old version),
                # by id first (a few columns of ids: usually none is stale, and no text is read)
                w.execute(f"""CREATE OR REPLACE TEMP TABLE _stale AS
                    WITH cand AS (SELECT doc_id FROM lake.main.documents UNION SELECT doc_id FROM c_docs),
                         done AS ({done})
                    SELECT c.doc_id, e.extractor_version AS was_version FROM cand c LEFT JOIN done e USING (doc_id)
                    WHERE c.doc_id NOT IN (SELECT doc_id FROM d_new_docs)
                      AND c.doc_id NOT IN (SELECT doc_id FROM d_recleaned)
                      AND (? OR e.extractor_version IS DISTINCT FROM ?)""", [bool(s.reextract), version])
                if w.execute("SELECT count(*) FROM _stale").fetchone()[0]:
                    w.execute("""INSERT INTO x_docs
                        SELECT d.doc_id, d.source_path, d.body, d.as_of, d.as_of_source, d.as_of_evidence, x.was_version
                        FROM lake.main.stg_documents d JOIN _stale x USING (doc_id)""")
                    w.execute("""INSERT INTO x_sentences SELECT doc_id, sentence_index, char_start, char_end
                                 FROM lake.main.stg_sentences SEMI JOIN x_docs USING (doc_id)""")
                w.execute("DROP TABLE _stale")
    # documents cleaned differently this run: extracted again from their new text (not the lake's)
    w.execute(f"""INSERT INTO x_docs SELECT {_TODO_COLS}, '{RECLEANED}' FROM d_recleaned""")
    w.execute("""INSERT INTO x_sentences SELECT doc_id, sentence_index, char_start, char_end
                 FROM c_sentences SEMI JOIN d_recleaned USING (doc_id)""")
    w.execute(f"""CREATE OR REPLACE VIEW e_todo AS
        SELECT {_TODO_COLS}, false AS again FROM d_new_docs
        UNION ALL SELECT {_TODO_COLS}, true FROM x_docs""")
    w.execute("""CREATE OR REPLACE VIEW e_spans AS
        SELECT doc_id, sentence_index, char_start, char_end FROM c_sentences SEMI JOIN d_new_docs USING (doc_id)
        UNION ALL SELECT doc_id, sentence_index, char_start, char_end FROM x_sentences""")
    again = _again_counts(w, s, version)
    if again["extracted_again"]:
        ctx.log(f"extract: {again['extracted_again']} document(s) already in the warehouse are extracted again: "
                f"{again['again_because']}")
    return version


RECLEANED = "(cleaned differently)"      # x_docs.was_version of a document extracted again for its new text


def _again_counts(con: duckdb.DuckDBPyConnection, s: Settings, version: str) -> dict:
    """How many known documents are extracted again, and why."""
    by = dict(con.execute("SELECT was_version, count(*) FROM x_docs GROUP BY ALL").fetchall())
    n = sum(by.values())
    why = []
    if by.get(RECLEANED):
        why.append(f"{by.pop(RECLEANED)} whose text the cleaner now gives differently")
    if by and s.reextract:
        why.append(f"{sum(by.values())} as asked to (--reextract / VNCLAIMS_REEXTRACT)")
    elif by:
        for was, k in sorted(by.items(), key=lambda kv: (kv[0] is None, str(kv[0]))):
            why.append(f"{k} extracted by extractor version {was}" if was is not None else
                       f"{k} with no extractor version recorded (extracted by an earlier vnclaims)")
        why[-1] += f"; the extractor (rules or metric registry) is now version {version}"
    return {"extractor_version": version, "extracted_again": n, "again_because": "; ".join(why) or None}


def _extract_counts(con: duckdb.DuckDBPyConnection, n_docs: int, s: Settings, version: str) -> dict:
    by_metric = dict(con.execute("SELECT metric, count(*) FROM e_claims GROUP BY 1 ORDER BY 1").fetchall())
    n = sum(by_metric.values())
    return {"in": n_docs, "claims": n, "classified": n - by_metric.get("unclassified", 0),
            "unclassified": by_metric.get("unclassified", 0),
            "entity_mentions": con.execute("SELECT count(*) FROM e_mentions").fetchone()[0],
            **_again_counts(con, s, version),
            "dates_inferred_again": con.execute("SELECT count(*) FROM e_asof").fetchone()[0],
            "by_metric": by_metric, "out": n}


def extract(ctx: RunContext) -> dict:
    """Claims + entity mentions for each new document, and for each document whose claims another extractor
    version made (documents already extracted by this one are not extracted again), in this process, on all
    cores. :func:`extract_plan` / :func:`extract_part` / :func:`extract_merge` do the same split into parts
    that other processes or hosts can run (the Dask task runner)."""
    s = ctx.settings
    n_docs = 0
    with ctx.work() as w:
        version = plan_extraction(ctx, w)
        _reset(w, *E_TABLES)
        batches = _batches(w, "e_todo", _DOC_FIELDS, "doc_id", s.batch_size)
        for results in _map_batches(_extract_one, batches, s, min_parallel=200,
                                    prepare=lambda b: _extract_items(w, b, s.metrics_file, version, ctx.run_id)):
            out = _collect(results)
            n_docs += len(out["e_extracted"])
            for t, cols in E_TABLES.items():
                _put(w, t, out[t], cols)
        return _extract_counts(w, n_docs, s, version)


def _parts_dir(settings: Settings, run_id: str) -> Path:
    return settings.warehouse / ".work" / f"{run_id}.parts"


def extract_plan(ctx: RunContext) -> list[tuple[str, str]]:
    """The documents to extract cut into parts of ``batch_size``: [(first doc_id, last doc_id)]."""
    with ctx.work() as w:
        plan_extraction(ctx, w)
        return [(b[0][0], b[-1][0]) for b in _batches(w, "e_todo", "doc_id", "doc_id", ctx.settings.batch_size)]


def extract_part(settings: Settings, run_id: str, part: int, first: str, last: str) -> dict:
    """Extract one part in any process that sees the warehouse folder: it reads the run's scratch
    database read-only and writes its claims, mentions and extraction records as Parquet files beside it."""
    scratch = settings.warehouse / ".work" / f"{run_id}.duckdb"
    out = _parts_dir(settings, run_id)
    out.mkdir(parents=True, exist_ok=True)
    version = extractor_version(settings.metrics_file)     # this worker's: the code it runs
    con = duckdb.connect(str(scratch), read_only=True, config=settings.duckdb_config())
    try:
        batch = con.execute(f"SELECT {_DOC_FIELDS} FROM e_todo WHERE doc_id BETWEEN ? AND ? ORDER BY doc_id",
                            [first, last]).fetchall()
        items = _extract_items(con, batch, settings.metrics_file, version, run_id) if batch else []
    finally:
        con.close()
    rows = _collect(map(_extract_one, items))
    mem = duckdb.connect()
    try:
        for table, cols in E_TABLES.items():
            _put(mem, table, rows[table], cols)
            tmp = out / f"{table}-{part:05d}.parquet.tmp"
            mem.execute(f"COPY {table} TO '{tmp}' (FORMAT parquet)")
            os.replace(tmp, out / f"{table}-{part:05d}.parquet")
    finally:
        mem.close()
    return {"part": part, "documents": len(items), "claims": len(rows["e_claims"]), "host": os.uname().nodename,
            "pid": os.getpid()}


def extract_merge(ctx: RunContext, parts: list[dict]) -> dict:
    """Load the parts' Parquet files into the run's scratch (all of them, or none: a missing part fails)."""
    out = _parts_dir(ctx.settings, ctx.run_id)
    files = {t: [out / f"{t}-{p['part']:05d}.parquet" for p in sorted(parts, key=lambda p: p["part"])]
             for t in E_TABLES}
    missing = [str(f) for fs in files.values() for f in fs if not f.exists()]
    if missing:
        raise WarehouseError(f"extraction parts are missing ({len(missing)}), e.g. {missing[0]}")
    with ctx.work() as w:
        _reset(w, *E_TABLES)
        for t, fs in files.items():
            if fs:
                w.execute(f"INSERT INTO {t} BY NAME SELECT * FROM read_parquet(?)", [[str(f) for f in fs]])
        c = _extract_counts(w, sum(p["documents"] for p in parts), ctx.settings,
                            extractor_version(ctx.settings.metrics_file))
    shutil.rmtree(out, ignore_errors=True)
    c["parts"] = len(parts)
    c["workers"] = sorted({f"{p['host']}:{p['pid']}" for p in parts})
    return c


# ---------------------------------------------------------------- 5. load
def input_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("SELECT source_path, sha256 FROM source_files WHERE present ORDER BY source_path").fetchall()
    h = hashlib.sha256()
    for p, sha in rows:
        h.update(f"{p}\t{sha}\n".encode())
    return h.hexdigest()[:16]


def models_fingerprint(models: list) -> str:
    """What the marts are computed with: the SQL of every model, in run order."""
    h = hashlib.sha256()
    for m in models:
        h.update(f"{m.name}\0{m.key}\0{m.sql}\0".encode())
    return h.hexdigest()[:16]


def _topo(models: list) -> list:
    names = {m.name for m in models}
    import re as _re
    deps = {m.name: {n for n in names if n != m.name and _re.search(rf"\b{n}\b", m.sql)} for m in models}
    out, done = [], set()
    def visit(n, stack=()):
        if n in done:
            return
        if n in stack:
            raise WarehouseError(f"SQL models depend on each other in a cycle: {' -> '.join(stack + (n,))}")
        for d in sorted(deps[n]):
            visit(d, stack + (n,))
        done.add(n)
        out.append(next(m for m in models if m.name == n))
    for m in sorted(models, key=lambda m: (m.layer, m.name)):
        visit(m.name)
    return out


LOG_COLS = ["raw_id", "seq", "kind", "rule", "text", "paragraph", "kept_paragraph"]


def _count(c: dict, table: str, n, *keys: str) -> None:
    """Add ``n`` rows of ``table`` to the load's ``inserted`` and/or ``deleted`` counts."""
    for key in keys:
        if n:
            c[key][table] = c[key].get(table, 0) + int(n)


def _replace_recleaned(con: duckdb.DuckDBPyConnection, c: dict) -> None:
    """For the files this run cleaned: update the known documents the cleaner now gives differently
    (``work.d_recleaned``: their sentences are inserted again by the caller), delete the cleaning logs that
    differ from the new ones and the files' cleaning records (the caller inserts the new ones)."""
    count = functools.partial(_count, c)
    sets = ", ".join(f"{x} = r.{x}" for x in RECLEAN_COLS)
    n = con.execute(f"UPDATE stg_documents SET {sets} FROM work.d_recleaned r WHERE stg_documents.doc_id = r.doc_id").fetchone()[0]
    count("stg_documents", n, "inserted", "deleted")
    count("stg_sentences", con.execute(
        "DELETE FROM stg_sentences WHERE doc_id IN (SELECT doc_id FROM work.d_recleaned)").fetchone()[0], "deleted")
    cols, here = ", ".join(LOG_COLS), "raw_id IN (SELECT raw_id FROM work.c_docs)"
    count("cleaning_log", con.execute(f"""DELETE FROM cleaning_log WHERE raw_id IN (SELECT DISTINCT raw_id FROM (
        (SELECT {cols} FROM cleaning_log WHERE {here} EXCEPT ALL SELECT {cols} FROM work.c_log WHERE {here})
        UNION ALL (SELECT {cols} FROM work.c_log WHERE {here} AND raw_id IN (SELECT raw_id FROM cleaning_log)
                   EXCEPT ALL SELECT {cols} FROM cleaning_log WHERE {here})))""").fetchone()[0], "deleted")
    count("stg_cleanings", con.execute(
        "DELETE FROM stg_cleanings WHERE raw_id IN (SELECT raw_id FROM work.c_docs)").fetchone()[0], "deleted")
    c["documents_cleaned_differently"] = con.execute("SELECT count(*) FROM work.d_recleaned").fetchone()[0]


def _replace_extracted_again(con: duckdb.DuckDBPyConnection, c: dict) -> None:
    """For the documents extracted again this run (``work.x_docs``): delete their claims that the new
    extraction did not give again (by the whole row), their entity mentions where those differ, and their
    extraction records; update their inferred dates where the extractor now infers others. The caller then
    inserts what is new. ``_x_changed`` holds the documents whose rows changed (the marts' scope)."""
    count = functools.partial(_count, c)
    con.execute("CREATE TEMP TABLE _x AS SELECT doc_id FROM work.x_docs")
    again = "doc_id IN (SELECT doc_id FROM temp.main._x)"
    cols = ", ".join(CLAIM_COLS)
    con.execute(f"""CREATE TEMP TABLE _x_gone AS
        SELECT {cols} FROM stg_claims WHERE {again} EXCEPT SELECT {cols} FROM work.e_claims WHERE {again}""")
    mcols = ", ".join(MENTION_COLS)
    con.execute(f"""CREATE TEMP TABLE _x_mentions AS SELECT DISTINCT doc_id FROM (
        SELECT doc_id FROM (SELECT {mcols} FROM stg_entity_mentions WHERE {again}
                            EXCEPT ALL SELECT {mcols} FROM work.e_mentions WHERE {again})
        UNION ALL SELECT doc_id FROM (SELECT {mcols} FROM work.e_mentions WHERE {again}
                                      EXCEPT ALL SELECT {mcols} FROM stg_entity_mentions WHERE {again}))""")
    con.execute(f"""CREATE TEMP TABLE _x_changed AS SELECT DISTINCT doc_id FROM (
        SELECT doc_id FROM _x_gone
        UNION ALL SELECT doc_id FROM (SELECT {cols} FROM work.e_claims WHERE {again}
                                      EXCEPT SELECT {cols} FROM stg_claims WHERE {again})
        UNION ALL SELECT doc_id FROM _x_mentions
        UNION ALL SELECT doc_id FROM work.e_asof)""")
    count("stg_claims", con.execute(
        "DELETE FROM stg_claims WHERE claim_id IN (SELECT claim_id FROM _x_gone)").fetchone()[0], "deleted")
    # mentions have no key: a document whose mentions differ has them all replaced
    count("stg_entity_mentions", con.execute(
        "DELETE FROM stg_entity_mentions WHERE doc_id IN (SELECT doc_id FROM _x_mentions)").fetchone()[0], "deleted")
    n = con.execute("""UPDATE stg_documents SET as_of = a.as_of, as_of_year = a.as_of_year,
                           as_of_source = a.as_of_source, as_of_evidence = a.as_of_evidence
                       FROM work.e_asof a WHERE stg_documents.doc_id = a.doc_id""").fetchone()[0]
    count("stg_documents", n, "inserted", "deleted")
    count("stg_extractions", con.execute(
        "DELETE FROM stg_extractions WHERE doc_id IN (SELECT doc_id FROM work.e_extracted)").fetchone()[0], "deleted")
    c["documents_extracted_again"] = con.execute("SELECT count(*) FROM _x").fetchone()[0]
    c["documents_changed_by_extracting_again"] = con.execute("SELECT count(*) FROM _x_changed").fetchone()[0]
    drop_temp(con, ["_x_gone", "_x_mentions"])


def _mart_scopes(con: duckdb.DuckDBPyConnection, s: Settings, marts: list, fingerprint: str, last: list,
                 c: dict) -> dict | None:
    """Whether the marts with a ``-- scope:`` header can be rebuilt for the touched documents and files
    alone (returns their counts), or must all be rebuilt in full (None; the reason goes in ``c``).
    Full when: asked to (incremental_share 0), no earlier data version, other SQL models than that
    version's, changed reference data (metrics), a scoped mart not in the lake yet, or more documents
    touched than ``incremental_share`` of all (a full rebuild is then cheaper)."""
    why = None
    if s.incremental_share <= 0:
        why = "incremental rebuilds are off (VNCLAIMS_INCREMENTAL_SHARE=0)"
    elif not last:
        why = "first data version"
    elif last[-1]["info"].get("models_fingerprint") != fingerprint:
        why = "the SQL models changed since the last data version"
    elif "metrics" in c["inserted"] or "metrics" in c["deleted"]:
        why = "the metric registry changed"
    elif any(m.scope and not table_columns(con, m.name) for m in marts):
        why = "a scoped mart is not in the warehouse yet"
    if why is None:
        n_docs = con.execute("SELECT count(*) FROM _scope_doc_id").fetchone()[0]
        total = con.execute("SELECT count(*) FROM lake.main.stg_documents").fetchone()[0] or 1
        if n_docs > s.incremental_share * total:
            why = f"{n_docs} of {total} documents touched (over {s.incremental_share:.0%})"
    if why is not None:
        c["marts_rebuild"] = f"full: {why}"
        return None
    # the files to rebuild: those that changed, and every file of a touched document
    con.execute("""CREATE TEMP TABLE _scope_source_path AS
             SELECT source_path AS v FROM _sf
             UNION SELECT source_path FROM source_files WHERE doc_id IN (SELECT v FROM _scope_doc_id)""")
    out = {k: con.execute(f"SELECT count(*) FROM _scope_{k}").fetchone()[0] for k in ("doc_id", "source_path")}
    c["marts_rebuild"] = (f"incremental: scoped marts for {out['doc_id']} document(s) and {out['source_path']} "
                          f"file(s); the others in full")
    return out


def load(ctx: RunContext) -> dict:
    """Copy the run's work into the lake and rebuild the marts, in ONE transaction (one snapshot)."""
    s = ctx.settings
    models = load_models(s.sql_dir)
    registry = load_registry(s.metrics_file)
    c = {"inserted": {}, "deleted": {}}
    con = connect(s, scratch=ctx.scratch)
    try:
        ensure_schema(con, models)
        con.execute("BEGIN")
        def ins(table: str, sql: str) -> None:
            n = con.execute(f"INSERT INTO {table} {sql}").fetchone()[0]
            if n:
                c["inserted"][table] = c["inserted"].get(table, 0) + int(n)
        ins("raw_documents", "SELECT raw_id, source_path, sha256, byte_size, encoding, status, decode_notes, blob_path, first_run_id "
                             "FROM work.in_raw WHERE raw_id NOT IN (SELECT raw_id FROM raw_documents)")
        ins("quarantine", "SELECT * FROM work.in_quarantine WHERE raw_id NOT IN (SELECT raw_id FROM quarantine)")
        ins("stg_documents", f"SELECT {', '.join(DOC_COLS)} FROM work.d_new_docs")
        # files cleaned again: the known documents the cleaner now gives differently, changed cleaning logs
        _replace_recleaned(con, c)
        # clean wrote each document's sentences once (not again for its exact duplicate files)
        ins("stg_sentences", "SELECT s.* FROM work.c_sentences s WHERE s.doc_id IN "
                             "(SELECT doc_id FROM work.d_new_docs UNION ALL SELECT doc_id FROM work.d_recleaned)")
        ins("cleaning_log", f"SELECT {', '.join(LOG_COLS)} FROM work.c_log WHERE raw_id NOT IN (SELECT raw_id FROM cleaning_log)")
        ins("stg_cleanings", f"SELECT raw_id, source_path, '{cleaner_version()}', doc_id, '{ctx.run_id}' FROM work.c_docs")
        ins("stg_minhash", "SELECT * FROM work.d_minhash WHERE doc_id NOT IN (SELECT doc_id FROM stg_minhash)")
        # documents extracted again (another extractor version): their rows that differ are replaced
        _replace_extracted_again(con, c)
        ins("stg_claims", f"SELECT {', '.join(CLAIM_COLS)} FROM work.e_claims WHERE claim_id NOT IN (SELECT claim_id FROM stg_claims)")
        ins("stg_entity_mentions", f"SELECT {', '.join(MENTION_COLS)} FROM work.e_mentions "
                                   "WHERE doc_id NOT IN (SELECT DISTINCT doc_id FROM stg_entity_mentions)")
        ins("stg_extractions", f"SELECT {', '.join(EXTRACTED_COLS)} FROM work.e_extracted")
        # source_files: upsert the paths this run saw change (doc_id from cleaning)
        upd = """SELECT f.source_path, f.raw_id, f.sha256,
                        CASE WHEN f.keep_doc THEN o.doc_id ELSE d.doc_id END AS doc_id, f.status, f.present
                 FROM work.in_source_files f
                 LEFT JOIN work.d_file_docs d ON d.source_path = f.source_path
                 LEFT JOIN source_files o ON o.source_path = f.source_path"""
        con.execute(f"CREATE TEMP TABLE _sf AS {upd}")
        # the documents this run touches: new ones, and those of every file that changed (old and new doc)
        con.execute("""CREATE TEMP TABLE _scope_doc_id AS
                 SELECT doc_id AS v FROM work.d_new_docs UNION SELECT doc_id FROM _sf
                 UNION SELECT doc_id FROM source_files WHERE source_path IN (SELECT source_path FROM _sf)
                 UNION SELECT doc_id FROM _x_changed UNION SELECT doc_id FROM work.d_recleaned""")
        n_del = con.execute("""DELETE FROM source_files WHERE source_path IN (
                 SELECT source_path FROM (SELECT * FROM source_files WHERE source_path IN (SELECT source_path FROM _sf)
                                          EXCEPT SELECT * FROM _sf))""").fetchone()[0]
        n_ins = con.execute("INSERT INTO source_files SELECT * FROM _sf EXCEPT SELECT * FROM source_files").fetchone()[0]
        if n_ins:
            c["inserted"]["source_files"] = int(n_ins)
        if n_del:
            c["deleted"]["source_files"] = int(n_del)
        # reference data + recomputed near-duplicate pairs, merged by key
        con.register("_metrics", pd.DataFrame(registry.rows()))
        from .warehouse import Model
        refs = [("metrics", "SELECT metric, label, subject, unit, kind, direction, target_of, "
                            "tolerance_rel, tolerance_abs FROM _metrics", "metric")]
        if not ctx.near_pairs_current:
            refs.append(("stg_near_pairs", "SELECT * FROM work.d_near_pairs", "pair_id"))
            # ... and both documents of every near-duplicate pair that appears, goes or changes (its cluster)
            con.execute("""INSERT INTO _scope_doc_id SELECT v FROM (
                     SELECT unnest([doc_id_a, doc_id_b]) AS v FROM (
                         (SELECT * FROM work.d_near_pairs EXCEPT SELECT * FROM stg_near_pairs) UNION ALL
                         (SELECT * FROM stg_near_pairs EXCEPT SELECT * FROM work.d_near_pairs))
                     EXCEPT SELECT v FROM _scope_doc_id)""")
        for name, sql, key in refs:
            i, d = materialize(con, Model(name, "20_staging", "", key, "model", sql, Path()))
            if i:
                c["inserted"][name] = i
            if d:
                c["deleted"][name] = d
        marts = _topo([m for m in models if m.kind == "model"])
        fingerprint = models_fingerprint(marts)
        if c["inserted"] or c["deleted"]:
            prewarm_gx(s)        # new input rows: a new snapshot to validate is likely
        c["model_seconds"] = {}
        last = data_snapshots(con)
        if not (c["inserted"] or c["deleted"]) and last and last[-1]["info"].get("models_fingerprint") == fingerprint:
            # no input row changed and neither did the SQL models: the marts are what they were
            c["marts"] = "unchanged inputs and models: not rebuilt"
        else:
            scopes = _mart_scopes(con, s, marts, fingerprint, last, c)
            # marts read the in-memory copies of the marts materialised before them (see materialize)
            con.execute("SET search_path = 'temp.main,lake.main'")
            for m in marts:
                t0 = time.perf_counter()
                ctx.step = f"model {m.name}"
                if scopes is not None and m.scope:
                    # rebuilt for the touched documents only; later marts read the lake table (few changes)
                    col, kind = m.scope
                    touched = f"IN (SELECT v FROM temp.main._scope_{kind})"
                    for t in m.scope_inputs:      # the inputs it declares, cut to the touched rows (views:
                        # the model still reads only the columns it uses)
                        con.execute(f"CREATE OR REPLACE TEMP VIEW {t} AS SELECT * FROM lake.main.{t} WHERE {kind} {touched}")
                    try:
                        i, d = materialize(con, m, scope=f'"{col}" {touched}')
                    finally:
                        for t in m.scope_inputs:
                            con.execute(f"DROP VIEW IF EXISTS temp.main.{t}")
                else:
                    i, d = materialize(con, m, keep_temp=True)
                c["model_seconds"][m.name] = round(time.perf_counter() - t0, 3)
                if i:
                    c["inserted"][m.name] = i
                if d:
                    c["deleted"][m.name] = d
            drop_temp(con, [m.name for m in marts])
        drop_temp(con, ["_sf", "_scope_doc_id", "_scope_source_path", "_x", "_x_changed"])
        changed = bool(c["inserted"] or c["deleted"])
        _fault_point("load-before-commit")
        if changed:
            info = {"kind": "data", "run_id": ctx.run_id, "flow_run_id": ctx.flow_run_id, "code_version": code_version(),
                    "input_fingerprint": input_fingerprint(con), "models_fingerprint": fingerprint,
                    "extractor_version": extractor_version(s.metrics_file), "cleaner_version": cleaner_version(),
                    "inserted": c["inserted"], "deleted": c["deleted"], "seeds": str(s.seeds)}
            summary = ", ".join(f"{t} +{n}" for t, n in sorted(c["inserted"].items()) if t in ("documents", "claims", "conflicts")) \
                or "changes in staging only"
            con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                        [f"run {ctx.run_id}: {summary}", json.dumps(info, ensure_ascii=False)])
            con.execute("COMMIT")
            ctx.snapshot_id = data_snapshots(con)[-1]["snapshot_id"]
        else:
            con.execute("ROLLBACK")
            ctx.snapshot_id = None
        ds = data_snapshots(con)
        ctx.current_snapshot = ds[-1]["snapshot_id"] if ds else None
        c["snapshot_id"] = ctx.snapshot_id
        c["changed"] = changed
        c["in"] = sum(c["inserted"].values())
        c["out"] = c["in"]
    except BaseException:
        with contextlib.suppress(Exception):
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    return c


# ---------------------------------------------------------------- 6. validate
_gx_import: threading.Thread | None = None


def prewarm_gx(settings: Settings) -> None:
    """Import Great Expectations (~3 s of Python) in a background thread while the load stage works in
    DuckDB, which releases the GIL: validate then finds it imported. Only when validate will need it."""
    global _gx_import
    if _gx_import is not None or not settings.gx or not any(settings.expectations_dir.glob("*.json")):
        return

    def work() -> None:
        with contextlib.suppress(Exception):     # a failing import is reported by validate itself
            from .validate import _import_gx
            _import_gx()
    _gx_import = threading.Thread(target=work, name="vnclaims-gx-import", daemon=True)
    _gx_import.start()


def run_audits(con: duckdb.DuckDBPyConnection, models: list, snapshot: int | None = None,
               changed: dict[str, Path] | None = None, baseline: int | None = None) -> list[dict]:
    """SQL audits from sql/90_checks: each returns its offending rows; zero rows passes.

    With ``changed`` (table -> Parquet file of the rows a snapshot inserted or changed, see
    :func:`_write_changed_rows`), an audit with a ``-- rows: <table>`` header reads those rows as <table>
    (a temp view shadowing the lake's); the rows the snapshot kept passed at ``baseline``. The others
    read every row."""
    out = []
    for m in models:
        if m.kind != "check":
            continue
        scoped = changed is not None and m.rows in changed
        try:
            if scoped:
                con.execute(f"CREATE OR REPLACE TEMP VIEW {m.rows} AS SELECT * FROM read_parquet('{changed[m.rows]}')")
                con.execute("SET search_path = 'temp.main,lake.main'")
            rows = con.execute(m.sql).fetchall()
            where = ""
            if scoped:
                n = con.execute(f"SELECT count(*) FROM temp.main.{m.rows}").fetchone()[0]
                where = f" among the {n} {m.rows} row(s) new or changed in this snapshot (the others passed at snapshot {baseline})"
            out.append({"suite": "sql_audits", "expectation": m.name, "success": not rows,
                        "details": (f"{len(rows)} offending row(s){where}" + (f", e.g. {rows[0]!r}" if rows else ""))[:300]})
        except duckdb.Error as e:
            out.append({"suite": "sql_audits", "expectation": m.name, "success": False, "details": f"query failed: {e}"[:300]})
        finally:
            if scoped:
                with contextlib.suppress(duckdb.Error):
                    con.execute(f"DROP VIEW IF EXISTS temp.main.{m.rows}")
                    con.execute("SET search_path = 'lake.main'")
    return out


def _write_changed_rows(con: duckdb.DuckDBPyConnection, s: Settings, ctx: RunContext, models: list) -> dict[str, Path]:
    """The rows this run's snapshot inserted or changed, one Parquet file per table that a row-local
    check reads (audits with ``-- rows:``, the GX suites), written once for the audits and GX alike."""
    tables = {m.rows for m in models if m.kind == "check" and m.rows}
    if s.gx:
        from .validate import load_suites      # no GX import: reads the suite files
        tables |= {t for t, _ in load_suites(s.expectations_dir)}
    out_dir = _changed_dir(s, ctx.run_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = {}
    for table in sorted(tables):
        if table_columns(con, table):
            out[table] = out_dir / f"{table}.parquet"
            con.execute(f"COPY ({changed_rows_query(table, ctx.snapshot_id)}) TO '{out[table]}' (FORMAT parquet)")
    return out


def checks_fingerprint(s: Settings, models: list) -> str:
    """What a validation checks with: the audits' SQL, the GX suites, whether GX ran, and the code."""
    h = hashlib.sha256(f"{code_version()}\0gx={s.gx}\0".encode())
    for m in models:
        if m.kind == "check":
            h.update(f"{m.name}\0{m.rows}\0{m.sql}\0".encode())
    if s.gx:
        for p in sorted(s.expectations_dir.glob("*.json")):
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def validation_baseline(con: duckdb.DuckDBPyConnection, s: Settings, snapshot_id: int, fingerprint: str) -> int | None:
    """The data version right before ``snapshot_id`` if its latest validation used these same checks and
    passed every one, and the marts were computed by the same SQL; then the rows ``snapshot_id`` kept
    need not be checked again by a row-local check. None: validate everything."""
    from .warehouse import snapshots
    if s.incremental_share <= 0:
        return None
    ds = data_snapshots(con)
    ids = [d["snapshot_id"] for d in ds]
    if snapshot_id not in ids or ids.index(snapshot_id) == 0:
        return None
    cur, prev = ds[ids.index(snapshot_id)], ds[ids.index(snapshot_id) - 1]
    if cur["info"].get("kind") != "data" or \
            cur["info"].get("models_fingerprint") != prev["info"].get("models_fingerprint"):
        return None
    vals = [v for v in snapshots(con) if v["info"].get("kind") == "validation"
            and v["info"].get("snapshot_id") == prev["snapshot_id"]]
    if not vals or vals[-1]["info"].get("checks_fingerprint") != fingerprint:
        return None
    n, ok = con.execute("SELECT count(*), bool_and(success) FROM validation_results WHERE snapshot_id = ? AND run_id = ?",
                        [prev["snapshot_id"], vals[-1]["info"].get("run_id")]).fetchone()
    return prev["snapshot_id"] if n and ok else None


def validate(ctx: RunContext) -> dict:
    """SQL audits + Great Expectations suites on the snapshot this run made; results stored by snapshot."""
    s = ctx.settings
    c = {"validated_snapshot": ctx.snapshot_id, "checks": 0, "passed": 0, "failed": 0, "failed_checks": []}
    if ctx.snapshot_id is None:
        c["skipped"] = "no new data snapshot: nothing to validate"
        return c
    models = load_models(s.sql_dir)
    fingerprint = checks_fingerprint(s, models)
    con = connect(s, read_only=True)
    try:
        con.execute("USE lake")
        baseline = validation_baseline(con, s, ctx.snapshot_id, fingerprint)
        c["mode"] = (f"incremental: row-local checks on the rows new or changed since snapshot {baseline}, "
                     "which passed; the others on every row") if baseline is not None else "full: every check on every row"
        changed = _write_changed_rows(con, s, ctx, models) if baseline is not None else None
        results = run_audits(con, models, changed=changed, baseline=baseline)
    finally:
        con.close()
    if s.gx and any(s.expectations_dir.glob("*.json")):
        if _gx_import is not None:
            _gx_import.join()                      # started by load (prewarm_gx)
        from .validate import validate_snapshot   # imports Great Expectations (~3-6 s): only here
        docs = (s.reports_dir / "gx") if s.gx_docs else None
        try:
            results += validate_snapshot(s.catalog if s.catalog_is_postgres else s.catalog_path, s.data_path,
                                         ctx.snapshot_id, s.expectations_dir, docs, changed_since=baseline,
                                         changed_files=changed)
        finally:
            shutil.rmtree(_changed_dir(s, ctx.run_id), ignore_errors=True)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [{"snapshot_id": ctx.snapshot_id, "run_id": ctx.run_id, "suite": r["suite"], "expectation": r["expectation"],
             "success": bool(r["success"]), "details": (r.get("details") or "")[:2000], "checked_at": now} for r in results]
    con = connect(s)
    try:
        con.register("_vr", pd.DataFrame(rows, columns=["snapshot_id", "run_id", "suite", "expectation", "success", "details", "checked_at"]))
        con.execute("BEGIN")
        con.execute("INSERT INTO validation_results SELECT * FROM _vr")
        con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                    [f"validation of snapshot {ctx.snapshot_id}", json.dumps({"kind": "validation", "run_id": ctx.run_id,
                                                                              "snapshot_id": ctx.snapshot_id,
                                                                              "checks_fingerprint": fingerprint,
                                                                              "baseline": baseline})])
        con.execute("COMMIT")
    finally:
        con.close()
    c["checks"] = len(rows)
    c["passed"] = sum(r["success"] for r in rows)
    c["failed"] = c["checks"] - c["passed"]
    c["failed_checks"] = [f"{r['suite']}:{r['expectation']}" for r in rows if not r["success"]][:20]
    return c


# ---------------------------------------------------------------- 7. report
def report(ctx: RunContext, as_of: int | None = None) -> dict:
    from .reporting import build_report
    if not ctx.settings.report:
        return {"skipped": "report disabled"}
    index, data_file = ctx.settings.reports_dir / "index.html", ctx.settings.reports_dir / "report.json"
    if as_of is None and ctx.snapshot_id is None and index.exists() and data_file.exists():
        with contextlib.suppress(OSError, ValueError):
            shown = json.loads(data_file.read_text(encoding="utf-8")).get("snapshot", {}).get("id")
            if shown is not None and shown == ctx.current_snapshot:
                return {"path": str(index), "skipped": f"no new data version: the report of snapshot {shown} stands",
                        "out": 0}
    path, data = build_report(ctx.settings, as_of=as_of, run_id=ctx.run_id)
    return {"path": str(path), "conflicts": sum(data["summary"]["conflicts"].values()), "out": 1}


# ---------------------------------------------------------------- runs bookkeeping
def record_run(ctx: RunContext, status: str, error: str | None = None) -> None:
    s = ctx.settings
    try:
        con = connect(s)
    except WarehouseError:
        return
    try:
        ensure_schema(con, load_models(s.sql_dir))
        fp = None
        with contextlib.suppress(duckdb.Error):
            fp = input_fingerprint(con)
        row = {"run_id": ctx.run_id, "flow_run_id": ctx.flow_run_id, "started_at": ctx.started_at.replace(tzinfo=None),
               "finished_at": datetime.now(timezone.utc).replace(tzinfo=None), "status": status,
               "snapshot_id": ctx.snapshot_id, "code_version": code_version(), "input_fingerprint": fp,
               "seeds": str(s.seeds), "counts": json.dumps(ctx.counts, ensure_ascii=False, default=str),
               "stage_seconds": json.dumps(ctx.seconds), "rejected": len(ctx.rejected), "error": error}
        con.register("_run", pd.DataFrame([row]))
        con.execute("BEGIN")
        con.execute("INSERT INTO runs SELECT * FROM _run")
        con.execute("CALL lake.set_commit_message('vnclaims', ?, extra_info => ?)",
                    [f"run {ctx.run_id} {status}", json.dumps({"kind": "runs", "run_id": ctx.run_id, "status": status})])
        con.execute("COMMIT")
    finally:
        con.close()


def record_failure(ctx: RunContext, error: BaseException) -> None:
    """Record a failed run in ``runs``, never masking the run's own error: when the warehouse is what
    failed (read-only, disk full), writing the row fails too; that is logged, and the caller re-raises
    the original error."""
    if isinstance(error, WarehouseOutOfMemory):   # the limit that failed the run must not lose its record too
        import dataclasses
        ctx = dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings, duckdb_memory="512MB"))
    try:
        record_run(ctx, "failed", describe_error(error, with_traceback=True))
    except Exception as e:      # noqa: BLE001 - the run's error matters more than its bookkeeping
        ctx.log(f"warning: the failed run {ctx.run_id} could not be recorded in the runs table either: "
                f"{describe_error(e)}")


def interrupted_runs(settings: Settings) -> list[str]:
    """Scratch files left by runs that died (SIGKILL, power loss): their run ids."""
    work = settings.warehouse / ".work"
    return sorted({p.name.split(".")[0] for p in (*work.glob("*.duckdb"), *work.glob("*.parts"),
                                                  *work.glob("*.changed"))}) \
        if work.is_dir() else []


def _changed_dir(settings: Settings, run_id: str) -> Path:
    return settings.warehouse / ".work" / f"{run_id}.changed"


def cleanup_scratch(ctx: RunContext) -> None:
    shutdown_pools()
    for p in (ctx.scratch, ctx.scratch.with_suffix(".duckdb.wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    shutil.rmtree(_parts_dir(ctx.settings, ctx.run_id), ignore_errors=True)
    shutil.rmtree(_changed_dir(ctx.settings, ctx.run_id), ignore_errors=True)


def describe_error(e: BaseException, with_traceback: bool = False) -> str:
    """One line a user understands; known errors carry their own words, others their type."""
    from .warehouse import WarehouseError
    msg = str(e) if isinstance(e, WarehouseError) else f"{type(e).__name__}: {e}"
    if "No space left on device" in msg:
        msg = "the disk holding the warehouse is full — " + msg
    if with_traceback and not isinstance(e, WarehouseError):
        msg += "\n" + "".join(traceback.format_exception(type(e), e, e.__traceback__))[-4000:]
    return msg


def _fault_point(name: str) -> None:
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


def timed(ctx: RunContext, stage: str, fn: Callable[[RunContext], dict]) -> dict:
    """Run a stage; keep its counts, its seconds and the process's peak memory so far (MB, this
    process and its worker processes)."""
    t0 = time.perf_counter()
    ctx.step = None
    try:
        counts = fn(ctx)
    except (duckdb.OutOfMemoryException, WarehouseOutOfMemory) as e:
        # every stage starts its scratch work again and commits only at its end: it can be run again
        # once, with a higher limit (VNCLAIMS_DUCKDB_MEMORY_MAX), which the rest of the run keeps
        first = ctx.settings
        where = lambda: stage + (f" ({ctx.step})" if ctx.step else "")     # noqa: E731
        bigger = first.memory_retry_limit()
        if bigger is None:
            raise out_of_memory(first, where(), e) from e
        ctx.log(f"{where()}: DuckDB ran out of memory at VNCLAIMS_DUCKDB_MEMORY={first.duckdb_memory}; nothing was "
                f"committed; running the stage again with {bigger} (VNCLAIMS_DUCKDB_MEMORY_MAX)")
        ctx.settings = dataclasses.replace(first, duckdb_memory=bigger)
        ctx.memory_retries.append(f"{stage}: {first.duckdb_memory} -> {bigger}")
        ctx.step = None
        try:
            counts = fn(ctx)
        except (duckdb.OutOfMemoryException, WarehouseOutOfMemory) as e2:
            raise out_of_memory(first, where(), e2, retried=bigger) from e2
        counts = {**counts, "memory_retry": f"{first.duckdb_memory} -> {bigger}"}
    ctx.seconds[stage] = round(time.perf_counter() - t0, 3)
    import resource
    peak = {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}
    ctx.counts[stage] = {**ctx.counts.get(stage, {}), **counts, "peak_rss_mb": peak}
    return counts


def summary_lines(ctx: RunContext) -> list[str]:
    s = ctx.settings
    out = []
    try:
        con = connect(s, read_only=True)
        try:
            n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            n_claims, n_cls = con.execute("SELECT count(*), count(*) FILTER (WHERE metric <> 'unclassified') FROM claims").fetchone()
            sev = dict(con.execute("SELECT severity, count(*) FROM conflicts GROUP BY 1").fetchall())
            n_q = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        finally:
            con.close()
    except (WarehouseError, duckdb.Error):
        return ["(no warehouse tables yet)"]
    ing = ctx.counts.get("ingest", {})
    out.append(f"documents : {n_docs} ({ing.get('new', 0)} new, {ing.get('changed', 0)} changed, "
               f"{ing.get('unchanged', 0)} unchanged files)")
    out.append(f"claims    : {n_claims} ({n_cls} classified, {n_claims - n_cls} unclassified)")
    out.append(f"conflicts : {sum(sev.values())} (error {sev.get('error', 0)}, warning {sev.get('warning', 0)}, info {sev.get('info', 0)})")
    if ctx.snapshot_id is not None:
        out.append(f"snapshot  : {ctx.snapshot_id} (new data version)")
    else:
        out.append(f"snapshot  : {ctx.current_snapshot} (unchanged: no new data version)")
    if ing.get("cleaned_again"):
        out.append(f"cleaned   : {ing['cleaned_again']} known file(s) read and cleaned again "
                   f"({ctx.counts.get('dedup', {}).get('known_documents_cleaned_differently', 0)} document(s) now "
                   f"read differently): {ing.get('again_because')}")
    ext = ctx.counts.get("extract", {})
    if ext.get("extracted_again"):
        out.append(f"extracted : {ext['extracted_again']} known document(s) extracted again "
                   f"({ctx.counts.get('load', {}).get('documents_changed_by_extracting_again', 0)} with other claims, "
                   f"mentions or dates now): {ext.get('again_because')}")
    val = ctx.counts.get("validate", {})
    if val.get("checks"):
        out.append(f"checks    : {val['passed']}/{val['checks']} passed" + (f"; failed: {', '.join(val['failed_checks'][:5])}" if val["failed"] else ""))
    rej = len(ctx.rejected)
    out.append(f"rejected  : {rej} input file(s) quarantined this run (total quarantined: {n_q})")
    for r in ctx.rejected[:10]:
        out.append(f"  - {r['source_path']!r}: {r['reason']}")
    rep = ctx.counts.get("report", {}).get("path")
    if rep:
        out.append(f"report    : {rep}")
    if ctx.memory_retries:
        out.append(f"memory    : run again with a higher DuckDB limit: {'; '.join(ctx.memory_retries)} "
                   f"(set VNCLAIMS_DUCKDB_MEMORY={ctx.settings.duckdb_memory} to start there)")
    return out


def run_pipeline(settings: Settings, run_id: str | None = None, log: Callable[[str], None] = print) -> RunContext:
    """All stages without Prefect (same functions the flow's tasks call)."""
    ctx = RunContext(settings, run_id or new_run_id(), log=log)
    with writer_lock(settings, ctx.run_id, log=log):
        try:
            for stage in STAGES:
                timed(ctx, stage, globals()[stage])
        except BaseException as e:
            record_failure(ctx, e)
            raise
        finally:
            cleanup_scratch(ctx)
        record_run(ctx, "completed" if ctx.snapshot_id is not None else "completed (no changes)")
    return ctx
