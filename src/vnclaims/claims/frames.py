"""Claim frames: what a number counts, about whom, in which direction and scope, from the words around it.

Every field is decided by a general rule over word classes (lexicon.py, listed in metrics.toml) and their
position relative to the number, clause by clause, and records the words that decided it (evidence):

  * the number's *window* is its clause, extended to the clauses before it that it continues (a clause
    opening with "đạt", "với", "trị giá", "tăng", ... has the subject of the one before it), and to a
    topic clause opening the sentence part ("Riêng mặt hàng phân bón, ...", "Tại Kazan, ...");
  * a sentence *part* ends at ";" and at contrast words ("trong khi", "còn", "thì", "nhưng", "khi"):
    "Nga có 120 dự án tại Việt Nam, trong khi doanh nghiệp Việt Nam có 25 dự án ở Nga" has two parts;
  * a field is read nearest to the number: in its window (before it first), then in its part, then
    earlier in the sentence, then (the partner country only) from the document's last named country.

The confidence is the product of one factor per field: 1.0 when the deciding words are in the number's
window, lower when they come from farther away.
"""
from __future__ import annotations

import re
from typing import Callable
from dataclasses import dataclass, field

from ..text.textnorm import hoist_lookbehinds, word_alternation
from .lexicon import Hit, Hits

# (every branch opens with a character, its look-behind after it: "\s(?<=\d\s)" for "(?<=\d)\s", the words through
# word_alternation; a branch that opens with a look-behind makes the engine try the pattern at every position)
_FRAME_CLAUSE_RE = re.compile(r",\s|;\s|\(|\)|:\s|\s(?<=\d\s)[-–]\s|\s\|\s|\[\d+\]")
_PART_RE = re.compile(r";\s|" + word_alternation([
    "trong khi", "thì", "nhưng", "song(?! phương| song)", "khi", "chiều ngược lại", "ở chiều ngược lại",
    "theo chiều ngược lại"]) + r"(?!\w)|" + hoist_lookbehinds(
    r"(?<!\w)còn(?!\w)(?! (?:hiệu lực|lại|nữa|chỉ|khoảng|hơn|gần|thấp|cao|khiêm tốn|hạn chế|ít|nhỏ|khá|rất|"
    r"ở mức|chưa|nhiều|lớn|yếu|chậm|kém|đang|tiếp tục|duy trì)(?!\w))"))
_SAME_SUBJECT_PART_RE = re.compile(r"(?<!\w)(?:nhưng|song)\s*$")
# a clause that opens with one of these continues the clause before it (same subject)
_CONTINUES_RE = re.compile(r"\s*(?:và\s+)?(?:đạt|với|trị giá|tương đương|tức|tăng|giảm|ước đạt|ước tính|ước|lên|"
                           r"chiếm|nâng|đưa|vào khoảng|khoảng|chỉ|riêng|trong đó|cao|thấp|sụt|gấp|vượt|là)(?!\w)")
# a clause that opens the part and names a topic for what follows
_TOPIC_OPEN_RE = re.compile(r"\s*(?:riêng|tại|ở|đối với|về|với|trong|ngoài|không kể|không tính|trừ|lĩnh vực|ngành|"
                            r"mặt hàng|nếu không kể)(?!\w)")
_FLIP_RE = re.compile(r"(?<!\w)(?:chiều ngược lại|ngược lại)(?!\w)")

# the role of a place by the words right before it
# a place noun with "của" names where people or money are ("các khu chợ lớn của Moskva", "các tỉnh của Nga")
_DEST_BEFORE_RE = re.compile(r"(?<!\w)(?:tại|vào|ở|sang|đến|tới|khắp|trên lãnh thổ|trên toàn|toàn|trong|của các|"
                             r"thu hút|tiếp nhận|(?:chợ|khu|phố|vùng|tỉnh|thành phố|địa phương|địa bàn|trung tâm|"
                             r"trường|cơ sở)(?:\s+[^\W\d]+){0,2}?\s+của)(?:\s+(?:nước|lãnh thổ|thủ đô|thành phố|"
                             r"vùng|tỉnh|khu vực|các|lb\.?|liên bang|hơn|khoảng|gần|\d+))*\s+$")
