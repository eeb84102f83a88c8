#!/usr/bin/env python3
"""Deterministic benchmark corpus: seed-like Vietnamese news articles about Vietnam–Russia relations.

    python bench/generate.py --n 100000 --out DIR --seed 42          # N files into DIR/000/000000.txt ...
    python bench/generate.py --out DIR --add-percent 1 [--start-index K]   # append 1 % new originals

Every file is built from a library of hand-written paragraph templates (trade turnover, diaspora,
investment, students, scholarships, targets, milestones, visits, ranges, numbers in words,
"tỉ"/"ngàn" variants, percentages, plus non-numeric filler), with varied figures, dates, outlets,
bylines and layouts (title glued to the body, one line per paragraph, blank-line paragraphs), and
occasionally the messiness of the real seeds (NBSP, double spaces, missing space after a period,
a caption line repeated, "0:00 / 0:00" video residue, one article repeated several times,
old-style tone marks "hoà"/"thuỷ") and, rarely, encoding noise (BOM, CRLF, NFD).

Mix (exact at every multiple of 10 files): 30 % exact byte duplicates of an earlier file, 10 %
near-duplicates of an earlier original (one figure changed, one sentence changed, or one sentence
added), 60 % originals. Ground truth goes to DIR/../<DIR name>.truth.json, never inside DIR (the
pipeline ingests every file under DIR).

Deterministic: the output is a pure function of (n, seed) — random.Random only, seeded with ints,
no hash() of str, no clock, no set iteration. Standard library only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys
import time
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

GENERATOR_VERSION = 1
EXACT_PER_10 = 3          # exact duplicates per block of 10 files
NEAR_PER_10 = 1           # near-duplicates per block of 10 files
SHARD_SIZE = 1000         # files per sub-folder
NEAR_KINDS = (("figure", 0.4), ("sentence_changed", 0.3), ("sentence_added", 0.3))

NBSP = "\u00a0"


# ---------------------------------------------------------------------------------------------
# number formatting (Vietnamese conventions: "." groups thousands, "," is the decimal mark)
# ---------------------------------------------------------------------------------------------

def fint(n: int) -> str:
    """80000 -> '80.000'."""
    s = str(n)
    out = []
    while len(s) > 3:
        out.append(s[-3:])
        s = s[:-3]
    out.append(s)
    return ".".join(reversed(out))


def fdec(x: float, nd: int = 2) -> str:
    """3.634 -> '3,63'; 10.0 -> '10'; drops trailing zeros."""
    s = f"{x:.{nd}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    ip, _, fp = s.partition(".")
    ip = fint(int(ip))
    return ip + ("," + fp if fp else "")


_DIG = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def words(n: int) -> str:
    """Vietnamese number words for 0..999 999 ('hai mươi mốt', 'một trăm linh năm', 'tám mươi nghìn')."""
    if n >= 1000:
        th, rest = divmod(n, 1000)
        head = words(th) + " nghìn"
        if rest == 0:
            return head
        if rest < 100:
            return head + " không trăm " + (("linh " + _DIG[rest]) if rest < 10 else words(rest))
        return head + " " + words(rest)
    if n < 10:
        return _DIG[n]
    if n < 100:
        t, u = divmod(n, 10)
        head = "mười" if t == 1 else _DIG[t] + " mươi"
        if u == 0:
            return head
        if u == 1 and t > 1:
            return head + " mốt"
        if u == 5:
            return head + " lăm"
        if u == 4 and t > 1:
            return head + " tư"
        return head + " " + _DIG[u]
    h, rest = divmod(n, 100)
    head = _DIG[h] + " trăm"
    if rest == 0:
        return head
    if rest < 10:
        return head + " linh " + _DIG[rest]
    return head + " " + words(rest)


ORDINAL = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}


# ---------------------------------------------------------------------------------------------
# vocabulary
# ---------------------------------------------------------------------------------------------

VN_LEADERS = [
    ("Chủ tịch nước", "Trương Tấn Sang"), ("Thủ tướng", "Nguyễn Tấn Dũng"),
    ("Tổng Bí thư", "Nguyễn Phú Trọng"), ("Chủ tịch nước", "Trần Đại Quang"),
    ("Chủ tịch nước", "Nguyễn Xuân Phúc"), ("Thủ tướng", "Phạm Minh Chính"),
    ("Chủ tịch Quốc hội", "Vương Đình Huệ"), ("Chủ tịch Quốc hội", "Nguyễn Thị Kim Ngân"),
    ("Bộ trưởng Ngoại giao", "Bùi Thanh Sơn"), ("Phó Thủ tướng", "Trần Hồng Hà"),
    ("Chủ tịch nước", "Võ Văn Thưởng"), ("Phó Thủ tướng", "Trịnh Đình Dũng"),
]
RU_LEADERS = [
    ("Tổng thống", "Vladimir Putin"), ("Thủ tướng", "Dmitry Medvedev"),
    ("Thủ tướng", "Mikhail Mishustin"), ("Ngoại trưởng", "Sergei Lavrov"),
    ("Chủ tịch Duma Quốc gia", "Vyacheslav Volodin"), ("Chủ tịch Hội đồng Liên bang", "Valentina Matviyenko"),
    ("Phó Thủ tướng", "Dmitry Chernyshenko"), ("Phó Thủ tướng", "Yury Trutnev"),
]
RU_NAMES = ["Nga", "Liên bang Nga", "LB Nga", "LB. Nga"]
VN_CITIES = ["Hà Nội", "TP Hồ Chí Minh", "TP HCM", "Đà Nẵng", "Hải Phòng", "Nha Trang", "Vũng Tàu"]
RU_CITIES = ["Moscow", "Saint Petersburg", "Vladivostok", "Kazan", "Yekaterinburg", "Novosibirsk", "Sochi"]
SECTORS = ["năng lượng", "dầu khí", "kinh tế", "thương mại", "đầu tư", "quốc phòng", "an ninh",
           "giáo dục - đào tạo", "khoa học - công nghệ", "văn hóa", "du lịch", "nông nghiệp",
           "giao thông vận tải", "y tế", "điện hạt nhân", "công nghiệp chế biến", "tài chính - ngân hàng"]
OUTLETS = ["(PLVN) -", "(TTXVN) -", "(Chinhphu.vn) -", "VOV.VN -", "TTO -", "(NLĐO) -", "(Dân Việt) -",
           "(ANTĐ) -", "(QĐND) -", "(Baoquocte.vn) -", "(ĐCSVN) -", "(VTC News) -", "(Thanhnien.vn) -",
           "(CAND) -", "(Vietnam+) -"]
BYLINES = ["Việt Anh", "Trọng Giáp", "Nguyễn Hoàng", "Minh Châu", "Hà Phương", "Thu Trang", "Quang Huy",
           "PV", "Hồng Nhung", "Đức Minh", "Lê Hà", "Mai Anh", "Thanh Tùng", "Ngọc Lan", "Trần Bình"]
BYLINE_SUFFIX = ["", "", "", " (từ Moscow)", " (theo TTXVN)", "/VOV-Moscow", " - Phóng viên TTXVN tại Nga"]
PHOTO_CREDITS = ["Ảnh: VGP", "Ảnh: TTXVN", "Ảnh: Reuters", "Ảnh: Kremlin", "Ảnh: VGP/Nhật Bắc", "Ảnh: Sputnik"]


def _pick(r: random.Random, seq):
    return seq[int(r.random() * len(seq))]


def _ty(r: random.Random) -> str:
    return "tỉ" if r.random() < 0.18 else "tỷ"


def _ngan(r: random.Random) -> str:
    return "ngàn" if r.random() < 0.3 else "nghìn"


def _approx(r: random.Random) -> str:
    return _pick(r, ["khoảng ", "gần ", "hơn ", "trên ", "xấp xỉ ", "", "ước ", "khoảng hơn "])


def _sectors(r: random.Random, k: int) -> str:
    s = r.sample(SECTORS, k)
    return ", ".join(s[:-1]) + " và " + s[-1]


def _year(r: random.Random, ctx: "Ctx", back: int = 6) -> int:
    return ctx.year - int(r.random() * back) - (1 if r.random() < 0.7 else 0)


@dataclass
class Ctx:
    """Per-document context shared by the paragraphs (keeps a story coherent)."""
    year: int
    vn: tuple
    ru: tuple
    city_vn: str
    city_ru: str
    seed: int = 42            # the corpus seed: selects the "world" (canonical figures)


# ---------------------------------------------------------------------------------------------
# the "world": one canonical figure per (metric, year) for a given corpus seed, so that outlets
# agree most of the time (with rounding and wording variants) and WORLD_NOISE of the reports
# carry one of ALT_FIGURES conflicting figures (a preliminary estimate, another source, a typo) —
# like real coverage, and unlike independent random draws, which would make every pair of
# reports of the same metric disagree.
# ---------------------------------------------------------------------------------------------

WORLD_NOISE = 0.10
ALT_FIGURES = 3
_WORLD: dict = {}


def _key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def _canon(c: Ctx, name: str, year: int, lo: float, hi: float) -> float:
    """Canonical figure of ``name`` in ``year`` (uniform in [lo, hi], fixed per corpus seed)."""
    k = (c.seed, name, year, lo, hi)
    v = _WORLD.get(k)
    if v is None:
        v = _WORLD[k] = random.Random(_mix(c.seed, _key(name), year)).uniform(lo, hi)
    return v


def _trend(c: Ctx, name: str, year: int, v2005: float, v2025: float, jitter: float = 0.06) -> float:
    """Canonical figure on a linear trend from 2005 to 2025, +-jitter per year."""
    base = v2005 + (v2025 - v2005) * (year - 2005) / 20.0
    return base * (1.0 + _canon(c, name + "~", year, -jitter, jitter))


def _reported(r: random.Random, c: Ctx, name: str, year: int, value: float, spread: float = 0.25) -> float:
    """What one outlet reports: the canonical ``value`` or, in WORLD_NOISE of reports, one of
    ALT_FIGURES alternative figures for (name, year)."""
    u = r.random()
    if u >= WORLD_NOISE:
        return value
    j = int(u / WORLD_NOISE * ALT_FIGURES)
    return value * (1.0 + _canon(c, f"{name}#alt{j}", year, -spread, spread))


def _val(r, c, name, year, lo, hi) -> float:
    """A reported figure drawn from [lo, hi] (canonical per year, see _reported)."""
    return _reported(r, c, name, year, _canon(c, name, year, lo, hi))


def _ival(r, c, name, year, lo, hi) -> int:
    """An integer reported figure in [lo, hi] (ranks, counts, percentages)."""
    return min(hi, max(lo, int(round(_val(r, c, name, year, lo, hi)))))


def _tval(r, c, name, year, v2005, v2025, jitter=0.06, spread=0.25) -> float:
    """A reported figure on a trend (canonical per year, see _reported)."""
    return _reported(r, c, name, year, _trend(c, name, year, v2005, v2025, jitter), spread)


def _round_to(x: float, step: int) -> int:
    return max(step, int(round(x / step)) * step)


def _money(r: random.Random, x: float, nd: int = 2) -> str:
    """3.634 -> '3,63' mostly, sometimes rounded with a matching qualifier ('khoảng 3,6', 'gần 3,7')."""
    if r.random() < 0.2:
        q = round(x, 1)
        word = "gần " if q > x + 1e-9 else ("hơn " if q < x - 1e-9 else "")
        return (word or _pick(r, ["khoảng ", ""])) + fdec(q, 1)
    return fdec(x, nd)


def _count(r: random.Random, x: int) -> str:
    """80000 -> '80.000' mostly; '80 nghìn'/'80 ngàn' or words sometimes."""
    v = r.random()
    if x >= 10000 and x % 1000 == 0 and v < 0.2:
        return f"{x // 1000} {_ngan(r)}"
    if x < 1000000 and v > 0.93:
        return words(x)
    return fint(x)


def _growth(r: random.Random, cur: float, prev: float, prev_label: str) -> str:
    g = (cur / prev - 1.0) * 100.0 if prev else 0.0
    if abs(g) < 0.05:
        return f"tương đương {prev_label}"
    s = fdec(abs(g), 1 if r.random() < 0.85 else 2) + ("%" if r.random() < 0.93 else " %")
    return f"{'tăng' if g > 0 else 'giảm'} {s} so với {prev_label}"


def _tourists(c: Ctx, y: int) -> float:
    special = {2020: 0.2, 2021: 0.03, 2022: 0.08, 2023: 0.45, 2024: 0.7, 2025: 0.8}
    base = _trend(c, "tourists", min(y, 2019), 90_000, 900_000, 0.08)
    return base * special.get(y, 1.0)


# ---------------------------------------------------------------------------------------------
# paragraph templates: name -> fn(r, ctx) -> str.  NUMERIC carry figures; FILLER carry none.
# ---------------------------------------------------------------------------------------------

def t_trade_year(r, c):
    y = _year(r, c)
    canon = _trend(c, "trade", y, 1.1, 4.9)
    x = _reported(r, c, "trade", y, canon)
    lead = _pick(r, ["Kim ngạch thương mại song phương", "Kim ngạch thương mại hai chiều",
                     "Thương mại song phương giữa hai nước", "Kim ngạch xuất nhập khẩu Việt Nam - Nga"])
    return (f"{lead} năm {y} đạt {_money(r, x)} {_ty(r)} USD, "
            f"{_growth(r, x, _trend(c, 'trade', y - 1, 1.1, 4.9), f'năm {y - 1}')}.")


def t_trade_months(r, c):
    y = _year(r, c, 3)
    k = r.randint(2, 11)
    part = _trend(c, "trade", y, 1.1, 4.9) * k / 12 * (1 + _canon(c, "trade_months", y * 100 + k, -0.1, 0.1))
    x = _reported(r, c, "trade_months", y * 100 + k, part)
    g = _val(r, c, "trade_months_growth", y * 100 + k, -12, 35)
    return (f"Trong {k} tháng đầu năm {y}, kim ngạch xuất nhập khẩu giữa Việt Nam và {_pick(r, RU_NAMES)} "
            f"đạt {_money(r, x)} {_ty(r)} USD, {'tăng' if g >= 0 else 'giảm'} {fdec(abs(g), 1)}% so với cùng kỳ năm trước.")


def t_trade_split(r, c):
    y = _year(r, c)
    total = _trend(c, "trade", y, 1.1, 4.9)
    share = _canon(c, "export_share", y, 0.55, 0.72)
    a = _reported(r, c, "export", y, total * share)
    b = _reported(r, c, "import", y, total * (1 - share))
    ty = _ty(r)
    return (f"Năm {y}, xuất khẩu của Việt Nam sang Nga đạt {fdec(a)} {ty} USD, còn nhập khẩu từ Nga "
            f"đạt {fdec(b)} {ty} USD; Việt Nam {'xuất siêu' if a > b else 'nhập siêu'} "
            f"{fdec(abs(a - b) * 1000, 0)} triệu USD.")


def t_trade_target(r, c):
    x, y = _pick(r, [(10, 2020), (10, 2020), (10, 2020), (15, 2025), (10, 2025), (20, 2030), (5, 2015)])
    return _pick(r, [
        f"Hai bên nhất trí phấn đấu đạt {x} {_ty(r)} USD kim ngạch thương mại vào năm {y}.",
        f"Hai nước đặt mục tiêu nâng kim ngạch thương mại song phương lên {x} {_ty(r)} USD vào năm {y}.",
        f"Lãnh đạo hai nước nhất trí phấn đấu đạt mục tiêu {x} {_ty(r)} USD thương mại hai chiều vào năm {y}, "
        f"tận dụng tốt Hiệp định Thương mại tự do với Liên minh Kinh tế Á - Âu.",
        f"Việc ký Hiệp định sẽ là bước đột phá nhằm hiện thực hóa mục tiêu đưa kim ngạch song phương "
        f"lên mức {x if r.random() < 0.8 else words(x)} {_ty(r)} USD vào năm {y}.",
    ])


def t_trade_words(r, c):
    y = _year(r, c)
    x = _tval(r, c, "trade", y, 1.1, 4.9)
    n = max(1, int(round(x)))
    q = "gần " if n > x else ("hơn " if n < x else "khoảng ")
    return (f"Theo số liệu của Tổng cục Hải quan, thương mại hai chiều năm {y} ước đạt {q}{words(n)} {_ty(r)} USD, "
            f"{_pick(r, ['vẫn còn khiêm tốn so với tiềm năng', 'chưa tương xứng với quan hệ chính trị tốt đẹp', 'mức cao nhất từ trước đến nay'])}.")


def t_trade_range(r, c):
    vals = [_trend(c, "trade", y, 1.1, 4.9) for y in range(c.year - 5, c.year)]
    a, b = int(min(vals)), int(math.ceil(max(vals)))
    if a == b:
        b += 1
    sep = _pick(r, ["-", " - ", " đến ", "–"])
    return (f"Những năm gần đây, thương mại song phương Việt - Nga dao động trong khoảng {a}{sep}{b} {_ty(r)} USD "
            f"mỗi năm, trong khi dư địa hợp tác còn rất lớn.")


def t_trade_share(r, c):
    y = _year(r, c)
    p = _val(r, c, "trade_share", y, 0.4, 1.3)
    return (f"Dù tăng trưởng khá, kim ngạch với Nga mới chỉ chiếm {fdec(p, 1)}% tổng kim ngạch ngoại thương "
            f"của Việt Nam năm {y}.")


def t_diaspora(r, c):
    x = _tval(r, c, "diaspora", c.year, 110_000, 65_000, 0.05)
    v = r.random()
    if v < 0.35:
        n = f"khoảng {fint(_round_to(x, 10_000))}"
    elif v < 0.55:
        a = _round_to(x * 0.85, 10_000) // 1000
        n = f"khoảng {a}-{a + 20} {_ngan(r)}"
    elif v < 0.75:
        n = f"{_approx(r)}{_round_to(x, 5000) // 1000} {_ngan(r)}"
    elif v < 0.9:
        n = f"khoảng {words(_round_to(x, 10_000) // 1000)} {_ngan(r)}"
    else:
        n = f"hơn {fint(_round_to(x, 1000))}"
    tail = _pick(r, ["có nhiều đóng góp cho đất nước, hướng về Tổ quốc",
                     "phần lớn sinh sống và kinh doanh tại Moscow và Saint Petersburg",
                     "là cầu nối quan trọng trong quan hệ hữu nghị giữa hai dân tộc",
                     "đa số làm việc trong lĩnh vực thương mại, dệt may"])
    where = _pick(r, ["Nga", "Liên bang Nga", "LB Nga"])
    return f"Cộng đồng người Việt Nam tại {where} có {n} người, {tail}."


def t_diaspora_moscow(r, c):
    x = _tval(r, c, "diaspora_moscow", c.year, 45_000, 25_000, 0.05)
    k = _ival(r, c, "associations", c.year, 8, 40)
    return (f"Riêng tại thủ đô Moscow có {_approx(r)}{_count(r, _round_to(x, 5000))} người Việt sinh sống, "
            f"làm việc và học tập, với {k} hội đoàn đang hoạt động.")


def t_invest_ru(r, c):
    y = c.year
    n = int(_tval(r, c, "ru_projects", y, 95, 200, 0.03))
    x = _tval(r, c, "ru_capital", y, 380, 1000, 0.04)
    k = _ival(r, c, "ru_rank", y, 20, 30)
    m = int(_trend(c, "countries_investing", y, 95, 146, 0.01))
    return (f"Về đầu tư, Nga hiện có {n} dự án đầu tư tại Việt Nam với tổng vốn đăng ký đạt {fdec(x, 2)} triệu USD "
            f"(xếp thứ {k}/{m} quốc gia và vùng lãnh thổ có đầu tư tại Việt Nam), được thực hiện tại "
            f"{_ival(r, c, 'ru_localities', y, 15, 30)} địa phương.")


def t_invest_vn(r, c):
    y = c.year
    n = int(_tval(r, c, "vn_projects", y, 10, 22, 0.03))
    x = _tval(r, c, "vn_capital", y, 1.2, 3.0, 0.04)
    k = _ival(r, c, "vn_rank", y, 3, 8)
    m = int(_trend(c, "countries_vn_invests", y, 55, 80, 0.01))
    return (f"Việt Nam hiện có {n} dự án đầu tư tại Nga, với tổng vốn đăng ký đạt {_money(r, x)} {_ty(r)} USD "
            f"(đứng thứ {k}/{m} quốc gia và vùng lãnh thổ có vốn đầu tư của Việt Nam), chủ yếu vào dầu khí, "
            f"nông nghiệp và thương mại.")


def t_th_milk(r, c):
    cap = _val(r, c, "th_capital", 0, 2.2, 2.9)
    herd = _round_to(_val(r, c, "th_herd", 0, 20_000, 50_000), 1000)
    return (f"Dự án chăn nuôi bò sữa và chế biến sữa của Tập đoàn TH tại Nga có tổng vốn đầu tư "
            f"{_approx(r)}{fdec(cap, 1)} {_ty(r)} USD, quy mô đàn giai đoạn đầu "
            f"{fint(herd)} con, được triển khai tại tỉnh {_pick(r, ['Moscow', 'Kaluga', 'Primorye'])}.")


def t_hanoi_moscow(r, c):
    cap = _ival(r, c, "hanoi_moscow_capital", 0, 280, 360)
    firms = _round_to(_val(r, c, "hanoi_moscow_firms", 0, 500, 1500), 50)
    return (f"Trung tâm Văn hóa - Thương mại Hà Nội - Moscow có tổng vốn đầu tư hơn {cap} triệu USD, "
            f"dự kiến thu hút {fint(firms)} doanh nghiệp đến thuê mặt bằng kinh doanh.")


def t_students(r, c):
    n = _count(r, _round_to(_tval(r, c, "students", c.year, 3500, 7500, 0.05), 100))
    return _pick(r, [
        f"Hiện có khoảng hơn {n} sinh viên Việt Nam du học tại Liên bang Nga.",
        f"Hiện có hơn {n} sinh viên Việt Nam đang theo học tại các trường đại học của Nga, phần lớn bằng học bổng Chính phủ.",
        f"Số lưu học sinh Việt Nam tại Nga hiện vào khoảng {n} người, tập trung ở Moscow, Saint Petersburg và Kazan.",
    ])


def t_scholarships(r, c):
    n = _round_to(_tval(r, c, "scholarships", c.year, 600, 1100, 0.03), 100)
    nn = words(n) if r.random() < 0.25 else fint(n)
    return (f"Nga tiếp tục hỗ trợ Việt Nam đào tạo nguồn nhân lực và trao {nn} suất học bổng cho "
            f"sinh viên Việt Nam mỗi năm.")


def t_scholarship_year(r, c):
    y = _year(r, c, 4)
    cur = _round_to(_trend(c, "scholarships", y, 600, 1100, 0.03), 10)
    prev = _round_to(_trend(c, "scholarships", y - 1, 600, 1100, 0.03), 10)
    n = _round_to(_reported(r, c, "scholarships", y, cur), 10)
    d = n - prev
    change = (f"tăng {d} suất" if d > 0 else (f"giảm {-d} suất" if d < 0 else "giữ nguyên")) + " so với năm học trước"
    return f"Năm học {y}-{y + 1}, phía Nga dành cho Việt Nam {fint(n)} suất học bổng Hiệp định, {change}."


def t_alumni(r, c):
    n = _ival(r, c, "alumni", 0, 45, 75)
    return (f"Trong thời kỳ Liên Xô, {_pick(r, ['hơn ', 'trên ', 'khoảng '])}{n} {_ngan(r)} cán bộ, chuyên gia "
            f"Việt Nam đã được đào tạo tại các trường đại học, viện nghiên cứu của Liên Xô, nhiều người "
            f"sau này giữ cương vị quan trọng.")


_MILESTONES = [
    ("Việt Nam Dân chủ Cộng hòa và Liên Xô chính thức thiết lập quan hệ ngoại giao ngày {d}.", ("30/01/1950", "30/1/1950")),
    ("Ngày {d}, Việt Nam và LB Nga ký Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị.", ("16/6/1994", "16/06/1994")),
    ("Ngày {d}, hai nước ký Tuyên bố chung về quan hệ Đối tác chiến lược.", ("1/3/2001", "1/03/2001", "01/3/2001")),
    ("Ngày {d}, hai nước ra Tuyên bố chung về tăng cường hơn nữa quan hệ Đối tác chiến lược toàn diện.", ("27/7/2012", "27/07/2012")),
    ("Ngày {d}, Việt Nam và Nga ra Tuyên bố chung về Tầm nhìn quan hệ Đối tác chiến lược toàn diện đến năm 2030.", ("30/11/2021",)),
]


def t_milestones(r, c):
    k = r.randint(1, 3)
    start = r.randrange(0, len(_MILESTONES) - k + 1)
    return " ".join(tpl.format(d=_pick(r, ds)) for tpl, ds in _MILESTONES[start:start + k])


def t_anniversary(r, c):
    k = _pick(r, [k for k in (55, 60, 65, 70, 73, 75) if 1950 + k <= c.year + 1] or [60])
    kk = words(k) if r.random() < 0.3 else str(k)
    return (f"Năm {1950 + k} đánh dấu {kk} năm thiết lập quan hệ ngoại giao Việt Nam - Liên bang Nga "
            f"(1950-{1950 + k}), dịp để hai bên nhìn lại chặng đường hợp tác.")


def t_visit(r, c):
    m = r.randint(1, 12)
    d1 = r.randint(1, 26)
    d2 = d1 + r.randint(1, 3)
    y = c.year
    t, n = c.ru if r.random() < 0.5 else c.vn
    place = "Việt Nam" if (t, n) == c.ru else "Liên bang Nga"
    dates = _pick(r, [f"từ ngày {d1} đến {d2}/{m}", f"từ ngày {d1} đến {d2}/{m}/{y}",
                      f"từ ngày {d1}/{m} - {d2}/{m}/{y}", f"từ {d1}-{d2}/{m}"])
    return f"{t} {n} thăm chính thức {place} {dates}, nhằm thúc đẩy quan hệ song phương trong kinh tế, thương mại."


def t_visit_cross_month(r, c):
    m = r.randint(1, 11)
    d1 = r.randint(27, 30)
    d2 = r.randint(1, 3)
    return (f"Nhận lời mời của {c.ru[0]} {c.ru[1]}, {c.vn[0]} {c.vn[1]} thăm chính thức Liên bang Nga "
            f"từ ngày {d1}/{m} - {d2}/{m + 1}/{c.year}.")


def t_visit_count(r, c):
    k = r.randint(2, 4)
    y1 = r.randint(2001, 2012)
    return (f"Đây là lần thứ {ORDINAL[k]} ông {c.ru[1].split()[-1]} thăm Việt Nam, lần đầu tiên vào năm {y1}, "
            f"lần gần nhất vào năm {y1 + r.randint(2, 8)}.")


def t_forum(r, c):
    return (f"Diễn đàn Doanh nghiệp Việt Nam - Nga diễn ra tại {c.city_vn} vào ngày {r.randint(1, 28)}/{r.randint(1, 12)}, "
            f"thu hút {_approx(r)}{r.randrange(15, 60) * 10} doanh nghiệp hai nước tham dự.")


def t_docs_signed(r, c):
    n = r.randint(5, 25)
    nn = words(n) if r.random() < 0.3 else str(n)
    return (f"Sau hội đàm, lãnh đạo hai nước chứng kiến lễ ký kết {nn} văn kiện hợp tác trong các lĩnh vực "
            f"{_sectors(r, 3)}.")


def t_docs_total(r, c):
    n = _round_to(_tval(r, c, "agreements_total", c.year, 70, 160, 0.03), 10)
    return (f"Kể từ năm 1991 đến nay, Việt Nam và {_pick(r, RU_NAMES)} đã ký kết trên {n} "
            f"văn kiện hợp tác thuộc nhiều lĩnh vực như {_sectors(r, 4)}.")


def t_local_pairs(r, c):
    n = int(_tval(r, c, "local_pairs", c.year, 10, 32, 0.05))
    return (f"Hiện nay, đã có khoảng {n} cặp quan hệ giữa các địa phương hai nước được thiết lập, "
            f"đặc biệt giữa {_pick(r, ['Hà Nội', 'TP Hồ Chí Minh', 'Tp. Hồ Chí Minh'])} và {_pick(r, RU_CITIES)}.")


def t_vietsovpetro(r, c):
    m = r.randint(1, 12)
    oil = int(_tval(r, c, "vsp_oil", c.year, 170, 255, 0.01))
    rev = int(_tval(r, c, "vsp_revenue", c.year, 45, 95, 0.02))
    bud = int(_tval(r, c, "vsp_budget", c.year, 28, 55, 0.02))
    return (f"Tính đến tháng {m}/{c.year}, Liên doanh Vietsovpetro đã khai thác hơn {oil} triệu tấn dầu thô, "
            f"mang lại doanh thu trên {rev} {_ty(r)} USD, nộp ngân sách Nhà nước hơn {bud} {_ty(r)} USD.")


def t_rusvietpetro(r, c):
    y = max(c.year, 2014)
    cum = _tval(r, c, "rvp_cumulative", y, 0, 45, 0.03)
    ann = _val(r, c, "rvp_annual", y - 1, 2.0, 4.0)
    return (f"Liên doanh Rusvietpetro tại Khu tự trị Nenets đã khai thác được {fdec(cum, 1)} triệu tấn "
            f"dầu kể từ năm 2010, sản lượng năm {y - 1} đạt {fdec(ann, 1)} triệu tấn.")


def t_tourism(r, c):
    y = _year(r, c, 5)
    cur = _reported(r, c, "tourists", y, _tourists(c, y))
    prev = _tourists(c, y - 1)
    return f"Năm {y}, Việt Nam đón {_count(r, int(cur))} lượt khách du lịch từ Nga, {_growth(r, cur, prev, 'năm trước')}."


def t_flights(r, c):
    n = _ival(r, c, "flights", c.year, 10, 60)
    return (f"Hiện mỗi tuần có {_approx(r)}{n} chuyến bay thẳng giữa {_pick(r, VN_CITIES[:4])} "
            f"và {_pick(r, RU_CITIES[:3])}, do {_ival(r, c, 'airlines', c.year, 2, 6)} hãng hàng không khai thác.")


def t_fta_tariff(r, c):
    a = _ival(r, c, "fta_lines", 0, 86, 91)
    b = _ival(r, c, "fta_lines_zero", 0, 57, 62)
    return (f"Theo Hiệp định Thương mại tự do Việt Nam - Liên minh Kinh tế Á - Âu, khoảng {a}% "
            f"dòng thuế được cắt giảm, trong đó {b}% dòng thuế về 0% ngay khi Hiệp định có hiệu lực.")


def t_fta_sign(r, c):
    d1 = _pick(r, ["29/5/2015", "29/05/2015", "ngày 29 tháng 5 năm 2015"])
    d2 = _pick(r, ["5/10/2016", "05/10/2016", "ngày 5 tháng 10 năm 2016"])
    return (f"Hiệp định Thương mại tự do giữa Việt Nam và Liên minh Kinh tế Á - Âu được ký {'ngày ' if d1[0].isdigit() else ''}{d1} "
            f"và có hiệu lực từ {'ngày ' if d2[0].isdigit() else ''}{d2}.")


def t_fta_growth(r, c):
    k = max(1, min(9, c.year - 2016))
    p = _val(r, c, "fta_growth", k, 8, 25)
    return (f"Sau {words(k) if r.random() < 0.4 else k} năm thực thi Hiệp định, xuất khẩu của Việt Nam sang khu vực "
            f"Liên minh tăng bình quân {fdec(p, 1)}%/năm.")


def t_seafood(r, c):
    y = _year(r, c)
    cur = _tval(r, c, "seafood", y, 70, 260, 0.1)
    prev = _trend(c, "seafood", y - 1, 70, 260, 0.1)
    share = _val(r, c, "pangasius_share", y, 30, 60)
    return (f"Xuất khẩu {_pick(r, ['thủy', 'thủy', 'thuỷ'])} sản của Việt Nam sang Nga năm {y} đạt {fdec(cur, 1)} triệu USD, "
            f"{_growth(r, cur, prev, 'năm trước')}, trong đó cá tra chiếm {fdec(share, 1)}%.")


def t_agri(r, c):
    y = c.year - 1
    share = _ival(r, c, "agri_share", y, 25, 45)
    coffee = _round_to(_val(r, c, "coffee_tonnes", y, 30_000, 90_000), 1000)
    return (f"Các mặt hàng nông sản như cà phê, hạt điều, gạo, rau quả chiếm khoảng {share}% kim ngạch "
            f"xuất khẩu của Việt Nam sang Nga năm {y}; riêng cà phê đạt {_count(r, coffee)} tấn.")


def t_nuclear(r, c):
    mw = _pick(r, [10, 10, 10, 15]) if r.random() < WORLD_NOISE else 10
    cap = _ival(r, c, "nuclear_center_capital", 0, 400, 500)
    return (f"Dự án Trung tâm Nghiên cứu Khoa học và Công nghệ hạt nhân có lò phản ứng nghiên cứu công suất "
            f"{mw} MW, tổng mức đầu tư {_approx(r)}{cap} triệu USD.")


def t_ninh_thuan(r, c):
    mw = 2400 if r.random() < WORLD_NOISE else 2000
    credit = _val(r, c, "ninh_thuan_credit", 0, 8.5, 10.5)
    return (f"Nhà máy điện hạt nhân Ninh Thuận 1 dự kiến gồm {words(2)} tổ máy, tổng công suất "
            f"{fint(mw)} MW, với khoản tín dụng {_approx(r)}{fdec(credit, 1)} {_ty(r)} USD từ phía Nga.")


def t_russian_lang(r, c):
    schools = int(_tval(r, c, "ru_schools", c.year, 60, 20, 0.05))
    pupils = _round_to(_tval(r, c, "ru_pupils", c.year, 20_000, 6_000, 0.05), 1000)
    centers = _ival(r, c, "pushkin_centers", c.year, 2, 6)
    return (f"Hiện có {schools} trường phổ thông tại Việt Nam giảng dạy tiếng Nga với khoảng "
            f"{fint(pupils)} học sinh; Viện Pushkin đã mở {centers} trung tâm tại Việt Nam.")


def t_rank(r, c):
    a = _ival(r, c, "rank_ru_in_vn_europe", c.year, 2, 6)
    b = _ival(r, c, "rank_vn_in_ru_asean", c.year, 2, 4)
    return (f"Nga hiện là đối tác thương mại lớn thứ {ORDINAL[a]} của Việt Nam tại châu Âu, "
            f"còn Việt Nam là đối tác thương mại lớn thứ {ORDINAL[b]} của Nga trong khu vực ASEAN.")


def t_rouble(r, c):
    y = max(2015, _year(r, c, 2))
    p = int(_tval(r, c, "rouble_share", y, -20, 60, 0.1)) if y >= 2022 else _ival(r, c, "rouble_share", y, 5, 15)
    return (f"Tỷ trọng thanh toán bằng đồng rúp và đồng Việt Nam trong thương mại song phương đã tăng lên "
            f"khoảng {max(3, p)}% vào năm {y}.")


def t_military(r, c):
    since = int(_canon(c, "military_since", 0, 2000, 2008))
    n = _round_to(_tval(r, c, "military_trained", c.year, 500, 5000, 0.05), 100)
    return f"Từ năm {since} đến nay, phía Nga đã đào tạo cho Việt Nam hơn {fint(n)} quân nhân, chuyên gia kỹ thuật."


def t_culture_days(r, c):
    d1 = r.randint(1, 24)
    return (f"Những ngày Văn hóa Việt Nam tại Liên bang Nga diễn ra từ ngày {d1} đến {d1 + r.randint(3, 6)}/"
            f"{r.randint(1, 12)}/{c.year} tại {c.city_ru} với {words(r.randint(12, 40))} hoạt động nghệ thuật, "
            f"triển lãm ảnh và chiếu phim.")


def t_labor(r, c):
    n = _round_to(_tval(r, c, "workers", c.year, 30_000, 8_000, 0.08), 1000)
    lo = _round_to(_tval(r, c, "wage_lo", c.year, 400, 700, 0.05), 50)
    hi = lo + _round_to(_canon(c, "wage_span", c.year, 200, 500), 50)
    return (f"{_pick(r, ['Khoảng', 'Hơn', 'Gần'])} {fint(n)} lao động Việt Nam đang làm việc tại "
            f"các doanh nghiệp dệt may, xây dựng ở Moscow và các vùng lân cận, thu nhập bình quân "
            f"{lo}-{hi} USD/tháng.")


def t_activities(r, c):
    return (f"Trong chuyến thăm, đoàn có chương trình làm việc dày đặc với hơn {r.randint(20, 60)} hoạt động, "
            f"trong đó có {r.randint(3, 8)} cuộc hội đàm, hội kiến với lãnh đạo cấp cao {_pick(r, RU_NAMES)}.")


def t_gas(r, c):
    k = _ival(r, c, "gazpromviet_projects", c.year, 2, 6)
    res = _ival(r, c, "gazpromviet_reserves", 0, 40, 120)
    return (f"Liên doanh Gazpromviet đang triển khai {k} dự án thăm dò tại Nga, với tổng trữ lượng "
            f"{_approx(r)}{res} tỷ m3 khí.")


def t_bank(r, c):
    y = _year(r, c)
    cap = _round_to(_tval(r, c, "vrb_capital", y, 2000, 8000, 0.02), 100)
    g = _val(r, c, "vrb_assets_growth", y, 3, 18)
    return (f"Ngân hàng Liên doanh Việt - Nga (VRB) có vốn điều lệ {fint(cap)} tỷ đồng, "
            f"tổng tài sản năm {y} tăng {fdec(g, 1)}%.")


NUMERIC: list[tuple[str, Callable]] = [(fn.__name__[2:], fn) for fn in (
    t_trade_year, t_trade_months, t_trade_split, t_trade_target, t_trade_words, t_trade_range, t_trade_share,
    t_diaspora, t_diaspora_moscow, t_invest_ru, t_invest_vn, t_th_milk, t_hanoi_moscow, t_students,
    t_scholarships, t_scholarship_year, t_alumni, t_milestones, t_anniversary, t_visit, t_visit_cross_month,
    t_visit_count, t_forum, t_docs_signed, t_docs_total, t_local_pairs, t_vietsovpetro, t_rusvietpetro,
    t_tourism, t_flights, t_fta_tariff, t_fta_sign, t_fta_growth, t_seafood, t_agri, t_nuclear, t_ninh_thuan,
    t_russian_lang, t_rank, t_rouble, t_military, t_culture_days, t_labor, t_activities, t_gas, t_bank)]


def f_talks(r, c):
    return _pick(r, [
        f"Hai bên trao đổi ý kiến về các vấn đề hợp tác song phương và thống nhất nhiều biện pháp nhằm tăng cường "
        f"quan hệ Đối tác chiến lược toàn diện Việt - Nga trong giai đoạn mới.",
        f"{c.vn[0]} {c.vn[1]} và {c.ru[0]} {c.ru[1]} nhất trí tăng cường hợp tác trong các lĩnh vực {_sectors(r, 4)}.",
        f"Lãnh đạo hai nước thống nhất nhiều biện pháp thúc đẩy hợp tác song phương trên một loạt lĩnh vực, "
        f"bày tỏ quyết tâm đưa quan hệ Đối tác chiến lược toàn diện đi vào chiều sâu.",
    ])


def f_energy(r, c):
    s = _pick(r, ["Năng lượng là lĩnh vực hợp tác truyền thống, chiến lược và hiệu quả của Việt Nam và Nga.",
                  "Dầu khí tiếp tục là trụ cột quan trọng trong hợp tác kinh tế giữa hai nước."])
    t = _pick(r, ["Hai nước đã thành lập các liên doanh như Rusvietpetro, Gazpromviet, Vietgazprom để mở rộng hợp tác "
                  "dầu khí ở Việt Nam, Nga và các nước thứ ba.",
                  "Hai bên khẳng định sẽ tạo mọi điều kiện thuận lợi cho các dự án thăm dò và khai thác dầu khí hiện nay "
                  "cũng như các dự án mới trong lĩnh vực chế biến và lọc hóa dầu.",
                  "Bên cạnh việc tiếp tục hợp tác trong khuôn khổ Liên doanh Vietsovpetro, các doanh nghiệp hai nước "
                  "đang nghiên cứu nhiều dự án mới trên thềm lục địa Việt Nam."])
    return s + " " + t


def f_defense(r, c):
    return _pick(r, [
        "Về quan hệ quốc phòng, an ninh, lãnh đạo hai nước nhất trí tăng cường phối hợp đưa hợp tác trong lĩnh vực này "
        "đi vào chiều sâu, hiệu quả, trước hết là đào tạo quân nhân, chuyên gia kỹ thuật.",
        "Hai bên khẳng định tiếp tục hợp tác chặt chẽ, hiệu quả trong lĩnh vực quốc phòng - an ninh, đặc biệt về "
        "kỹ thuật quân sự, phù hợp với luật pháp quốc tế.",
    ])


def f_politics(r, c):
    return _pick(r, [
        "Quan hệ Đối tác chiến lược toàn diện Việt Nam - LB Nga có độ tin cậy chính trị cao và không ngừng được củng cố. "
        "Trao đổi đoàn cấp cao diễn ra thường xuyên, tạo động lực mạnh mẽ cho quan hệ hai nước.",
        "Hai bên đánh giá cao cơ chế trao đổi đoàn các cấp, đặc biệt là cấp cao, góp phần không ngừng tăng cường "
        "quan hệ tin cậy giữa hai nước.",
        f"{c.ru[0]} {c.ru[1]} khẳng định Nga luôn coi Việt Nam là một trong những đối tác ưu tiên ở khu vực "
        f"châu Á - Thái Bình Dương.",
    ])


def f_diaspora_thanks(r, c):
    return (f"{c.vn[0]} {c.vn[1]} cảm ơn các cấp chính quyền Nga đã tạo điều kiện thuận lợi cho cộng đồng người Việt "
            f"tại Nga được làm ăn, học tập và sinh sống {_pick(r, ['hợp pháp, hoà nhập xã hội', 'ổn định, hòa nhập xã hội', 'lâu dài'])} "
            f"Liên bang Nga.")


def f_multilateral(r, c):
    return _pick(r, [
        "Hai bên nhất trí tiếp tục phối hợp chặt chẽ tại các diễn đàn đa phương như Liên hợp quốc, APEC, ASEM, "
        "Diễn đàn Khu vực ASEAN và các cơ chế hợp tác ASEAN - Nga.",
        "Việt Nam và Nga có quan điểm gần gũi về nhiều vấn đề quốc tế và khu vực, thường xuyên ủng hộ lẫn nhau "
        "tại các tổ chức quốc tế.",
    ])


def f_east_sea(r, c):
    return ("Trao đổi về tình hình Biển Đông, lãnh đạo hai nước nhất trí cho rằng các tranh chấp cần được giải quyết "
            "bằng biện pháp hòa bình, không sử dụng vũ lực hay đe dọa sử dụng vũ lực, trên cơ sở tôn trọng luật pháp "
            "quốc tế, trong đó có Công ước của Liên hợp quốc về Luật Biển.")


def f_education(r, c):
    return _pick(r, [
        "Hợp tác trong lĩnh vực giáo dục - đào tạo và khoa học - công nghệ tiếp tục được quan tâm, nhiều trường đại học "
        "hai nước đã ký thỏa thuận trao đổi giảng viên và sinh viên.",
        "Đào tạo nguồn nhân lực chất lượng cao được coi là một điểm sáng trong quan hệ hai nước, góp phần vun đắp "
        "thế hệ kế tục tình hữu nghị Việt - Nga.",
    ])


def f_business(r, c):
    return _pick(r, [
        "Tuy nhiên, doanh nghiệp hai nước vẫn gặp khó khăn về thanh toán, vận tải và logistics, đòi hỏi các bộ, ngành "
        "sớm tháo gỡ.",
        "Các doanh nghiệp Việt - Nga và liên doanh sẽ cùng tham dự Diễn đàn Doanh nghiệp, với kỳ vọng mở rộng "
        "thị trường cho hàng nông lâm thủy sản của Việt Nam.",
        f"Dự kiến đại diện của tỉnh {c.city_ru} sẽ ký kết hợp tác với {c.city_vn}, với kỳ vọng cho phép người Việt "
        f"thành lập các cơ sở sản xuất tại Nga.",
    ])


def f_culture(r, c):
    return _pick(r, [
        "Giao lưu văn hóa, du lịch giữa hai nước ngày càng sôi động; nhiều lễ hội, tuần phim được tổ chức luân phiên "
        "tại hai nước.",
        "Hai bên nhất trí mở rộng hợp tác trong các lĩnh vực nhiều tiềm năng như văn hóa, du lịch, lao động và hợp tác "
        "giữa các địa phương.",
    ])


def f_invitation(r, c):
    return (f"{c.vn[0]} {c.vn[1]} mời {c.ru[0]} {c.ru[1]} sớm thăm lại Việt Nam. "
            f"{_pick(r, ['Phía Nga đã nhận lời.', 'Ông ' + c.ru[1].split()[-1] + ' vui vẻ nhận lời.', 'Lời mời đã được đón nhận.'])}")


def f_quote(r, c):
    q = _pick(r, ["Việt Nam là người bạn tin cậy, là đối tác quan trọng của Nga ở Đông Nam Á",
                  "Chúng tôi coi trọng tình hữu nghị truyền thống và mong muốn đưa hợp tác lên tầm cao mới",
                  "Quan hệ hai nước đã vượt qua thử thách của thời gian và ngày càng bền chặt"])
    return f"“{q}”, {c.ru[0]} {c.ru[1].split()[-1] if r.random() < 0.5 else c.ru[1]} {_pick(r, ['nói', 'nhấn mạnh', 'khẳng định'])}."


def f_mechanisms(r, c):
    return ("Hai bên duy trì nhiều cơ chế phối hợp và đối thoại như Đối thoại chiến lược Ngoại giao - Quốc phòng - "
            "An ninh, Ủy ban liên Chính phủ về hợp tác kinh tế - thương mại và khoa học - kỹ thuật.")


def f_nuclear_peace(r, c):
    return ("Hai bên nhất trí nghiên cứu các dự án hợp tác mới về năng lượng, hạ tầng, xem xét khả năng tiếp tục hợp "
            "tác trong lĩnh vực sử dụng năng lượng nguyên tử vì mục đích hòa bình.")


def f_context(r, c):
    return _pick(r, [
        "Chuyến thăm diễn ra trong bối cảnh hết sức quan trọng đối với quan hệ hai nước.",
        "Chuyến thăm có ý nghĩa đặc biệt, góp phần củng cố lòng tin chính trị giữa hai nước.",
        "Sự kiện thu hút sự quan tâm lớn của dư luận và giới doanh nghiệp hai nước.",
    ]) + " " + _pick(r, [
        "Các nhà lãnh đạo cũng trao đổi về những vấn đề quốc tế và khu vực cùng quan tâm.",
        "Hai bên bày tỏ hài lòng trước những bước phát triển tích cực của quan hệ song phương.",
        "Lãnh đạo hai nước nhấn mạnh cần khai thác tốt hơn nữa tiềm năng của mỗi nước.",
    ])


FILLER: list[tuple[str, Callable]] = [(fn.__name__[2:], fn) for fn in (
    f_talks, f_energy, f_defense, f_politics, f_diaspora_thanks, f_multilateral, f_east_sea, f_education,
    f_business, f_culture, f_invitation, f_quote, f_mechanisms, f_nuclear_peace, f_context)]

TEMPLATES: list[tuple[str, Callable]] = NUMERIC + FILLER
TEMPLATE_INDEX = {name: i for i, (name, _) in enumerate(TEMPLATES)}
N_NUMERIC = len(NUMERIC)


def title_of(r: random.Random, c: Ctx) -> str:
    vt, vn = c.vn
    rt, rn = c.ru
    return _pick(r, [
        f"{vt} {vn} hội đàm với {rt} Nga {rn.split()[-1] if r.random() < 0.5 else rn}",
        f"{rt} Nga {rn} sắp thăm Việt Nam",
        f"{vt} {vn} thăm chính thức Liên bang Nga",
        f"Kim ngạch thương mại Việt - Nga năm {c.year - 1} đạt "
        f"{_money(r, _tval(r, c, 'trade', c.year - 1, 1.1, 4.9))} {_ty(r)} USD",
        "Quan hệ Đối tác chiến lược toàn diện Việt Nam và Liên bang Nga",
        "Thúc đẩy hợp tác kinh tế, thương mại Việt Nam - Nga",
        f"Việt Nam - Nga: {c.year - 1950} năm quan hệ hữu nghị truyền thống",
        "Hợp tác giáo dục là điểm sáng trong quan hệ Việt - Nga",
        "Cộng đồng người Việt tại Nga hướng về Tổ quốc",
        f"Đưa kim ngạch thương mại Việt - Nga lên {_pick(r, [10, 15, 20])} {_ty(r)} USD",
        f"Nga cấp {fint(_round_to(_tval(r, c, 'scholarships', c.year, 600, 1100, 0.03), 100))} suất học bổng "
        f"cho sinh viên Việt Nam năm {c.year}",
        "Tăng cường hợp tác năng lượng, dầu khí Việt Nam - Nga",
        "Doanh nghiệp Việt tìm cơ hội tại thị trường Nga",
        f"Việt Nam - Nga ký {r.randint(5, 20)} văn kiện hợp tác",
    ])


def lead_of(r: random.Random, c: Ctx) -> str:
    return _pick(r, [
        f"{c.ru[0]} Nga {c.ru[1]} sắp thăm chính thức Việt Nam nhằm tăng cường quan hệ đối tác chiến lược toàn diện giữa hai nước.",
        f"{c.vn[0]} {c.vn[1]} chiều {r.randint(1, 28)}/{r.randint(1, 12)} hội đàm với {c.ru[0]} {c.ru[1]}, nhất trí đưa hợp tác "
        f"song phương vào chiều sâu, hiệu quả.",
        f"{c.vn[0]} và {c.ru[0]} Nga khẳng định quyết tâm tăng cường quan hệ Đối tác chiến lược toàn diện và ký kết nhiều "
        f"văn kiện quan trọng.",
        "Hợp tác kinh tế - thương mại - đầu tư giữa hai nước tiếp tục được củng cố, dù còn nhiều dư địa chưa được khai thác.",
        f"Theo thông cáo của Bộ Ngoại giao, {c.vn[0]} {c.vn[1]} đã có cuộc gặp với {c.ru[0]} {c.ru[1]} "
        f"tại {c.city_ru}.",
    ])


def caption_of(r: random.Random, c: Ctx) -> str:
    return (f"{c.vn[0]} {c.vn[1]} và {c.ru[0]} {c.ru[1]} "
            f"{_pick(r, ['tại buổi hội đàm', 'tại lễ đón chính thức', 'chứng kiến lễ ký các văn kiện hợp tác'])}"
            f" (tháng {r.randint(1, 12)}/{c.year}). {_pick(r, PHOTO_CREDITS)}")


# ---------------------------------------------------------------------------------------------
# documents: a Plan is a small, pure description; render(plan) -> bytes is deterministic
# ---------------------------------------------------------------------------------------------

@dataclass
class Plan:
    doc_seed: int
    ctx: Ctx
    layout: str                       # glued | lines | paragraphs
    outlet: str | None
    byline: str | None
    frame_seed: int                   # title, lead, caption and the glue between sentences
    slots: list[tuple[int, int]]      # (template index, paragraph seed)
    mess: dict = field(default_factory=dict)
    figure_change: tuple | None = None  # (which numeric token, seed) applied after rendering


def _mix(*parts: int) -> int:
    """Combine ints into one RNG seed (no hash(): stable across processes)."""
    x = 0x9E3779B97F4A7C15
    for p in parts:
        x = ((x ^ (p & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 31
    return x


def make_plan(seed: int, index: int, salt: int = 0) -> Plan:
    ds = _mix(seed, index, salt, 1)
    r = random.Random(ds)
    y = r.randint(2010, 2025)
    ctx = Ctx(year=y, vn=_pick(r, VN_LEADERS), ru=_pick(r, RU_LEADERS),
              city_vn=_pick(r, VN_CITIES), city_ru=_pick(r, RU_CITIES), seed=seed)
    v = r.random()
    layout = "glued" if v < 0.3 else ("lines" if v < 0.5 else "paragraphs")
    n_num = r.randint(3, 7)
    n_fill = r.randint(1, 3)
    num = r.sample(range(N_NUMERIC), n_num)
    fil = r.sample(range(N_NUMERIC, len(TEMPLATES)), n_fill)
    order = num + fil
    r.shuffle(order)
    slots = [(t, r.getrandbits(48)) for t in order]
    outlet = _pick(r, OUTLETS) if r.random() < 0.55 else None
    byline = (_pick(r, BYLINES) + _pick(r, BYLINE_SUFFIX)) if r.random() < 0.7 else None
    mess = {}
    if layout == "paragraphs" and r.random() < 0.08:
        mess["video"] = 1
    if r.random() < 0.10:
        mess["caption"] = 1
    if r.random() < 0.004:
        mess["repeat"] = r.randint(2, 17)
    if r.random() < 0.25:
        mess["nbsp"] = 1
    if r.random() < 0.2:
        mess["spaces"] = 1
    if r.random() < 0.03:
        mess["split_word"] = 1
    if r.random() < 0.005:
        mess["bom"] = 1
    if r.random() < 0.01:
        mess["crlf"] = 1
    if r.random() < 0.01:
        mess["nfd"] = 1
    if r.random() < 0.15:
        mess["trailing"] = _pick(r, [" ", "\n", "\n\n", "  \n"])
    return Plan(ds, ctx, layout, outlet, byline, r.getrandbits(48), slots, mess)


_SPACE_RE = re.compile(" ")
_NUM_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")


def _messy_para(text: str, r: random.Random, mess: dict) -> str:
    """Seed-like noise inside one paragraph; ``r`` is the paragraph's own RNG (after its template)."""
    if not ("nbsp" in mess or "spaces" in mess or "split_word" in mess):
        return text
    if "nbsp" in mess and r.random() < 0.5:
        # NBSP after a number ("80.000\xa0người") or at a random word boundary, like the seeds
        m = _NUM_TOKEN.search(text)
        if m and m.end() < len(text) and text[m.end()] == " " and r.random() < 0.6:
            text = text[:m.end()] + NBSP + text[m.end() + 1:]
        else:
            pos = [m.start() for m in _SPACE_RE.finditer(text)]
            if pos:
                p = _pick(r, pos)
                text = text[:p] + NBSP + text[p + 1:]
    if "spaces" in mess and r.random() < 0.5:
        pos = [m.start() for m in _SPACE_RE.finditer(text)]
        if pos:
            p = _pick(r, pos)
            text = text[:p] + _pick(r, ["  ", "   ", " " + NBSP]) + text[p + 1:]
    if "split_word" in mess and r.random() < 0.3:
        text = text.replace(" Việt Nam", " V iệt Nam", 1)   # seed 000: "V iệt Nam"
    return text


