"""Claim extraction: every quantitative statement of a cleaned document as a Wikidata-like claim
(value or range, unit, qualifier, period, reference = document + sentence offsets).

Pure library code: ``extract_document(...)`` takes the cleaned body and its sentence spans and
returns :class:`Claim` rows; the metric registry is a data file (``data/metrics.toml``).

Conventions (tested in tests/unit/claims/test_extract_phrases.py):
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

import re
from bisect import bisect_left, bisect_right
from operator import itemgetter
from dataclasses import dataclass, field

from ..text.textnorm import match_form
from .classify import build_frame, choose_metric
from .countries import countries, country_before_by_sentence
from .dates import _HAS_DIGIT_RE, DateMention, find_dates
from .frames import Facts, Frame, capitalised_countries, date_partner, event_counterpart, event_partner
from .lexicon import Hit, Hits
from .metrics import Metric, Registry, load_registry
from .model import Claim, _claim_id
from .numbers import find_quantities, find_ranks, unit_code
from .periods import (_REL_AFTER_DATE_RE, _REL_AFTER_OFFSETS, _period_candidates, _period_for, _relative_years,
                      frame_period, relative_years_read_as_of)
from .qualifiers import (_CHANGE_RE, _COUNT_NOUN_RE, _DECREASE_WORDS, _DELTA_RE, _INTENT_RE, _LAST_CHANGE_RE,
                         _LEN_BEFORE_RE, _MORE_BEFORE_RE, _NEW_AFTER_RE, _RAISE_RE, _TARGET_WORD_RE, _YEAR_AFTER_RE,
                         _qualifier)
from .memo import _OF_WHICH_RE, extract_memoised, sentence_memo
from .sentence import _LOOKBACK, _Sent

_MODAL_RE = re.compile(r"(?<!\w)(?:sẽ|có thể|dự kiến|dự báo|ước vọng)\s+(?:\w+\s+){0,2}?(?:đạt|vượt|lên|chạm|tăng)"
                       r"(?!\w)[^,;]{0,25}$")
_ANNIV_RE = re.compile(r"(kỷ niệm|tròn|đúng|đánh dấu)\s+(\d{1,3})\s+năm")
_ANNIV_STOP_RE = re.compile(r",\s|;|\.\s")

# milestones: the event verb must govern the cue: within 100 characters before it (or 40 after),
# with nothing between them that makes the cue a mere framework ("ký nhiều thỏa thuận trong khuôn khổ ...")
_EVENT_GAP_STOP_RE = re.compile(r"[,;:]|\d|khuôn khổ|thỏa thuận|văn kiện|hợp đồng|hiệp định|bản ghi nhớ|dự án|"
                                r"chương trình|trên cơ sở|tinh thần|nhằm|phù hợp|nhiều")


@dataclass
class _Ctx:
    doc_id: str
    body: str
    as_of: str | None
    as_of_year: int | None
    as_of_source: str
    registry: Registry
    claims: list[dict] = field(default_factory=list)       # Claim rows (without source_path), see _add
    id_values: list[tuple] = field(default_factory=list)    # each claim's (low, high) as hashed in its id
    target_pairs: frozenset = frozenset()   # metrics in a (metric, target metric) pair
    sentence_start: int = 0                 # where the sentence being analysed starts (its country: read_country)
    carry_period: str | None = None         # the period of the previous sentence's last classified flow
    body_m: str = ""                        # the match form of the body
    country_pos: list[int] = field(default_factory=list)
    country_kind: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)        # the sentences' starts, in order
    chunk_country: dict = field(default_factory=dict)       # (lo, hi) -> the last country named in body[lo:hi]

    capitalised: Hits = field(default_factory=lambda: Hits([]))
    places_: Hits | None = None             # the body's place words, scanned once (when a country is read)
    places_per_sentence: bool = True        # a sentence's place words scanned in the sentence (see facts)
    as_of_read: bool = False                # the sentence being analysed read as_of (see memo.py)
    country_read: bool = False              # ... or the country the document named before it (read_country)
    event_cues: re.Pattern | None = None    # every event metric's cues in one pattern: a sentence without any skips them
    framed_units: frozenset = frozenset()   # the units a frame can turn into a metric's measure (or veto)

    @property
    def places(self) -> Hits:
        """The body's place words (and where it names Russia or another country), scanned on first use: a
        document whose sentences are all in the memo under no country needs none."""
        return self.places_ if self.places_ is not None else self._scan_places()

    def _scan_places(self) -> Hits:
        self.places_ = self.registry.lexicon.scan("places", self.body_m)
        self.country_pos, self.country_kind = countries(self.places_, self.capitalised.hits)
        return self.places_

    def read_as_of(self) -> None:
        """The analysis of the current sentence depends on the document's as_of (its claims are remembered
        under it); called wherever as_of decides something."""
        self.as_of_read = True

    def read_country(self) -> str | None:
        """The last country (ru | other) the document named before the current sentence; the analysis of the
        sentence depends on it from then on (see :meth:`read_as_of`). Computed on first read: most sentences
        never read it, and it needs the place words of the whole body."""
        self.country_read = True
        return self.country_before(self.sentence_start)

    def country_before(self, pos: int) -> str | None:
        if self.places_ is None and self.places_per_sentence:
            return country_before_by_sentence(self.registry.lexicon, self.body_m, self.starts, self.capitalised,
                                              self.chunk_country, pos)
        if self.places_ is None:
            self._scan_places()
        k = bisect_left(self.country_pos, pos)
        return self.country_kind[k - 1] if k else None

    def facts(self, m: str, s: str, a: int, b: int) -> Facts:
        """The frame facts of the sentence body[a:b] from the body's word classes (scanned once)."""
        caps = [Hit(h.start - a, h.end - a, h.cls, h.word) for h in self.capitalised.within(a, b)]
        lex = self.registry.lexicon
        # the place words of body[a:b] are those found in the sentence alone, unless a place word can run across
        # a sentence boundary ("lb. nga" after a split "Lb."): a body that contains one is scanned whole
        if self.places_per_sentence:
            scan = lambda sec: lex.scan(sec, m)     # noqa: E731 (each section scanned when the frames first read it)
        else:
            def scan(sec: str) -> Hits:
                if sec != "places":
                    return lex.scan(sec, m)
                return Hits([Hit(h.start - a, h.end - a, h.cls, h.word) for h in self.places.within(a, b)])
        return Facts(m, s, self.registry, None, scan, caps, self.read_country)



