"""Clean + extract CPU per document (issue 20), on the code path the pipeline runs per document, with an
optional dump of every row it gives (to check a speed change leaves them byte-identical) and a profile.

    python bench/cpu_per_doc.py --corpus DIR [--corpus DIR2 ...] [--n 2000] [--repeat 3] [--unique]
                                [--dump FILE] [--profile clean|extract|both]

The same steps as bench/fixed_cost.py ``cpu_per_document`` (bench/run.py step 7): the files' bytes decoded
(``decode_bytes`` + ``without_replacement_chars``), cleaned (``clean_document``, as the clean stage's
workers call it), then extracted (``extract_one``, as the extract stage's workers call it). Every corpus
is read as sorted paths; ``--n`` keeps the first N files of each. CPU seconds (``time.process_time``).
``--repeat`` runs the whole timing in fresh child processes (the sentence memo starts empty in each, as in
a run's worker) and prints the median.

``--dump FILE``: one JSON line per document in path order: the document row, its sentences, its cleaning
log, its MinHash signature (hex), its claim rows, entity mentions and re-inferred date; compare two dumps
with ``cmp``.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path


def load(corpora: list[Path], n: int | None, unique: bool = False) -> list[tuple[str, bytes]]:
    """(name, bytes) of the first ``n`` files (sorted paths) of each corpus; ``unique``: without the files whose
    bytes an earlier file has (the clean stage cleans one copy of a text only)."""
    out, seen = [], set()
    for corpus in corpora:
        files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.endswith((".md", ".json")))
        for p in files[:n] if n else files:
            data = p.read_bytes()
            if unique:
                if data in seen:
                    continue
                seen.add(data)
            out.append((f"{corpus.name}/{p.relative_to(corpus)}", data))
    return out


def clean_all(datas: list[tuple[str, bytes]]) -> list[dict]:
    from vnclaims.claims.as_of import infer_as_of
    from vnclaims.settings import Settings
    from vnclaims.text.decode import Rejected, decode_bytes
    from vnclaims.text.document import clean_document, without_replacement_chars
    perm = Settings().minhash_perm
    out = []
    for path, data in datas:
        try:
            text = without_replacement_chars(decode_bytes(data, path)).text
        except Rejected:
            continue
        out.append(clean_document(path, path, text, None, None, None, perm, infer_as_of))
    return out


def extract_all(cleaned: list[dict], registry) -> list[tuple]:
    from vnclaims.claims.document import extract_one
    out = []
    for r in cleaned:
        d = r["doc"]
        spans = [(x["char_start"], x["char_end"]) for x in r["sentences"]]
        out.append(extract_one(d["doc_id"], d["source_path"], d["body"], spans, d["as_of"], d["as_of_source"],
                               d["as_of_evidence"], False, registry))
    return out


def measure(datas: list[tuple[str, bytes]], profile: str | None = None) -> tuple[dict, list, list]:
    from vnclaims.claims.metrics import load_registry
    from vnclaims.settings import Settings
    # the modules clean_all and extract_all use, imported before the clock starts (as bench/fixed_cost.py
    # does): their import is a fixed cost of the process, not CPU per document
    import vnclaims.claims.as_of, vnclaims.claims.document, vnclaims.text.decode, vnclaims.text.document  # noqa: E401,F401
    registry = load_registry(Settings().metrics_file)
    prof = cProfile.Profile() if profile else None
    if prof and profile in ("clean", "both"):
        prof.enable()
    t0 = time.process_time()
    cleaned = clean_all(datas)
    t1 = time.process_time()
    if prof:
        prof.disable()
        if profile in ("extract", "both"):
            prof.enable()
    t1b = time.process_time()
    extracted = extract_all(cleaned, registry)
    t2 = time.process_time()
    if prof:
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    n = max(1, len(cleaned))
    return ({"documents": len(cleaned), "claims": sum(len(x[0]) for x in extracted),
             "clean_ms": 1000 * (t1 - t0) / n, "extract_ms": 1000 * (t2 - t1b) / n,
             "ms": 1000 * (t2 - t1b + t1 - t0) / n}, cleaned, extracted)


def dump(path: Path, cleaned: list[dict], extracted: list[tuple]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r, (rows, mentions, asof) in zip(cleaned, extracted):
            rec = {"doc": r["doc"], "sentences": r["sentences"], "log": r["log"], "empty": r["empty"],
                   "signature": r["signature"].hex(), "claims": rows, "mentions": mentions, "asof": asof}
            f.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, action="append", help="a folder of files (repeatable); default seeds/")
    ap.add_argument("--n", type=int, default=None, help="the first N files of each corpus (default all)")
    ap.add_argument("--dump", type=Path, help="write every document's rows as JSON lines")
    ap.add_argument("--profile", choices=("clean", "extract", "both"), help="print a cProfile top-30")
    ap.add_argument("--repeat", type=int, default=1, help="runs in fresh child processes; the median is printed")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    ap.add_argument("--unique", action="store_true", help="leave out exact copies (as the clean stage does)")
    a = ap.parse_args(argv)
    corpora = a.corpus or [Path(__file__).resolve().parents[1] / "seeds"]
    if a.repeat > 1:
        base = [sys.executable, __file__, "--json"] + [x for c in corpora for x in ("--corpus", str(c))]
        base += (["--n", str(a.n)] if a.n else []) + (["--unique"] if a.unique else [])
        runs = [json.loads(subprocess.run(base, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
                for _ in range(a.repeat)]
        res = {k: statistics.median(r[k] for r in runs) for k in ("clean_ms", "extract_ms", "ms")}
        res.update(documents=runs[0]["documents"], claims=runs[0]["claims"],
                   runs=[round(r["ms"], 3) for r in runs])
    else:
        res, cleaned, extracted = measure(load(corpora, a.n, a.unique), a.profile)
        if a.dump:
            dump(a.dump, cleaned, extracted)
    if a.json:
        print(json.dumps(res))
    else:
        print(f"clean + extract CPU per document: {res['ms']:.3f} ms (clean {res['clean_ms']:.3f}, extract "
              f"{res['extract_ms']:.3f}) over {res['documents']} documents, {res['claims']} claims"
              + (f"; runs {res['runs']}" if "runs" in res else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
