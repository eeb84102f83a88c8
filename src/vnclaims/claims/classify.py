"""A quantity's frame (frames.py, scope.py) and the metric whose frame it fills (metrics.toml)."""
from __future__ import annotations

import re

from .frames import (MONEY_TOPICS, TRADE, Facts, Frame, investment_direction, partner, person_population, topic,
                     trade_direction)
from .metrics import Metric, Registry
from .numbers import Quantity
from .scope import scope_for

# a bare number takes the measure of the noun it counts: "số đồng hương ... khoảng 50.000", "con số này"
_HEAD_NOUN_RE = re.compile(r"(?<!\w)(?:tổng số|số lượng|số|con số|lượng|quy mô)\s+")
_CHANGE_BEFORE_RE = re.compile(r"(?<!\w)(?:tăng trưởng|tăng|giảm|sụt giảm|suy giảm|sụt|phục hồi|đi xuống)(?!\w)"
                               r"[^,;]{0,50}$")
# a share verb governs the percentage of its own clause ("chiếm 1%"); a share noun heads the whole sentence
# part ("Tỷ trọng ... đã tăng từ 8% lên 15%": shares, not growth)
_PERCENT_IS_SHARE_RE = re.compile(r"(?<!\w)(?:chiếm|bằng|tương đương|lãi suất|thuế)(?!\w)")
_SHARE_NOUN_RE = re.compile(r"(?<!\w)(?:tỷ trọng|thị phần|tỷ lệ|cơ cấu)(?!\w)")
_ANAPHOR_RE = re.compile(r"(?<!\w)(?:con số này|con số đó|số này|con số)(?!\w)")
# a money amount per a unit of goods is a price: "600 USD/tấn", "85 USD một thùng", "2 USD mỗi kg"
_PER_UNIT_RE = re.compile(r"\s*(?:/\s*|(?:một|mỗi|trên|cho một)\s+)(?!năm|tháng|quý|ngày)[^\W\d]")
_BARE_MIN = 100               # a bare number under this is no population ("5 năm sau", "trang 45")
_CURRENCIES = {"RUB", "EUR", "VND"}


def measure_of(f: Facts, q: Quantity, unit: str | None, prev: Frame | None) -> tuple[str | None, str, float]:
    """(measure, evidence, confidence): the unit after the number, or the noun a bare number counts
    ("số đồng hương ... khoảng 50.000"; "con số này" is the measure of the figure before it)."""
    if unit:
        return unit, q.unit_text or unit, 1.0
    if q.low is None or q.low < _BARE_MIN:
        return None, "", 0.0
    a, _ = f.window(q.numeral_start)
    pa, _ = f.part(q.numeral_start)
    ana = _ANAPHOR_RE.search(f.m, a, q.start)
    if ana and prev is not None and prev.population:
        return prev.measure, f.s[ana.start():ana.end()], 0.85
    for lo, conf in ((a, 0.9), (pa, 0.8)):
        heads = [mt for mt in _HEAD_NOUN_RE.finditer(f.m, lo, q.start)]
        for mt in reversed(heads):
            for h in f.pop.within(mt.end(), min(q.start, mt.end() + 30)):
                if h.cls in ("community", "students", "scholarships"):
                    return ({"community": "person", "students": "student", "scholarships": "scholarship"}[h.cls],
                            f.s[mt.start():h.end], conf)
                if h.word in ("dự án",):
                    return "project", f.s[mt.start():h.end], conf
                if h.cls == "agreements":
                    return "document", f.s[mt.start():h.end], conf
        # a population named as the clause's subject: "Người Việt ở xứ bạch dương ... có trên dưới 100.000"
        subj = f.pop.within(lo, q.start, {"community", "students"})
        if subj and q.low >= 1000:
            return ("student" if subj[0].cls == "students" else "person"), f.s[subj[0].start:subj[0].end], conf * 0.9
    return None, "", 0.0


