"""The reference date of a document inferred from its own text (when the manifest gives none)."""
from __future__ import annotations

import re

from ..text.textnorm import match_form
from .dates import find_dates

_TARGET_RE = re.compile(r"phấn đấu|mục tiêu|kế hoạch|chỉ tiêu|hướng tới|nhắm tới|đặt ra|kỳ vọng|dự kiến(?: sẽ)? đạt|"
                        r"(?:đưa|nâng)\b[^,;]{0,80}\blên")
_FUTURE_RE = re.compile(r"\b(?:sẽ|dự kiến|phấn đấu|mục tiêu|kế hoạch|hướng tới|tầm nhìn|sang năm|đến năm|tới năm|để)\b[^.]{0,80}$")
_FUTURE_YEAR_BEFORE_RE = re.compile(r"\b(?:đến|tới|sang)\s+(?:năm\s+)?$")
# "\d\d\d\d", not "\d{4}": a pattern that opens with a repeat is tried at every position, one that opens with a
# character class lets the engine skip to the digits (1.6x faster, the same matches)
_FOUR_DIGITS_RE = re.compile(r"\d\d\d\d")
_FLOW_STAT_RE = re.compile(r"năm (\d{4})[^.;]{0,40}?\b(?:đạt|là|lên tới|ở mức)\b")
_PART_OF_YEAR_BEFORE_RE = re.compile(r"(?:tháng|tháng đầu|tháng cuối|quý (?:iv|i{1,3}|[1-4])|nửa đầu|nửa cuối|nửa sau)\s+(?:của\s+)?$")


# the years of a sentence, by its text (a bounded cache: syndicated and near-duplicate articles repeat sentences)
_SENTENCE_YEARS: dict[str, tuple[tuple[tuple[int, str], ...], tuple[int, ...]]] = {}
_CACHE_SIZE = 20_000


def infer_as_of(body: str, sentences: list[tuple[int, int]]) -> tuple[int | None, str]:
    """Reference year of a document from its own text: the latest year it reports as past
    (a statistic for year P means the text is from P+1 or later); future-marked years ("sẽ",
    "phấn đấu", "đến năm") are ignored unless nothing else is known. Returns (year, evidence)."""
    past: list[tuple[int, str]] = []
    future: list[int] = []
    for a, b in sentences:
        if not _FOUR_DIGITS_RE.search(body, a, b):
            continue          # every year this looks at is four digits: most sentences have none
        s = body[a:b]
        got = _SENTENCE_YEARS.get(s)
        if got is None:
            got = sentence_years(s)
            if len(_SENTENCE_YEARS) >= _CACHE_SIZE:
                del _SENTENCE_YEARS[next(iter(_SENTENCE_YEARS))]      # the oldest entry
            _SENTENCE_YEARS[s] = got
        past.extend(got[0])
        future.extend(got[1])
    if past:
        y, ev = max(past)
        return y, ev
    if future:
        return min(future), "earliest future-tense year"
    return None, ""


def sentence_years(s: str) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...]]:
    """One sentence's part of :func:`infer_as_of`: ((year, evidence) reported as past, years marked as future)."""
    past: list[tuple[int, str]] = []
    future: list[int] = []
    m = match_form(s)
    for d in find_dates(m, s):
        years = [y for y in (d.year, d.year_end) if y]
        before = m[:d.start]
        is_future = (bool(_FUTURE_RE.search(before)) or bool(_FUTURE_YEAR_BEFORE_RE.search(before))
                     or bool(_TARGET_RE.search(before[-80:])))
        for y in years:
            (future.append(y) if is_future else past.append((y, s[d.start:d.end])))
    for st in _FLOW_STAT_RE.finditer(m):
        y = int(st.group(1))
        if _PART_OF_YEAR_BEFORE_RE.search(m, max(0, st.start() - 25), st.start()):
            continue  # "6 tháng đầu năm 2024 đạt ...": the year is not over yet
        if 1800 <= y <= 2100 and not _FUTURE_RE.search(m[:st.start()]) and not _TARGET_RE.search(m[max(0, st.start() - 60):st.start()]):
            past.append((y + 1, f"statistic for {y} reported"))
    return tuple(past), tuple(future)
