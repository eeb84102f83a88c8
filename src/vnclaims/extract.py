"""Claim extraction: every quantitative statement of a cleaned document as a Wikidata-like claim
(value or range, unit, qualifier, period, reference = document + sentence offsets).

Pure library code: ``extract_document(...)`` takes the cleaned body and its sentence spans and
returns :class:`Claim` rows; the metric registry is a data file (``data/metrics.toml``).

Conventions (tested in tests/unit/test_extract_phrases.py):
  * qualifiers: khoảng/xấp xỉ/chừng/ước tính/trên dưới -> approx; hơn/trên/vượt/trở lên -> over
    (value_high NULL); gần/dưới/chưa đầy -> under (value_low NULL); a bare range -> range; a target
    ("phấn đấu", "mục tiêu", "đưa/nâng ... lên ... vào năm 2025" with intent) -> target.
  * a decrease is a negative change: "giảm 3,5%" -> -3.5, and its bound flips ("giảm hơn 10%" ->
    under, value_high -10); an absolute change or an increment ("tăng 500 triệu USD", "có thêm 5 dự
    án", "12 dự án mới") is kept unclassified, never as the level metric.
  * the period is a year/range/month/part of a year in the figure's clause (after it for targets),
    else a relative year there ("năm ngoái", resolved against as_of), else the nearest earlier one in
    the sentence; "so với (cùng kỳ) năm X" is a comparison base, never the period.
  * a figure whose clause is about another country pair (registry ``other_countries``) stays unclassified.
  * milestones need an event verb governing the cue ("thiết lập quan hệ ngoại giao", "ký Tuyên bố
    chung về quan hệ Đối tác chiến lược"); anniversaries ("kỷ niệm 70 năm ...") are derived from the
    nearest explicit reference year (exact) or as_of (a two-year window unless "tròn/đúng").
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .numbers import (_HAS_DIGIT_RE, COUNTABLE, UNIT_LEXICON, DateMention, Quantity, find_dates, find_quantities,
                      find_ranks, unit_code)
from .fingerprint import fingerprint, package_files, stamp
from .textnorm import hoist_lookbehinds, match_form, word_alternation

REGISTRY_PATH = Path(__file__).parent / "data" / "metrics.toml"
QUALIFIERS = ("exact", "approx", "over", "under", "range", "target", "derived")


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    subject: str
    unit: str
    units: tuple[str, ...]
    cues: tuple[re.Pattern, ...]
    requires: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    kind: str
    direction: str | None
    target_of: str | None
    tolerance_rel: float
    tolerance_abs: float
    lead: tuple[re.Pattern, ...] = ()     # must match the clause text right before the number ($-anchored)
    exclude_sentence: tuple[re.Pattern, ...] = ()   # none may occur anywhere in the sentence


@dataclass(frozen=True)
class Registry:
    metrics: tuple[Metric, ...]
    other_countries: tuple[re.Pattern, ...] = ()   # a figure about another country pair stays unclassified

    def by_name(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def rows(self) -> list[dict]:
        return [{"metric": m.name, "label": m.label, "subject": m.subject, "unit": m.unit, "kind": m.kind,
                 "direction": m.direction, "target_of": m.target_of, "tolerance_rel": m.tolerance_rel,
                 "tolerance_abs": m.tolerance_abs} for m in self.metrics]


def load_registry(path: Path | str | None = None) -> Registry:
    path = str(path or REGISTRY_PATH)
    return _load_registry(path, stamp((path,)))


@lru_cache(maxsize=8)
def _load_registry(path: str, _stamp: tuple = ()) -> Registry:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    metrics = []
    for d in data.get("metric", []):
        def rx(key: str) -> tuple[re.Pattern, ...]:
            return tuple(re.compile(p) for p in d.get(key, []))
        metrics.append(Metric(
            name=d["name"], label=d.get("label", d["name"]), subject=d.get("subject", d.get("label", d["name"])),
            unit=d["unit"], units=tuple(d.get("units", [d["unit"]])), cues=rx("cues"), requires=rx("requires"),
            exclude=rx("exclude"), kind=d.get("kind", "stock"), direction=d.get("direction"),
            target_of=d.get("target_of"), tolerance_rel=float(d.get("tolerance_rel", 0.0)),
            tolerance_abs=float(d.get("tolerance_abs", 0.0)), lead=rx("lead"),
            exclude_sentence=rx("exclude_sentence"),
        ))
    names = [m.name for m in metrics]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: duplicate metric names")
    pats = data.get("other_countries", [])
    others = (re.compile("|".join(f"(?:{hoist_lookbehinds(p)})" for p in pats)),) if pats else ()   # one pass
    return Registry(tuple(metrics), others)


# what a document's claims and entity mentions are a function of, besides its body and sentences: the
# rules (these modules) and their data (the metric registry and the gazetteer)
_EXTRACTOR_SOURCES = ("extract.py", "numbers.py", "entities.py", "textnorm.py", "data/entities.toml")


def extractor_version(metrics_file: Path | str | None = None) -> str:
    """A fingerprint of the extractor: the bytes of its rule modules, the gazetteer and the metric registry
    in use. Claims of a document extracted under another version are stale: the pipeline extracts that
    document again, so the same inputs and code always give the same claims, whenever they arrived."""
    return fingerprint((*package_files(*_EXTRACTOR_SOURCES),
                        ("metrics", str(Path(metrics_file or REGISTRY_PATH).resolve()))))


@dataclass
class Claim:
    claim_id: str
    doc_id: str
    source_path: str
    metric: str
    subject: str | None
    value_low: float | None
    value_high: float | None
    unit: str
    qualifier: str
    period: str | None
    period_start: int | None
    period_end: int | None
    date: str | None
    as_of: str | None
    as_of_source: str
    quote: str
    char_start: int
    char_end: int
    value_start: int          # the number inside the body (for highlighting)
    value_end: int
    value_text: str
    sentence_index: int
    method: str               # which rule produced it

    def as_row(self) -> dict:
        return dict(self.__dict__)      # flat dataclass: much faster than asdict()


# ------------------------------------------------------------------ context helpers
# All patterns are compiled once here; per-sentence facts (cue positions, country mentions,
# destinations) are computed once per sentence, so the cost is linear in the text.
_QUAL_WORDS = (r"khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới|hơn|trên|vượt quá|"
               r"vượt mức|vượt|ít nhất|tối thiểu|quá|gần|dưới|chưa đến|chưa tới|không quá|không tới|tối đa|non|"
               r"chưa đầy|từ|lên tới|lên đến|lên mức|lên|tới|đến|đạt|là|có|ở mức|mức|chỉ")
_QUAL_WINDOW = re.compile(rf"((?:(?:{_QUAL_WORDS})\s+)+)$")
_OVER_W = re.compile(r"(?<!\w)(?:hơn|trên|vượt|vượt quá|vượt mức|ít nhất|tối thiểu|quá)\s")
_UNDER_W = re.compile(r"(?<!\w)(?:gần|dưới|chưa đến|chưa tới|không quá|không tới|tối đa|non|chưa đầy)\s")
_APPROX_W = re.compile(r"(?<!\w)(?:khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới)\s")
_AFTER_OVER_RE = re.compile(r"\s*(?:trở lên|có lẻ|có dư)(?!\w)")

# targets: an explicit target word in the clause, or "đưa/nâng ... lên" with an intent marker or a
# target year after the figure ("... lên 10 tỷ USD vào năm 2025"); "nâng tổng số lên 300" alone is a result
_TARGET_RE = re.compile(r"phấn đấu|mục tiêu|kế hoạch|chỉ tiêu|hướng tới|nhắm tới|đặt ra|kỳ vọng|dự kiến(?: sẽ)? đạt|"
                        r"(?:đưa|nâng)\b[^,;]{0,80}\blên")
_TARGET_WORD_RE = re.compile(r"phấn đấu|mục tiêu|kế hoạch|chỉ tiêu|hướng tới|nhắm tới|đặt ra|kỳ vọng|dự kiến(?: sẽ)? đạt")
_RAISE_RE = re.compile(r"(?<!\w)(?:đưa|nâng)(?!\w)[^,;]{0,80}?(?<!\w)lên(?!\w)")
_INTENT_RE = re.compile(r"(?<!\w)(?:sẽ|nhất trí|thống nhất|cam kết|quyết tâm|nỗ lực|cần|dự kiến|đề nghị|mong muốn|"
                        r"hướng tới|nhằm|tiến tới|phấn đấu|mục tiêu|kế hoạch|để)(?!\w)")
_YEAR_AFTER_RE = re.compile(r"[^,;.]{0,30}?(?<!\w)(?:vào|đến|tới|trong|trước)\s+(?:năm\s+)?(\d{4})(?!\d)")
_LEN_BEFORE_RE = re.compile(r"\blên\s+(?:mức\s+)?$")

# changes: "tăng 15%", "giảm 3,5%" (sign), "tăng thêm 500 triệu USD" (an absolute change, a delta)
_CHANGE_FILL = (r"(?:\s+(?:thêm|mạnh|nhẹ|sâu|khoảng|hơn|gần|xấp xỉ|chừng|trên|dưới|ước|ước tính|tương ứng|tương đương|"
                r"gần như|tới|đến|ở mức|mức|là|được|đạt|trung bình|bình quân|chỉ|vượt))*")
_DELTA_FILL = (r"(?:\s+(?:thêm|mạnh|nhẹ|sâu|khoảng|hơn|gần|xấp xỉ|chừng|trên|dưới|ước|ước tính|tương ứng|tương đương|"
               r"gần như|chỉ|vượt))*")
_DECREASE_WORDS = ("giảm", "sụt giảm", "suy giảm", "sụt", "đi xuống")
_CHANGE_RE = re.compile(r"(?<!\w)(tăng trưởng|tăng|sụt giảm|suy giảm|giảm|sụt|đi xuống)(?! cường)" + _CHANGE_FILL + r"\s*$")
_DELTA_RE = re.compile(r"(?<!\w)(tăng|sụt giảm|suy giảm|giảm|sụt)(?! cường| trưởng)" + _DELTA_FILL + r"\s*$")
# an increment is not the level either: "có thêm 5 dự án", "ký thêm 12 văn kiện", "12 dự án đầu tư mới"
_MORE_BEFORE_RE = re.compile(r"(?<!\w)(?:thêm|cấp mới)(?:\s+(?:khoảng|hơn|gần|chừng|trên|dưới|được|tới))*\s*$")
_NEW_AFTER_RE = re.compile(r"\s+(?:đầu tư\s+|fdi\s+)?(?:mới|cấp mới|đăng ký mới)(?!\w)")
# a bare number takes the unit of the counted noun named before it: "tổng số văn kiện ... lên hơn 300"
_COUNT_NOUN_RE = re.compile(r"(?<!\w)(?:tổng số|số lượng|số)\s+(" + "|".join(
    f"(?:{p})" for p, code in UNIT_LEXICON if code in COUNTABLE) + r")(?!\w)")
_LAST_CHANGE_RE = re.compile(r"(?<!\w)(tăng trưởng|tăng|sụt giảm|suy giảm|giảm|sụt)(?! cường)(?!\w)")

_BASE_YEAR_RE = re.compile(r"so với (?:cùng kỳ )?(?:năm )?$")
_FUTURE_RE = re.compile(r"\b(?:sẽ|dự kiến|phấn đấu|mục tiêu|kế hoạch|hướng tới|tầm nhìn|sang năm|đến năm|tới năm|để)\b[^.]{0,80}$")
_FUTURE_YEAR_BEFORE_RE = re.compile(r"\b(?:đến|tới|sang)\s+(?:năm\s+)?$")
_ANNIV_RE = re.compile(r"(kỷ niệm|tròn|đúng|đánh dấu)\s+(\d{1,3})\s+năm")
_ANNIV_STOP_RE = re.compile(r",\s|;|\.\s")
_FOUR_DIGITS_RE = re.compile(r"\d{4}")
_FLOW_STAT_RE = re.compile(r"năm (\d{4})[^.;]{0,40}?\b(?:đạt|là|lên tới|ở mức)\b")
_PART_OF_YEAR_BEFORE_RE = re.compile(r"(?:tháng|tháng đầu|tháng cuối|quý (?:iv|i{1,3}|[1-4])|nửa đầu|nửa cuối|nửa sau)\s+(?:của\s+)?$")
_LOOKBACK = 200
_CLAUSE_SPLIT_RE = re.compile(r",\s|;\s|\(|\)|:\s|\s[-–]\s(?=\D)")

# relative years, resolved against as_of; "những năm tới" (coming years) is no year
_REL_YEAR_RE = re.compile(r"(?<!\w)(năm nay|năm ngoái|năm tới|sang năm)(?!\s*\d)")
_REL_OFFSETS = {"năm nay": 0, "năm ngoái": -1, "năm tới": 1, "sang năm": 1}
_REL_PART_RE = re.compile(r"(?<!\w)(?:(?P<n>\d{1,2}) tháng (?P<edge>đầu |cuối )?|quý (?P<q>iv|i{1,3}|[1-4]) |"
                          r"(?P<half>nửa đầu|nửa cuối|nửa sau) )(?:của )?(?P<rel>năm nay|năm ngoái)(?!\s*\d)")
_REL_NOT_BEFORE_RE = re.compile(r"(?:những|các|nhiều|mấy|so với|so với cùng kỳ)\s+$")
_REL_AFTER_DATE_RE = re.compile(r"\s*(năm ngoái|năm trước|năm nay|năm sau|năm tới)")
_REL_AFTER_OFFSETS = {"năm ngoái": -1, "năm trước": -1, "năm nay": 0, "năm sau": 1, "năm tới": 1}

# milestones: the event verb must govern the cue: within 100 characters before it (or 40 after),
# with nothing between them that makes the cue a mere framework ("ký nhiều thỏa thuận trong khuôn khổ ...")
_EVENT_GAP_STOP_RE = re.compile(r"[,;:]|\d|khuôn khổ|thỏa thuận|văn kiện|hợp đồng|hiệp định|bản ghi nhớ|dự án|"
                                r"chương trình|trên cơ sở|tinh thần|nhằm|phù hợp|nhiều")

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


def _qualifier(m: str, q: Quantity) -> str:
    before = m[max(0, q.start - 40):q.start]
    win = _QUAL_WINDOW.search(before)
    words = (win.group(1) if win else "")
    over = bool(_OVER_W.search(words)) and "trên dưới" not in words
    under = bool(_UNDER_W.search(words)) and "trên dưới" not in words and "gần như" not in words
    approx = bool(_APPROX_W.search(words))
    if _AFTER_OVER_RE.match(m, q.end):
        over = True
    if over:
        return "over"
    if under:
        return "under"
    if approx:
        return "approx"
    if q.is_range:
        return "range"
    return "exact"


@dataclass
class _Ctx:
    doc_id: str
    source_path: str
    body: str
    as_of: str | None
    as_of_year: int | None
    as_of_source: str
    registry: Registry
    claims: list[Claim] = field(default_factory=list)
    target_pairs: frozenset = frozenset()   # metrics in a (metric, target metric) pair


def _claim_id(doc_id: str, metric: str, vstart: int, vend: int, low, high, qualifier: str) -> str:
    key = f"{doc_id}|{metric}|{vstart}|{vend}|{low!r}|{high!r}|{qualifier}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def _add(ctx: _Ctx, *, metric: str, low, high, unit: str, qualifier: str, period: DateMention | str | None,
         date: str | None, s_start: int, s_end: int, v_start: int, v_end: int, sent_idx: int, method: str) -> None:
    reg = ctx.registry.by_name(metric)
    if isinstance(period, DateMention):
        p_str = period.period
        p_start = period.year
        p_end = period.year_end if period.kind in ("yearrange",) else (None if period.kind == "since" else period.year)
    else:
        p_str = period
        p_start = p_end = int(period[:4]) if period and period[:4].isdigit() else None
    ctx.claims.append(Claim(
        claim_id=_claim_id(ctx.doc_id, metric, v_start, v_end, low, high, qualifier),
        doc_id=ctx.doc_id, source_path=ctx.source_path, metric=metric, subject=reg.subject if reg else None,
        value_low=None if low is None else float(low), value_high=None if high is None else float(high),
        unit=unit, qualifier=qualifier, period=p_str, period_start=p_start, period_end=p_end, date=date,
        as_of=ctx.as_of, as_of_source=ctx.as_of_source, quote=ctx.body[s_start:s_end], char_start=s_start,
        char_end=s_end, value_start=v_start, value_end=v_end, value_text=ctx.body[v_start:v_end],
        sentence_index=sent_idx, method=method,
    ))


def _relative_years(m: str, as_of_year: int | None) -> list[tuple[int, int, int, str]]:
    """(start, end, year, period) of "năm nay" / "năm ngoái" / "năm tới" resolved against as_of, and of
    parts of them ("6 tháng đầu năm nay" -> "2024-01/2024-06", "quý I năm ngoái" -> "2023-01/2023-03")."""
    if not as_of_year:
        return []
    out, parts = [], []
    for mt in _REL_PART_RE.finditer(m):
        y = as_of_year + _REL_OFFSETS[mt.group("rel")]
        if mt.group("n"):
            k = int(mt.group("n"))
            if not 1 <= k <= 11:
                continue
            m1, m2 = (12 - k + 1, 12) if (mt.group("edge") or "").startswith("cuối") else (1, k)
        elif mt.group("q"):
            qn = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(mt.group("q"), None) or int(mt.group("q"))
            m1, m2 = 3 * qn - 2, 3 * qn
        else:
            m1, m2 = (1, 6) if mt.group("half") == "nửa đầu" else (7, 12)
        parts.append((mt.start(), mt.end()))
        out.append((mt.start(), mt.end(), y, f"{y:04d}-{m1:02d}/{y:04d}-{m2:02d}"))
    for mt in _REL_YEAR_RE.finditer(m):
        if any(a <= mt.start() < b for a, b in parts):
            continue
        if _REL_NOT_BEFORE_RE.search(m, max(0, mt.start() - 25), mt.start()):
            continue
        y = as_of_year + _REL_OFFSETS[mt.group(1)]
        out.append((mt.start(), mt.end(), y, str(y)))
    return sorted(out)


def _period_candidates(m: str, dates: list[DateMention]) -> tuple[list[DateMention], list[int]]:
    """Dates that can be the period of a figure (not a 'so với năm X' comparison base), by start."""
    cands = [d for d in dates if d.year and d.kind in ("year", "yearrange", "since", "month", "partial")
             and not _BASE_YEAR_RE.search(m, max(0, d.start - 25), d.start)]
    return cands, [d.start for d in cands]


def _period_for(pos: int, clause: tuple[int, int], cands: tuple[list[DateMention], list[int]],
                rel: list[tuple[int, int, int, str]], prefer_after: bool = False) -> DateMention | str | None:
    """The period a figure refers to: a year/range/month in its clause, nearest before it (after it
    for targets); else a relative year in the clause ("năm ngoái"); else the nearest explicit (then
    relative) year earlier in the sentence ("năm 2020 chỉ đạt 4,8 tỷ USD, chưa đạt mục tiêu 10 tỷ USD":
    the target was 2020's)."""
    ds, starts = cands
    lo, hi = bisect_left(starts, clause[0]), bisect_left(starts, clause[1])
    k = bisect_left(starts, pos, lo, hi)
    before = [d for d in ds[lo:k] if d.end <= pos]
    after = ds[k:hi]
    if prefer_after and after:
        return after[0]
    if before:
        return before[-1]
    if after:
        return after[0]
    rel_in = [r for r in rel if clause[0] <= r[0] < clause[1]]
    if rel_in:
        return rel_in[0][3]
    for x in range(lo - 1, -1, -1):
        if ds[x].end <= clause[0]:
            return ds[x]
    rel_earlier = [r for r in rel if r[1] <= clause[0]]
    return rel_earlier[-1][3] if rel_earlier else None


def _choose_metric(ctx: _Ctx, sent: _Sent, q: Quantity, clause: tuple[int, int], target: bool,
                   unit: str | None = None) -> Metric | None:
    m = sent.m
    unit = unit or q.unit
    best, best_score = None, 0.0
    direction = None
    for met in ctx.registry.metrics:
        if met.kind == "event" or unit not in met.units:
            continue
        if bool(met.target_of) != target and met.name in ctx.target_pairs:
            continue
        if not sent.has_required(met):
            continue
        if met.lead and not any(r.search(m, max(clause[0], q.start - _LOOKBACK), q.start) for r in met.lead):
            continue
        if sent.excluded(met, clause) or any(x.search(m) for x in met.exclude_sentence):
            continue
        # a cue in the clause scores 2..3 (nearer is better); one earlier in the sentence 0.5..1
        score = 0.0
        cues = sent.cue_positions(met)
        lo, hi = bisect_left(cues, clause[0]), bisect_left(cues, clause[1])
        if hi > lo:
            k = bisect_left(cues, q.start, lo, hi)
            near = [abs(cues[x] - q.start) for x in (k - 1, k) if lo <= x < hi]
            score = 3.0 - min(min(near), 200) / 200
        elif lo > 0:
            score = 1.0 - min(q.start - cues[lo - 1], 400) / 800
        if score <= 0:
            continue
        if met.direction:
            if direction is None:
                direction = _direction(sent, q.start, clause) or "?"
            if direction != met.direction:
                continue
        if score > best_score:
            best, best_score = met, score
    return best


def _event_metric_for(ctx: _Ctx, text: str) -> Metric | None:
    """The event metric whose cue appears first in ``text`` (a window after an anniversary)."""
    best, best_pos = None, None
    for met in ctx.registry.metrics:
        if met.kind != "event":
            continue
        for cue in met.cues:
            mt = cue.search(text)
            if mt and (best_pos is None or mt.start() < best_pos):
                best, best_pos = met, mt.start()
    return best


def _verb_governs(m: str, met: Metric, a: int, b: int) -> bool:
    """An event verb of ``met`` (its ``requires``) within 100 characters before the cue [a, b) or 40
    after it, with nothing between them that turns the cue into a framework or another object."""
    if not met.requires:
        return True
    lo, hi = max(0, a - 100), min(len(m), b + 40)
    for r in met.requires:
        for vm in r.finditer(m, lo, hi):
            if vm.end() <= a:
                gap = m[vm.end():a]
            elif vm.start() >= b:
                gap = m[b:vm.start()]
            else:
                gap = ""
            if not _EVENT_GAP_STOP_RE.search(gap):
                return True
    return False


def _extract_sentence(ctx: _Ctx, idx: int, s_start: int, s_end: int) -> None:
    s = ctx.body[s_start:s_end]
    m = match_form(s)
    if not _HAS_DIGIT_RE.search(m) and not find_quantities(m, []):
        return      # no digit and no number word: dates, ranks and anniversaries need digits, so nothing here
    sent = _Sent(m, ctx.registry)
    first_claim = len(ctx.claims)
    dates = find_dates(m, s)
    clauses = sent.clauses
    rel = _relative_years(m, ctx.as_of_year)
    used_dates: set[int] = set()          # indexes into dates consumed as milestone values/periods
    date_index = {id(d): di for di, d in enumerate(dates)}
    date_starts = [d.start for d in dates]
    blocked = [(d.start, d.end) for d in dates]

    # ---- derived milestones: "tròn 20 năm ... thiết lập quan hệ Đối tác chiến lược"
    annivs = list(_ANNIV_RE.finditer(m))
    anniv_spans = []
    prev_end = 0
    for k, am in enumerate(annivs):
        nxt = annivs[k + 1].start() if k + 1 < len(annivs) else len(m)
        stop = _ANNIV_STOP_RE.search(m, am.end(), nxt)
        window = m[am.end(): stop.start()] if stop else m[am.end():nxt]
        met = _event_metric_for(ctx, window)
        back_start = prev_end
        prev_end = am.end()
        if not met or any(x.search(window) for x in met.exclude):
            continue
        if sent.foreign(sent.clause(am.start())):
            continue
        cue_end = max((mt.end() for cue in met.cues for mt in [cue.search(window)] if mt), default=len(window))
        n_years = int(am.group(2))
        exact = am.group(1) in ("tròn", "đúng")
        # the reference year: the nearest explicit date/year shortly before ("sang năm 2022 sẽ kỷ niệm",
        # "Ngày 30/1/2020, ... kỷ niệm"), or a relative year ("năm nay"), else as_of
        refs: list[tuple[int, int, bool, int | None]] = []
        for di, d in enumerate(dates):
            if d.year and d.kind in ("date", "year", "month") and back_start <= d.start < am.start() \
                    and am.start() - d.end <= 60:
                refs.append((d.start, d.year, True, di))
        for a, _b, y, _p in rel:
            if back_start <= a < am.start():
                refs.append((a, y, False, None))
        if refs:
            _, ref, explicit, di = max(refs)
            if explicit:
                exact = True
                used_dates.add(di)
        elif ctx.as_of_year:
            ref = ctx.as_of_year
        else:
            continue
        y = ref - n_years
        low, high = (y, y) if exact else (y - 1, y)
        a = am.start()
        b = am.end() + cue_end
        _add(ctx, metric=met.name, low=low, high=high, unit="year", qualifier="derived", period=None, date=None,
             s_start=s_start, s_end=s_end, v_start=s_start + a, v_end=s_start + b, sent_idx=idx,
             method=f"anniversary:{am.group(1)}:{n_years}y:ref{ref}")
        anniv_spans.append((am.start(2), am.end()))

    # ---- dated milestones: an event cue governed by an event verb + a date/year in the sentence
    event_hits = []
    for met in ctx.registry.metrics if dates else ():      # an event is dated by a date of this sentence
        if met.kind != "event" or not sent.has_required(met):
            continue
        for cue in met.cues:
            for mt in cue.finditer(m):
                clause = sent.clause(mt.start())
                # the cue must not be the object of an anniversary already handled
                if any(a <= mt.start() <= a + 160 and a < mt.start() for a, _ in anniv_spans):
                    continue
                if any(x.search(m, clause[0], clause[1]) or x.search(m, max(0, mt.start() - 60), mt.start())
                       for x in met.exclude):
                    continue
                if not _verb_governs(m, met, mt.start(), mt.end()) or sent.foreign(clause):
                    continue
                event_hits.append((met, mt.start()))
    for met, pos in event_hits:
        lo, hi = bisect_left(date_starts, pos - 220), bisect_right(date_starts, pos + 220)
        cands = [(abs(dates[di].start - pos), di, dates[di]) for di in range(lo, hi)
                 if dates[di].year and dates[di].kind in ("date", "year", "month") and di not in used_dates]
        if not cands:
            continue
        _, di, d = min(cands)
        if abs(d.start - pos) > 220:
            continue
        used_dates.add(di)
        _add(ctx, metric=met.name, low=d.year, high=d.year, unit="year", qualifier="exact", period=str(d.year),
             date=d.iso if d.kind == "date" else None, s_start=s_start, s_end=s_end,
             v_start=s_start + d.start, v_end=s_start + d.end, sent_idx=idx, method="dated_event")

    # ---- quantities
    period_cands = _period_candidates(m, dates)
    for q in find_quantities(m, blocked + anniv_spans):
        clause = sent.clause(q.numeral_start)
        qual = _qualifier(m, q)
        method = "registry"
        # context is read in a bounded window before the number (its clause, at most _LOOKBACK
        # characters), so a long comma-free sentence costs linear, not quadratic, time
        lb = max(clause[0], q.start - _LOOKBACK)
        far = max(0, q.start - 2 * _LOOKBACK)
        target = bool(_TARGET_WORD_RE.search(m, lb, q.start))
        if not target and _RAISE_RE.search(m, lb, q.start):
            ya = _YEAR_AFTER_RE.match(m, q.end, clause[1])
            future_year = bool(ya) and (ctx.as_of_year is None or int(ya.group(1)) >= ctx.as_of_year)
            target = bool(_INTENT_RE.search(m, far, q.start)) or future_year
        if not target and _LEN_BEFORE_RE.search(m, max(0, q.start - 12), q.start):
            target = bool(_TARGET_WORD_RE.search(m, far, q.start))
        # an absolute change ("tăng thêm 500 triệu USD") is a delta, never the level metric
        delta = None
        if q.unit not in ("percent", "ordinal"):
            delta = (_DELTA_RE.search(m, lb, q.start) or _MORE_BEFORE_RE.search(m, lb, q.start)
                     or _NEW_AFTER_RE.match(m, q.end))
        change = _CHANGE_RE.search(m, lb, q.start) if q.unit == "percent" else None
        q_unit = q.unit
        if not q_unit:
            noun = None
            for noun in _COUNT_NOUN_RE.finditer(m, lb, q.start):
                pass
            if noun:
                q_unit = unit_code(noun.group(1))
        met = None
        if q_unit and q_unit != "ordinal" and not delta and not sent.foreign(clause):
            met = _choose_metric(ctx, sent, q, clause, target, q_unit)
            if target and met is None:
                met = _choose_metric(ctx, sent, q, clause, False, q_unit)
        period = _period_for(q.start, clause, period_cands, rel, prefer_after=target)
        if target:
            qual = "target"
        low, high = q.low, q.high
        if qual == "over":
            high = None
        elif qual == "under":
            low, high = None, q.low if not q.is_range else q.high
        # a decrease is a negative change; its bound flips: "giảm hơn 10%" -> under -10
        decrease = False
        if delta:
            decrease = delta.re is _DELTA_RE and delta.group(1) in _DECREASE_WORDS
        elif change:
            decrease = change.group(1) in _DECREASE_WORDS
        elif met is not None and met.kind == "rate":
            last = None
            for last in _LAST_CHANGE_RE.finditer(m, lb, q.start):
                pass
            decrease = bool(last) and last.group(1) in _DECREASE_WORDS
        if decrease:
            low, high = (None if high is None else -high), (None if low is None else -low)
            qual = {"over": "under", "under": "over"}.get(qual, qual)
            method = "registry:decrease"
        if met:
            unit = met.unit
            name = met.name
        else:
            unit = q_unit or "number"
            name = "unclassified"
            method = "change" if delta else "unclassified"
            if unit == "student":
                unit = "person"
        _add(ctx, metric=name, low=low, high=high, unit=unit, qualifier=qual, period=period,
             date=None, s_start=s_start, s_end=s_end, v_start=s_start + q.start, v_end=s_start + q.end,
             sent_idx=idx, method=method)
        if isinstance(period, DateMention):
            used_dates.add(date_index[id(period)])

    # ---- ranks "xếp thứ 28/145"
    for a, b, r, total in find_ranks(m):
        _add(ctx, metric="unclassified", low=r, high=r, unit="rank", qualifier="exact", period=None, date=None,
             s_start=s_start, s_end=s_end, v_start=s_start + a, v_end=s_start + b, sent_idx=idx, method=f"rank_of:{total}")

    # ---- every other date or year is kept too (unit date/year), so nothing is silently dropped
    periods_here = {c.period for c in ctx.claims[first_claim:] if c.method not in ("dated_event",)
                    and not c.method.startswith("anniversary") and not c.method.startswith("rank")}
    for di, d in enumerate(dates):
        if di in used_dates:
            continue
        if d.kind in ("year", "yearrange", "since", "partial"):
            low, high, unit = d.year, d.year_end or d.year, ("date" if d.kind == "partial" else "year")
            qual = "range" if d.kind in ("yearrange", "partial") else "exact"
            if d.kind == "since":
                high, qual = None, "over"
            if d.period in periods_here:
                continue  # it is the period of a figure in this sentence
        else:
            y = d.year
            if y is None and ctx.as_of_year:
                rm = _REL_AFTER_DATE_RE.match(m, d.end)
                y = ctx.as_of_year + (_REL_AFTER_OFFSETS.get(rm.group(1), 0) if rm else 0)
            y_end = d.year_end or y
            low, high, unit = y, y_end, "date"
            qual = ("range" if d.kind == "daterange" else "exact") if d.year else "derived"
            if y is None:
                continue
        date_iso = None
        if d.kind == "partial":
            pass
        elif d.month and d.day and low:
            date_iso = f"{int(low):04d}-{d.month:02d}-{d.day:02d}"
        elif d.month and low:
            date_iso = f"{int(low):04d}-{d.month:02d}"
        _add(ctx, metric="unclassified", low=low, high=high, unit=unit, qualifier=qual, period=None,
             date=date_iso, s_start=s_start, s_end=s_end, v_start=s_start + d.start, v_end=s_start + d.end,
             sent_idx=idx, method=f"date:{d.kind}")


def infer_as_of(body: str, sentences: list[tuple[int, int]]) -> tuple[int | None, str]:
    """Reference year of a document from its own text: the latest year it reports as past
    (a statistic for year P means the text is from P+1 or later); future-marked years ("sẽ",
    "phấn đấu", "đến năm") are ignored unless nothing else is known. Returns (year, evidence)."""
    past: list[tuple[int, str]] = []
    future: list[int] = []
    for a, b in sentences:
        if not _FOUR_DIGITS_RE.search(body, a, b):
            continue          # every year this looks at is four digits: most sentences have none
        m = match_form(body[a:b])
        for d in find_dates(m, body[a:b]):
            years = [y for y in (d.year, d.year_end) if y]
            before = m[:d.start]
            is_future = (bool(_FUTURE_RE.search(before)) or bool(_FUTURE_YEAR_BEFORE_RE.search(before))
                         or bool(_TARGET_RE.search(before[-80:])))
            for y in years:
                (future.append(y) if is_future else past.append((y, body[a:b][d.start:d.end])))
        for st in _FLOW_STAT_RE.finditer(m):
            y = int(st.group(1))
            if _PART_OF_YEAR_BEFORE_RE.search(m, max(0, st.start() - 25), st.start()):
                continue  # "6 tháng đầu năm 2024 đạt ...": the year is not over yet
            if 1800 <= y <= 2100 and not _FUTURE_RE.search(m[:st.start()]) and not _TARGET_RE.search(m[max(0, st.start() - 60):st.start()]):
                past.append((y + 1, f"statistic for {y} reported"))
    if past:
        y, ev = max(past)
        return y, ev
    if future:
        return min(future), "earliest future-tense year"
    return None, ""


def extract_document(doc_id: str, source_path: str, body: str, sentences: list[tuple[int, int]],
                     as_of: str | None = None, as_of_source: str = "unknown",
                     registry: Registry | None = None) -> list[Claim]:
    """Every claim of one cleaned document, in text order. Deterministic."""
    registry = registry or load_registry()
    as_of_year = int(as_of[:4]) if as_of and as_of[:4].isdigit() else None
    pairs = frozenset({x.target_of for x in registry.metrics if x.target_of}
                      | {x.name for x in registry.metrics if x.target_of})
    ctx = _Ctx(doc_id, source_path, body, as_of, as_of_year, as_of_source, registry, target_pairs=pairs)
    for idx, (a, b) in enumerate(sentences):
        _extract_sentence(ctx, idx, a, b)
    seen, out = set(), []
    for c in sorted(ctx.claims, key=lambda c: (c.char_start, c.value_start, c.metric)):
        if c.claim_id not in seen:
            seen.add(c.claim_id)
            out.append(c)
    return out
