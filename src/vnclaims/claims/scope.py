"""The scope of a figure: the total, or one part of it (a goods item, a sector, an exclusion, a region, a group
of people, an institution, a level of study, one trade flow, the largest project, an average, what is new in
the period, the documents of one visit); and whether it is a running total ("lũy kế", "nâng tổng số ... lên").

Scope words come from ``[scope]`` in metrics.toml; their position decides: a scope word counts when it is
the subject or a modifier of the figure (in its window, before it, or the noun right after it), not when it
follows a composition word ("chủ yếu là than, sắt thép": the figure stays the total).
"""
from __future__ import annotations

import re

from .frames import Facts, Frame
from .lexicon import Hit

_RAISE_RE = re.compile(r"(?<!\w)(?:nâng|đưa)(?!\w)[^,;]{0,80}?(?<!\w)lên(?!\w)")
_NAME_AFTER_RE = re.compile(r"\s+((?:[A-ZĐÀ-Ỹ][\wà-ỹ\-]*\s*){1,6})")
_WORDS_AFTER_RE = re.compile(r"\s+((?:[^\W\d][\w\-]*\s*){1,3})")
_STOP_WORDS = {"của", "tại", "ở", "với", "có", "thu", "hút", "chỉ", "khoảng", "đạt", "là", "và", "vào", "nga",
               "việt", "nam", "chiếm", "trong", "được", "đã", "hiện", "đầu", "tư", "thu hút"}
ITEM_POPS = frozenset({"trade", None})
_LIST_REACH = 80          # how far back a composition word opens a list of items
_DIGIT_RE = re.compile(r"\d")


def _after_composition(f: Facts, h: Hit, a: int) -> bool:
    """The scope word is one of a list that a composition word opens ("chủ yếu là than, sắt thép và phân bón"):
    a composition word before it in its sentence part with no number between them."""
    lo = max(f.part(h.start)[0], h.start - _LIST_REACH)
    comp = f.scope.last_before(lo, h.start, {"composition"})
    return comp is not None and (h.start - comp.end <= 25 or not _DIGIT_RE.search(f.m, comp.end, h.start))


_PAREN_OPEN_RE = re.compile(r"\(\s*(?:[^\W\d]+\s+){0,2}$")
_ITEM_TAIL_RE = re.compile(r"\s*(?:[^\W\d]+\s*)?")      # the rest of the item's noun ("than đá")


def _paren_item(f: Facts, pos: int) -> Hit | None:
    """The goods item written right before the bracket the figure opens (at most one more word of its noun
    between): a figure in brackets after a noun is that noun's (even in a list a composition word opens)."""
    mt = _PAREN_OPEN_RE.search(f.m, max(0, pos - 25), pos)
    if mt is None:
        return None
    h = f.scope.last_before(max(0, mt.start() - 30), mt.start(), {"item"})
    return h if h is not None and _ITEM_TAIL_RE.fullmatch(f.m, h.end, mt.start()) else None


def _label(f: Facts, end: int, b: int) -> str:
    """A few words after a marker ("lĩnh vực dầu khí" -> "dầu khí"), up to a function word."""
    mt = _WORDS_AFTER_RE.match(f.m, end, b)
    if not mt:
        return ""
    words = []
    for w in mt.group(1).split():
        if w in _STOP_WORDS or any(ch.isdigit() for ch in w):
            break
        words.append(w)
    return " ".join(words)


def scope_for(f: Facts, fr: Frame, pos: int, end: int, win: tuple[int, int], change: bool) -> None:
    """Set ``fr.scope`` (and its evidence) and ``fr.cumulative``."""
    a, b = win
    pa, _pb = f.part(pos)
    sc = f.scope
    pop = fr.population
    before = [h for h in sc.within(a, pos) if not _after_composition(f, h, a)]
    near_after = sc.within(end, min(b, end + 30))
    classes_before = {h.cls for h in before}
    found: tuple[str, str] | None = None          # (scope, evidence)

    own = f.clause(pos)
    own_total = bool(sc.within(own[0], pos, {"cumulative"})) or bool(_RAISE_RE.search(f.m, own[0], pos))
    if pop in ("investment", "agreements") and not own_total:
        # "có thêm 6 dự án cấp mới", "tăng vốn 120 triệu USD"; not "... nâng tổng số lên 187" after them
        new = [h for h in before + near_after if h.cls == "new_in_period"]
        if new:
            found = ("new_in_period", new[-1].word)
    if found is None and pop == "investment" and fr.measure == "USD":
        found = _single_project(f, fr, pos, end)
    if found is None and pop == "investment":
        largest = sc.last_before(pa, pos, {"largest"})
        avg = sc.last_before(a, pos, {"average"})
        if largest:
            found = ("project:largest", "lớn nhất")
        elif avg:
            found = ("avg_per_project", avg.word)
    if found is None and pop in ("investment", "trade"):
        excl = sc.last_before(pa, pos, {"exclusion"})
        if excl:
            label = _label(f, excl.end, f.clause(excl.start)[1])
            label = re.sub(r"^(?:lĩnh vực|ngành|mặt hàng)\s+", "", label)
            if label:
                found = (f"excl:{label}", f.s[excl.start:excl.end] + " " + label)
    if found is None and pop in ("investment", "trade"):
        sector = next((h for h in reversed(before) if h.cls == "sector"), None)
        if sector is not None and "exclusion" not in classes_before:
            label = _label(f, sector.end, f.clause(sector.start)[1])
            if label:
                found = (f"sector:{label}", f.s[sector.start:sector.end] + " " + label)
    if found is None and pop in ITEM_POPS:
        own_item = _paren_item(f, pos)       # "chủ yếu là than đá (khoảng 900 triệu USD), phân bón": the coal's
        if own_item is not None:
            found = (f"item:{own_item.word}", f.s[own_item.start:own_item.end])
    if found is None and pop in ITEM_POPS:
        items = [h for h in before if h.cls == "item"] or [h for h in near_after if h.cls == "item"]
        if items:
            found = (f"item:{items[-1].word}", f.s[items[-1].start:items[-1].end])
    if found is None and pop == "students":
        found = _institution(f, pos)          # "Học viện Mỏ Saint Petersburg": the institution, not the city
    if found is None and pop in ("community", "students", "investment"):
        found = _region(f, pos, end, win)
    if found is None and pop == "community":
        groups = [h for h in sc.within(a, b) if h.cls.startswith("group_") and not _after_composition(f, h, a)
                  and not re.search(r"kể cả\s+$", f.m[max(0, h.start - 10):h.start])]
        if groups:
            g = min(groups, key=lambda h: abs(h.start - pos))
            found = (f"group:{g.cls[6:]}", f.s[g.start:g.end])
    if found is None and pop in ("students", "scholarships"):
        found = _institution(f, pos) if pop == "students" or sc.within(0, len(f.m), {"institution"}) else None
        if pop == "scholarships":
            lv = [h for h in sc.within(end, b) if h.cls.startswith("level_")]
            if lv:
                found = (f"level:{lv[0].cls[6:]}", f.s[lv[0].start:lv[0].end])
            elif found is not None:
                found = found
    if found is None and pop == "agreements":
        visit = sc.within(0, len(f.m), {"visit"})
        if visit and not _cumulative(f, pos, end, win):
            found = ("event:visit", visit[0].word)
    if found is None and change and fr.direction in ("vn_to_ru", "ru_to_vn"):
        found = ("flow:exports" if fr.direction == "vn_to_ru" else "flow:imports", fr.evidence.get("direction", ""))
    if found:
        fr.scope = found[0]
        fr.note("scope", found[1])
    fr.cumulative = fr.scope is None and _cumulative(f, pos, end, win)
    if fr.cumulative:
        fr.evidence["cumulative"] = "yes"