_ORIGIN_BEFORE_RE = re.compile(r"(?<!\w)(?:của|từ|nhà đầu tư|doanh nghiệp|công ty|tập đoàn|phía|vốn|hàng|dòng vốn|"
                               r"các nhà đầu tư|các doanh nghiệp|đối tác|cho nhà đầu tư|cho doanh nghiệp)"
                               r"(?:\s+(?:các|nước|lb\.?|liên bang))*\s+$")
_FROM_BEFORE_RE = re.compile(r"(?<!\w)từ\s+(?:\w+\s+)?$")
_PARTNER_BEFORE_RE = re.compile(r"(?<!\w)(?:với|và|giữa|–|-)\s+(?:các\s+)?(?:nước\s+)?$")
_CONTEXT_BEFORE_RE = re.compile(r"(?<!\w)(?:trong|trong khối|thuộc|trong số)\s+$")
_PERSON_NOUN_AFTER = 30       # characters after a number read as its noun phrase ("người gốc Việt")

TRADE = frozenset({"trade", "trade_exports", "trade_imports"})
MONEY_TOPICS = TRADE | {"investment", "other_money"}
PERSON_TOPICS = frozenset({"community", "students"})
PLACES = frozenset({"russia", "ussr", "vietnam", "russia_regions", "blocs", "other"})


@dataclass
class Frame:
    measure: str
    population: str | None = None
    place: str | None = None           # ru | other | None (unknown)
    direction: str | None = None
    scope: str | None = None
    cumulative: bool = False           # "lũy kế", "nâng tổng số ... lên": a running total
    evidence: dict[str, str] = field(default_factory=dict)
    confidence: float = 1.0
    veto: str | None = None            # why the number is no claim of a metric (share, attendance, ...)
    anchor: int | None = None          # where the words that named the population start (before the number)
    window: str = ""                   # the words of the number's window (for metrics still written as cues)

    def note(self, key: str, words: str, conf: float = 1.0) -> None:
        self.evidence[key] = words
        self.confidence *= conf

    def evidence_text(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.evidence.items())


def _bounds(rx: re.Pattern, m: str, a: int = 0, b: int | None = None) -> list[tuple[int, int]]:
    b = len(m) if b is None else b
    out, start = [], a
    for mt in rx.finditer(m, a, b):
        out.append((start, mt.start()))
        start = mt.end()
    out.append((start, b))
    return [(x, y) for x, y in out if y > x]


