"""The period a figure refers to: a year, range, month or part of a year in its clause, or a relative
year ("năm ngoái") resolved against the document's as_of."""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable

from .dates import DateMention

_BASE_YEAR_RE = re.compile(r"so với (?:cùng kỳ )?(?:năm )?$")
# relative years, resolved against as_of; "những năm tới" (coming years) is no year
_REL_YEAR_RE = re.compile(r"(?<!\w)(năm nay|năm ngoái|năm tới|sang năm|năm qua)(?!\s*\d)")
_REL_OFFSETS = {"năm nay": 0, "năm ngoái": -1, "năm tới": 1, "sang năm": 1, "năm qua": -1}
_REL_WORDS = tuple(_REL_OFFSETS)       # a sentence with none of them has no relative year (a substring test)
_N_BEFORE_RE = re.compile(r"(?<!\w)(\d{1,2})\s+$")     # "trong 5 năm tới": as_of + 5
_REL_PART_RE = re.compile(r"(?<!\w)(?:(?P<n>\d{1,2}) tháng (?P<edge>đầu |cuối )?|quý (?P<q>iv|i{1,3}|[1-4]) |"
                          r"(?P<half>nửa đầu|nửa cuối|nửa sau) )(?:của )?(?P<rel>năm nay|năm ngoái)(?!\s*\d)")
_REL_NOT_BEFORE_RE = re.compile(r"(?:những|các|nhiều|mấy|so với|so với cùng kỳ)\s+$")
_REL_AFTER_DATE_RE = re.compile(r"\s*(năm ngoái|năm trước|năm nay|năm sau|năm tới)")
_REL_AFTER_OFFSETS = {"năm ngoái": -1, "năm trước": -1, "năm nay": 0, "năm sau": 1, "năm tới": 1}


def _relative_years(m: str, as_of_year: int | None) -> list[tuple[int, int, int, str]]:
    """(start, end, year, period) of "năm nay" / "năm ngoái" / "năm tới" resolved against as_of, and of
    parts of them ("6 tháng đầu năm nay" -> "2024-01/2024-06", "quý I năm ngoái" -> "2023-01/2023-03")."""
    if not as_of_year or not any(w in m for w in _REL_WORDS):
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
        n = _N_BEFORE_RE.search(m, max(0, mt.start() - 4), mt.start()) if mt.group(1) == "năm tới" else None
        if n:
            y = as_of_year + int(n.group(1))
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


# a running total up to a date: "lũy kế đến tháng 8/2016", "tính đến ngày 20/10/2024", "tính đến cuối năm 2017"
_TO_DATE_BEFORE_RE = re.compile(r"(?<!\w)(?:lũy kế|tính đến|tính tới|đến hết|tới hết|đến cuối|tới cuối|tính đến hết|"
                                r"tính đến cuối|lũy kế đến|lũy kế tới)(?:\s+(?:ngày|tháng|năm|cuối|hết))*\s*$")
_UNTIL_NOW_RE = re.compile(r"(?<!\w)(?:tính đến nay|đến nay|hiện nay|tính tới nay)(?!\w)")
# part of the document's year without a year: "5 tháng đầu năm", "7 tháng", "trong tháng 5", "từ đầu năm đến hết tháng 8"
_PART_NO_YEAR_RE = re.compile(r"(?<!\w)(?:(?P<n>\d{1,2}) tháng(?: (?P<edge>đầu|cuối))?(?: năm)?(?! \d)(?!\s*/)|"
                              r"tháng (?P<m>\d{1,2})(?![\d/])(?! năm \d)|từ đầu năm (?:đến|tới) (?:hết )?tháng (?P<to>\d{1,2}))")
STOCK_POPULATIONS = frozenset({"investment", "agreements"})
_NOW_AFTER_RE = re.compile(r"[^,;.]{0,25}?(?<!\w)(?:hiện nay|hiện tại|hiện giờ|bây giờ|ngày nay)(?!\w)")


_SOURCE_YEAR_RE = re.compile(r"(?<!\w)(?:theo|số liệu|thống kê|điều tra)(?!\w)[^;]{0,50}?(?<!\w)năm (\d{4})(?!\d)")
_TARGET_YEAR_BEFORE_RE = re.compile(r"(?<!\w)(?:từ|vào|đến|tới|trước|trong)\s+(?:năm\s+)?$")
_BY_YEAR_BEFORE_RE = re.compile(r"(?<!\w)(?:đến|tới)\s+(?:năm\s+)?$")
_YEAR_RIGHT_AFTER_RE = re.compile(r"\s*\(?\s*(?:trong |vào )?$")


