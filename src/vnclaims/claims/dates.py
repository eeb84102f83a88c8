"""Dates, years and parts of a year in a sentence's match form.

"30/01/1950", "ngày 5 đến 7/4", "29/11 - 2/12/2021", "tháng 5/2019", "năm 2012", "ngày 16 tháng 6 năm 1994",
"giai đoạn 2016-2020", "từ năm 1991 đến nay"; parts of a year "6 tháng đầu năm 2024", "quý I/2024",
"nửa đầu năm 2024" (period "2024-01/2024-06")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .units import UNIT_RE

@dataclass
class DateMention:
    start: int
    end: int
    kind: str            # date | daterange | month | daymonth | year | yearrange | since | partial
    year: int | None
    month: int | None = None
    day: int | None = None
    year_end: int | None = None
    month_end: int | None = None
    day_end: int | None = None

    @property
    def iso(self) -> str | None:
        if self.kind == "partial":
            return None
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return None

    @property
    def period(self) -> str | None:
        if self.kind == "since" and self.year:
            return f"{self.year}-"
        if self.kind == "partial" and self.year and self.month and self.month_end:
            # part of a year: "6 tháng đầu năm 2024" -> "2024-01/2024-06" (an ISO 8601 month interval)
            return f"{self.year:04d}-{self.month:02d}/{self.year:04d}-{self.month_end:02d}"
        if self.kind == "yearrange" and self.year and self.year_end:
            return f"{self.year}-{self.year_end}"
        if self.kind == "month" and self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.year:
            return str(self.year)
        return None


def _ok_day(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


def _ok_year(y: int) -> bool:
    return 1800 <= y <= 2100


_SEP = r"\s*(?:-|–|—|đến|tới)\s*"
# (kind, words the pattern cannot match without, a gate: a regex that starts with a letter or a digit
# and must be found first (for patterns that start with an optional part, which the engine tries everywhere),
# pattern). A sentence without the words or the gate skips the pattern.
# A look-behind is written after the first digit ("(\d(?<![\d/.,]\d)\d?)" for "(?<![\d/.,])(\d{1,2})"): the
# same matches, but a pattern that starts with \d lets the engine skip to the next digit (and "\d\d\d\d" for a
# leading "\d{4}": a pattern that opens with a repeat is tried at every position too).
_DATE_PATTERNS: list[tuple[str, tuple[str, ...], re.Pattern | None, re.Pattern]] = [
    ("since", ('từ ',), re.compile(r"từ (?:năm )?\d{4} (?:đến|tới) "), re.compile(r"(?:kể )?từ (?:năm )?(\d{4}) (?:đến|tới) (?:nay|hiện nay|bây giờ)")),
    ("full_words", ('tháng ', 'năm '), None, re.compile(r"(\d\d?) tháng (\d{1,2}) năm (\d{4})")),
    # parts of a year: "6 tháng đầu năm 2024", "9 tháng năm 2023", "quý I/2024", "nửa đầu năm 2024"
    ("partial_months", ('tháng ',), None, re.compile(r"(\d\d?) tháng (đầu |đầu tiên của |cuối )?(?:năm |của năm )?(\d{4})(?!\d)")),
    ("partial_words", ('tháng ',), re.compile(r"(?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mười một) tháng"),
     re.compile(r"(?<!\w)(hai|ba|bốn|năm|sáu|bảy|tám|chín|mười một|mười) tháng (đầu |đầu tiên của |cuối )?(?:năm |của năm )?(\d{4})(?!\d)")),
    ("quarter", ('quý ',), None, re.compile(r"quý (iv|i{1,3}|[1-4])(?!\w)\s*(?:/|-|năm|của năm)\s*(\d{4})(?!\d)")),
    ("half", ('nửa ',), None, re.compile(r"(nửa đầu|nửa cuối|nửa sau) (?:năm |của năm )?(\d{4})(?!\d)")),
    ("range_dm_dmy", ('/',), None, re.compile(r"(\d\d?)/(\d{1,2})" + _SEP + r"(\d{1,2})/(\d{1,2})/(\d{4})")),
    ("range_d_dmy", ('/',), None, re.compile(r"(\d(?<![\d/.,]\d)\d?)" + _SEP + r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\d/])")),
    ("dmy", (), None, re.compile(r"(\d(?<![\d/.,]\d)\d?)[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)")),
    ("month_words", ('tháng ', 'năm '), None, re.compile(r"tháng (\d{1,2}) năm (\d{4})")),
    ("month_only", ('tháng ',), None, re.compile(r"tháng (\d{1,2})(?![\d/])(?![.,]\d)(?! năm \d)")),
    ("my", ('/',), None, re.compile(r"(\d(?<![\d/.,]\d)\d?)/(\d{4})(?![\d/])")),
    ("dm", ('/',), None, re.compile(r"(\d(?<![\d/.,]\d)\d?)/(\d{1,2})(?![\d/])")),
    ("yearrange", (), re.compile(r"\d\d\d\d\s*(?:-|–|—|đến|tới)\s*(?:năm )?\d{4}"), re.compile(r"(?:năm |giai đoạn |thời kỳ |niên khóa )?(\d{4})\s*(?:-|–|—|đến|tới)\s*(?:năm )?(\d{4})(?!\d)")),
    ("year_kw", ('năm ',), None, re.compile(r"năm (\d{4})(?!\d)")),
    # the year of a statistic or census "theo thống kê 2015", and a year in brackets after a name "Liên Xô (1978)"
    ("year_stat", (), re.compile(r"thống kê|số liệu|điều tra"),
     re.compile(r"(?:thống kê|số liệu|điều tra dân số|điều tra)\s+(\d{4})(?!\d)(?![.,]\d)")),
    ("year_paren", ('(',), None, re.compile(r"(?<=\()(\d{4})(?=\))")),
    # (the four digits first, then the word before them: the look-behinds are tried at four digits, not at every digit)
    ("year_ctx", (), None, re.compile(r"(\d\d\d\d)(?:" + "|".join(rf"(?<={w} \d\d\d\d)" for w in (
        "từ", "đến", "tới", "trước", "sau", "vào", "cuối", "đầu", "giữa", "hết")) + r")(?!\d)(?![.,]\d)")),
]
# the kinds that can match without four digits in a row: a sentence without them (a third of those with a digit)
# tries these alone
_WITHOUT_YEAR = frozenset({"range_d_dmy", "month_only", "dm"})
_DATE_PATTERNS_WITHOUT_YEAR = [p for p in _DATE_PATTERNS if p[0] in _WITHOUT_YEAR]
_FOUR_DIGITS_RE = re.compile(r"\d\d\d\d")
_HAS_DIGIT_RE = re.compile(r"\d")
_THU_BEFORE_RE = re.compile(r"thứ\s*$")
_DAY_FROM_BEFORE_RE = re.compile(r"(?:ngày|từ)\s*$")
# "2/3 số dự án": a fraction of something, not the 2nd of March
_FRACTION_AFTER_RE = re.compile(r"\s+(?:số|tổng|lượng|dân số|diện tích|trong số)(?!\w)")
# (written to start with the first digit, its look-behinds after it: the engine skips to digits instead of
# trying every position; the same matches as "(?<=[A-Z]{2} )(\d{4})...|(?<=[A-Z][a-z]{2} )(\d{4})...")
_NAME_YEAR_RE = re.compile(r"\d(?:(?<=[A-Z]{2} \d)|(?<=[A-Z][a-z]{2} \d))\d{3}(?!\d)(?![.,]\d)")
_MONTH_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DM_CONTEXT = re.compile(r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|từ|đến|tới|và|-|–)\s*$")


def _free(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """[a, b) overlaps none of the spans taken so far."""
    for x, y in spans:
        if a < y and x < b:
            return False
    return True


def find_dates(m: str, original: str | None = None) -> list[DateMention]:
    """All date / year mentions in a sentence's match form, non-overlapping, in order."""
    if not _HAS_DIGIT_RE.search(m):
        return []
    spans: list[tuple[int, int]] = []       # taken so far (a sentence has a handful)
    out: list[DateMention] = []

    for kind, needs, gate, rx in (_DATE_PATTERNS if _FOUR_DIGITS_RE.search(m) else _DATE_PATTERNS_WITHOUT_YEAR):
        if needs and (needs[0] not in m or (len(needs) > 1 and needs[1] not in m)):
            continue        # (needs has one or two words: no generator per pattern)
        if gate is not None and not gate.search(m):
            continue
        for mt in rx.finditer(m):
            a, b = mt.span(1) if kind == "year_stat" else mt.span()
            if spans and not _free(spans, a, b):
                continue
            g = mt.groups()
            dm: DateMention | None = None
            if kind == "since":
                y = int(g[0])
                if _ok_year(y):
                    dm = DateMention(a, b, "since", y)
            elif kind == "full_words":
                d, mo, y = map(int, g)
                if _ok_day(d, mo) and _ok_year(y):
                    dm = DateMention(a, b, "date", y, mo, d)
            elif kind == "range_dm_dmy":
                d1, m1, d2, m2, y = map(int, g)
                if _ok_day(d1, m1) and _ok_day(d2, m2) and _ok_year(y):
                    y1 = y - 1 if m1 > m2 else y
                    dm = DateMention(a, b, "daterange", y1, m1, d1, y, m2, d2)
            elif kind == "range_d_dmy":
                d1, d2, mo = int(g[0]), int(g[1]), int(g[2])
                y = int(g[3]) if g[3] else None
                before = m[max(0, a - 12):a]
                if _ok_day(d1, mo) and _ok_day(d2, mo) and d1 < d2 and (y is None or _ok_year(y)) \
                        and (y is not None or _DAY_FROM_BEFORE_RE.search(before)):
                    dm = DateMention(a, b, "daterange", y, mo, d1, y, mo, d2)
            elif kind == "dmy":
                d, mo, y = map(int, g)
                if _ok_day(d, mo) and _ok_year(y):
                    dm = DateMention(a, b, "date", y, mo, d)
            elif kind == "partial_months":
                k, y = int(g[0]), int(g[2])
                if 1 <= k <= 11 and _ok_year(y):
                    m1, m2 = (12 - k + 1, 12) if g[1] == "cuối " else (1, k)
                    dm = DateMention(a, b, "partial", y, m1, month_end=m2)
            elif kind == "partial_words":
                k, y = _MONTH_WORDS[g[0]], int(g[2])
                if _ok_year(y):
                    m1, m2 = (12 - k + 1, 12) if g[1] == "cuối " else (1, k)
                    dm = DateMention(a, b, "partial", y, m1, month_end=m2)
            elif kind == "quarter":
                qn = _QUARTERS[g[0]]
                y = int(g[1])
                if _ok_year(y):
                    dm = DateMention(a, b, "partial", y, 3 * qn - 2, month_end=3 * qn)
            elif kind == "half":
                y = int(g[1])
                if _ok_year(y):
                    m1, m2 = (1, 6) if g[0] == "nửa đầu" else (7, 12)
                    dm = DateMention(a, b, "partial", y, m1, month_end=m2)
            elif kind == "month_words":
                mo, y = map(int, g)
                if 1 <= mo <= 12 and _ok_year(y):
                    dm = DateMention(a, b, "month", y, mo)
            elif kind == "month_only":
                mo = int(g[0])
                if 1 <= mo <= 12:
                    dm = DateMention(a, b, "monthonly", None, mo)
            elif kind == "my":
                mo, y = map(int, g)
                if 1 <= mo <= 12 and _ok_year(y) and not _THU_BEFORE_RE.search(m, max(0, a - 6), a):
                    dm = DateMention(a, b, "month", y, mo)
            elif kind == "dm":
                d, mo = map(int, g)
                before = m[max(0, a - 14):a]
                if _ok_day(d, mo) and _DM_CONTEXT.search(before) and not _THU_BEFORE_RE.search(before) \
                        and not _FRACTION_AFTER_RE.match(m, b):
                    dm = DateMention(a, b, "daymonth", None, mo, d)
            elif kind == "yearrange":
                y1, y2 = int(g[0]), int(g[1])
                if _ok_year(y1) and _ok_year(y2) and y1 < y2 and (mt.group(0)[0].isalpha() or y2 - y1 <= 50):
                    dm = DateMention(a, b, "yearrange", y1, year_end=y2)
            elif kind in ("year_kw", "year_stat", "year_paren"):
                y = int(g[0])
                if _ok_year(y):
                    dm = DateMention(a, b, "year", y)
            elif kind == "year_ctx":
                y = int(g[0])
                after = m[b:b + 12]
                if _ok_year(y) and not UNIT_RE.match(after):
                    dm = DateMention(a, b, "year", y)
            if dm:
                spans.append((a, b))
                out.append(dm)
    # "APEC 2017", "SEA Games 2025": a 4-digit year after a capitalised name, in the original text
    if original is not None:
        for mt in _NAME_YEAR_RE.finditer(original):
            a, b = mt.span()
            y = int(mt.group(0))
            if _free(spans, a, b) and _ok_year(y) and not UNIT_RE.match(m[b:b + 12]):
                spans.append((a, b))
                out.append(DateMention(a, b, "year", y))
    out.sort(key=lambda d: d.start)
    return out