class Facts:
    """The class words, places, clauses and parts of one sentence (computed once, on its first number)."""

    pop: Hits           # the sentence's population words, scanned on first use (see __getattr__)
    scope: Hits         # ... its scope words
    places: Hits        # ... its place words and capitalised country names, overlaps dropped

    def __init__(self, m: str, s: str, registry, carry: str | None,
                 scans: dict[str, Hits] | Callable[[str], Hits] | None = None,
                 capitalised: list[Hit] | None = None, read_carry: Callable[[], str | None] | None = None):
        """``scans``: each section's hits (or a function of the section that scans it), else the registry's
        lexicon scans ``m``."""
        self.m, self.s = m, s
        if scans is None:
            self._scan = lambda sec: registry.lexicon.scan(sec, m)
        else:
            self._scan = scans.__getitem__ if isinstance(scans, dict) else scans
        self._capitalised = capitalised
        self._roles: dict[int, str] = {}        # a place's start -> its role (see role)
        self.clauses = _bounds(_FRAME_CLAUSE_RE, m)
        self.parts = _bounds(_PART_RE, m)
        self._carry = carry         # the last country the document named before this sentence
        self._read_carry = read_carry   # or, when given, what it returns (looked up when read)

    def __getattr__(self, name: str):
        # the word classes, scanned when first read (a fifth of the frames never read one of them); called only
        # while the attribute is missing, so every later read is a plain one
        if name == "pop":
            got = self.pop = self._scan("population")
        elif name == "scope":
            got = self.scope = self._scan("scope")
        elif name == "places":
            places = [h for h in self._scan("places").hits if h.cls != "neutral"]
            places += capitalised_countries(self.s) if self._capitalised is None else self._capitalised
            places.sort(key=lambda h: h.start)
            got = self.places = Hits(_drop_overlaps(places))
        else:
            raise AttributeError(name)
        return got

    @property
    def carry(self) -> str | None:
        """The last country the document named before this sentence: ``read_carry()`` when given (it looks the
        country up and notes that it was read: the sentence memo keeps the claims of a sentence that never reads
        it for any country), else ``carry``."""
        if self._read_carry is not None:
            return self._read_carry()
        return self._carry

    def clause(self, pos: int) -> tuple[int, int]:
        for a, b in self.clauses:
            if a <= pos < b:
                return a, b
        return pos, pos + 1

    def part(self, pos: int) -> tuple[int, int]:
        for a, b in self.parts:
            if a <= pos < b:
                return a, b
        return 0, len(self.m)

    def window(self, pos: int) -> tuple[int, int]:
        """The number's clause, extended back over the clauses it continues, and to a topic clause that
        opens its part."""
        a, b = self.clause(pos)
        pa, _ = self.part(pos)
        if a <= pa and pa > 0 and _CONTINUES_RE.match(self.m, pa) and _SAME_SUBJECT_PART_RE.search(self.m, 0, pa):
            pa = self.part(max(0, pa - 8))[0]     # "Cà phê chỉ chiếm 7% ... nhưng tăng tới 45%": one subject
        while a > pa and _CONTINUES_RE.match(self.m, a):
            prev = self.clause(max(pa, a - 3))
            if prev[0] >= a:
                break
            a = prev[0]
        first = self.clause(pa)
        if first[0] < a and first[1] >= a - 25 and _TOPIC_OPEN_RE.match(self.m, first[0]):
            a = first[0]
        return max(a, pa), b

    def role(self, h: Hit) -> str:
        """What the words before a place make of it (context, dest, origin, partner, subject); a frame asks
        for the same places again and again, so each start's role is worked out once."""
        got = self._roles.get(h.start)
        if got is None:
            got = self._roles[h.start] = _role(self.m[max(0, h.start - 40):h.start])
        return got


_AMBIGUOUS = ("Đức", "Pháp", "Anh", "Ý", "Nhật", "Mỹ", "Séc", "Lào", "Hàn", "Trung")
# each name's look-behind written after its first letter (textnorm.hoist_lookbehinds): the engine skips to
# those letters instead of trying every position (3.5x faster, the same matches)
_AMBIG_RE = re.compile("(" + "|".join(hoist_lookbehinds(r"(?<![\w.])" + a) for a in _AMBIGUOUS) + r")(?!\w)")
_NAME_BEFORE_RE = re.compile(r"(?<![\w])(?!(?:Tại|Ở|Với|Sang|Từ|Của|Và|Cả|Như|Theo|Còn|Riêng|Phía|Nước|Ngoài|Trong|"
                             r"Đến|Tới|Cùng|Giữa)\s)[A-ZĐÀ-Ỹ][\wà-ỹ]*\s+$")


def _role(before: str) -> str:
    if _CONTEXT_BEFORE_RE.search(before):
        return "context"
    if _DEST_BEFORE_RE.search(before):
        return "dest"
    if _ORIGIN_BEFORE_RE.search(before):
        return "origin"
    if _PARTNER_BEFORE_RE.search(before):
        return "partner"
    return "subject"


def capitalised_countries(s: str) -> list[Hit]:
    """Short country names that are also words or given names ("Đức", "Pháp", "Anh"), when capitalised and
    not part of a person's name (no capitalised word right before them, not at the start of a sentence)."""
    out = []
    for mt in _AMBIG_RE.finditer(s):
        if _NAME_BEFORE_RE.search(s, max(0, mt.start() - 20), mt.start()):
            continue
        if mt.start() == 0 and mt.group(1) == "Anh":       # "Anh ấy": a pronoun opens many sentences
            continue
        if mt.group(1) in ("Hàn", "Trung") and not s.startswith((" Quốc",), mt.end()):
            continue
        out.append(Hit(mt.start(), mt.end(), "other", mt.group(1).lower()))
    return out