def build_frame(f: Facts, q: Quantity, unit: str | None, prev: Frame | None) -> Frame | None:
    measure, ev, conf = measure_of(f, q, unit, prev)
    prev_dir = prev.direction if prev is not None and prev.population == "investment" else None
    if measure is None:
        return None
    fr = Frame(measure=measure)
    fr.note("measure", ev, conf)
    pos, end = q.numeral_start, q.end
    win = f.window(pos)
    fr.window = f.m[win[0]:win[1]]
    if measure in _CURRENCIES:
        fr.veto = f"amount in {measure}, not USD"
        return fr
    change = False
    if measure in ("person", "student"):
        person_population(f, fr, pos, end, win, q.unit_text)
        if fr.population == "students" and not _vietnamese_students(f, pos, end, win):
            fr.veto = "students of another nationality"
    elif measure in ("scholarship", "slot"):
        if measure == "slot" and not f.pop.within(0, len(f.m), {"scholarships"}):
            fr.veto = "places of something other than scholarships"
            return fr
        fr.measure = "scholarship"
        fr.population = "scholarships"
    elif measure == "USD":
        per = _PER_UNIT_RE.match(f.m, end)
        if per:                  # "600 USD/tấn", "85 USD một thùng": a price, not a value of trade
            fr.veto = f"a price per unit: {f.s[per.start():per.end()].strip()}"
            return fr
        h = topic(f, fr, pos, end, win, MONEY_TOPICS)
        fr.population = None if h is None else ("trade" if h.cls in TRADE else h.cls)
        if fr.population == "other_money":
            fr.veto = f"not trade or investment: {h.word}"
    elif measure == "project":
        fr.population = "investment"
    elif measure == "document":
        fr.population = "agreements" if re.search(r"(?<!\w)ký(?!\w)", f.m) else None
    elif measure == "pair":
        h = topic(f, fr, pos, end, win, frozenset({"partnerships"}))
        fr.population = "partnerships" if h else None
    elif measure == "percent":
        lb = max(win[0], pos - 80)
        ch = _CHANGE_BEFORE_RE.search(f.m, lb, pos)
        own = max(f.clause(pos)[0], f.part(pos)[0])
        if ch is None or _PERCENT_IS_SHARE_RE.search(f.m, min(own, ch.start()), pos) \
                or _SHARE_NOUN_RE.search(f.m, f.part(pos)[0], pos):
            fr.veto = "a share or level, not a change"
            return fr
        change = True
        h = topic(f, fr, pos, end, win, MONEY_TOPICS | {"volume"})
        fr.population = "trade" if h is not None and h.cls in TRADE else None
    if fr.population is None or fr.veto:
        return fr
    partner(f, fr, pos, end, win, person=fr.population in ("community", "students"), anchor=fr.anchor)
    if fr.population == "trade":
        trade_direction(f, fr, pos, end, win)
    elif fr.population == "investment":
        investment_direction(f, fr, pos, end, win, prev_dir)
    scope_for(f, fr, pos, end, win, change)
    return fr


def _vietnamese_students(f: Facts, pos: int, end: int, win: tuple[int, int]) -> bool:
    """Students counted are Vietnamese: "Việt Nam"/"Việt" in their noun phrase or clause (or a Vietnamese
    subject), not "sinh viên quốc tế"."""
    a, b = f.clause(pos)
    nat = f.places.first_after(end, min(len(f.m), end + 30), {"russia", "ussr", "other", "vietnam"})
    if nat is not None and not f.m[end:nat.start].strip():
        return nat.cls == "vietnam"             # "50 sinh viên Nga": the nationality right after the noun
    reach = min(f.part(pos)[1], b + 40)           # "6.000 lưu học sinh, nghiên cứu sinh Việt Nam"
    vn = f.places.within(win[0], reach, {"vietnam"})
    if not vn:
        vn = [h for h in f.pop.within(win[0], reach, {"community"})]
    abroad = f.pop.within(win[0], reach, {"students"})      # "du học": studying abroad, from Vietnam
    return (bool(vn) or any(h.word == "du học" for h in abroad)) \
        and not re.search(r"(?<!\w)(?:quốc tế|nước ngoài)(?!\w)", f.m[a:b])


def _cue_metric(registry: Registry, fr: Frame) -> Metric | None:
    """A metric written the older way (``units`` + ``cues``, no ``population``): its unit and one of its cues
    in the number's window. Kept so that a user's registry of that form still works."""
    for met in registry.metrics:
        if met.kind != "event" and met.population is None and met.cues and fr.measure in met.units \
                and any(c.search(fr.window) for c in met.cues):
            fr.note("population", f"cue of {met.name}", 0.8)
            return met
    return None


def choose_metric(registry: Registry, fr: Frame, target: bool, target_pairs: frozenset) -> Metric | None:
    """The metric whose frame the number's frame fills: same measure, population and direction; a figure
    about another country (or the USSR, for today's stocks) is no metric's."""
    if fr.veto or fr.place in ("other", "ussr"):
        return None
    if fr.population is None:
        return _cue_metric(registry, fr)
    best = None
    for met in registry.metrics:
        if met.kind == "event" or met.population != fr.population or fr.measure not in met.units:
            continue
        if met.direction and met.direction != fr.direction:
            continue
        if bool(met.target_of) != target and met.name in target_pairs:
            continue
        if met.scope and not (fr.scope or "").startswith(met.scope):
            continue
        if best is None or (met.scope and not best.scope):
            best = met
    return best
