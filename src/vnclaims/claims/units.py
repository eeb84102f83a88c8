"""Units after a number: the lexicon of unit words (currencies, people, projects, documents, ...) and
their codes; words after a number that are not a unit."""
from __future__ import annotations

import re

# (pattern on the match form, unit code, base unit conversion factor)
UNIT_LEXICON: list[tuple[str, str]] = [
    (r"usd|đô la mỹ|đô-la mỹ|đôla mỹ|đô la|đô-la|đôla|us\$|\$", "USD"),
    (r"vnđ|vnd|đồng", "VND"),
    (r"rúp|rub", "RUB"),
    (r"euro|eur", "EUR"),
    (r"%|phần trăm", "percent"),
    (r"suất học bổng|học bổng", "scholarship"),
    (r"sinh viên|du học sinh|lưu học sinh|nghiên cứu sinh|học viên", "student"),
    (r"người|công dân|kiều bào", "person"),
    (r"dự án", "project"),
    (r"cặp", "pair"),
    (r"văn kiện|văn bản|thỏa thuận|hiệp định|bản ghi nhớ|điều ước", "document"),
    (r"tấn", "tonne"),
    (r"lượt khách|lượt", "visit"),
    (r"doanh nghiệp|công ty", "company"),
    (r"km|ki-lô-mét|cây số", "km"),
    (r"năm(?! \d)(?! nay| ngoái| trước| tới| sau)", "years"),
    (r"tháng(?! \d)", "months"),
    (r"ngày(?! \d)", "days"),
]
UNIT_RE = re.compile(r"\s*(" + "|".join(f"(?:{p})" for p, _ in UNIT_LEXICON) + r")(?!\w)")
_UNIT_CODES = [(re.compile(rf"^(?:{p})$"), code) for p, code in UNIT_LEXICON]
COUNTABLE = {"person", "student", "project", "pair", "document", "scholarship", "company", "visit"}

# words after a number that are not a unit (prepositions, verbs...)
NOT_UNIT = {
    "vào", "tại", "ở", "và", "với", "của", "cho", "trong", "so", "là", "thì", "đến", "tới", "từ", "nay",
    "trên", "dưới", "hơn", "khoảng", "theo", "được", "đã", "sẽ", "có", "này", "đó", "đây", "sau", "trước",
}
_GENERIC_UNIT_RE = re.compile(r"\s+([a-zà-ỹđ]+)(?:\s+([a-zà-ỹđ]+))?")


def unit_code(unit_text: str) -> str:
    for rx, code in _UNIT_CODES:
        if rx.match(unit_text):
            return code
    return unit_text