def _drop_overlaps(hits: list[Hit]) -> list[Hit]:
    out: list[Hit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            if h.end - h.start > out[-1].end - out[-1].start:
                out[-1] = h
            continue
        out.append(h)
    return out


def _country(h: Hit) -> str | None:
    if h.cls in ("russia", "russia_regions"):
        return "ru"
    if h.cls == "ussr":
        return "ussr"
    if h.cls == "vietnam":
        return "vn"
    return "other"


# ------------------------------------------------------------------ the partner country
def partner(f: Facts, fr: Frame, pos: int, end: int, win: tuple[int, int], person: bool,
            anchor: int | None = None) -> None:
    """Whose figure: the nearest country named before the number in its window (after it if none), then in
    its part, then earlier in the sentence, then the document's last named country. For a population the
    place is where it lives ("tại Nga"), not where it comes from ("từ Nga"); a bloc or country named as
    context ("trong khối EAEU") decides nothing."""
    def usable(h: Hit) -> bool:
        role = f.role(h)
        if role == "context":
            return False
        if person and role == "origin" and _FROM_BEFORE_RE.search(f.m, max(0, h.start - 12), h.start):
            return False
        return h.cls != "vietnam"

    pa, pb = f.part(pos)
    own = f.places.first_after(end, min(win[1], end + 20), {"blocs", "other"})
    if own is not None and re.match(r"\s*(?:của|trong)\s", f.m[end:own.start] + " "):
        fr.place = "other"        # "mức tăng chung 19% của cả nước": the figure of another whole
        fr.note("place", f.s[own.start:own.end])
        return
    # a country far before the words that name the figure belongs to another noun phrase ("ký Hiệp định ...
    # với Liên minh Kinh tế Á – Âu ... nhằm đưa kim ngạch song phương lên 10 tỷ USD")
    near = win[0] if anchor is None else max(win[0], anchor - 40)
    tiers = ((near, pos, True, 1.0), (end, win[1], False, 0.95), (win[0], near, True, 0.9), (pa, win[0], True, 0.9),
             (win[1], pb, False, 0.85), (0, pa, True, 0.8))
    for k, (a, b, backwards, conf) in enumerate(tiers):
        # a bloc decides only next to the words that name the figure ("thương mại giữa Việt Nam và EAEU đạt")
        hits = [h for h in f.places.within(a, b, PLACES)
                if usable(h) and (k < 2 or h.cls != "blocs" or (person and f.role(h) == "dest"))]
        if hits:
            h = hits[-1] if backwards else hits[0]
            c = _country(h)
            fr.place = "ru" if c == "ru" or (c == "ussr" and not person) else ("ussr" if c == "ussr" else "other")
            fr.note("place", f.s[h.start:h.end], conf)
            return
    if f.carry:
        fr.place = f.carry
        fr.note("place", f"(document: {f.carry})", 0.85)
    else:
        fr.note("place", "(none named)", 0.8)


# ------------------------------------------------------------------ population / topic
def topic(f: Facts, fr: Frame, pos: int, end: int, win: tuple[int, int], classes: frozenset) -> Hit | None:
    """The nearest word of ``classes`` before the number in its window, else after it in the window, else
    earlier in its part, else earlier in the sentence."""
    pa, pb = f.part(pos)
    wanted = classes | {"neutral"}
    for a, b, backwards, conf in ((win[0], pos, True, 1.0), (end, win[1], False, 0.95), (pa, win[0], True, 0.85),
                                  (win[1], pb, False, 0.8), (0, pa, True, 0.7)):
        hits = f.pop.within(a, b, wanted)
        hits = [h for h in hits if h.cls != "neutral"]
        if hits:
            h = hits[-1] if backwards else hits[0]
            fr.note("population", f.s[h.start:h.end], conf)
            if h.start < pos:
                fr.anchor = h.start
            return h
    return None


def person_population(f: Facts, fr: Frame, pos: int, end: int, win: tuple[int, int], unit_text: str) -> None:
    """A count of people: the noun phrase after the number first ("80 nghìn người gốc Việt", "chừng 1.000 là
    sinh viên"), then the nearest community or student word; an event, a training or a journey vetoes it."""
    m = f.m
    if fr.measure == "student":
        fr.population = "students"
        fr.note("population", unit_text or "sinh viên")
    else:
        np_end = min(win[1], end + _PERSON_NOUN_AFTER)
        after = [h for h in f.pop.within(pos, np_end, PERSON_TOPICS | {"not_population", "neutral"})]
        h = after[0] if after and after[0].cls != "neutral" else None
        if h is None or h.cls == "not_population":
            h = topic(f, fr, pos, end, win, PERSON_TOPICS) if h is None else h
        else:
            fr.note("population", f.s[h.start:h.end])
        if h is None:
            fr.veto = "no population named"
            return
        fr.population = h.cls if h.cls in PERSON_TOPICS else None
    bad = f.pop.within(win[0], win[1], {"not_population"})
    if bad:
        fr.veto = f"not a population: {f.s[bad[0].start:bad[0].end]}"
    if fr.population == "community" and _is_students_noun(m, end, win[1]):
        fr.population = "students"


def _is_students_noun(m: str, end: int, b: int) -> bool:
    return bool(re.match(r"\s*(?:là|đang là)\s+(?:sinh viên|lưu học sinh|du học sinh)", m[end:b]))


# ------------------------------------------------------------------ direction
_EXPORT_CUES = frozenset({"trade_exports"})
_IMPORT_CUES = frozenset({"trade_imports"})
_FLOW_PREP_RE = re.compile(r"\s*(?:\w+\s+){0,3}?(của|sang|từ|vào|tới|đến|cho)\s+(?:thị trường\s+|các\s+)?")
_SUBJECT_GAP_RE = re.compile(r"^\s*(?:đã|sẽ|đang|còn|cũng|vẫn|chỉ)?\s*$")


def trade_direction(f: Facts, fr: Frame, pos: int, end: int, win: tuple[int, int]) -> None:
    """two_way, vn_to_ru (Vietnamese exports) or ru_to_vn (imports): the nearest export or import word in the
    window (before the number first), read from Vietnam's side unless Russia is its subject ("Nga xuất
    khẩu sang Việt Nam", "Phía Nga nhập khẩu từ Việt Nam")."""
    cue = None
    pa = f.part(pos)[0]
    # the window first; then earlier in the sentence part, where the flow word may head a list the figure
    # closes ("Việt Nam nhập từ Nga than, phân bón và lúa mì, với tổng trị giá 1,6 tỷ USD")
    for a, b, backwards in ((win[0], pos, True), (end, win[1], False), (pa, win[0], True)):
        hits = f.pop.within(a, b, TRADE)
        if not hits:
            continue
        near = hits[-1] if backwards else hits[0]
        if near.cls != "trade":
            cue = near
        elif near.word == "kim ngạch":       # bare "kim ngạch" is any trade value: a flow word nearby decides
            directional = [h for h in f.pop.within(win[0], win[1], TRADE) if h.cls != "trade"]
            cue = directional[-1] if directional else None
        break
    if cue is None:
        fr.direction = "two_way"
        return
    export = cue.cls == "trade_exports"
    flip = False
    after = f.places.first_after(cue.end, min(len(f.m), cue.end + 30), {"russia", "vietnam"})
    prep = _FLOW_PREP_RE.fullmatch(f.m, cue.end, after.start) if after is not None else None
    if prep is not None:
        # the country after the flow word is its owner ("xuất khẩu của Nga"), its source ("nhập từ Nga",
        # "xuất khẩu từ Việt Nam") or its destination ("xuất sang Nga"): Russia's side when Russia is the owner
        # or the exporter, or Vietnam the destination
        word, ru = prep.group(1), after.cls == "russia"
        if word == "của":
            flip = ru
        elif word == "từ":
            flip = ru if export else not ru
        else:
            flip = not ru
    else:
        subj = f.places.last_before(max(min(win[0], cue.start), pa, cue.start - 25), cue.start, {"russia", "vietnam"})
        if subj is not None and _SUBJECT_GAP_RE.match(f.m[subj.end:cue.start]) and subj.cls == "russia":
            flip = True
    fr.direction = "vn_to_ru" if export != flip else "ru_to_vn"
    fr.note("direction", f.s[cue.start:cue.end] + (" (Russia's side)" if flip else ""))


def investment_direction(f: Facts, fr: Frame, pos: int, end: int, win: tuple[int, int], prev: str | None) -> None:
    """ru_in_vn or vn_in_ru from the nearest country with a role: a destination ("tại/vào/sang Nga") or an
    origin ("của/từ Nga", "nhà đầu tư Nga", "vốn Việt Nam"), else the subject ("Nga có 120 dự án");
    "chiều ngược lại" turns the previous direction of the sentence around."""
    pa, pb = f.part(pos)
    flip = bool(_FLIP_RE.search(f.m, max(0, pa - 30), pos)) and prev is not None
    for a, b, backwards, conf in ((win[0], win[1], True, 1.0), (pa, win[0], True, 0.9),
                                  (win[1], pb, False, 0.85), (0, pa, True, 0.75)):
        if flip and a < pa:
            fr.direction = "vn_in_ru" if prev == "ru_in_vn" else "ru_in_vn"
            fr.note("direction", "chiều ngược lại", 0.9)
            return
        hits = f.places.within(a, b, {"russia", "ussr", "vietnam"})
        ranked = []
        for h in hits:
            role = f.role(h)
            if role in ("dest", "origin"):
                ranked.append((2, h, role))
            elif role == "subject":
                ranked.append((1, h, "origin"))
        if not ranked:
            continue
        best = max(ranked, key=lambda x: (x[0], -abs(x[1].start - pos) if a == win[0] else
                                          (x[1].start if backwards else -x[1].start)))
        _, h, role = best
        vn = h.cls == "vietnam"
        fr.direction = ("ru_in_vn" if vn else "vn_in_ru") if role == "dest" else ("vn_in_ru" if vn else "ru_in_vn")
        fr.note("direction", f.s[max(0, h.start - 12):h.end].strip(), conf)
        return


# ------------------------------------------------------------------ milestones: whose event, whose date
_BOUND_GAP_RE = re.compile(r"\s*(?:\(\s*|(?:vào\s+)?(?:năm|ngày|tháng)\s+)?")


def date_partner(f: Facts, d_start: int) -> str | None:
    """The country a date is written after ("Liên Xô (30/1/1950)", "với Nga năm 2012"): ru, other or None."""
    h = f.places.last_before(max(0, d_start - 30), d_start, PLACES)
    if h is None or not _BOUND_GAP_RE.fullmatch(f.m, h.end, d_start):
        return None
    c = _country(h)
    return None if c == "vn" else ("ru" if c in ("ru", "ussr") else "other")


def event_partner(f: Facts, pos: int) -> str | None:
    """The other party of an event: the country (not Vietnam) named in the cue's clause nearest to it, else
    the nearest one before it in the sentence: ru, other or None."""
    a, b = f.clause(pos)
    cands = [h for h in f.places.within(a, b, PLACES) if h.cls != "vietnam" and f.role(h) != "context"]
    if not cands:
        cands = [h for h in f.places.within(0, pos, PLACES) if h.cls != "vietnam"][-1:]
    if not cands:
        return None
    h = min(cands, key=lambda h: abs(h.start - pos))
    return "ru" if _country(h) in ("ru", "ussr") else "other"


def event_counterpart(f: Facts, pos: int, d_start: int) -> str | None:
    """"ussr" when the other party of a milestone is the Soviet Union (the date written after "Liên Xô", or
    Liên Xô the nearest country to the event's words), else None (Russia): a treaty with the USSR (1978) and
    one with Russia (1994) are different events, never compared."""
    h = f.places.last_before(max(0, d_start - 30), d_start, PLACES)
    if h is not None and _BOUND_GAP_RE.fullmatch(f.m, h.end, d_start):
        return "ussr" if h.cls == "ussr" else None
    a, b = f.clause(pos)
    cands = [h for h in f.places.within(a, b, PLACES) if h.cls != "vietnam"]
    if not cands:
        return None
    return "ussr" if min(cands, key=lambda h: abs(h.start - pos)).cls == "ussr" else None
