"""Near-duplicates of an original: one figure changed, one sentence re-written, or one added."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import replace

from .articles import N_NUMERIC, TEMPLATES, Plan, _apply_figure, render_text, title_of
from .vocabulary import _mix, _pick

NEAR_KINDS = (("figure", 0.4), ("sentence_changed", 0.3), ("sentence_added", 0.3))


def shingles(text: str, k: int = 5) -> set:
    toks = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    if len(toks) < k:
        return {tuple(toks)}
    return {tuple(toks[i:i + k]) for i in range(len(toks) - k + 1)}


def jaccard5(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(1, len(sa | sb))


def near_dup_plan(base: Plan, seed: int, index: int) -> tuple[Plan, dict]:
    """A copy of ``base`` with one figure changed, one sentence (paragraph) re-written, or one added."""
    r = random.Random(_mix(seed, index, 2))
    v = r.random()
    acc = 0.0
    kind = NEAR_KINDS[-1][0]
    for name, w in NEAR_KINDS:
        acc += w
        if v < acc:
            kind = name
            break
    p = replace(base, slots=list(base.slots), mess=dict(base.mess))
    p.mess.pop("repeat", None)   # a 17x repeated article would bury a one-sentence change
    info: dict = {"change": kind}
    if kind == "figure":
        text = render_text(p)
        title = title_of(random.Random(p.frame_seed), p.ctx)   # the frame RNG draws the title first
        change = (r.getrandbits(16), r.getrandbits(48))
        _, old, new, ctx = _apply_figure(text, title, change)
        if old:
            p.figure_change = change
            info.update(old=old, new=new, context=ctx)
            return p, info
        kind = info["change"] = "sentence_added"   # no quantity to change: add a sentence instead
    if kind == "sentence_changed":
        before = render_text(p)
        for _ in range(12):       # some filler paragraphs have few variants: retry until the text differs
            k = int(r.random() * len(p.slots))
            t, old_seed = p.slots[k]
            p.slots[k] = (t, r.getrandbits(48))
            if render_text(p) != before:
                info.update(template=TEMPLATES[t][0], position=k)
                return p, info
            p.slots[k] = (t, old_seed)
        kind = info["change"] = "sentence_added"
    used = {t for t, _ in p.slots}
    choices = [t for t in range(N_NUMERIC) if t not in used]
    t = _pick(r, choices)
    k = int(r.random() * (len(p.slots) + 1))
    p.slots.insert(k, (t, r.getrandbits(48)))
    info.update(template=TEMPLATES[t][0], position=k)
    return p, info
