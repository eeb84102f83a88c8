#!/usr/bin/env python3
"""Benchmark: corpus generation, the machine's floor, the full pipeline, a no-change re-run and a
+1 % re-run, peak memory, with PASS/FAIL per target (``make bench N=10000``).

    python bench/run.py --n 10000 [--seed 42] [--dedup-scaling 10000,30000,100000] [--no-pipeline]

1. corpus bench/out/corpus-N (+ corpus-N.truth.json), reused when it matches (n, seed, generator);
   generation is timed separately.
2. FLOOR: one single-process pass over the corpus: read + NFC + sha256 + number regex.
3. full ``vnclaims run --seeds <corpus> --warehouse <fresh dir>`` (child process; time, peak RSS).
4. the same command again, nothing changed.
5. +1 % new documents (bench/generate.py generate_more), the same command again.
6. the kinds of run on the seeds (a full run of 4 files, +1 file, no-change; then a no-change run that
   starts its own Prefect server), each split into load / validate / report / other stages / the rest,
   and the fixed-cost pieces alone: imports, the temporary Prefect server's start, Great Expectations'
   import (bench/fixed_cost.py).
7. clean + extract CPU per document on the first 2,000 files of the corpus, in three fresh processes (the median).
8. optional: near-duplicate detection alone (vnclaims.dedup.lsh.near_duplicates) on growing sizes,
   with the log-log growth exponent.
9. the targets of issue 20 (bench/targets.py), each beside the floor it is compared with, PASS/FAIL;
   os.cpu_count(); JSON in bench/out/bench-N.json.

Steps 3-5 run on a hard-linked copy of the corpus (bench/out/work-N/corpus) so the cached corpus
itself never gets the appended documents. Standard library only (plus vnclaims for steps 6-8).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
import fixed_cost as FC  # noqa: E402
import generate as G  # noqa: E402
import targets as T  # noqa: E402

NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
# vnclaims run exit codes that mean "done" (3: done, but some input files were quarantined)
OK_RC = {0: "", 3: " (done; some inputs quarantined)"}
CHILD_ENV = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
             "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}


def child_env() -> dict:
    env = dict(os.environ)
    env.update(CHILD_ENV)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def mb(nbytes: float) -> float:
    return nbytes / 1e6


def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "n/a"
    return f"{n / 2**20:,.0f} MiB"


def fmt_s(s: float | None) -> str:
    return "n/a" if s is None else (f"{s:.2f} s" if s < 100 else f"{s:.0f} s")


# ---------------------------------------------------------------------------------------------
# 1. corpus
# ---------------------------------------------------------------------------------------------

def ensure_corpus(out: Path, n: int, seed: int, regen: bool) -> dict:
    corpus = out / f"corpus-{n}"
    why = "--regen" if regen else G.check_corpus(corpus, n, seed)
    if why is None:
        truth = json.loads(G.truth_path(corpus).read_text(encoding="utf-8"))
        st = dict(truth["stats"], reused=True, seconds=None, path=str(corpus), truth=str(G.truth_path(corpus)))
        print(f"[1] corpus      reused {corpus} ({st['files']:,} files, {mb(st['bytes']):.1f} MB; matches n/seed/generator)")
        return st
    print(f"[1] corpus      generating {corpus} ({why}) ...", flush=True)
    st = G.generate(n, corpus, seed, force=True)
    st.pop("truth_dict", None)
    st.update(reused=False, path=str(corpus))
    print(f"    generated   {st['files']:,} files, {mb(st['bytes']):.1f} MB (avg {st['avg_bytes']:.0f} B) in "
          f"{st['seconds']:.2f} s = {st['files_per_s']:,.0f} files/s, {st['mb_per_s']:.1f} MB/s "
          f"[{st['workers']} process(es)]; {st['original']:,} original, {st['exact_dup']:,} exact dup, "
          f"{st['near_dup']:,} near dup {st['near_kinds']}")
    return st


# ---------------------------------------------------------------------------------------------
# 2. floor
# ---------------------------------------------------------------------------------------------

def list_files(root: Path) -> list[str]:
    out: list[str] = []
    stack = [str(root)]
    while stack:
        d = stack.pop()
        with os.scandir(d) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                elif e.is_file(follow_symlinks=False):
                    out.append(e.path)
    return out


def floor_pass(corpus: Path) -> dict:
    """Read every file, decode, NFC, sha256 of the bytes, number regex — one process, one pass."""
    t0 = time.perf_counter()
    files = list_files(corpus)
    nbytes = nums = 0
    digest = hashlib.sha256()
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        nbytes += len(data)
        text = unicodedata.normalize("NFC", data.decode("utf-8", "replace"))
        digest.update(hashlib.sha256(data).digest())
        nums += len(NUM_RE.findall(text))
    secs = time.perf_counter() - t0
    return {"files": len(files), "bytes": nbytes, "numbers": nums, "seconds": secs,
            "mb_per_s": mb(nbytes) / secs, "docs_per_s": len(files) / secs}


def measure_floor(corpus: Path, repeats: int) -> dict:
    runs = [floor_pass(corpus) for _ in range(max(1, repeats))]
    best = min(runs, key=lambda r: r["seconds"])
    best = dict(best, runs_seconds=[round(r["seconds"], 3) for r in runs])
    print(f"[2] floor       {best['files']:,} files, {mb(best['bytes']):.1f} MB in {best['seconds']:.2f} s = "
          f"{best['mb_per_s']:.1f} MB/s, {best['docs_per_s']:,.0f} docs/s "
          f"(best of {len(runs)}: {', '.join(f'{s:.2f}' for s in best['runs_seconds'])} s; "
          f"{best['numbers']:,} numbers matched)")
    return best


# ---------------------------------------------------------------------------------------------
# 3-5. the pipeline as a child process, with its memory watched
# ---------------------------------------------------------------------------------------------

def _proc_children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def _status_kb(pid: int) -> dict[str, int]:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class TreeMonitor(threading.Thread):
    """Every ``interval`` s: the child and all its descendants (Prefect may start a server
    subprocess, the pipeline a worker pool). Keeps the largest VmHWM of any one process, the
    peak of the tree's summed PSS (shared pages counted once) and the peak process count."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.max_hwm_kb = 0
        self.max_hwm_pid = None
        self.max_tree_pss_kb = 0
        self.max_procs = 0
        self.hwm_by_pid: dict[int, tuple[int, str]] = {}
        self._halt = threading.Event()

    def sample(self) -> None:
        kids = _proc_children_map()
        tree, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            tree.append(p)
            todo.extend(kids.get(p, ()))
        pss_sum = 0
        for p in tree:
            st = _status_kb(p)
            hwm = st.get("VmHWM", 0)
            if hwm > self.max_hwm_kb:
                self.max_hwm_kb, self.max_hwm_pid = hwm, p
            if hwm and hwm > self.hwm_by_pid.get(p, (0, ""))[0]:
                try:
                    with open(f"/proc/{p}/cmdline", "rb") as f:
                        cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:120]
                except OSError:
                    cmd = "?"
                self.hwm_by_pid[p] = (hwm, cmd)
            pss = _pss_kb(p)
            pss_sum += pss if pss is not None else st.get("VmRSS", 0)
        self.max_tree_pss_kb = max(self.max_tree_pss_kb, pss_sum)
        self.max_procs = max(self.max_procs, len(tree))

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.sample()
            except Exception:       # a process vanished mid-read: next sample
                pass
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()


