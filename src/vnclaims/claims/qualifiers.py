"""Words around a number that qualify it: approx/over/under, targets, changes and increments."""
from __future__ import annotations

import re

from .lexicon import trie_regex
from .numbers import COUNTABLE, UNIT_LEXICON, Quantity

# All patterns are compiled once here; per-sentence facts (cue positions, country mentions,
# destinations) are computed once per sentence, so the cost is linear in the text.
_QUAL_WORDS = (r"khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới|hơn|trên|vượt quá|"
               r"vượt mức|vượt ngưỡng|vượt mốc|vượt|ít nhất|tối thiểu|quá|gần|ngót|ngót nghét|dưới|không dưới|"
               r"chưa đến|chưa tới|chưa bằng|không quá|không tới|tối đa|non|loanh quanh|quanh mức|quanh|"
               r"chưa đầy|từ|lên tới|lên đến|lên mức|lên|tới|đến|đạt|là|có|ở mức|mức|chỉ|còn|vào|ngưỡng|mốc")
# "((?:(?:words)\s+)+)$" written as one trie of the words and "X\s+(?:X\s+)*": it matches the same strings, and
# the match ends at the end, so it is the same match (the leftmost start where the words run to the end); a
# pattern that opens with a repeat is tried at every position, this one only where a word can start (4x faster)
_QUAL_TRIE = "(?:" + trie_regex(_QUAL_WORDS.split("|")) + ")"
_QUAL_WINDOW = re.compile(rf"({_QUAL_TRIE}\s+(?:{_QUAL_TRIE}\s+)*)$")
# "gần" (nearly) is approx, as in the challenge set's convention; "không dưới" (no less than) is over
_OVER_W = re.compile(r"(?<!\w)(?:hơn|trên|vượt|vượt quá|vượt mức|ít nhất|tối thiểu|quá|không dưới)\s")
_UNDER_W = re.compile(r"(?<!\w)(?<!không )(?:dưới|chưa đến|chưa tới|chưa bằng|không quá|không tới|tối đa|non|"
                      r"chưa đầy)\s")
_APPROX_W = re.compile(r"(?<!\w)(?:khoảng|xấp xỉ|chừng|ước tính|ước khoảng|ước|cỡ|độ|hàng|gần như|trên dưới|gần|"
                       r"ngót|ngót nghét|loanh quanh|quanh)\s")
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