def relative_years_read_as_of(m: str) -> bool:
    """Whether :func:`_relative_years` of ``m`` depends on as_of (it gives [] whatever as_of when ``m`` has
    none of the relative-year words)."""
    return any(w in m for w in _REL_WORDS)


def frame_period(m: str, dates: list[DateMention], period, fr, as_of: str | None, pos: int, end: int,
                 part_start: int, target: bool = False, read_as_of: Callable[[], None] | None = None):
    """The period of a classified figure, refined by its frame: a year written right after the figure is
    its own ("từ 800 năm 2018 lên 1.000 năm 2020"); a stock (people, projects) takes no year from another
    part of its sentence; a running total of a stock is "../YYYY-MM" (up to the date it is counted to, or
    the end of the period it is reported for); a part of the document's year written without a year
    ("5 tháng đầu năm", "tháng 5") takes the year of as_of. ``read_as_of()`` is called where as_of decides
    the period (the sentence memo keeps the claims of a sentence that never gets there for any as_of)."""
    for d in dates:
        if d.start >= end and d.year and d.kind in ("year", "yearrange", "partial", "month") \
                and _YEAR_RIGHT_AFTER_RE.fullmatch(m, end, d.start):
            period = d
            break
    if (target or fr.population in STOCK_POPULATIONS | {"community", "students"}) \
            and isinstance(period, DateMention) and period.start < part_start:
        period = None       # a stock or a target takes no year from another part of its sentence
    if fr.population in STOCK_POPULATIONS | {"community", "students"} and isinstance(period, DateMention) \
            and period.start < pos and _NOW_AFTER_RE.match(m, end):
        period = None       # "... lên khoảng 5.000 người hiện nay": today's figure, not the earlier year's
    if period is None and fr.population in ("community", "students", "investment"):
        src = _SOURCE_YEAR_RE.search(m, part_start)
        if src:             # "theo số liệu của Đại sứ quán năm 2018": the year the figure was counted
            period = src.group(1)
    if target and period is None:
        # a target's year may follow in the next clause: "..., bắt đầu từ năm 2026", "... vào năm 2030"
        for d in dates:
            if d.start >= end and d.kind == "year" and _TARGET_YEAR_BEFORE_RE.search(m, max(0, d.start - 20), d.start):
                period = d
                break
    if target and fr.scope == "new_in_period" and isinstance(period, DateMention) and period.kind == "year" \
            and _BY_YEAR_BEFORE_RE.search(m, max(0, period.start - 12), period.start):
        return f"../{period.year}"      # "rót thêm 500 triệu USD ... đến năm 2027": added by 2027
    if fr.population in STOCK_POPULATIONS and fr.cumulative:
        if isinstance(period, DateMention) and period.kind == "since":
            return period
        for d in dates:
            if d.year and d.start < pos and _TO_DATE_BEFORE_RE.search(m, max(0, d.start - 30), d.start):
                month = d.month_end or d.month or 12
                return f"../{d.year:04d}-{month:02d}"
        if _UNTIL_NOW_RE.search(m, 0, pos):
            return None
        if isinstance(period, DateMention) and period.year:
            y = period.year_end or period.year
            month = period.month_end or (period.month if period.kind == "month" else 12)
            return f"../{y:04d}-{month:02d}"
        if isinstance(period, str) and period[:4].isdigit():
            end = period.split("/")[-1]
            return f"../{end[:4]}-{end[5:7] or '12'}" if len(end) >= 7 else f"../{end[:4]}-12"
        return period
    if period is None:
        mt = None
        for mt in _PART_NO_YEAR_RE.finditer(m, 0, pos):
            pass
        if mt is not None and read_as_of is not None:
            read_as_of()
        if mt is not None and as_of and as_of[:4].isdigit():
            y = int(as_of[:4])
            if mt.group("n"):
                k = int(mt.group("n"))
                if 1 <= k <= 11:
                    m1, m2 = (12 - k + 1, 12) if mt.group("edge") == "cuối" else (1, k)
                    return f"{y:04d}-{m1:02d}/{y:04d}-{m2:02d}"
            elif mt.group("m") and 1 <= int(mt.group("m")) <= 12:
                return f"{y:04d}-{int(mt.group('m')):02d}"
            elif mt.group("to") and 1 <= int(mt.group("to")) <= 12:
                return f"{y:04d}-01/{y:04d}-{int(mt.group('to')):02d}"
    return period
