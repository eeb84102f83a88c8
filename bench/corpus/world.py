"""The "world": canonical figures per (metric, year) for a corpus seed, and how outlets report them."""

from __future__ import annotations

import random
import zlib

from .numbers import fdec, fint, words
from .vocabulary import Ctx, _mix, _ngan, _pick


# ---------------------------------------------------------------------------------------------
# the "world": one canonical figure per (metric, year) for a given corpus seed, so that outlets
# agree most of the time (with rounding and wording variants) and WORLD_NOISE of the reports
# carry one of ALT_FIGURES conflicting figures (a preliminary estimate, another source, a typo) —
# like real coverage, and unlike independent random draws, which would make every pair of
# reports of the same metric disagree.
# ---------------------------------------------------------------------------------------------

WORLD_NOISE = 0.10
ALT_FIGURES = 3
_WORLD: dict = {}


def _key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def _canon(c: Ctx, name: str, year: int, lo: float, hi: float) -> float:
    """Canonical figure of ``name`` in ``year`` (uniform in [lo, hi], fixed per corpus seed)."""
    k = (c.seed, name, year, lo, hi)
    v = _WORLD.get(k)
    if v is None:
        v = _WORLD[k] = random.Random(_mix(c.seed, _key(name), year)).uniform(lo, hi)
    return v


def _trend(c: Ctx, name: str, year: int, v2005: float, v2025: float, jitter: float = 0.06) -> float:
    """Canonical figure on a linear trend from 2005 to 2025, +-jitter per year."""
    base = v2005 + (v2025 - v2005) * (year - 2005) / 20.0
    return base * (1.0 + _canon(c, name + "~", year, -jitter, jitter))


def _reported(r: random.Random, c: Ctx, name: str, year: int, value: float, spread: float = 0.25) -> float:
    """What one outlet reports: the canonical ``value`` or, in WORLD_NOISE of reports, one of
    ALT_FIGURES alternative figures for (name, year)."""
    u = r.random()
    if u >= WORLD_NOISE:
        return value
    j = int(u / WORLD_NOISE * ALT_FIGURES)
    return value * (1.0 + _canon(c, f"{name}#alt{j}", year, -spread, spread))


def _val(r, c, name, year, lo, hi) -> float:
    """A reported figure drawn from [lo, hi] (canonical per year, see _reported)."""
    return _reported(r, c, name, year, _canon(c, name, year, lo, hi))


def _ival(r, c, name, year, lo, hi) -> int:
    """An integer reported figure in [lo, hi] (ranks, counts, percentages)."""
    return min(hi, max(lo, int(round(_val(r, c, name, year, lo, hi)))))


def _tval(r, c, name, year, v2005, v2025, jitter=0.06, spread=0.25) -> float:
    """A reported figure on a trend (canonical per year, see _reported)."""
    return _reported(r, c, name, year, _trend(c, name, year, v2005, v2025, jitter), spread)


def _round_to(x: float, step: int) -> int:
    return max(step, int(round(x / step)) * step)


def _money(r: random.Random, x: float, nd: int = 2) -> str:
    """3.634 -> '3,63' mostly, sometimes rounded with a matching qualifier ('khoảng 3,6', 'gần 3,7')."""
    if r.random() < 0.2:
        q = round(x, 1)
        word = "gần " if q > x + 1e-9 else ("hơn " if q < x - 1e-9 else "")
        return (word or _pick(r, ["khoảng ", ""])) + fdec(q, 1)
    return fdec(x, nd)


def _count(r: random.Random, x: int) -> str:
    """80000 -> '80.000' mostly; '80 nghìn'/'80 ngàn' or words sometimes."""
    v = r.random()
    if x >= 10000 and x % 1000 == 0 and v < 0.2:
        return f"{x // 1000} {_ngan(r)}"
    if x < 1000000 and v > 0.93:
        return words(x)
    return fint(x)


def _growth(r: random.Random, cur: float, prev: float, prev_label: str) -> str:
    g = (cur / prev - 1.0) * 100.0 if prev else 0.0
    if abs(g) < 0.05:
        return f"tương đương {prev_label}"
    s = fdec(abs(g), 1 if r.random() < 0.85 else 2) + ("%" if r.random() < 0.93 else " %")
    return f"{'tăng' if g > 0 else 'giảm'} {s} so với {prev_label}"


def _tourists(c: Ctx, y: int) -> float:
    special = {2020: 0.2, 2021: 0.03, 2022: 0.08, 2023: 0.45, 2024: 0.7, 2025: 0.8}
    base = _trend(c, "tourists", min(y, 2019), 90_000, 900_000, 0.08)
    return base * special.get(y, 1.0)
