#!/usr/bin/env python3
"""Deterministic benchmark corpus: seed-like Vietnamese news articles about Vietnam–Russia relations.

    python bench/generate.py --n 100000 --out DIR --seed 42          # N files into DIR/000/000000.txt ...
    python bench/generate.py --out DIR --add-percent 1 [--start-index K]   # append 1 % new originals

Every file is built from a library of hand-written paragraph templates (trade turnover, diaspora,
investment, students, scholarships, targets, milestones, visits, ranges, numbers in words,
"tỉ"/"ngàn" variants, percentages, plus non-numeric filler), with varied figures, dates, outlets,
bylines and layouts (title glued to the body, one line per paragraph, blank-line paragraphs), and
occasionally the messiness of the real seeds (NBSP, double spaces, missing space after a period,
a caption line repeated, "0:00 / 0:00" video residue, one article repeated several times,
old-style tone marks "hoà"/"thuỷ") and, rarely, encoding noise (BOM, CRLF, NFD).

Mix (exact at every multiple of 10 files): 30 % exact byte duplicates of an earlier file, 10 %
near-duplicates of an earlier original (one figure changed, one sentence changed, or one sentence
added), 60 % originals. Ground truth goes to DIR/../<DIR name>.truth.json, never inside DIR (the
pipeline ingests every file under DIR).

Deterministic: the output is a pure function of (n, seed) — random.Random only, seeded with ints,
no hash() of str, no clock, no set iteration. Standard library only.

This file is the command line; the generator is the package bench/corpus/ (numbers and vocabulary,
the "world" of canonical figures, paragraph templates, articles, near-duplicates, the schedule of
kinds, the writer). bench/run.py and the tests import the names below from here.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:   # run as a script or loaded from its file path
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.schedule import iter_documents, rel_name, schedule  # noqa: E402
from corpus.writer import (GENERATOR_VERSION, check_corpus, generate, generate_more,  # noqa: E402
                           generator_fingerprint, truth_path)

__all__ = ["GENERATOR_VERSION", "check_corpus", "generate", "generate_more", "generator_fingerprint",
           "iter_documents", "main", "rel_name", "schedule", "truth_path"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, help="number of files to generate")
    ap.add_argument("--out", type=Path, required=True, help="corpus folder (truth goes to <out>.truth.json beside it)")
    ap.add_argument("--seed", type=int, default=None, help="RNG seed (default 42; --add-percent: the corpus's)")
    ap.add_argument("--add-percent", type=float, help="append this %% of new original documents to an existing corpus")
    ap.add_argument("--start-index", type=int, help="first index of the appended documents (default: after the last)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: all cores; output identical)")
    ap.add_argument("--no-force", action="store_true", help="refuse to overwrite a non-empty --out")
    a = ap.parse_args(argv)
    if a.add_percent is not None:
        st = generate_more(a.out, a.add_percent, a.start_index, a.seed)
        st.pop("names")
        print(json.dumps(st, ensure_ascii=False))
        return 0
    if a.n is None:
        ap.error("--n is required (or --add-percent for an existing corpus)")
    st = generate(a.n, a.out, 42 if a.seed is None else a.seed, force=not a.no_force, workers=a.workers)
    st.pop("truth_dict")
    print(json.dumps(st, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