def render_text(plan: Plan) -> str:
    c = plan.ctx
    # one RNG per paragraph (so a near-duplicate can re-draw one paragraph and keep the others)
    # and one for the frame (title, lead, caption, glue between sentences), consumed in that order
    r = random.Random(plan.frame_seed)
    title = title_of(r, c)
    lead = lead_of(r, c)
    caption = caption_of(r, c) if "caption" in plan.mess else None
    paras = []
    for t, ps in plan.slots:
        pr = random.Random(ps)
        paras.append(_messy_para(TEMPLATES[t][1](pr, c), pr, plan.mess))
    outlet = (plan.outlet + " ") if plan.outlet else ""
    if plan.layout == "glued":
        # title glued to the body, sentences glued ("...hai nước.Chuyến thăm..."), byline glued at the end
        parts = [outlet + lead] + paras
        body = ""
        for p in parts:
            sep = "" if not body else _pick(r, ["", "", " ", "  ", "  "])
            body += sep + p
        text = title + body
        if caption:
            text += caption
        if plan.byline:
            text += plan.byline
    elif plan.layout == "lines":
        text = title + "\n" + outlet + lead + "\n" + " ".join(paras)
        if caption:
            text = title + "\n" + caption + "\n" + outlet + lead + "\n" + " ".join(paras)
        if plan.byline:
            text += " " + plan.byline + _pick(r, ["", " "])
    else:
        head = title + "\n\n"
        if "video" in plan.mess:
            head += "0:00 / 0:00\n0:00\n"
        head += outlet + lead + "\n"
        if caption:
            head += caption + "\n" + caption + "\n"   # the seeds repeat the caption line
        text = head + "\n" + "\n\n".join(paras)
        if plan.byline:
            text += "\n\n" + plan.byline
        if "repeat" in plan.mess:
            body = "\n\n".join(paras) + "\n\n"
            text = head + "\n" + body * plan.mess["repeat"]
    if "trailing" in plan.mess:
        text += plan.mess["trailing"]
    if plan.figure_change is not None:
        text = _apply_figure(text, title, plan.figure_change)[0]
    return text