_SINGLE_RE = re.compile(r"(?<!\w)(?:dự án|nhà máy|công trình|tổ hợp|liên doanh)(?!\w)(?! (?:đầu tư|fdi|còn|của|tại|ở|mới))")
_INTO_ONE_RE = re.compile(r"\s+(?:vào|cho)\s+(?:một\s+)?((?:dự án|nhà máy|công trình|tổ hợp|liên doanh)(?!\w)"
                          r"(?! (?:đầu tư|fdi|của|tại|ở|mới)(?!\w)))")
_PLURAL_BEFORE_RE = re.compile(r"(?:\d|các|những|số|tổng|mỗi|bình quân|trung bình|nhiều)\s+(?:\w+\s+)?$")


def _single_project(f: Facts, fr: Frame, pos: int, end: int) -> tuple[str, str] | None:
    """The money of one project ("Dự án điện gió ... có tổng mức 1,5 tỷ USD", "rót ... cho nhà máy") is not
    the registered capital of all projects: the nearest project noun before the figure, singular, or the one
    the money goes into right after it ("... 2,7 tỷ USD vào dự án chăn nuôi")."""
    a, b = f.window(pos)
    into = _INTO_ONE_RE.match(f.m, end, b)     # "rót hơn 2,7 tỷ USD vào dự án chăn nuôi bò sữa"
    if into is not None:
        return ("project:single", f.s[into.start(1):into.end(1)])
    mt = None
    for mt in _SINGLE_RE.finditer(f.m, a, pos):
        pass
    if mt is None or _PLURAL_BEFORE_RE.search(f.m, max(0, mt.start() - 20), mt.start()):
        return None
    if f.scope.within(a, pos, {"new_in_period"}):
        return None
    if re.search(r"(?<!\w)(?:tổng vốn|vốn đăng ký|vốn đầu tư)(?!\w)", f.m[mt.end():pos]):
        return None
    return ("project:single", f.s[mt.start():mt.end()])


def _cumulative(f: Facts, pos: int, end: int, win: tuple[int, int]) -> bool:
    pa, _ = f.part(pos)
    if f.scope.within(pa, pos, {"cumulative"}) or f.scope.within(end, min(win[1], end + 40), {"cumulative"}):
        return True
    return bool(_RAISE_RE.search(f.m, win[0], pos))


def _region(f: Facts, pos: int, end: int, win: tuple[int, int]) -> tuple[str, str] | None:
    """A place in Russia named as where the figure is (before it in its window or part, or after it in its
    clause as a location), unless its own clause names the whole country."""
    a, b = win
    pa, _ = f.part(pos)
    clause = f.clause(pos)
    if any(f.role(h) in ("dest", "subject", "partner") for h in f.places.within(clause[0], clause[1], {"russia"})
           if not (h.start >= end and f.role(h) == "subject")):
        return None
    cands = [h for h in f.places.within(pa, pos, {"russia_regions"}) if f.role(h) != "context"]
    cands += [h for h in f.places.within(end, b, {"russia_regions"}) if f.role(h) == "dest"]
    for h in cands:
        if _after_composition(f, h, pa):
            continue
        name = f.s[h.start:h.end]
        return (f"region:{name}", name)
    return None


def _institution(f: Facts, pos: int) -> tuple[str, str] | None:
    for h in f.scope.within(0, len(f.m), {"institution"}):
        mt = _NAME_AFTER_RE.match(f.s, h.end)
        if mt and f.s[h.start].isupper():      # a named institution, not "các trường đại học"
            name = (f.s[h.start:h.end] + " " + mt.group(1)).strip()
            return (f"institution:{name}", name)
    return None
