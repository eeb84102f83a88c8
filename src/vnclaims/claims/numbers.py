"""Vietnamese numbers and quantities (dates: dates.py; units: units.py), found in a sentence's match form.

All finders take ``m`` (the match form of a sentence: lower-case, same length as the original) and
return spans into it. Conventions handled:
  dot thousands "80.000", comma decimals "3,75", English decimals "3.75"; magnitude words
  nghìn/ngàn, triệu, tỷ/tỉ, trăm, nghìn tỷ; numbers in words ("năm mươi nghìn", "mười lăm",
  "hai triệu rưỡi"); ranges "60-80 nghìn", "từ 40.000 đến 50.000"; percentages "2,3%";
  dates "30/01/1950", "ngày 5 đến 7/4", "29/11 - 2/12/2021", "tháng 5/2019", "năm 2012",
  "ngày 16 tháng 6 năm 1994", "giai đoạn 2016-2020", "từ năm 1991 đến nay"; parts of a year
  "6 tháng đầu năm 2024", "quý I/2024", "nửa đầu năm 2024" (period "2024-01/2024-06").
Not quantities: identifiers (phone numbers "0903 123 456", "+7 495 ...", versions "2.1.3", "mã số 12345"),
"2 nước" / "2 bên" / "2 chiều", a bare or vague number word ("hai nước", "hàng nghìn", "lần thứ ba").
Kept with a special unit: digit ordinals "lần thứ 3" ('ordinal'), small fractions "2/3 số dự án" ('fraction').
A trailing "năm" after number words is the noun "year": "hai mươi năm" = 20 years, not 25.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import _HAS_DIGIT_RE, DateMention, find_dates  # noqa: F401  (re-exported: numbers is the old home)
from .lexicon import trie_regex
from .units import (  # noqa: F401
    _GENERIC_UNIT_RE,
    COUNTABLE,
    NOT_UNIT,
    UNIT_LEXICON,
    UNIT_RE,
    unit_code,
)

# ------------------------------------------------------------------ numerals
DIGITS = r"\d+(?:[.,]\d+)*"

WORD_DIGITS = {
    "không": 0, "linh": 0, "lẻ": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4,
    "năm": 5, "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
WORD_TENS = {"mười": 10, "mươi": 10, "chục": 10}
MAGNITUDES = {"trăm": 100, "nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
NUMBER_WORDS = set(WORD_DIGITS) | set(WORD_TENS) | set(MAGNITUDES) | {"rưỡi"}
# words that may stand alone as a counted number before a unit noun
SOLO_WORDS = {"hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười"}

MAG_RE = r"(?:nghìn tỷ|ngàn tỷ|nghìn tỉ|ngàn tỉ|trăm nghìn|trăm ngàn|trăm triệu|nghìn|ngàn|triệu|tỷ|tỉ|trăm|vạn)"


def parse_digits(tok: str, countable: bool = False) -> float:
    """'80.000' -> 80000, '3,75' -> 3.75, '3.75' -> 3.75, '1.000.000' -> 1e6, '1,234.5' -> 1234.5.

    A single comma followed by exactly three digits ("1,630") is a decimal comma in Vietnamese,
    except for countable units (people, projects), where it can only be a thousands separator.
    """
    if "." in tok and "," in tok:
        if tok.rfind(",") > tok.rfind("."):          # 1.234,5 (vi)
            return float(tok.replace(".", "").replace(",", "."))
        return float(tok.replace(",", ""))            # 1,234.5 (en)
    if "." in tok:
        groups = tok.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            return float(tok.replace(".", ""))
        if len(groups) == 2:
            return float(tok)
        return float(tok.replace(".", ""))
    if "," in tok:
        groups = tok.split(",")
        if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
            return float(tok.replace(",", ""))
        if len(groups) == 2 and len(groups[1]) == 3 and countable:
            return float(tok.replace(",", ""))
        return float(tok.replace(",", "."))
    return float(tok)


def words_to_number(words: list[str]) -> float | None:
    """['năm','mươi','nghìn'] -> 50000; ['mười','lăm'] -> 15; ['hai','triệu','rưỡi'] -> 2.5e6;
    ['một','trăm','linh','năm'] -> 105; ['một','nghìn','hai','trăm'] -> 1200."""
    total = 0.0      # completed groups >= 1000
    group = 0.0      # current group < 1000
    cur = None       # current pending digit
    last_mag = None
    seen = False
    for w in words:
        if w in WORD_DIGITS:
            d = WORD_DIGITS[w]
            cur = (cur or 0) + d if cur is not None and cur >= 10 else d
            if w in ("linh", "lẻ"):
                cur = 0
            seen = True
        elif w in WORD_TENS:
            if w == "mười":
                cur = 10 if cur is None else cur + 10
            else:  # mươi / chục multiply
                cur = (cur if cur is not None else 1) * 10
            seen = True
        elif w == "trăm":
            group += (cur if cur is not None else 1) * 100
            cur = None
            seen = True
        elif w in MAGNITUDES:
            mag = MAGNITUDES[w]
            value = group + (cur or 0)
            if value == 0:
                value = 1
            if last_mag is not None and mag > last_mag:
                total = (total + value) * mag      # "nghìn tỷ"
            else:
                total += value * mag
            group, cur, last_mag = 0.0, None, mag
            seen = True
        elif w == "rưỡi":
            if last_mag:
                total += last_mag / 2
            elif cur is not None:
                group += 0.5
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + group + (cur or 0)


def magnitude_value(mag: str | None) -> float:
    if not mag:
        return 1.0
    v = 1.0
    for w in mag.split():
        v *= MAGNITUDES[w]
    return v

# ------------------------------------------------------------------ quantities
@dataclass
class Quantity:
    start: int
    end: int
    low: float
    high: float | None
    unit: str                 # unit code (USD, person, percent, ...) or the unit words for other nouns
    unit_text: str
    is_range: bool
    numeral_start: int        # where the number itself starts (after "từ")


_NUM_TOKEN_RE = re.compile(DIGITS)
_WORD_RE = re.compile(r"[a-zà-ỹđ]+")
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|~|đến|tới)\s*")
_MAG_AFTER_RE = re.compile(r"\s*(" + MAG_RE + r")(?!\w)")
_TWO_IDIOM_RE = re.compile(r"2\s+(?:nước|bên|chiều|phía)(?!\w)")
_RANK_RE = re.compile(r"thứ\s+(\d+)\s*/\s*(\d+)")
_ORDINAL_BEFORE_RE = re.compile(r"(?<!\w)thứ\s+$")


# number words that cannot begin a numeral ("đầu tư hai dự án": "tư" is not four here; "không" is
# "not"; a bare magnitude is vague: "hàng nghìn người")
_NO_START = {"tư", "mốt", "lăm", "nhăm", "linh", "lẻ", "mươi", "rưỡi", "không", "chục"} | set(MAGNITUDES)
# unit digits that follow only a tens word ("hai mươi mốt", "mười lăm") or trăm/linh ("một trăm linh tư")
_AFTER_TENS_ONLY = {"mốt": set(WORD_TENS), "lăm": set(WORD_TENS), "nhăm": set(WORD_TENS),
                    "tư": set(WORD_TENS) | {"trăm", "linh", "lẻ"}}
_PLAIN_DIGITS = set(WORD_DIGITS) - {"linh", "lẻ", "không"}


def _numeral_words(m: str, i: int) -> tuple[list[str], list[int]]:
    """The longest well-formed run of number words at i: (words, end offset of each word)."""
    words: list[str] = []
    ends: list[int] = []
    j = i
    while True:
        w = _WORD_RE.match(m, j)
        if not w or w.group(0) not in NUMBER_WORDS:
            break
        tok = w.group(0)
        if not words and tok in _NO_START:
            break
        if words:
            prev = words[-1]
            if tok in _AFTER_TENS_ONLY and prev not in _AFTER_TENS_ONLY[tok]:
                break
            # two plain digits in a row ("hai ba người" = two or three): the numeral ends at the first
            if tok in _PLAIN_DIGITS and prev in _PLAIN_DIGITS:
                break
        words.append(tok)
        ends.append(w.end())
        j = w.end()
        while j < len(m) and m[j] == " ":
            j += 1
    # "năm" is the digit five only inside a numeral ("năm mươi", "năm nghìn", "một trăm linh năm");
    # as the last word it is the noun "year(s)": "hai mươi năm" = 20 years, "một trăm năm" = 100 years
    while words and words[-1] == "năm" and not (len(words) >= 2 and words[-2] in ("linh", "lẻ")):
        words.pop()
        ends.pop()
    return words, ends


def _number_at(m: str, i: int) -> tuple[float, int, str, bool] | None:
    """A numeral (digits or words) starting at i -> (value, end, token, is_words)."""
    mt = _NUM_TOKEN_RE.match(m, i)
    if mt:
        return 0.0, mt.end(), mt.group(0), False
    words, ends = _numeral_words(m, i)
    if not words:
        return None
    v = words_to_number(words)
    if v is None:
        return None
    return v, ends[-1], " ".join(words), True


# identifiers, not quantities: phone numbers, codes, versions, document numbers
_ID_BEFORE_RE = re.compile(
    r"(?<!\w)(?:mã số|mã|số hiệu|số điện thoại|số máy|số fax|số tài khoản|tài khoản|điện thoại|đường dây nóng|"
    r"hotline|phiên bản|version|fax|tel|đt|biển số|biển kiểm soát|hộ chiếu|chuyến bay|"
    r"(?:nghị định|quyết định|thông tư|công văn|nghị quyết|chỉ thị|luật|văn bản|tờ trình|thông báo) số)"
    r"\s*[:.]?\s*\+?$")
_ID_RUN_RE = re.compile(r"\+?\d[\d.\-/()]*(?:[ ]\(?\d[\d.\-/()]*)*")
_VERSION_RE = re.compile(r"\d+(?:\.\d+){2,}")


def _identifier_end(m: str, i: int) -> int | None:
    """If the digits at i are an identifier (phone number, code, version), the end of its run."""
    before = m[max(0, i - 24):i]
    plus = i > 0 and m[i - 1] == "+"
    tok = _NUM_TOKEN_RE.match(m, i).group(0)
    is_id = plus or bool(_ID_BEFORE_RE.search(before))
    if not is_id and tok[0] == "0" and sum(ch.isdigit() for ch in tok) >= 3 and (len(tok) < 2 or tok[1] not in ".,"):
        is_id = True                      # "0903", "0243.826.1234": a leading zero is a phone/code
    if not is_id:
        v = _VERSION_RE.fullmatch(tok)
        if v and not all(len(g) == 3 for g in tok.split(".")[1:]):
            is_id = True                  # "2.1.3"; "1.000.000" is a number
    if not is_id:
        return None
    run = _ID_RUN_RE.match(m, i)
    return run.end() if run else i + len(tok)


# a digit, or a number word (as a trie: one branch per character, several times faster than a flat alternation)
# (the look-behinds written after the first character: the engine skips to digits and first letters; 25 % faster)
_CANDIDATE_RE = re.compile(r"\d(?<![\w.,]\d)|" + trie_regex(sorted(NUMBER_WORDS - _NO_START), word_start=True) + r"(?!\w)")


def find_quantities(m: str, blocked: list[tuple[int, int]]) -> list[Quantity]:
    """Numbers with their magnitude, range and unit, outside the ``blocked`` spans (dates)."""
    blocked_set = set()
    for a, b in blocked:
        blocked_set.update(range(a, b))
    out: list[Quantity] = []
    i = 0
    n = len(m)
    while i < n:
        # jump to the next possible numeral: digits not glued to a word or a number, or a number word
        cand = _CANDIDATE_RE.search(m, i)
        if cand is None:
            break
        i = cand.start()
        if i in blocked_set:
            i += 1
            continue
        if m[i].isdigit():
            id_end = _identifier_end(m, i)
            if id_end is not None:
                i = id_end
                continue
        num = _number_at(m, i)
        if num is None:
            i += 1
            continue
        v1, j, tok1, is_words = num
        if is_words:
            words = tok1.split()
            if len(words) == 1:
                # a lone number word counts only before a known unit noun ("ba dự án"), never before a
                # duration ("ba năm") or in "hai nước", "một trong những", "lần thứ ba"
                u = UNIT_RE.match(m, j)
                if not (words[0] in SOLO_WORDS and u and unit_code(u.group(1)) not in ("years", "months", "days")):
                    i = j
                    continue
        # a "/" right after a number that is not a date: a rank ("thứ 28/145", found by find_ranks),
        # a small fraction ("2/3 số dự án" -> unit 'fraction'), or a code ("15/2018"): never a count
        if not is_words and j < n and m[j] == "/":
            k = j + 1
            mt2 = _NUM_TOKEN_RE.match(m, k)
            if mt2 and tok1.isdigit() and mt2.group(0).isdigit() and 0 < int(tok1) < int(mt2.group(0)) <= 10 \
                    and not _ORDINAL_BEFORE_RE.search(m, max(0, i - 5), i):
                f = int(tok1) / int(mt2.group(0))
                out.append(Quantity(i, mt2.end(), f, f, "fraction", "", False, i))
            i = mt2.end() if mt2 else k
            continue
        # "2 nước", "2 bên", "2 chiều": the two countries / sides / ways, written with a digit
        if _TWO_IDIOM_RE.match(m, i):
            i = j
            continue
        # a digit ordinal "lần thứ 3", "đứng thứ 2": kept, but as an ordinal, not a count
        od = None if is_words else _ORDINAL_BEFORE_RE.search(m, max(0, i - 5), i)
        if od:
            v = parse_digits(tok1)
            out.append(Quantity(od.start(), j, v, v, "ordinal", "", False, i))
            i = j
            continue
        mag1 = None
        if not is_words:
            mm = _MAG_AFTER_RE.match(m, j)
            if mm:
                mag1, j = mm.group(1), mm.end()
        # range
        low_tok, high_tok, mag2, is_range = tok1, None, None, False
        rs = _RANGE_SEP_RE.match(m, j)
        if rs and not is_words and (rs.end() not in blocked_set):
            num2 = _number_at(m, rs.end())
            if num2 and not num2[3]:
                k = num2[1]
                mm2 = _MAG_AFTER_RE.match(m, k)
                if mm2:
                    mag2, k = mm2.group(1), mm2.end()
                # "60-80 nghìn": the magnitude after the second number applies to both
                high_tok, is_range, j = num2[2], True, k
        # unit
        unit_text, unit = "", ""
        um = UNIT_RE.match(m, j)
        if um:
            unit_text = um.group(1)
            unit = unit_code(unit_text)
            j = um.end()
        elif m.startswith("%", j):
            unit_text, unit, j = "%", "percent", j + 1
        else:
            gm = _GENERIC_UNIT_RE.match(m, j)
            if gm and gm.group(1) not in NOT_UNIT and gm.group(1) not in NUMBER_WORDS:
                w2 = gm.group(2)
                unit_text = gm.group(1) + (" " + w2 if w2 and w2 not in NOT_UNIT and w2 not in NUMBER_WORDS
                                           and len(gm.group(1)) <= 5 else "")
                unit = unit_text
                j = gm.start(1) + len(unit_text)
        countable = unit in COUNTABLE
        if is_words:
            low = v1
        else:
            low = parse_digits(low_tok, countable) * magnitude_value(mag1 or (mag2 if is_range and not mag1 else None))
        high = low
        if is_range and high_tok:
            high = parse_digits(high_tok, countable) * magnitude_value(mag2 or mag1)
            if high < low:  # "60-80 nghìn" already handled; "5-7" fine; otherwise not a range
                is_range, high = False, low
        # 'từ' before a range belongs to it
        start = i
        if is_range and m[max(0, i - 3):i] == "từ ":
            start = i - 3
        out.append(Quantity(start, j, low, high, unit, unit_text, is_range, i))
        i = j
    return out


def find_ranks(m: str) -> list[tuple[int, int, int, int]]:
    """'xếp thứ 28/145' -> (start, end, 28, 145)."""
    return [(mt.start(), mt.end(), int(mt.group(1)), int(mt.group(2))) for mt in _RANK_RE.finditer(m)]