def render(plan: Plan) -> bytes:
    text = render_text(plan)
    if "nfd" in plan.mess:
        text = unicodedata.normalize("NFD", text)
    if "crlf" in plan.mess:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if "bom" in plan.mess:
        data = b"\xef\xbb\xbf" + data
    return data


def _figure_candidates(text: str, skip: int) -> list[re.Match]:
    """Numeric tokens after the title that are quantities (not a year, not part of a date d/m/y)."""
    out = []
    for m in _NUM_TOKEN.finditer(text, skip):
        s, e = m.start(), m.end()
        tok = m.group()
        if (s > 0 and text[s - 1] in "/-–:") or (e < len(text) and text[e] in "/-–:"):
            continue
        if len(tok) == 4 and tok[:2] in ("19", "20"):
            continue
        out.append(m)
    return out


def _apply_figure(text: str, title: str, change: tuple) -> tuple[str, str, str, str]:
    which, fseed = change
    cands = _figure_candidates(text, len(title))
    if not cands:
        return text, "", "", ""
    m = cands[which % len(cands)]
    tok = m.group()
    r = random.Random(fseed)
    digits = [i for i, ch in enumerate(tok) if ch.isdigit()]
    # change one of the two leading significant digits: a plausible, visible edit ("3,75" -> "3,95")
    i = digits[min(len(digits) - 1, int(r.random() * 2))]
    lo = 1 if i == 0 else 0
    old = tok[i]
    new_d = str(lo + int(r.random() * (10 - lo)))
    if new_d == old:
        new_d = str(lo + (int(new_d) - lo + 1) % (10 - lo))
    new = tok[:i] + new_d + tok[i + 1:]
    ctx = text[max(0, m.start() - 40):m.end() + 40].replace("\n", " ")
    return text[:m.start()] + new + text[m.end():], tok, new, ctx


