"""The period a figure refers to: a year, range, month or part of a year in its clause, or a relative
year ("năm ngoái") resolved against the document's as_of."""
from __future__ import annotations

import re
from bisect import bisect_left

from .dates import DateMention

_BASE_YEAR_RE = re.compile(r"so với (?:cùng kỳ )?(?:năm )?$")
# relative years, resolved against as_of; "những năm tới" (coming years) is no year
_REL_YEAR_RE = re.compile(r"(?<!\w)(năm nay|năm ngoái|năm tới|sang năm)(?!\s*\d)")
_REL_OFFSETS = {"năm nay": 0, "năm ngoái": -1, "năm tới": 1, "sang năm": 1}
_REL_PART_RE = re.compile(r"(?<!\w)(?:(?P<n>\d{1,2}) tháng (?P<edge>đầu |cuối )?|quý (?P<q>iv|i{1,3}|[1-4]) |"
                          r"(?P<half>nửa đầu|nửa cuối|nửa sau) )(?:của )?(?P<rel>năm nay|năm ngoái)(?!\s*\d)")
_REL_NOT_BEFORE_RE = re.compile(r"(?:những|các|nhiều|mấy|so với|so với cùng kỳ)\s+$")
_REL_AFTER_DATE_RE = re.compile(r"\s*(năm ngoái|năm trước|năm nay|năm sau|năm tới)")
_REL_AFTER_OFFSETS = {"năm ngoái": -1, "năm trước": -1, "năm nay": 0, "năm sau": 1, "năm tới": 1}


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
