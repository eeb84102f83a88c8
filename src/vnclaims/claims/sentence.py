"""One sentence's facts computed once: its clauses, the countries it names, the destinations and origins
of investment ("tại Việt Nam", "của Nga"), and which clause is about another country pair."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..text.textnorm import word_alternation
from .metrics import Metric, Registry

_LOOKBACK = 200
_CLAUSE_SPLIT_RE = re.compile(r",\s|;\s|\(|\)|:\s|\s[-–]\s(?=\D)(?!(?:liên bang |lb\.? )?(?:nga|việt|liên xô)(?!\w))")

COUNTRY_RU = r"(?:lb\.? nga|liên bang nga|nga|liên xô)"
COUNTRY_VN = r"(?:việt nam|vn)"
_DEST_RE = re.compile(rf"\b(?:tại|vào|ở|sang)\s+(?P<c>{COUNTRY_RU}|{COUNTRY_VN})\b")
_ORIGIN_RE = re.compile(rf"(?:của|từ)\s+(?P<c>{COUNTRY_RU}|{COUNTRY_VN})\b")
_COUNTRY_RE = re.compile(rf"\b(?P<c>{COUNTRY_RU}|{COUNTRY_VN})\b")
_COUNTRY_VN_FULL = re.compile(COUNTRY_VN)
# Russia, for the "another country pair" rule (its cities count as Russia)
_RU_MENTION_RE = re.compile(word_alternation([
    "nga", "liên xô", "moscow", "mát-xcơ-va", "matxcơva", "saint petersburg", r"st\.? petersburg", "xanh pê-téc-bua",
    "vladivostok"]) + r"(?!\w)")


def _country(name: str) -> str:
    return "vn" if _COUNTRY_VN_FULL.fullmatch(name) else "ru"


def clause_bounds(m: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for mt in _CLAUSE_SPLIT_RE.finditer(m):
        bounds.append((start, mt.start()))
        start = mt.end()
    bounds.append((start, len(m)))
    return [(a, b) for a, b in bounds if b > a]


def _clause_of(bounds: list[tuple[int, int]], pos: int, starts: list[int] | None = None) -> tuple[int, int]:
    if starts is None:
        starts = [a for a, _ in bounds]
    k = bisect_right(starts, pos) - 1
    if k >= 0 and bounds[k][0] <= pos < bounds[k][1]:
        return bounds[k]
    for a, b in bounds:
        if a <= pos < b:
            return a, b
    return 0, bounds[-1][1] if bounds else (0, 0)


class _Sent:
    """One sentence's match form and the facts computed once for it."""

    def __init__(self, m: str, registry: Registry):
        self.m = m
        self.registry = registry
        self.clauses = clause_bounds(m)
        self._clause_starts = [a for a, _ in self.clauses]
        self._foreign: dict[tuple[int, int], bool] = {}
        self._excl: dict[tuple[str, tuple[int, int]], bool] = {}
        self._cues: dict[str, list[int]] = {}
        self._req: dict[str, bool] = {}
        self._countries: list[tuple[int, str]] | None = None
        self._dests: list[tuple[int, int, str]] | None = None
        self._origins: list[tuple[int, int, str]] | None = None

    def clause(self, pos: int) -> tuple[int, int]:
        return _clause_of(self.clauses, pos, self._clause_starts)

    def cue_positions(self, met: Metric) -> list[int]:
        got = self._cues.get(met.name)
        if got is None:
            got = sorted(mt.start() for cue in met.cues for mt in cue.finditer(self.m))
            self._cues[met.name] = got
        return got

    def excluded(self, met: Metric, clause: tuple[int, int]) -> bool:
        """One of the metric's ``exclude`` patterns occurs in the clause."""
        if not met.exclude:
            return False
        key = (met.name, clause)
        got = self._excl.get(key)
        if got is None:
            got = any(x.search(self.m, clause[0], clause[1]) for x in met.exclude)
            self._excl[key] = got
        return got

    def has_required(self, met: Metric) -> bool:
        got = self._req.get(met.name)
        if got is None:
            got = not met.requires or any(r.search(self.m) for r in met.requires)
            self._req[met.name] = got
        return got

    def countries(self) -> list[tuple[int, str]]:
        if self._countries is None:
            hits = [(mt.start(), "ru") for mt in _RU_MENTION_RE.finditer(self.m)]
            for rx in self.registry.other_countries:
                hits += [(mt.start(), "other") for mt in rx.finditer(self.m)]
            self._countries = sorted(hits)
            self._country_starts = [p for p, _ in self._countries]
        return self._countries

    def foreign(self, clause: tuple[int, int]) -> bool:
        """The clause is about another country pair: it names a third country and not Russia, or it
        names neither and the last country named before it in the sentence is a third one."""
        if not self.registry.other_countries:
            return False
        got = self._foreign.get(clause)
        if got is None:
            hits = self.countries()
            starts = self._country_starts
            lo, hi = bisect_left(starts, clause[0]), bisect_left(starts, clause[1])
            inside = {k for _, k in hits[lo:hi]}
            if "ru" in inside:
                got = False
            elif "other" in inside:
                got = True
            else:
                got = lo > 0 and hits[lo - 1][1] == "other"
            self._foreign[clause] = got
        return got

    def dests(self) -> list[tuple[int, int, str]]:
        if self._dests is None:
            self._dests = [(mt.start(), mt.end(), _country(mt.group("c"))) for mt in _DEST_RE.finditer(self.m)]
            self._origins = [(mt.start(), mt.end(), _country(mt.group("c"))) for mt in _ORIGIN_RE.finditer(self.m)]
            self.dest_starts = [a for a, _, _ in self._dests]
            self.origin_starts = [a for a, _, _ in self._origins]
        return self._dests

    def origins(self) -> list[tuple[int, int, str]]:
        self.dests()
        return self._origins or []


def _direction(sent: _Sent, pos: int, clause: tuple[int, int]) -> str | None:
    """ru_in_vn / vn_in_ru from "X ... tại Y" before the number (clause, then the sentence up to
    _LOOKBACK*2 characters back), else from a destination after it in the clause."""
    dests, origins = sent.dests(), sent.origins()
    d_starts, o_starts = sent.dest_starts, sent.origin_starts
    for lo in (clause[0], max(0, pos - 2 * _LOOKBACK)):
        a0, a1 = bisect_left(d_starts, lo), bisect_left(d_starts, pos)
        inside = [c for a, b, c in dests[a0:a1] if b <= pos]
        if inside:
            return "ru_in_vn" if inside[-1] == "vn" else "vn_in_ru"
        o0, o1 = bisect_left(o_starts, lo), bisect_left(o_starts, pos)
        orig = [c for a, b, c in origins[o0:o1] if b <= pos]
        if orig:
            return "ru_in_vn" if orig[0] == "ru" else "vn_in_ru"
    # destination after the number ("186 dự án đầu tư tại Việt Nam")
    k = bisect_left(d_starts, pos)
    if k < len(dests) and dests[k][0] < clause[1]:
        return "ru_in_vn" if dests[k][2] == "vn" else "vn_in_ru"
    return None