def _add(ctx: _Ctx, *, metric: str, low, high, unit: str, qualifier: str, period: DateMention | str | None,
         date: str | None, s_start: int, s_end: int, v_start: int, v_end: int, sent_idx: int, method: str,
         frame: Frame | None = None, counterpart: str | None = None) -> None:
    reg = ctx.registry.by_name(metric)
    if isinstance(period, DateMention):
        p_str = period.period
        p_start = period.year
        p_end = period.year_end if period.kind in ("yearrange",) else (None if period.kind == "since" else period.year)
    elif period and period.startswith("../"):
        p_str, p_start, p_end = period, None, int(period[3:7])
    else:
        p_str = period
        p_start = int(period[:4]) if period and period[:4].isdigit() else None
        p_end = int(period.split("/")[-1][:4]) if p_start and "/" in period else p_start
    ctx.id_values.append((low, high))      # as given: the claim id hashes their repr (1950 is not 1950.0)
    # the row of a Claim (its fields in order, without source_path): no object per claim on the hot path
    ctx.claims.append({
        "claim_id": _claim_id(ctx.doc_id, metric, v_start, v_end, low, high, qualifier),
        "doc_id": ctx.doc_id, "metric": metric, "subject": reg.subject if reg else None,
        "value_low": None if low is None else float(low), "value_high": None if high is None else float(high),
        "unit": unit, "qualifier": qualifier, "period": p_str, "period_start": p_start, "period_end": p_end,
        "date": date, "as_of": ctx.as_of, "as_of_source": ctx.as_of_source, "quote": ctx.body[s_start:s_end],
        "char_start": s_start, "char_end": s_end, "value_start": v_start, "value_end": v_end,
        "value_text": ctx.body[v_start:v_end], "sentence_index": sent_idx, "method": method,
        "scope": frame.scope if frame else None, "direction": frame.direction if frame else counterpart,
        "confidence": round(frame.confidence, 3) if frame else (1.0 if reg else None),
        "evidence": frame.evidence_text() if frame else None,
    })



def _registry_facts(registry: Registry) -> tuple[frozenset, re.Pattern | None, frozenset]:
    """(the units a frame can turn into a metric's measure, every event cue in one pattern, the metrics in a
    (metric, target metric) pair), computed once per registry and kept on it (not by its id, which a registry
    made later may reuse)."""
    got = registry.__dict__.get("_extract_facts")
    if got is None:
        cues = [c.pattern for met in registry.metrics if met.kind == "event" for c in met.cues]
        pairs = frozenset({x.target_of for x in registry.metrics if x.target_of}
                          | {x.name for x in registry.metrics if x.target_of})
        got = (_framed(registry), re.compile("|".join(f"(?:{c})" for c in cues)) if cues else None, pairs)
        object.__setattr__(registry, "_extract_facts", got)     # a cache on a frozen dataclass
    return got


