"""Quality of the claim extractor, at the level of the pure extractor (text in, claims out; seconds):

  * seeds gold   (../shared/gold/seed_claims.csv): every gold row found, no other classified claim;
  * dev set      (../shared/devset/answer_key.csv): the core rows found, no other figure under a vocabulary metric;
  * challenge    (../shared/devset/challenge/challenge.jsonl): recall and precision per metric and per phenomenon.

A challenge claim is matched by a classified claim of its line with the same metric, the same value_low and
value_high, the same period (".." and "/" forms are one) and the same kind of scope (``item:`` vs ``region:`` vs
none: the kind decides what a figure may be compared with; the label is free text). ``--loose`` drops period
and scope. Usage:

    python bench/quality.py [--shared ../shared] [--json quality.json] [-v]
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from vnclaims.claims.as_of import infer_as_of
from vnclaims.claims.extract import extract_document
from vnclaims.text.clean import clean_text
from vnclaims.text.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
NOT_CLASSIFIED = {"unclassified", None}


def _ws(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s).replace("\u00a0", " ")).strip()


def _num(v) -> float | None:
    return None if v in ("", None) else float(v)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def norm_period(p: str | None) -> str | None:
    """The stored forms and the challenge's: '2024-01/2024-06' == '2024-01..2024-06'; '../2016-08' ==
    '..2016-08'; '1991-' == '1991..'; '2015-2017' == '2015..2017'."""
    if not p:
        return None
    p = p.replace("../", "..").replace("/", "..")
    if re.fullmatch(r"\d{4}-", p):
        p = p[:-1] + ".."
    return re.sub(r"^(\d{4})-(\d{4})$", r"\1..\2", p)


def scope_kind(scope: str | None) -> str | None:
    return scope.split(":", 1)[0] if scope else None


def _claims(text: str, as_of: str | None, source: str = "challenge") -> list:
    return extract_document(source, source, text, split_sentences(text), as_of=as_of,
                            as_of_source="dateline" if as_of else "unknown")


def _dateline_as_of(dateline: str | None) -> str | None:
    if not dateline:
        return None
    d, mo, y = dateline.rsplit(", ", 1)[1].split("/")
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def _pr(hit_e: int, n_e: int, hit_p: int, n_p: int) -> dict:
    return {"recall": round(hit_e / n_e, 4) if n_e else 1.0, "precision": round(hit_p / n_p, 4) if n_p else 1.0,
            "expected": n_e, "found": hit_e, "predicted": n_p, "correct": hit_p}


# ------------------------------------------------------------------ challenge
def score_challenge(path: Path, loose: bool = False, verbose: bool = False) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_ph: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_met: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    misses = []
    for r in rows:
        got = [c for c in _claims(r["text"], _dateline_as_of(r.get("dateline"))) if c.metric not in NOT_CLASSIFIED]
        used: set[int] = set()
        for e in r["claims"]:
            k = next((i for i, c in enumerate(got) if i not in used and _match(c, e, loose)), None)
            for acc in (by_ph[r["phenomenon"]], by_met[e["metric"]]):
                acc[0] += k is not None
                acc[1] += 1
            if k is None:
                misses.append((r["id"], "missed", e))
            else:
                used.add(k)
        for i, c in enumerate(got):
            for acc in (by_ph[r["phenomenon"]], by_met[c.metric]):
                acc[2] += i in used
                acc[3] += 1
            if i not in used:
                misses.append((r["id"], "extra", {"metric": c.metric, "value_low": c.value_low, "value_high": c.value_high,
                                                  "period": c.period, "scope": getattr(c, "scope", None),
                                                  "value_text": c.value_text}))
    if verbose:
        for rid, kind, d in misses:
            print(f"  {rid} {kind}: {d}")
    tot = [sum(v[i] for v in by_ph.values()) for i in range(4)]
    return {"overall": _pr(*tot), "by_phenomenon": {k: _pr(*v) for k, v in sorted(by_ph.items())},
            "by_metric": {k: _pr(*v) for k, v in sorted(by_met.items())}, "lines": len(rows)}


def _match(c, e: dict, loose: bool) -> bool:
    if c.metric != e["metric"] or not _same(c.value_low, _num(e["value_low"])) \
            or not _same(c.value_high, _num(e["value_high"])):
        return False
    if loose:
        return True
    return norm_period(c.period) == norm_period(e["period"]) and scope_kind(getattr(c, "scope", None)) == scope_kind(e["scope"])


# ------------------------------------------------------------------ documents (seeds gold, dev set)
def _doc_claims(path: Path, source: str) -> tuple[str, list]:
    doc = clean_text(path.read_text(encoding="utf-8"))
    year, _ = infer_as_of(doc.body, doc.sentences)
    return doc.body, extract_document(path.name, source, doc.body, doc.sentences, as_of=str(year) if year else None,
                                      as_of_source="inferred")


def score_seeds(seeds: Path, gold_csv: Path, verbose: bool = False) -> dict:
    with gold_csv.open(encoding="utf-8", newline="") as fh:
        gold = list(csv.DictReader(fh))
    found, classified, extra = 0, 0, []
    for p in sorted(seeds.glob("*.txt")):
        _, claims = _doc_claims(p, f"seeds/{p.name}")
        rows = [g for g in gold if g["seed"] == p.name]
        for g in rows:
            found += any(c.metric == g["metric"] and _same(c.value_low, _num(g["value_low"]))
                         and _same(c.value_high, _num(g["value_high"])) and c.unit == g["unit"]
                         and c.qualifier == g["qualifier"] and c.period == (g["period"] or None)
                         and _ws(g["quote"]) in _ws(c.quote) for c in claims)
        for c in claims:
            if c.metric in NOT_CLASSIFIED:
                continue
            classified += 1
            if not any(c.metric == g["metric"] and _same(c.value_low, _num(g["value_low"])) for g in rows):
                extra.append((p.name, c.metric, c.value_low, c.value_text))
    if verbose:
        for x in extra:
            print("  seeds extra:", x)
    return {"gold": len(gold), "found": found, "classified": classified, "extra": len(extra)}


def score_devset(devset: Path, verbose: bool = False) -> dict:
    with (devset / "answer_key.csv").open(encoding="utf-8", newline="") as fh:
        key = list(csv.DictReader(fh))
    core = [k for k in key if k["core"] == "yes"]
    found, wrong = 0, []
    for p in sorted((devset / "texts").glob("*.txt")):
        body, claims = _doc_claims(p, f"devset/{p.name}")
        mine = [k for k in core if k["file"] == f"texts/{p.name}"]
        for c in claims:
            if c.metric in NOT_CLASSIFIED:
                continue
            ok = [k for k in mine if k["metric"] == c.metric and _same(c.value_low, _num(k["value_low"]))
                  and _ws(k["quote"]) in _ws(c.quote)]
            if ok:
                found += 1
                mine.remove(ok[0])
            else:
                wrong.append((p.name, c.metric, c.value_low, c.value_text, c.quote[:90]))
    if verbose:
        for w in wrong:
            print("  devset wrong:", w)
    return {"core": len(core), "core_found": found, "other_under_core_metric": len(wrong)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--json", type=Path, default=Path("quality.json"))
    ap.add_argument("--loose", action="store_true", help="match metric and value only (no period, no scope)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    out = {"seeds": score_seeds(a.seeds, a.shared / "gold" / "seed_claims.csv", a.verbose),
           "devset": score_devset(a.shared / "devset", a.verbose),
           "challenge": score_challenge(a.shared / "devset" / "challenge" / "challenge.jsonl", a.loose, a.verbose)}
    out["seconds"] = round(time.perf_counter() - t0, 2)
    s, d, ch = out["seeds"], out["devset"], out["challenge"]
    print(f"seeds gold: {s['found']}/{s['gold']} found, {s['extra']} other classified claim(s)")
    print(f"dev set: {d['core_found']}/{d['core']} core figures found, {d['other_under_core_metric']} other figure(s) "
          f"under a core metric")
    o = ch["overall"]
    print(f"challenge ({ch['lines']} lines): recall {o['recall']:.2f} ({o['found']}/{o['expected']}), "
          f"precision {o['precision']:.2f} ({o['correct']}/{o['predicted']})")
    for title, part in (("phenomenon", ch["by_phenomenon"]), ("metric", ch["by_metric"])):
        print(f"  {'by ' + title:<46} recall      precision")
        for k, v in part.items():
            print(f"  {k:<46} {v['recall']:.2f} {v['found']:>3}/{v['expected']:<4} {v['precision']:.2f} "
                  f"{v['correct']:>3}/{v['predicted']}")
    a.json.parent.mkdir(parents=True, exist_ok=True)      # `make quality` on a fresh clone: no warehouse/reports yet
    a.json.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"({out['seconds']} s; written to {a.json})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
