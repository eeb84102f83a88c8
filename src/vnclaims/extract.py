"""Claim extraction: every quantitative statement of a cleaned document as a Wikidata-like claim
(value or range, unit, qualifier, period, reference = document + sentence offsets).

Pure library code: ``extract_document(...)`` takes the cleaned body and its sentence spans and
returns :class:`Claim` rows; the metric registry is a data file (``data/metrics.toml``).
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .numbers import DateMention, Quantity, find_dates, find_quantities, find_ranks
from .textnorm import match_form

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


@dataclass(frozen=True)
class Registry:
    metrics: tuple[Metric, ...]

    def by_name(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def rows(self) -> list[dict]:
        return [{"metric": m.name, "label": m.label, "subject": m.subject, "unit": m.unit, "kind": m.kind,
                 "direction": m.direction, "target_of": m.target_of, "tolerance_rel": m.tolerance_rel,
                 "tolerance_abs": m.tolerance_abs} for m in self.metrics]


def load_registry(path: Path | str | None = None) -> Registry:
    return _load_registry(str(path or REGISTRY_PATH))


@lru_cache(maxsize=8)
def _load_registry(path: str) -> Registry:
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
            tolerance_abs=float(d.get("tolerance_abs", 0.0)),
        ))
    names = [m.name for m in metrics]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: duplicate metric names")
    return Registry(tuple(metrics))


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
        return asdict(self)


# ------------------------------------------------------------------ context helpers
_APPROX_RE = re.compile(r"(?:khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới)\s+$")
_OVER_RE = re.compile(r"(?:hơn|trên|vượt|vượt quá|vượt mức|ít nhất|tối thiểu|quá|hơn cả)\s+$")
_UNDER_RE = re.compile(r"(?:gần|dưới|chưa đến|chưa tới|không quá|không tới|tối đa|non|chưa đầy|chỉ chưa đến)\s+$")
_QUAL_WINDOW = re.compile(r"((?:(?:khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới|hơn|trên|vượt|vượt quá|vượt mức|ít nhất|tối thiểu|quá|gần|dưới|chưa đến|chưa tới|không quá|không tới|tối đa|non|chưa đầy|từ|lên tới|lên đến|lên mức|tới|đến|đạt|là|có)\s+)+)$")
_AFTER_OVER_RE = re.compile(r"^\s*(?:trở lên|có lẻ|hơn)")
_TARGET_RE = re.compile(r"phấn đấu|mục tiêu|kế hoạch|hướng tới|nhắm tới|đặt ra|kỳ vọng|dự kiến đạt|(?:đưa|nâng)\b[^,;]{0,80}\blên")
_BASE_YEAR_RE = re.compile(r"so với (?:cùng kỳ )?(?:năm )?$")
_FUTURE_RE = re.compile(r"\b(?:sẽ|dự kiến|phấn đấu|mục tiêu|kế hoạch|hướng tới|tầm nhìn|sang năm|đến năm|tới năm|để)\b[^.]{0,80}$")
_ANNIV_RE = re.compile(r"(kỷ niệm|tròn|đúng|đánh dấu)\s+(\d{1,3})\s+năm")
_REF_YEAR_RE = re.compile(r"(?:sang |đến |vào )?năm (\d{4})|năm nay|năm ngoái|năm trước|năm tới|sang năm|năm sau")
_FLOW_STAT_RE = re.compile(r"năm (\d{4})[^.;]{0,40}?\b(?:đạt|là|lên tới|ở mức)\b")
_CLAUSE_SPLIT_RE = re.compile(r",\s|;\s|\(|\)|:\s|\s[-–]\s(?=\D)")

COUNTRY_RU = r"(?:lb\.? nga|liên bang nga|nga|liên xô)"
COUNTRY_VN = r"(?:việt nam|vn)"
_DEST_RE = re.compile(rf"\b(?:tại|vào|ở|sang)\s+(?P<c>{COUNTRY_RU}|{COUNTRY_VN})\b")
_COUNTRY_RE = re.compile(rf"\b(?P<c>{COUNTRY_RU}|{COUNTRY_VN})\b")


def _country(name: str) -> str:
    return "vn" if re.fullmatch(COUNTRY_VN, name) else "ru"


def clause_bounds(m: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for mt in _CLAUSE_SPLIT_RE.finditer(m):
        bounds.append((start, mt.start()))
        start = mt.end()
    bounds.append((start, len(m)))
    return [(a, b) for a, b in bounds if b > a]


def _clause_of(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in bounds:
        if a <= pos < b:
            return a, b
    return 0, bounds[-1][1] if bounds else (0, 0)


def _direction(m: str, pos: int, clause: tuple[int, int]) -> str | None:
    """ru_in_vn / vn_in_ru from "X ... tại Y" before the number (clause, then sentence)."""
    for lo in (clause[0], 0):
        window = m[lo:pos]
        dests = list(_DEST_RE.finditer(window))
        if dests:
            dest = _country(dests[-1].group("c"))
            return "ru_in_vn" if dest == "vn" else "vn_in_ru"
        origin = re.search(rf"(?:của|từ)\s+(?P<c>{COUNTRY_RU}|{COUNTRY_VN})\b", window)
        if origin:
            return "ru_in_vn" if _country(origin.group("c")) == "ru" else "vn_in_ru"
    # destination after the number ("186 dự án đầu tư tại Việt Nam")
    after = _DEST_RE.search(m, pos, clause[1])
    if after:
        return "ru_in_vn" if _country(after.group("c")) == "vn" else "vn_in_ru"
    return None


def _qualifier(m: str, q: Quantity) -> str:
    before = m[max(0, q.start - 40):q.start]
    win = _QUAL_WINDOW.search(before)
    words = win.group(1) if win else ""
    over = bool(re.search(r"\b(?:hơn|trên|vượt|vượt quá|vượt mức|ít nhất|tối thiểu|quá)\s", words)) and "trên dưới" not in words
    under = bool(re.search(r"\b(?:gần|dưới|chưa đến|chưa tới|không quá|không tới|tối đa|non|chưa đầy)\s", words)) and "trên dưới" not in words and "gần như" not in words
    approx = bool(re.search(r"\b(?:khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới)\s", words))
    if _AFTER_OVER_RE.match(m[q.end:q.end + 12]):
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
        p_start = p_end = int(period) if period and period.isdigit() else None
    ctx.claims.append(Claim(
        claim_id=_claim_id(ctx.doc_id, metric, v_start, v_end, low, high, qualifier),
        doc_id=ctx.doc_id, source_path=ctx.source_path, metric=metric, subject=reg.subject if reg else None,
        value_low=None if low is None else float(low), value_high=None if high is None else float(high),
        unit=unit, qualifier=qualifier, period=p_str, period_start=p_start, period_end=p_end, date=date,
        as_of=ctx.as_of, as_of_source=ctx.as_of_source, quote=ctx.body[s_start:s_end], char_start=s_start,
        char_end=s_end, value_start=v_start, value_end=v_end, value_text=ctx.body[v_start:v_end],
        sentence_index=sent_idx, method=method,
    ))


def _period_for(m: str, pos: int, clause: tuple[int, int], dates: list[DateMention], used: set[int],
                prefer_after: bool = False) -> DateMention | None:
    """The period a figure refers to: a year/range/month in its clause (not a 'so với năm X' base),
    nearest before it (after it for targets), else the nearest one earlier in the sentence."""
    cands = [d for d in dates if d.year and d.kind in ("year", "yearrange", "since", "month")
             and not _BASE_YEAR_RE.search(m[max(0, d.start - 25):d.start])]
    in_clause = [d for d in cands if clause[0] <= d.start < clause[1]]
    before = [d for d in in_clause if d.end <= pos]
    after = [d for d in in_clause if d.start >= pos]
    if prefer_after and after:
        return after[0]
    if before:
        return before[-1]
    if after:
        return after[0]
    earlier = [d for d in cands if d.end <= clause[0]]
    return earlier[-1] if earlier else None


def _choose_metric(ctx: _Ctx, m: str, q: Quantity, clause: tuple[int, int], target: bool) -> Metric | None:
    best, best_score = None, 0.0
    direction = None
    for met in ctx.registry.metrics:
        if met.kind == "event" or q.unit not in met.units:
            continue
        if bool(met.target_of) != target and any(x.target_of for x in ctx.registry.metrics if x.target_of and
                                                 (x.target_of == met.name or x.name == met.name)):
            continue
        if met.requires and not any(r.search(m) for r in met.requires):
            continue
        clause_text = m[clause[0]:clause[1]]
        if any(x.search(clause_text) for x in met.exclude):
            continue
        score = 0.0
        for cue in met.cues:
            for mt in cue.finditer(m):
                if clause[0] <= mt.start() < clause[1]:
                    dist = abs(mt.start() - q.start)
                    score = max(score, 3.0 - min(dist, 200) / 200)
                elif mt.start() < clause[0]:
                    score = max(score, 1.0 - min(q.start - mt.start(), 400) / 800)
        if score <= 0:
            continue
        if met.direction:
            if direction is None:
                direction = _direction(m, q.start, clause) or "?"
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


def _extract_sentence(ctx: _Ctx, idx: int, s_start: int, s_end: int) -> None:
    s = ctx.body[s_start:s_end]
    m = match_form(s)
    dates = find_dates(m, s)
    clauses = clause_bounds(m)
    used_dates: set[int] = set()          # indexes into dates consumed as milestone values/periods
    blocked = [(d.start, d.end) for d in dates]
    consumed_q: set[int] = set()

    # ---- derived milestones: "tròn 20 năm ... thiết lập quan hệ Đối tác chiến lược"
    annivs = list(_ANNIV_RE.finditer(m))
    anniv_spans = []
    prev_end = 0
    for k, am in enumerate(annivs):
        nxt = annivs[k + 1].start() if k + 1 < len(annivs) else len(m)
        stop = re.search(r",\s|;|\.\s", m[am.end():nxt])
        window = m[am.end(): am.end() + stop.start()] if stop else m[am.end():nxt]
        met = _event_metric_for(ctx, window)
        back_start = prev_end
        back = m[back_start:am.start()]
        prev_end = am.end()
        if not met or any(x.search(window) for x in met.exclude):
            continue
        cue_end = max((mt.end() for cue in met.cues for mt in [cue.search(window)] if mt), default=len(window))
        n_years = int(am.group(2))
        ref, exact = None, am.group(1) in ("tròn", "đúng")
        refs = list(_REF_YEAR_RE.finditer(back))
        if refs:
            r = refs[-1]
            if r.group(1):
                ref, exact = int(r.group(1)), True
                for di, d in enumerate(dates):
                    if d.year == ref and back_start + r.start() <= d.start < am.start():
                        used_dates.add(di)
            elif ctx.as_of_year:
                offset = {"năm nay": 0, "năm ngoái": -1, "năm trước": -1, "năm tới": 1, "sang năm": 1, "năm sau": 1}
                ref = ctx.as_of_year + offset.get(r.group(0), 0)
        elif ctx.as_of_year:
            ref = ctx.as_of_year
        if ref is None:
            continue
        y = ref - n_years
        low, high = (y, y) if exact else (y - 1, y)
        a = am.start()
        b = am.end() + cue_end
        _add(ctx, metric=met.name, low=low, high=high, unit="year", qualifier="derived", period=None, date=None,
             s_start=s_start, s_end=s_end, v_start=s_start + a, v_end=s_start + b, sent_idx=idx,
             method=f"anniversary:{am.group(1)}:{n_years}y:ref{ref}")
        anniv_spans.append((am.start(2), am.end()))

    # ---- dated milestones: an event cue + an event verb + a date/year in the sentence
    event_hits = []
    for met in ctx.registry.metrics:
        if met.kind != "event":
            continue
        if met.requires and not any(r.search(m) for r in met.requires):
            continue
        for cue in met.cues:
            for mt in cue.finditer(m):
                clause = _clause_of(clauses, mt.start())
                # the cue must not be the object of an anniversary already handled
                if any(a <= mt.start() <= a + 160 and a < mt.start() for a, _ in anniv_spans):
                    continue
                if any(x.search(m[clause[0]:clause[1]]) for x in met.exclude) or any(x.search(m) for x in met.exclude if x.pattern == "tầm nhìn"):
                    continue
                event_hits.append((met, mt.start()))
    for met, pos in event_hits:
        cands = [(abs(d.start - pos), di, d) for di, d in enumerate(dates)
                 if d.year and d.kind in ("date", "year", "month") and di not in used_dates]
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
    for qi, q in enumerate(find_quantities(m, blocked + anniv_spans)):
        clause = _clause_of(clauses, q.numeral_start)
        qual = _qualifier(m, q)
        clause_before = m[clause[0]:q.start]
        target = bool(_TARGET_RE.search(clause_before)) or (
            bool(re.search(r"\blên\s+(?:mức\s+)?$", m[max(0, q.start - 12):q.start])) and bool(_TARGET_RE.search(m[:q.start])))
        met = _choose_metric(ctx, m, q, clause, target) if q.unit else None
        if target and met is None:
            met = _choose_metric(ctx, m, q, clause, False)
        period = _period_for(m, q.start, clause, dates, used_dates, prefer_after=target)
        if target:
            qual = "target"
        low, high = q.low, q.high
        if qual == "over":
            high = None
        elif qual == "under":
            low, high = None, q.low if not q.is_range else q.high
        if met:
            unit = met.unit
            name = met.name
            method = "registry"
        else:
            unit = q.unit or "number"
            name = "unclassified"
            method = "unclassified"
            if unit == "student":
                unit = "person"
        _add(ctx, metric=name, low=low, high=high, unit=unit, qualifier=qual, period=period,
             date=None, s_start=s_start, s_end=s_end, v_start=s_start + q.start, v_end=s_start + q.end,
             sent_idx=idx, method=method)
        if period is not None:
            for di, d in enumerate(dates):
                if d is period:
                    used_dates.add(di)

    # ---- ranks "xếp thứ 28/145"
    for a, b, r, total in find_ranks(m):
        _add(ctx, metric="unclassified", low=r, high=r, unit="rank", qualifier="exact", period=None, date=None,
             s_start=s_start, s_end=s_end, v_start=s_start + a, v_end=s_start + b, sent_idx=idx, method=f"rank_of:{total}")

    # ---- every other date or year is kept too (unit date/year), so nothing is silently dropped
    for di, d in enumerate(dates):
        if di in used_dates:
            continue
        if d.kind in ("year", "yearrange", "since"):
            low, high, unit = d.year, d.year_end or d.year, "year"
            qual = "range" if d.kind == "yearrange" else "exact"
            if d.kind == "since":
                high, qual = None, "over"
            if any(c.period == d.period and c.method in ("registry", "unclassified") and c.char_start == s_start
                   for c in ctx.claims):
                continue  # it is the period of a figure in this sentence
        else:
            y = d.year
            if y is None and ctx.as_of_year:
                rel = re.match(r"\s*(năm ngoái|năm trước|năm nay|năm sau|năm tới)", m[d.end:])
                y = ctx.as_of_year + ({"năm ngoái": -1, "năm trước": -1, "năm sau": 1, "năm tới": 1}.get(rel.group(1), 0) if rel else 0)
            y_end = d.year_end or y
            low, high, unit = y, y_end, "date"
            qual = ("range" if d.kind == "daterange" else "exact") if d.year else "derived"
            if y is None:
                continue
        date_iso = None
        if d.month and d.day and low:
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
        m = match_form(body[a:b])
        for d in find_dates(m, body[a:b]):
            years = [y for y in (d.year, d.year_end) if y]
            before = m[:d.start]
            is_future = (bool(_FUTURE_RE.search(before)) or bool(re.search(r"\b(?:đến|tới|sang)\s+(?:năm\s+)?$", before))
                         or bool(_TARGET_RE.search(before[-80:])))
            for y in years:
                (future.append(y) if is_future else past.append((y, body[a:b][d.start:d.end])))
        for st in _FLOW_STAT_RE.finditer(m):
            y = int(st.group(1))
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
    ctx = _Ctx(doc_id, source_path, body, as_of, as_of_year, as_of_source, registry)
    for idx, (a, b) in enumerate(sentences):
        _extract_sentence(ctx, idx, a, b)
    seen, out = set(), []
    for c in sorted(ctx.claims, key=lambda c: (c.char_start, c.value_start, c.metric)):
        if c.claim_id not in seen:
            seen.add(c.claim_id)
            out.append(c)
    return out
