"""The fixed cost of a `vnclaims run`, taken apart piece by piece, and the per-document CPU of cleaning and
extraction (issue 20). Called by bench/run.py (step 6); alone:

    python bench/fixed_cost.py [--corpus DIR] [--sample 2000]      # the pieces and the CPU per document
    python bench/fixed_cost.py --cpu-json --corpus DIR             # only the CPU per document, one JSON line
                                                                   # (bench/run.py step 7 runs it three times)

Pieces, each a child process of its own (nothing imported before it), wall seconds:
- ``imports``: Python's start and the imports a run makes before its flow starts (the CLI, Prefect, the
  flow module with every stage);
- ``server start``: a temporary Prefect server spawned until it answers /health, what a run waits for when
  no server is up (an earlier run's is used when it is: flows/server.py);
- ``GX import``: Great Expectations, imported by validate when a run made a new snapshot.
From the runs of step 6 (their ``runs.stage_seconds`` and times): the DuckLake transaction through every
SQL model (``load``), validation (SQL audits and Great Expectations), the report, the other stages, and
the rest of the run's process (start-up, Prefect's flow and task runs, the run records, teardown).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_START = """
import time
t0 = time.perf_counter()
from flows.server import TemporaryServer
s = TemporaryServer.spawn()
s.wait_ready()
print(time.perf_counter() - t0)
s.stop()
"""


def _child_seconds(cmd: list[str], env: dict, timeout: float = 300) -> float | None:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - t0 if r.returncode == 0 else None


def pieces(python: str, env: dict) -> dict:
    """Wall seconds of the pieces measured alone (see the module doc); None for a piece that failed."""
    out = {"imports": _child_seconds([python, "-c", "import vnclaims.cli, flows.pipeline"], env),
           "gx_import": _child_seconds([python, "-c", "from vnclaims.checks.gx import _import_gx; _import_gx()"], env)}
    senv = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    senv["VNCLAIMS_PREFECT_SERVER_IDLE"] = "0"          # its own server, stopped at once
    r = subprocess.run([python, "-c", SERVER_START], env=senv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    out["server_start"] = float(r.stdout.split()[-1]) if r.returncode == 0 and r.stdout.split() else None
    return out


def last_run(warehouse: Path) -> dict | None:
    """The newest row of ``runs``: its stage seconds and its own length (started_at to finished_at)."""
    from vnclaims.lake.connect import connect
    from vnclaims.settings import Settings
    con = connect(Settings(warehouse=warehouse), read_only=True)
    try:
        row = con.execute("SELECT stage_seconds, epoch(finished_at) - epoch(started_at), status FROM runs "
                          "ORDER BY started_at DESC LIMIT 1").fetchone()
    finally:
        con.close()
    if row is None:
        return None
    return {"stage_seconds": json.loads(row[0] or "{}"), "flow_seconds": row[1], "status": row[2]}


def breakdown(run_seconds: float, run: dict | None) -> dict:
    """One run's wall seconds split into load (the DuckLake transaction through every model), validate
    (audits + GX), report, the other stages, and the rest (process start-up, Prefect, records, teardown)."""
    st = dict((run or {}).get("stage_seconds") or {})
    out = {k: float(st.pop(k, 0.0)) for k in ("load", "validate", "report")}
    out["other_stages"] = float(sum(st.values()))
    out["rest"] = run_seconds - sum(out.values())
    return out


def seeds_runs(cli: Path, work: Path, timeout: float, run_child) -> dict:
    """The kinds of run of steps 3-5 on the seed articles: a full run of 4 into a fresh warehouse, a run
    adding the 5th, a no-change run (these three as a user runs them: the temporary server the first one
    started is still up for the others), then a no-change run that starts its own server
    (VNCLAIMS_PREFECT_SERVER_IDLE=0). What they cost does not depend on the corpus: no corpus size
    amortises it away. Each result also has the run's own record (``last_run``) and its pieces (``breakdown``)."""
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    root = work / "fixed"
    if root.exists():
        shutil.rmtree(root)
    corpus, wh, logs = root / "seeds", root / "warehouse", root / "logs"
    corpus.mkdir(parents=True)
    logs.mkdir()
    for f in seeds[:-1]:
        shutil.copy2(f, corpus / f.name)
    cmd = [str(cli), "run", "--seeds", str(corpus), "--warehouse", str(wh)]
    print(f"[6] fixed cost  the same kinds of run on {len(seeds) - 1} seed articles, then + 1 ({corpus})")
    out = {}

    def one(key: str, label: str, log: str, env: dict | None = None) -> None:
        r = run_child(label, cmd, logs / log, timeout, extra_env=env)
        r["last_run"] = last_run(wh) if r["rc"] in (0, 3) else None
        r["breakdown"] = breakdown(r["seconds"], r["last_run"])
        out[key] = r
    one("full", "full (4)", "1-full.log")
    shutil.copy2(seeds[-1], corpus / seeds[-1].name)
    one("incremental", "+1 file", "2-incremental.log")
    one("nochange", "no-change", "3-nochange.log")
    one("nochange_cold", "no-change*", "4-nochange-own-server.log", {"VNCLAIMS_PREFECT_SERVER_IDLE": "0"})
    return out


