"""Which file is an original, an exact or a near duplicate (and of what); each document and its truth entry."""

from __future__ import annotations

import random
from typing import Iterator

from .articles import Plan, make_plan, render, render_text
from .duplicates import jaccard5, near_dup_plan
from .vocabulary import _mix

EXACT_PER_10 = 3          # exact duplicates per block of 10 files
NEAR_PER_10 = 1           # near-duplicates per block of 10 files
SHARD_SIZE = 1000         # files per sub-folder


def rel_name(index: int) -> str:
    return f"{index // SHARD_SIZE:03d}/{index:06d}.txt"


def _kind_schedule(n: int, r: random.Random) -> list[str]:
    kinds: list[str] = []
    for b in range(0, n, 10):
        block = ["E"] * EXACT_PER_10 + ["N"] * NEAR_PER_10 + ["O"] * (10 - EXACT_PER_10 - NEAR_PER_10)
        r.shuffle(block)
        if b == 0:   # the very first file must be an original
            j = block.index("O")
            block[0], block[j] = block[j], block[0]
        kinds.extend(block)
    return kinds[:n]


def _source(r: random.Random, pool: list[int]) -> int:
    """Half from the recent past (syndication the same week), half from anywhere earlier."""
    if r.random() < 0.5:
        lo = max(0, len(pool) - 1000)
        return pool[lo + int(r.random() * (len(pool) - lo))]
    return pool[int(r.random() * len(pool))]


def schedule(n: int, seed: int = 42) -> list[tuple[str, int]]:
    """(kind, source index) for every file: kind O (original, source -1), E (exact dup), N (near dup).

    Sequential and cheap; the documents themselves are then a pure function of (seed, index, schedule)."""
    master = random.Random(_mix(seed, 0xC0FFEE))
    kinds = _kind_schedule(n, master)
    out: list[tuple[str, int]] = []
    originals: list[int] = []
    written: list[int] = []        # originals and near-dups: possible sources of exact duplicates
    for i, k in enumerate(kinds):
        if (k == "N" and not originals) or (k == "E" and not written):
            k = "O"
        if k == "O":
            out.append(("O", -1))
            originals.append(i)
            written.append(i)
        elif k == "N":
            out.append(("N", _source(master, originals)))
            written.append(i)
        else:
            out.append(("E", _source(master, written)))
    return out


def plan_of(seed: int, i: int, sched: list[tuple[str, int]]) -> tuple[Plan, dict]:
    """The plan of a non-exact document (and its near-dup change info, {} for an original)."""
    kind, src = sched[i]
    if kind == "O":
        return make_plan(seed, i), {}
    if kind == "N":
        return near_dup_plan(make_plan(seed, src), seed, i)
    raise ValueError("exact duplicates have no plan of their own")


def document(seed: int, i: int, sched: list[tuple[str, int]]) -> tuple[bytes, dict]:
    """(bytes, truth entry) of document i — a pure function, so any worker can render any file."""
    kind, src = sched[i]
    if kind == "E":
        return render(plan_of(seed, src, sched)[0]), {"kind": "exact_dup", "of": rel_name(src)}
    plan, info = plan_of(seed, i, sched)
    data = render(plan)
    if kind == "O":
        entry = {"kind": "original", "layout": plan.layout}
        if plan.mess:
            entry["mess"] = sorted(plan.mess)
        return data, entry
    entry = {"kind": "near_dup", "of": rel_name(src), **info}
    entry["jaccard5"] = round(jaccard5(render_text(make_plan(seed, src)), render_text(plan)), 3)
    return data, entry


def iter_documents(n: int, seed: int = 42, skip_exact: bool = False) -> Iterator[tuple[int, str, bytes, dict]]:
    """Yield (index, relative name, bytes, truth entry) for the n documents, in order (nothing written)."""
    sched = schedule(n, seed)
    for i in range(n):
        if skip_exact and sched[i][0] == "E":
            continue
        data, entry = document(seed, i, sched)
        yield i, rel_name(i), data, entry