def _framed(registry: Registry) -> frozenset:
    return frozenset({u for met in registry.metrics if met.kind != "event" for u in met.units}
                     | {"slot", "student", "RUB", "EUR", "VND"})


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
    m = ctx.body_m[s_start:s_end]       # the match form is per character: one pass over the body
    if not _HAS_DIGIT_RE.search(m) and not find_quantities(m, []):
        return      # no digit and no number word: dates, ranks and anniversaries need digits, so nothing here
    ctx.sentence_start = s_start      # (the country named before it is looked up when read: _Ctx.read_country)
    sent = _Sent(m, ctx.registry)
    first_claim = len(ctx.claims)
    dates = find_dates(m, s)
    if relative_years_read_as_of(m):
        ctx.read_as_of()
    rel = _relative_years(m, ctx.as_of_year)
    used_dates: set[int] = set()          # indexes into dates consumed as milestone values/periods
    date_index = {id(d): di for di, d in enumerate(dates)}
    date_starts = [d.start for d in dates]
    blocked = [(d.start, d.end) for d in dates]

    # ---- derived milestones: "tròn 20 năm ... thiết lập quan hệ Đối tác chiến lược"
    annivs = list(_ANNIV_RE.finditer(m))
    anniv_spans = []
    anniv_objects = []        # (start, end) of each anniversary and the words after it that name its event
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
        else:
            ctx.read_as_of()
            if not ctx.as_of_year:
                continue
            ref = ctx.as_of_year
        y = ref - n_years
        low, high = (y, y) if exact else (y - 1, y)
        a = am.start()
        b = am.end() + cue_end
        _add(ctx, metric=met.name, low=low, high=high, unit="year", qualifier="derived", period=None, date=None,
             s_start=s_start, s_end=s_end, v_start=s_start + a, v_end=s_start + b, sent_idx=idx,
             method=f"anniversary:{am.group(1)}:{n_years}y:ref{ref}")
        anniv_spans.append((am.start(2), am.end()))
        anniv_objects.append((am.start(), am.end() + len(window)))

    # ---- dated milestones: an event cue governed by an event verb + a date/year in the sentence
    event_hits = []
    has_event = bool(dates) and ctx.event_cues is not None and ctx.event_cues.search(m) is not None
    for met in ctx.registry.metrics if has_event else ():      # an event is dated by a date of this sentence
        if met.kind != "event" or not sent.has_required(met):
            continue
        for cue in met.cues:
            for mt in cue.finditer(m):
                clause = sent.clause(mt.start())
                # the cue must not be the object of an anniversary already handled
                if any(a < mt.start() <= e for a, e in anniv_objects):
                    continue
                if any(x.search(m, clause[0], clause[1]) or x.search(m, max(0, mt.start() - 60), mt.start())
                       for x in met.exclude):
                    continue
                if not _verb_governs(m, met, mt.start(), mt.end()):
                    continue
                event_hits.append((met, mt.start()))
    facts: Facts | None = ctx.facts(m, s, s_start, s_end) if event_hits else None
    for met, pos in event_hits:
        # whose event: a date written after another country ("Trung Quốc (18/1/1950)", "với Trung Quốc năm
        # 2008") is that country's; an unbound date needs the event's other party to be Russia (or unnamed in
        # a document about Russia)
        lo, hi = bisect_left(date_starts, pos - 220), bisect_right(date_starts, pos + 220)
        cands = []
        for di in range(lo, hi):
            d = dates[di]
            if d.year and d.kind in ("date", "year", "month") and di not in used_dates:
                bound = date_partner(facts, d.start)
                if bound != "other":
                    cands.append((bound != "ru", abs(d.start - pos), di, d, bound))
        if not cands:
            continue
        _, dist, di, d, bound = min(cands)
        if dist > 220:
            continue
        if bound != "ru":
            party = event_partner(facts, pos)
            if party == "other" or (party is None and ctx.read_country() == "other"):
                continue
        used_dates.add(di)
        _add(ctx, metric=met.name, low=d.year, high=d.year, unit="year", qualifier="exact", period=str(d.year),
             date=d.iso if d.kind == "date" else None, s_start=s_start, s_end=s_end,
             v_start=s_start + d.start, v_end=s_start + d.end, sent_idx=idx, method="dated_event",
             counterpart=event_counterpart(facts, pos, d.start))

    # ---- quantities
    period_cands = _period_candidates(m, dates)
    prev_frame: Frame | None = None
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
            if ya:
                ctx.read_as_of()
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
        met, fr = None, None
        if q_unit in ctx.framed_units or (not q_unit and q.low is not None and q.low >= 100):
            if facts is None:
                facts = ctx.facts(m, s, s_start, s_end)
            win = facts.window(q.numeral_start)
            # a target word anywhere before the figure in its window ("mục tiêu đến năm 2025 là kim ngạch ...
            # đạt 10 tỷ USD"), or a modal verb right before it ("sẽ vượt", "có thể đạt")
            target = target or bool(_TARGET_WORD_RE.search(m, win[0], q.start)
                                    or _MODAL_RE.search(m, max(win[0], q.start - 40), q.start))
            fr = build_frame(facts, q, q_unit, prev_frame)
        if fr is not None and delta and fr.scope != "new_in_period":
            fr.veto = fr.veto or "an absolute change"
        if fr is not None:
            met = choose_metric(ctx.registry, fr, target, ctx.target_pairs)
            if target and met is None:
                met = choose_metric(ctx.registry, fr, False, ctx.target_pairs)
            prev_frame = fr if fr.population else prev_frame
        period = _period_for(q.start, clause, period_cands, rel, prefer_after=target)
        if met is not None and fr is not None:
            period = frame_period(m, dates, period, fr, ctx.as_of, q.start, q.end, facts.part(q.numeral_start)[0],
                                  target, ctx.read_as_of)
            if period is None and met.kind in ("flow", "rate") and not target and ctx.carry_period \
                    and _OF_WHICH_RE.match(m):
                period = ctx.carry_period   # "Năm 2023, kim ngạch ... đạt 3,6 tỷ USD. Trong đó, xuất khẩu đạt ..."
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
        if target:
            qual = "target"     # after the bounds: "sẽ vượt 6 tỷ USD" is a target with no upper bound
        if met:
            unit = met.unit
            name = met.name
            method = "frame" + (":decrease" if decrease else "")
        else:
            unit = q_unit or "number"
            name = "unclassified"
            method = "change" if delta else "unclassified"
            if unit == "student":
                unit = "person"
        _add(ctx, metric=name, low=low, high=high, unit=unit, qualifier=qual, period=period,
             date=None, s_start=s_start, s_end=s_end, v_start=s_start + q.start, v_end=s_start + q.end,
             sent_idx=idx, method=method, frame=fr if met else None)
        if isinstance(period, DateMention):
            used_dates.add(date_index[id(period)])


    # ---- ranks "xếp thứ 28/145"
    for a, b, r, total in find_ranks(m):
        _add(ctx, metric="unclassified", low=r, high=r, unit="rank", qualifier="exact", period=None, date=None,
             s_start=s_start, s_end=s_end, v_start=s_start + a, v_end=s_start + b, sent_idx=idx, method=f"rank_of:{total}")

    # ---- every other date or year is kept too (unit date/year), so nothing is silently dropped
    periods_here = {c["period"] for c in ctx.claims[first_claim:] if c["method"] not in ("dated_event",)
                    and not c["method"].startswith("anniversary") and not c["method"].startswith("rank")}
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
            if y is None:
                ctx.read_as_of()
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