def print_breakdown(fixed: dict, parts: dict) -> None:
    """The fixed cost piece by piece: the pieces alone, then each seeds run split into its parts."""
    def s(v):
        return "failed" if v is None else f"{v:5.2f} s"
    print(f"  fixed cost, piece by piece (each alone, wall): imports {s(parts.get('imports'))}, "
          f"Prefect temporary server start {s(parts.get('server_start'))}, Great Expectations import "
          f"{s(parts.get('gx_import'))}")
    print(f"  {'seeds run':<24} {'wall':>7}  {'load (DuckLake, every model)':>28} {'validate (audits+GX)':>20} "
          f"{'report':>7} {'other stages':>12} {'rest':>7}")
    for key, label in (("full", "full, 4 files"), ("incremental", "+1 file (5)"), ("nochange", "no-change (5)"),
                       ("nochange_cold", "no-change, own server")):
        r = fixed.get(key)
        if not r:
            continue
        b = r["breakdown"]
        print(f"  {label:<24} {r['seconds']:6.2f}s  {b['load']:27.2f}s {b['validate']:19.2f}s {b['report']:6.2f}s "
              f"{b['other_stages']:11.2f}s {b['rest']:6.2f}s")
    print("  (rest = Python start-up and imports, waiting for the Prefect server, Prefect's flow and task runs, "
          "the run records, teardown)")


def cpu_per_document(corpus: Path, sample: int = 2000) -> dict:
    """CPU seconds per document of decoding + cleaning and of extraction, in this process, over the first
    ``sample`` files of ``corpus`` (sorted paths); exact duplicates are cleaned and extracted like any file."""
    from vnclaims.claims.as_of import infer_as_of
    from vnclaims.claims.document import extract_one
    from vnclaims.claims.metrics import load_registry
    from vnclaims.settings import Settings
    from vnclaims.text.decode import Rejected, decode_bytes
    from vnclaims.text.document import clean_document, without_replacement_chars
    files = sorted(p for p in corpus.rglob("*") if p.is_file())[:sample]
    datas = [(str(p.relative_to(corpus)), p.read_bytes()) for p in files]
    s = Settings()
    registry = load_registry(s.metrics_file)
    t0 = time.process_time()
    cleaned = []
    for path, data in datas:
        try:
            text = without_replacement_chars(decode_bytes(data, path)).text
        except Rejected:
            continue
        cleaned.append(clean_document(path, path, text, None, None, None, s.minhash_perm, infer_as_of))
    t1 = time.process_time()
    claims = 0
    for r in cleaned:
        d = r["doc"]
        spans = [(x["char_start"], x["char_end"]) for x in r["sentences"]]
        rows, _, _ = extract_one(d["doc_id"], d["source_path"], d["body"], spans, d["as_of"], d["as_of_source"],
                                 d["as_of_evidence"], False, registry)
        claims += len(rows)
    t2 = time.process_time()
    n = max(1, len(cleaned))
    return {"documents": len(cleaned), "claims": claims, "clean_ms": 1000 * (t1 - t0) / n,
            "extract_ms": 1000 * (t2 - t1) / n, "ms": 1000 * (t2 - t0) / n}


def cpu_per_document_children(corpus: Path, sample: int, repeats: int, python: str, env: dict,
                              timeout: float = 600) -> dict:
    """:func:`cpu_per_document` in ``repeats`` fresh child processes, one after the other (each starts with
    every cache empty, as a run's worker does, and none shares a heap or a busy parent with the bench): the
    median run by total CPU, with every run's figures in ``runs``. One measure moves by several percent with
    the machine; the median of three moves less."""
    runs = []
    for _ in range(max(1, repeats)):
        r = subprocess.run([python, str(Path(__file__)), "--cpu-json", "--corpus", str(corpus), "--sample", str(sample)],
                           env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"the CPU measure failed (rc={r.returncode}): {r.stderr.strip()[-500:]}")
        runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
    ordered = sorted(runs, key=lambda x: x["ms"])
    return dict(ordered[(len(ordered) - 1) // 2], runs=runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--cpu-json", action="store_true", help="only the CPU per document, as one JSON line")
    a = ap.parse_args(argv)
    if a.cpu_json:
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(cpu_per_document(a.corpus, a.sample)))
        return 0
    env = dict(os.environ, DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    for k, v in pieces(sys.executable, env).items():
        print(f"{k:<14} {'failed' if v is None else f'{v:.2f} s'}")
    c = cpu_per_document(a.corpus, a.sample)
    print(f"clean + extract CPU per document: {c['ms']:.2f} ms (clean {c['clean_ms']:.2f}, extract "
          f"{c['extract_ms']:.2f}) over {c['documents']} documents, {c['claims']} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
