"""Names, places, outlets and bylines; the small random pickers and the per-document context (Ctx)."""

from __future__ import annotations

import random
from dataclasses import dataclass


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


def _mix(*parts: int) -> int:
    """Combine ints into one RNG seed (no hash(): stable across processes)."""
    x = 0x9E3779B97F4A7C15
    for p in parts:
        x = ((x ^ (p & 0xFFFFFFFFFFFFFFFF)) * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        x ^= x >> 31
    return x