_CLAIM_ORDER = itemgetter("char_start", "value_start", "metric")     # a document's claims in text order


def extract_document(doc_id: str, source_path: str, body: str, sentences: list[tuple[int, int]],
                     as_of: str | None = None, as_of_source: str = "unknown",
                     registry: Registry | None = None, toned: str | None = None) -> list[Claim]:
    """Every claim of one cleaned document, in text order. Deterministic. ``toned``: the body in new-style
    tones (``textnorm.new_style_tones``) when the caller has it already."""
    return [Claim(source_path=source_path, **r)
            for r in extract_rows(doc_id, body, sentences, as_of, as_of_source, registry, toned)]


def extract_rows(doc_id: str, body: str, sentences: list[tuple[int, int]], as_of: str | None = None,
                 as_of_source: str = "unknown", registry: Registry | None = None,
                 toned: str | None = None) -> list[dict]:
    """The claims of :func:`extract_document` as rows (``Claim.as_row()`` without ``source_path``): what
    the extract stage writes, with no Claim object made per claim."""
    registry = registry or load_registry()
    as_of_year = int(as_of[:4]) if as_of and as_of[:4].isdigit() else None
    framed_units, event_cues, pairs = _registry_facts(registry)
    body_m = match_form(body, toned)
    ctx = _Ctx(doc_id, body, as_of, as_of_year, as_of_source, registry, target_pairs=pairs, body_m=body_m,
               framed_units=framed_units, event_cues=event_cues)
    ctx.capitalised = Hits(capitalised_countries(body))
    ctx.places_per_sentence = not any(w in body_m for w in registry.lexicon.crossing("places"))
    ctx.starts = sorted(a for a, _ in sentences)
    memo = sentence_memo(registry)
    for idx, (a, b) in enumerate(sentences):
        ctx.carry_period = extract_memoised(ctx, memo, idx, a, b, _extract_sentence)
    seen, out = set(), []
    for c in sorted(ctx.claims, key=_CLAIM_ORDER):
        if c["claim_id"] not in seen:
            seen.add(c["claim_id"])
            out.append(c)
    return out