def find_cli() -> tuple[Path | None, str | None, float | None]:
    """The vnclaims console script next to this interpreter; checks that ``vnclaims run --help`` works."""
    cli = Path(sys.executable).parent / "vnclaims"
    if not cli.exists():
        alt = ROOT / ".venv" / "bin" / "vnclaims"
        if alt.exists():
            cli = alt
        else:
            return None, f"{cli} does not exist (run `make install`, or run this with .venv/bin/python)", None
    t0 = time.perf_counter()
    try:
        r = subprocess.run([str(cli), "run", "--help"], capture_output=True, text=True, timeout=300,
                           env=child_env(), cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, f"`{cli} run --help` could not run: {e}", None
    secs = time.perf_counter() - t0
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-1:] or [""]
        return None, f"`vnclaims run --help` failed (rc={r.returncode}): {tail[0][:200]}", secs
    if "--seeds" not in r.stdout or "--warehouse" not in r.stdout:
        return None, "`vnclaims run --help` does not mention --seeds/--warehouse", secs
    return cli, None, secs


def run_child(label: str, cmd: list[str], log: Path, timeout: float, extra_env: dict | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"    {label:<11} $ {' '.join(cmd)}", flush=True)
    t0 = time.perf_counter()
    with open(log, "wb") as lf:
        p = subprocess.Popen(cmd, stdout=lf, stderr=subprocess.STDOUT, env={**child_env(), **(extra_env or {})},
                             cwd=ROOT, start_new_session=True)
        mon = TreeMonitor(p.pid)
        mon.start()
        rc: int | str
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            rc = "timeout"
            _kill_group(p)
        except KeyboardInterrupt:
            _kill_group(p)
            raise
        finally:
            mon.stop()
            mon.join()
    secs = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res = {"label": label, "cmd": cmd, "rc": rc, "seconds": secs, "log": str(log),
           "max_process_hwm_bytes": mon.max_hwm_kb * 1024,
           "max_tree_pss_bytes": mon.max_tree_pss_kb * 1024,
           "rusage_children_maxrss_bytes": after * 1024 if after > before else None,
           "max_processes": mon.max_procs,
           "top_processes": [{"pid": p_, "hwm_bytes": h * 1024, "cmd": c}
                             for p_, (h, c) in sorted(mon.hwm_by_pid.items(), key=lambda kv: -kv[1][0])[:4]]}
    res["peak_rss_bytes"] = max(v for v in (res["max_process_hwm_bytes"], res["max_tree_pss_bytes"],
                                            res["rusage_children_maxrss_bytes"] or 0))
    ok = rc in OK_RC
    print(f"    {'':<11} rc={rc}{OK_RC.get(rc, '')} in {fmt_s(secs)}; peak RSS {fmt_bytes(res['peak_rss_bytes'])} "
          f"(largest process {fmt_bytes(res['max_process_hwm_bytes'])}, tree PSS {fmt_bytes(res['max_tree_pss_bytes'])}, "
          f"{mon.max_procs} process(es))")
    lines = log.read_text(encoding="utf-8", errors="replace").rstrip().splitlines()
    for line in lines[-(30 if not ok else 6):]:
        print(f"    {'':<11} | {line[:160]}")
    return res


