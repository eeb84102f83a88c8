"""Articles: the template table, title/lead/caption, a Plan per document and its deterministic rendering."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from .filler import FILLER
from .numbers import fint
from .numeric import NUMERIC
from .vocabulary import (BYLINE_SUFFIX, BYLINES, OUTLETS, PHOTO_CREDITS, RU_CITIES, RU_LEADERS, VN_CITIES, VN_LEADERS,
                         Ctx, _mix, _pick, _ty)
from .world import _money, _round_to, _tval

NBSP = "\u00a0"


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
