"""bench/generate.py: deterministic corpus, duplicate mix, ground truth, appending new documents.

Small corpora (N=200, plus 1,200 for the parallel path) so the whole module runs in a few seconds.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
G = importlib.util.module_from_spec(_spec)
sys.modules["bench_generate"] = G
_spec.loader.exec_module(G)

N = 200


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gen") / "corpus"
    st = G.generate(N, out, seed=42, workers=1)
    truth = json.loads(G.truth_path(out).read_text(encoding="utf-8"))
    return out, truth, st


def test_deterministic_byte_identical(corpus, tmp_path):
    out, truth, _ = corpus
    again = tmp_path / "again"
    G.generate(N, again, seed=42, workers=1)
    assert digests(again) == digests(out)
    assert G.truth_path(again).read_bytes() == G.truth_path(out).read_bytes()
    other = tmp_path / "other-seed"
    G.generate(N, other, seed=7, workers=1)
    assert digests(other) != digests(out)


def test_parallel_workers_do_not_change_the_output(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    G.generate(1200, a, seed=3, workers=1)   # 2 shards
    G.generate(1200, b, seed=3, workers=2)
    assert digests(a) == digests(b)
    assert G.truth_path(a).read_bytes() == G.truth_path(b).read_bytes()


def test_layout_names_and_truth_outside_the_corpus(corpus):
    out, truth, st = corpus
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [G.rel_name(i) for i in range(N)]
    assert all(re.fullmatch(r"\d{3}/\d{6}\.txt", n) for n in names)
    assert G.truth_path(out).parent == out.parent          # never inside the folder the pipeline ingests
    assert set(truth["files"]) == set(names)
    assert truth["n"] == N and truth["seed"] == 42
    assert st["bytes"] == sum((out / n).stat().st_size for n in names)
    assert G.check_corpus(out, N, 42) is None
    assert G.check_corpus(out, N + 1, 42) is not None


def test_duplicate_fractions(corpus):
    _, truth, st = corpus
    kinds = [e["kind"] for e in truth["files"].values()]
    assert abs(kinds.count("exact_dup") / N - 0.30) <= 0.05
    assert abs(kinds.count("near_dup") / N - 0.10) <= 0.05
    assert kinds.count("original") + kinds.count("exact_dup") + kinds.count("near_dup") == N
    assert truth["files"][G.rel_name(0)]["kind"] == "original"
    assert st["original"] == kinds.count("original")


def test_exact_duplicates_are_byte_identical_to_an_earlier_file(corpus):
    out, truth, _ = corpus
    for rel, e in truth["files"].items():
        if e["kind"] == "exact_dup":
            assert e["of"] < rel
            assert truth["files"][e["of"]]["kind"] in ("original", "near_dup")
            assert (out / rel).read_bytes() == (out / e["of"]).read_bytes()


def test_originals_and_near_duplicates_are_all_distinct(corpus):
    out, truth, _ = corpus
    contents = [(out / rel).read_bytes() for rel, e in truth["files"].items() if e["kind"] != "exact_dup"]
    assert len(set(contents)) == len(contents)


def _shingles(text: str, k: int = 5) -> set:
    toks = re.findall(r"\w+", text.lower())
    return {tuple(toks[i:i + k]) for i in range(max(1, len(toks) - k + 1))}


def test_near_duplicates_differ_but_share_most_content(corpus):
    out, truth, _ = corpus
    near = {rel: e for rel, e in truth["files"].items() if e["kind"] == "near_dup"}
    assert near
    for rel, e in near.items():
        assert e["of"] < rel and truth["files"][e["of"]]["kind"] == "original"
        assert e["change"] in ("figure", "sentence_changed", "sentence_added")
        a = (out / rel).read_text(encoding="utf-8-sig")
        b = (out / e["of"]).read_text(encoding="utf-8-sig")
        assert a != b
        la, lb = a.splitlines(), b.splitlines()
        if len(lb) >= 4:     # one article per line or per paragraph: most lines are shared
            shared = sum(1 for line in la if line in set(lb))
            assert shared >= 0.6 * len(lb), (rel, e)
        sa, sb = _shingles(a), _shingles(b)
        assert len(sa & sb) / len(sa | sb) >= 0.55, (rel, e)     # title glued to body: one line, compare words
        if e["change"] == "figure":
            assert e["old"] != e["new"] and e["new"] in a and e["old"] in b


def test_every_file_is_non_empty_valid_utf8(corpus):
    out, truth, _ = corpus
    for rel in truth["files"]:
        data = (out / rel).read_bytes()
        assert len(data) > 200
        text = data.decode("utf-8")           # raises on invalid UTF-8
        assert re.search(r"\d", text)
    avg = sum((out / rel).stat().st_size for rel in truth["files"]) / N
    assert 1000 <= avg <= 2500


def test_add_percent_creates_only_new_names(corpus, tmp_path):
    src, _, _ = corpus
    out = tmp_path / "c"
    G.generate(N, out, seed=42, workers=1)
    before = digests(out)
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(out), "--add-percent", "5"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    after = digests(out)
    new = sorted(set(after) - set(before))
    assert len(new) == 10                                       # 5 % of 200
    assert all(after[k] == v for k, v in before.items())        # existing files untouched
    assert new[0] == G.rel_name(N)
    truth = json.loads(G.truth_path(out).read_text(encoding="utf-8"))
    assert len(truth["files"]) == N + 10
    assert all(truth["files"][n]["kind"] == "original" for n in new)
    assert not set(after[n] for n in new) & set(before.values())  # new content, not copies
    assert truth["added"][0]["count"] == 10
    assert G.check_corpus(out, N, 42) is not None               # a grown corpus is not reused as corpus-N
    with pytest.raises(FileExistsError):
        G.generate_more(out, 1, start_index=N)                  # names that exist are never overwritten
    more = G.generate_more(out, 1, start_index=5000)
    assert more["names"] == [G.rel_name(5000), G.rel_name(5001), G.rel_name(5002)]