def _kill_group(p: subprocess.Popen) -> None:
    """Stop the child we started (its own session/process group), politely first."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            return
        try:
            p.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def link_copy(src: Path, dst: Path) -> int:
    """Hard-link every file of src under dst (copy when linking is not possible)."""
    n = 0
    for path in list_files(src):
        rel = os.path.relpath(path, src)
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# 8. near-duplicate detection scaling
# ---------------------------------------------------------------------------------------------

def dedup_scaling(sizes: list[int], seed: int, threshold: float) -> dict:
    try:
        from vnclaims.dedup.lsh import near_duplicates
    except Exception:
        sys.path.insert(0, str(ROOT / "src"))
        try:
            from vnclaims.dedup.lsh import near_duplicates
        except Exception as e:
            msg = f"vnclaims.dedup.lsh.near_duplicates is not available yet ({type(e).__name__}: {e})"
            print(f"[8] dedup       SKIPPED: {msg}")
            return {"error": msg}
    sizes = sorted(set(sizes))
    t0 = time.perf_counter()
    docs: list[tuple[int, str, str]] = []
    truth: dict[str, dict] = {}
    # exact duplicates are removed upstream (same cleaned content), so they are not passed here
    for i, rel, data, entry in G.iter_documents(max(sizes), seed, skip_exact=True):
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
        docs.append((i, rel, unicodedata.normalize("NFC", text)))
        truth[rel] = entry
    gen_s = time.perf_counter() - t0
    print(f"[8] dedup       near_duplicates(threshold={threshold}, num_perm=128) on corpus prefixes "
          f"(exact duplicates removed first; documents rendered in memory in {gen_s:.1f} s)")

    def root(rel: str) -> str:
        e = truth[rel]
        return e["of"] if e["kind"] == "near_dup" else rel

    rows = []
    for s in sizes:
        batch = [(rel, text) for i, rel, text in docs if i < s]
        t1 = time.perf_counter()
        pairs = near_duplicates(batch, threshold=threshold, num_perm=128)
        secs = time.perf_counter() - t1
        found = {frozenset((a, b)) for a, b, _ in pairs}
        want = [frozenset((rel, truth[rel]["of"])) for rel, _ in batch if truth[rel]["kind"] == "near_dup"]
        want_hi = [frozenset((rel, truth[rel]["of"])) for rel, _ in batch
                   if truth[rel]["kind"] == "near_dup" and truth[rel]["jaccard5"] >= threshold]
        unexplained = sum(1 for a, b, _ in pairs if root(a) != root(b))
        row = {"corpus_size": s, "docs": len(batch), "seconds": secs, "pairs": len(pairs),
               "recall_all": (sum(p in found for p in want) / len(want)) if want else None,
               "recall_at_threshold": (sum(p in found for p in want_hi) / len(want_hi)) if want_hi else None,
               "pairs_not_in_truth_clusters": unexplained}
        rows.append(row)
        rec = row["recall_at_threshold"]
        print(f"    N={s:>8,}  {len(batch):>8,} docs  {secs:8.2f} s  {len(batch) / secs:>9,.0f} docs/s  "
              f"{len(pairs):>7,} pairs  recall {'n/a' if rec is None else f'{rec:.1%}'} of truth pairs with "
              f"Jaccard>={threshold} ({'n/a' if row['recall_all'] is None else format(row['recall_all'], '.1%')} of all); "
              f"{unexplained} pair(s) outside truth clusters", flush=True)
    slope = None
    pts = [(math.log(r["docs"]), math.log(r["seconds"])) for r in rows if r["seconds"] > 0 and r["docs"] > 0]
    if len(pts) >= 2:
        mx = sum(x for x, _ in pts) / len(pts)
        my = sum(y for _, y in pts) / len(pts)
        sxx = sum((x - mx) ** 2 for x, _ in pts)
        slope = (sum((x - mx) * (y - my) for x, y in pts) / sxx) if sxx else None
    if slope is not None:
        print(f"    growth exponent (log-log slope of time vs docs) = {slope:.2f} -> "
              f"{'sub-quadratic' if slope < 2 else 'NOT sub-quadratic'}"
              f"{' (about linear)' if slope < 1.3 else ''}")
    return {"threshold": threshold, "render_seconds": gen_s, "rows": rows, "slope": slope,
            "sub_quadratic": (slope < 2) if slope is not None else None}


# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000, help="corpus size (files)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path, default=BENCH / "out", help="where corpora, work dirs and results go")
    ap.add_argument("--add-percent", type=float, default=1.0, help="new documents for the incremental run (%%)")
    ap.add_argument("--floor-repeats", type=int, default=2, help="floor passes (the fastest, warm-cache one counts)")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per pipeline run before it is stopped")
    ap.add_argument("--regen", action="store_true", help="regenerate the corpus even if it matches")
    ap.add_argument("--no-pipeline", action="store_true", help="only steps 1, 2 (and 7): no vnclaims runs")
    ap.add_argument("--dedup-scaling", type=str, default=None, metavar="N1,N2,...",
                    help="also time vnclaims.dedup.lsh.near_duplicates on these corpus sizes")
    ap.add_argument("--dedup-threshold", type=float, default=0.8)
    ap.add_argument("--no-fixed-cost", action="store_true", help="skip step 6 (the same runs on the seeds)")
    ap.add_argument("--cpu-sample", type=int, default=2000, help="files timed for clean + extract CPU (step 7)")
    ap.add_argument("--cpu-repeats", type=int, default=3, help="fresh processes that time them (the median counts)")
    a = ap.parse_args(argv)
    n = a.n
    out = a.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count()
    print(f"vnclaims benchmark  N={n:,}  seed={a.seed}  cores={cores}  python={platform.python_version()}  "
          f"{platform.machine()}  out={out}")
    vn_env = {k: v for k, v in os.environ.items() if k.startswith("VNCLAIMS_")}
    if vn_env:
        print(f"    note: VNCLAIMS_* settings in the environment are passed to the pipeline: {vn_env}")
    result: dict = {"n": n, "seed": a.seed, "cores": cores, "python": platform.python_version(),
                    "platform": platform.platform(), "targets": T.TARGETS, "env": CHILD_ENV, "vnclaims_env": vn_env,
                    "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}

    # 1 + 2
    gen = ensure_corpus(out, n, a.seed, a.regen)
    result["generation"] = gen
    corpus = Path(gen["path"])
    floor = measure_floor(corpus, a.floor_repeats)
    result["floor"] = floor

    # 3-5
    runs: dict[str, dict] = {}
    pipeline_error = None
    if a.no_pipeline:
        pipeline_error = "skipped (--no-pipeline)"
        print("[3-5] pipeline  skipped (--no-pipeline)")
    else:
        cli, pipeline_error, cli_secs = find_cli()
        result["cli_startup_seconds"] = cli_secs
        if pipeline_error:
            print(f"[3-5] pipeline  FAILED TO START: {pipeline_error}")
        else:
            work = out / f"work-{n}"
            if work.exists():
                shutil.rmtree(work)
            wcorpus, wh, logs = work / "corpus", work / "warehouse", work / "logs"
            logs.mkdir(parents=True)
            wh.mkdir()
            t0 = time.perf_counter()
            linked = link_copy(corpus, wcorpus)
            shutil.copyfile(G.truth_path(corpus), G.truth_path(wcorpus))
            print(f"[3] full run    work copy {wcorpus} ({linked:,} hard links, {time.perf_counter() - t0:.1f} s, "
                  f"not timed); `vnclaims run --help` took {cli_secs:.1f} s (CLI start-up)")
            cmd = [str(cli), "run", "--seeds", str(wcorpus), "--warehouse", str(wh)]
            runs["full"] = run_child("full", cmd, logs / "1-full.log", a.timeout)
            if runs["full"]["rc"] not in OK_RC:
                pipeline_error = f"the full run failed (rc={runs['full']['rc']}, log {runs['full']['log']})"
            else:
                print("[4] no-change   same corpus, same warehouse")
                runs["nochange"] = run_child("no-change", cmd, logs / "2-nochange.log", a.timeout)
                more = G.generate_more(wcorpus, a.add_percent)
                result["added"] = {k: v for k, v in more.items() if k != "names"}
                print(f"[5] +{a.add_percent:g} %      appended {more['count']:,} new documents "
                      f"({mb(more['bytes']):.2f} MB, {more['seconds']:.2f} s, not timed) from index {more['start_index']}")
                runs["incremental"] = run_child("+new docs", cmd, logs / "3-incremental.log", a.timeout)
            if not a.no_fixed_cost:
                result["fixed_cost_runs"] = FC.seeds_runs(cli, work, a.timeout, run_child)
                result["fixed_cost_pieces"] = FC.pieces(sys.executable, child_env())
    result["runs"] = runs
    print(f"[7] CPU         clean + extract per document, on the first {a.cpu_sample:,} files, in {a.cpu_repeats} fresh "
          "process(es) one after the other (the median counts)")
    try:
        cpu = result["cpu_per_document"] = FC.cpu_per_document_children(corpus, a.cpu_sample, a.cpu_repeats,
                                                                         sys.executable, child_env())
        print(f"    {cpu['ms']:.2f} ms per document (clean {cpu['clean_ms']:.2f}, extract {cpu['extract_ms']:.2f}) over "
              f"{cpu['documents']:,} documents, {cpu['claims']:,} claims; every run: "
              + ", ".join(f"{r['ms']:.3f}" for r in cpu["runs"]) + " ms")
    except Exception as e:          # noqa: BLE001 - the bench reports it and goes on
        print(f"    failed: {type(e).__name__}: {e}")

    # 8 (before the table so the table is the last thing printed)
    if a.dedup_scaling:
        sizes = [int(x) for x in a.dedup_scaling.replace(" ", "").split(",") if x]
        result["dedup_scaling"] = dedup_scaling(sizes, a.seed, a.dedup_threshold)

    # the summary, the fixed cost piece by piece, then the table of targets (the last thing printed)
    okrun = lambda r: r is not None and r["rc"] in OK_RC  # noqa: E731
    full = runs.get("full")
    gsec = gen.get("seconds")
    print()
    print(f"Summary  N={n:,} files, {mb(gen['bytes']):.1f} MB corpus "
          f"({'reused' if gen.get('reused') else f'generated in {gsec:.2f} s'}), machine: {cores} core(s)")
    print(f"  floor (1 process: read+NFC+sha256+regex): {floor['mb_per_s']:.1f} MB/s, {floor['docs_per_s']:,.0f} docs/s "
          f"({floor['seconds']:.2f} s)")
    for key, label in (("full", "full run"), ("nochange", "no-change re-run"), ("incremental", "+new docs re-run")):
        r = runs.get(key)
        if r:
            print(f"  {label:<17} {fmt_s(r['seconds']):>9}  rc={r['rc']}  peak RSS {fmt_bytes(r['peak_rss_bytes'])}")
    fixed = result.get("fixed_cost_runs") or {}
    if fixed:
        FC.print_breakdown(fixed, result.get("fixed_cost_pieces") or {})
        if okrun(full) and okrun(fixed.get("full")):
            budget = floor["seconds"] / T.TARGETS["throughput_vs_floor_min"]
            print(f"  - at N={n:,} the throughput target allows the full run {fmt_s(budget)}; a full run of 4 files "
                  f"takes {fmt_s(fixed['full']['seconds'])}")
    peaks = [r["peak_rss_bytes"] for r in runs.values() if r.get("peak_rss_bytes")]
    ds = result.get("dedup_scaling") or {}
    why = None if not pipeline_error else pipeline_error if a.no_pipeline else (
        "not run: vnclaims CLI unavailable (see [3-5])" if not runs else "not run: the full run failed (see its log)")
    rows = T.evaluate(n, gen["bytes"], floor, runs, fixed, result.get("cpu_per_document"),
                      max(peaks) if peaks else None, ds.get("slope"), why, skip=a.no_pipeline)
    result["verdicts"] = [{"target": t, "measured": m, "compared_with": c, "goal": g,
                           "result": {True: "PASS", False: "FAIL", None: "SKIP"}[ok]} for t, m, c, g, ok in rows]
    print()
    T.print_table(rows)
    print(f"  cores: {cores}")

    jpath = out / f"bench-{n}.json"
    jpath.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(f"\n  figures written to {jpath}")
    failed = any(ok is False for *_, ok in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
