"""Paragraph templates that carry figures: name -> fn(r, ctx) -> str (NUMERIC)."""

from __future__ import annotations

import math
from typing import Callable

from .numbers import ORDINAL, fdec, fint, words
from .vocabulary import RU_CITIES, RU_NAMES, VN_CITIES, _approx, _ngan, _pick, _sectors, _ty, _year
from .world import (WORLD_NOISE, _canon, _count, _growth, _ival, _money, _reported, _round_to, _tourists, _trend,
                    _tval, _val)


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