def shingles(text: str, k: int = 5) -> set:
    toks = re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())
    if len(toks) < k:
        return {tuple(toks)}
    return {tuple(toks[i:i + k]) for i in range(len(toks) - k + 1)}


def jaccard5(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(1, len(sa | sb))


def near_dup_plan(base: Plan, seed: int, index: int) -> tuple[Plan, dict]:
    """A copy of ``base`` with one figure changed, one sentence (paragraph) re-written, or one added."""
    r = random.Random(_mix(seed, index, 2))
    v = r.random()
    acc = 0.0
    kind = NEAR_KINDS[-1][0]
    for name, w in NEAR_KINDS:
        acc += w
        if v < acc:
            kind = name
            break
    p = replace(base, slots=list(base.slots), mess=dict(base.mess))
    p.mess.pop("repeat", None)   # a 17x repeated article would bury a one-sentence change
    info: dict = {"change": kind}
    if kind == "figure":
        text = render_text(p)
        title = title_of(random.Random(p.frame_seed), p.ctx)   # the frame RNG draws the title first
        change = (r.getrandbits(16), r.getrandbits(48))
        _, old, new, ctx = _apply_figure(text, title, change)
        if old:
            p.figure_change = change
            info.update(old=old, new=new, context=ctx)
            return p, info
        kind = info["change"] = "sentence_added"   # no quantity to change: add a sentence instead
    if kind == "sentence_changed":
        before = render_text(p)
        for _ in range(12):       # some filler paragraphs have few variants: retry until the text differs
            k = int(r.random() * len(p.slots))
            t, old_seed = p.slots[k]
            p.slots[k] = (t, r.getrandbits(48))
            if render_text(p) != before:
                info.update(template=TEMPLATES[t][0], position=k)
                return p, info
            p.slots[k] = (t, old_seed)
        kind = info["change"] = "sentence_added"
    used = {t for t, _ in p.slots}
    choices = [t for t in range(N_NUMERIC) if t not in used]
    t = _pick(r, choices)
    k = int(r.random() * (len(p.slots) + 1))
    p.slots.insert(k, (t, r.getrandbits(48)))
    info.update(template=TEMPLATES[t][0], position=k)
    return p, info


def rel_name(index: int) -> str:
    return f"{index // SHARD_SIZE:03d}/{index:06d}.txt"


def _kind_schedule(n: int, r: random.Random) -> list[str]:
    kinds: list[str] = []
    for b in range(0, n, 10):
        block = ["E"] * EXACT_PER_10 + ["N"] * NEAR_PER_10 + ["O"] * (10 - EXACT_PER_10 - NEAR_PER_10)
        r.shuffle(block)
        if b == 0:   # the very first file must be an original
            j = block.index("O")
            block[0], block[j] = block[j], block[0]
        kinds.extend(block)
    return kinds[:n]


def _source(r: random.Random, pool: list[int]) -> int:
    """Half from the recent past (syndication the same week), half from anywhere earlier."""
    if r.random() < 0.5:
        lo = max(0, len(pool) - 1000)
        return pool[lo + int(r.random() * (len(pool) - lo))]
    return pool[int(r.random() * len(pool))]


def schedule(n: int, seed: int = 42) -> list[tuple[str, int]]:
    """(kind, source index) for every file: kind O (original, source -1), E (exact dup), N (near dup).

    Sequential and cheap; the documents themselves are then a pure function of (seed, index, schedule)."""
    master = random.Random(_mix(seed, 0xC0FFEE))
    kinds = _kind_schedule(n, master)
    out: list[tuple[str, int]] = []
    originals: list[int] = []
    written: list[int] = []        # originals and near-dups: possible sources of exact duplicates
    for i, k in enumerate(kinds):
        if (k == "N" and not originals) or (k == "E" and not written):
            k = "O"
        if k == "O":
            out.append(("O", -1))
            originals.append(i)
            written.append(i)
        elif k == "N":
            out.append(("N", _source(master, originals)))
            written.append(i)
        else:
            out.append(("E", _source(master, written)))
    return out


def plan_of(seed: int, i: int, sched: list[tuple[str, int]]) -> tuple[Plan, dict]:
    """The plan of a non-exact document (and its near-dup change info, {} for an original)."""
    kind, src = sched[i]
    if kind == "O":
        return make_plan(seed, i), {}
    if kind == "N":
        return near_dup_plan(make_plan(seed, src), seed, i)
    raise ValueError("exact duplicates have no plan of their own")


def document(seed: int, i: int, sched: list[tuple[str, int]]) -> tuple[bytes, dict]:
    """(bytes, truth entry) of document i — a pure function, so any worker can render any file."""
    kind, src = sched[i]
    if kind == "E":
        return render(plan_of(seed, src, sched)[0]), {"kind": "exact_dup", "of": rel_name(src)}
    plan, info = plan_of(seed, i, sched)
    data = render(plan)
    if kind == "O":
        entry = {"kind": "original", "layout": plan.layout}
        if plan.mess:
            entry["mess"] = sorted(plan.mess)
        return data, entry
    entry = {"kind": "near_dup", "of": rel_name(src), **info}
    entry["jaccard5"] = round(jaccard5(render_text(make_plan(seed, src)), render_text(plan)), 3)
    return data, entry


def iter_documents(n: int, seed: int = 42, skip_exact: bool = False) -> Iterator[tuple[int, str, bytes, dict]]:
    """Yield (index, relative name, bytes, truth entry) for the n documents, in order (nothing written)."""
    sched = schedule(n, seed)
    for i in range(n):
        if skip_exact and sched[i][0] == "E":
            continue
        data, entry = document(seed, i, sched)
        yield i, rel_name(i), data, entry


_JOB: dict = {}


def _write_shard(shard: int) -> tuple[list[tuple[str, dict]], int]:
    out, seed, sched = _JOB["out"], _JOB["seed"], _JOB["sched"]
    lo, hi = shard * SHARD_SIZE, min(len(sched), (shard + 1) * SHARD_SIZE)
    d = out / f"{shard:03d}"
    d.mkdir(parents=True, exist_ok=True)
    entries, nbytes = [], 0
    cache: dict[int, bytes] = {}          # exact dups of files in this shard: reuse the bytes
    for i in range(lo, hi):
        kind, src = sched[i]
        if kind == "E" and (src in cache or (src < lo and _JOB["sequential"])):
            # an exact duplicate is a byte copy: reuse the bytes (earlier shards are on disk when sequential)
            data = cache[src] if src in cache else (out / rel_name(src)).read_bytes()
            entry = {"kind": "exact_dup", "of": rel_name(src)}
        else:
            data, entry = document(seed, i, sched)
        if kind != "E":
            cache[i] = data
        with open(d / f"{i:06d}.txt", "wb") as f:
            f.write(data)
        entries.append((rel_name(i), entry))
        nbytes += len(data)
    return entries, nbytes


def truth_path(out: Path) -> Path:
    out = Path(out)
    return out.parent / f"{out.name}.truth.json"


def generator_fingerprint() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def check_corpus(out: Path, n: int, seed: int) -> str | None:
    """None when ``out`` holds exactly what ``generate(n, out, seed)`` writes with this generator
    (truth file matches, no appended batches, same file count and total size); else the reason."""
    out = Path(out)
    tp = truth_path(out)
    if not out.is_dir():
        return f"{out} does not exist"
    if not tp.exists():
        return f"no truth file {tp.name}"
    try:
        truth = json.loads(tp.read_text(encoding="utf-8"))
    except ValueError as e:
        return f"unreadable truth file ({e})"
    want = {"n": n, "seed": seed, "generator_version": GENERATOR_VERSION, "generator_sha": generator_fingerprint()}
    for k, v in want.items():
        if truth.get(k) != v:
            return f"truth {k}={truth.get(k)!r}, want {v!r}"
    if truth.get("added"):
        return "documents were appended to it (--add-percent)"
    count = size = 0
    for shard in os.scandir(out):
        if not shard.is_dir():
            return f"unexpected file {shard.name}"
        for f in os.scandir(shard.path):
            count += 1
            size += f.stat().st_size
    if count != n or size != truth.get("bytes"):
        return f"{count} files / {size} bytes on disk, truth says {n} / {truth.get('bytes')}"
    return None


def _clear(out: Path) -> None:
    for p in out.iterdir():
        if p.is_dir() and p.name.isdigit():
            shutil.rmtree(p)
        else:
            raise FileExistsError(f"{out} holds {p.name!r}, which this generator did not write; refusing to clear it")


def _workers(n: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    return 1 if n < 4 * SHARD_SIZE else max(1, min(os.cpu_count() or 1, 8, math.ceil(n / SHARD_SIZE)))


def generate(n: int, out: Path, seed: int = 42, force: bool = True, write_truth: bool = True,
             workers: int | None = None) -> dict:
    """Write n files into ``out`` (sharded ``out/000/000123.txt``) and the ground truth next to it.

    ``force``: clear shard folders left in ``out`` by an earlier run (anything else there is an error).
    ``workers``: processes rendering shards in parallel (default: all cores for n >= 4000); the
    output does not depend on it. Returns stats; the truth dict is written to ``truth_path(out)``
    (and returned under "truth_dict").
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty (use force=True / --force)")
        _clear(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()          # clearing an old corpus is not generation time
    sched = schedule(n, seed)
    shards = list(range(math.ceil(n / SHARD_SIZE)))
    w = _workers(n, workers)
    _JOB.update(out=out, seed=seed, sched=sched, sequential=(w == 1))
    try:
        if w == 1:
            results = [_write_shard(s) for s in shards]
        else:
            import multiprocessing as mp
            with mp.get_context("fork").Pool(w) as pool:
                results = pool.map(_write_shard, shards, chunksize=1)
    finally:
        _JOB.clear()
    files: dict[str, dict] = {}
    counts = {"original": 0, "exact_dup": 0, "near_dup": 0}
    near_kinds: dict[str, int] = {}
    nbytes = 0
    for entries, nb in results:
        nbytes += nb
        for rel, entry in entries:
            files[rel] = entry
            counts[entry["kind"]] += 1
            if entry["kind"] == "near_dup":
                near_kinds[entry["change"]] = near_kinds.get(entry["change"], 0) + 1
    secs = time.perf_counter() - t0
    stats = {"n": n, "seed": seed, "files": len(files), "bytes": nbytes,
             "avg_bytes": round(nbytes / max(1, n), 1), **counts, "near_kinds": dict(sorted(near_kinds.items())),
             "workers": w, "seconds": round(secs, 3), "files_per_s": round(n / secs, 1) if secs else None,
             "mb_per_s": round(nbytes / 1e6 / secs, 2) if secs else None}
    truth = {"generator": "bench/generate.py", "generator_version": GENERATOR_VERSION,
             "generator_sha": generator_fingerprint(), "n": n, "seed": seed, "bytes": nbytes,
             "stats": {k: v for k, v in stats.items() if k not in ("seconds", "files_per_s", "mb_per_s", "workers")},
             "added": [], "files": files}
    if write_truth:
        tp = truth_path(out)
        tp.write_text(json.dumps(truth, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        stats["truth"] = str(tp)
    stats["truth_dict"] = truth
    return stats


def generate_more(out: Path, add_percent: float, start_index: int | None = None, seed: int | None = None) -> dict:
    """Append ``add_percent`` % (of the files already in the corpus) new ORIGINAL documents with new names.

    Content depends only on (seed, index), so it is deterministic and differs from every existing file.
    Updates the truth file next to ``out`` (creates a minimal one if there is none).
    """
    out = Path(out)
    t0 = time.perf_counter()
    tp = truth_path(out)
    if tp.exists():
        truth = json.loads(tp.read_text(encoding="utf-8"))
    else:
        truth = {"generator": "bench/generate.py", "generator_version": GENERATOR_VERSION, "n": None,
                 "seed": seed if seed is not None else 42, "added": [],
                 "files": {p.relative_to(out).as_posix(): {"kind": "unknown"} for p in out.rglob("*.txt")}}
    seed = truth["seed"] if seed is None else seed
    existing = len(truth["files"])
    m = max(1, math.ceil(existing * add_percent / 100.0 - 1e-9))
    if start_index is None:
        idx = [int(Path(rel).stem) for rel in truth["files"] if Path(rel).stem.isdigit()]
        start_index = (max(idx) + 1) if idx else 0
    new_names = []
    nbytes = 0
    for i in range(start_index, start_index + m):
        rel = rel_name(i)
        if rel in truth["files"] or (out / rel).exists():
            raise FileExistsError(f"{out / rel} already exists: pass a larger --start-index")
        plan = make_plan(seed, i, salt=1 + len(truth["added"]))
        data = render(plan)
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(out / rel, "wb") as f:
            f.write(data)
        nbytes += len(data)
        entry = {"kind": "original", "layout": plan.layout, "added_batch": len(truth["added"]) + 1}
        if plan.mess:
            entry["mess"] = sorted(plan.mess)
        truth["files"][rel] = entry
        new_names.append(rel)
    batch = {"percent": add_percent, "start_index": start_index, "count": m, "bytes": nbytes}
    truth["added"].append(batch)
    tp.write_text(json.dumps(truth, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    secs = time.perf_counter() - t0
    return {**batch, "names": new_names, "seconds": round(secs, 3), "truth": str(tp)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, help="number of files to generate")
    ap.add_argument("--out", type=Path, required=True, help="corpus folder (truth goes to <out>.truth.json beside it)")
    ap.add_argument("--seed", type=int, default=None, help="RNG seed (default 42; --add-percent: the corpus's)")
    ap.add_argument("--add-percent", type=float, help="append this %% of new original documents to an existing corpus")
    ap.add_argument("--start-index", type=int, help="first index of the appended documents (default: after the last)")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: all cores; output identical)")
    ap.add_argument("--no-force", action="store_true", help="refuse to overwrite a non-empty --out")
    a = ap.parse_args(argv)
    if a.add_percent is not None:
        st = generate_more(a.out, a.add_percent, a.start_index, a.seed)
        st.pop("names")
        print(json.dumps(st, ensure_ascii=False))
        return 0
    if a.n is None:
        ap.error("--n is required (or --add-percent for an existing corpus)")
    st = generate(a.n, a.out, 42 if a.seed is None else a.seed, force=not a.no_force, workers=a.workers)
    st.pop("truth_dict")
    print(json.dumps(st, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
