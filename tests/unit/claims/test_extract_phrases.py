"""Phrase-level tests of the claim extractor: one Vietnamese phrase per case (written for these tests,
in the styles of several outlets), the claims it must yield and, for traps, what it must NOT yield.

Every case asserts:
  * extraction raises nothing and is deterministic;
  * each expected claim is found: metric, value_low, value_high, unit, qualifier, period, and its
    value_text (the number as written in the phrase, with its magnitude word and unit noun; a range
    keeps its leading "từ"; a milestone keeps the date as written);
  * value_text == body[value_start:value_end] and quote == body[char_start:char_end] for every claim;
  * precision: every classified claim (metric != 'unclassified') of the phrase is an expected one,
    every unclassified claim has a unit and a value;
  * the listed forbidden claims (NO(...)) are absent.

Conventions decided here (and implemented in extract.py / numbers.py):
  * A DECREASE is stored as a negative change: "giảm 3,5%" -> trade_growth_pct -3.5. A bound is
    mirrored with it: "giảm hơn 10%" (fell by more than 10 %) -> qualifier 'under', value_high -10.
  * An absolute change ("tăng 500 triệu USD", "giảm 200 triệu USD") is a delta, not a level: it is
    kept as 'unclassified' (negative for a decrease), never as the level metric (trade_turnover).
  * "1,500" is a thousands separator only before countable nouns (người, dự án, sinh viên ...):
    "1,500 người" = 1500 but "1,500 tỷ USD" = 1.5 tỷ (a Vietnamese decimal comma).
  * Amounts in another currency (VND, RUB) are kept unclassified: no exchange-rate conversion.
  * "kỷ niệm N năm" with no explicit reference year is counted from as_of and gives the two-year
    window [as_of-N-1, as_of-N] (an anniversary year may be celebrated late); "tròn/đúng N năm" or an
    explicit reference year ("năm 2030 sẽ kỷ niệm ...") gives the exact year.
  * A relative year ("năm nay", "năm ngoái", "năm tới") is resolved against as_of when the clause
    has no explicit year; "so với năm trước / cùng kỳ năm X" is a comparison base, never the period.
  * Identifiers (phone numbers, version numbers, "mã số", "số hiệu") are not quantities: no claim.
  * A digit ordinal ("lần thứ 3") is kept as unclassified unit 'ordinal'; "thứ 28/145" as unit
    'rank'; a word ordinal ("lần thứ ba", also "thứ Ba" = Tuesday) yields nothing.
  * A figure about another country pair (the clause or sentence names a third country and not
    Russia) is kept unclassified with the period its own sentence gives (never borrowed).
  * "N tháng"/"N năm" durations are unclassified with unit 'months'/'years'.
"""
from __future__ import annotations

import math

import pytest

from vnclaims.text.sentences import split_sentences
from vnclaims.claims.extract import extract_document

ANY = object()


def C(metric, low, high, unit, qual, period=None, vt=None, date=ANY):
    return {"metric": metric, "value_low": low, "value_high": high, "unit": unit, "qualifier": qual,
            "period": period, "value_text": vt, "date": date}


def U(low, high, unit, qual="exact", period=None, vt=None, date=ANY):
    return C("unclassified", low, high, unit, qual, period, vt, date)


def NO(**fields):
    return fields


def _eq(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _match(claim, exp: dict) -> bool:
    for k, v in exp.items():
        if v is ANY or (k == "value_text" and v is None):
            continue
        if not _eq(getattr(claim, k), v):
            return False
    return True


def _row(c):
    return (c.metric, c.value_low, c.value_high, c.unit, c.qualifier, c.period, c.value_text, c.date)


def P(text, expected, forbidden=(), as_of="2024", id=None):  # noqa: A002 (pytest.param's own name)
    return pytest.param(text, as_of, list(expected), list(forbidden), id=id)


CASES = [
    # ------------------------------------------------------------ number formats
    P("Cộng đồng người Việt tại Nga hiện có khoảng 80.000 người.",
      [C("diaspora_population", 80000, 80000, "person", "approx", None, "80.000 người")], id="dot-thousands"),
    P("Năm 2016, kim ngạch thương mại song phương đạt 3,75 tỷ USD.",
      [C("trade_turnover", 3.75e9, 3.75e9, "USD", "exact", "2016", "3,75 tỷ USD")], id="comma-decimal"),
    P("Vốn đầu tư của Nga vào Việt Nam đạt 984,98 triệu USD.",
      [C("investment_capital_ru_in_vn", 984.98e6, 984.98e6, "USD", "exact", None, "984,98 triệu USD")],
      id="comma-decimal-two-places"),
    P("Năm 2023, kim ngạch thương mại hai chiều tăng 2,3% so với năm 2022.",
      [C("trade_growth_pct", 2.3, 2.3, "percent", "exact", "2023", "2,3%")],
      [NO(metric="trade_growth_pct", period="2022")], id="percent-comma"),
    P("Theo Reuters, thương mại Việt Nam - Nga năm 2014 đạt 3.75 tỷ USD.",
      [C("trade_turnover", 3.75e9, 3.75e9, "USD", "exact", "2014", "3.75 tỷ USD")], id="english-decimal"),
    P("Hiện có 1,500 sinh viên Việt Nam đang du học tại Nga.",
      [C("students_in_russia", 1500, 1500, "person", "exact", None, "1,500 sinh viên")], id="comma-thousands-countable"),
    # decision: a single comma + 3 digits before a non-countable unit is a decimal comma
    P("Dự án điện gió do doanh nghiệp Nga đề xuất có tổng mức 1,500 tỷ USD.",
      [U(1.5e9, 1.5e9, "USD", vt="1,500 tỷ USD")], id="comma-3digits-money-is-decimal"),
    P("Buổi gặp mặt kiều bào có 1,500 người tham dự.",
      [U(1500, 1500, "person", vt="1,500 người")], [NO(metric="diaspora_population")],
      id="comma-thousands-nguoi-attendance-not-diaspora"),
    P("Ước tính có 60-80 nghìn người Việt sinh sống ở Nga.",
      [C("diaspora_population", 60000, 80000, "person", "approx", None, "60-80 nghìn người")], id="range-60-80-nghin"),
    P("Cộng đồng người Việt ở Nga hiện khoảng 60.000 - 70.000 người.",
      [C("diaspora_population", 60000, 70000, "person", "approx", None, "60.000 - 70.000 người")], id="range-dot-thousands"),
    P("Khoảng 80 nghìn đến 100 nghìn người Việt đang sinh sống tại Nga.",
      [C("diaspora_population", 80000, 100000, "person", "approx", None, "80 nghìn đến 100 nghìn người")],
      id="range-magnitude-both-ends"),
    P("Lễ hội văn hóa thu hút 3.750 người tham dự.",
      [U(3750, 3750, "person", vt="3.750 người")], id="trap-3.750-is-thousands"),
    P("Nga viện trợ 3.750.000 USD cho các tỉnh miền Trung.",
      [U(3.75e6, 3.75e6, "USD", vt="3.750.000 USD")], id="trap-3.750.000"),
    P("Doanh nghiệp Nga cho biết dự án có tổng mức 3,75 triệu USD.",
      [U(3.75e6, 3.75e6, "USD", vt="3,75 triệu USD")], id="trap-3,75-triệu"),
    P("Cộng đồng người Việt tại LB Nga có khoảng 80.000\u00a0người.",
      [C("diaspora_population", 80000, 80000, "person", "approx", None, "80.000\u00a0người")], id="nbsp-before-unit"),
    # ------------------------------------------------------------ magnitude words
    P("Cộng đồng người Việt tại Nga có chừng 60 ngàn người.",
      [C("diaspora_population", 60000, 60000, "person", "approx", None, "60 ngàn người")], id="ngan"),
    P("Tổng vốn đầu tư của Việt Nam tại Nga đạt khoảng 3 tỉ USD.",
      [C("investment_capital_vn_in_ru", 3e9, 3e9, "USD", "approx", None, "3 tỉ USD")], id="ti-spelling"),
    P("Năm 2022, thương mại song phương đạt hơn 80 nghìn tỷ đồng.",
      [U(8e13, None, "VND", "over", "2022", "80 nghìn tỷ đồng")],
      [NO(metric="trade_turnover")], id="nghin-ty-vnd-unclassified"),
    P("Cộng đồng người Việt tại Nga từng có tới hai trăm nghìn người.",
      [C("diaspora_population", 200000, 200000, "person", "exact", None, "hai trăm nghìn người")], id="words-tram-nghin"),
    P("Khoảng 2 trăm nghìn kiều bào từng sinh sống tại Liên Xô.",
      [C("diaspora_population", 200000, 200000, "person", "approx", None, "2 trăm nghìn kiều bào")],
      id="digits-tram-nghin"),
    P("Nga hỗ trợ 1,2 triệu USD cho chương trình rà phá bom mìn.",
      [U(1.2e6, 1.2e6, "USD", vt="1,2 triệu USD")], id="trieu-decimal"),
    # ------------------------------------------------------------ numbers in words
    P("Cộng đồng người Việt tại Nga hiện có khoảng năm mươi nghìn người.",
      [C("diaspora_population", 50000, 50000, "person", "approx", None, "năm mươi nghìn người")], id="words-nam-muoi-nghin"),
    P("Doanh nghiệp Nga cam kết rót thêm ba triệu USD cho nhà máy.",
      [U(3e6, 3e6, "USD", vt="ba triệu USD")], id="words-ba-trieu"),
    P("Các nhà đầu tư Việt Nam hiện có mười lăm dự án đầu tư tại Nga.",
      [C("investment_projects_vn_in_ru", 15, 15, "project", "exact", None, "mười lăm dự án")], id="words-muoi-lam"),
    P("Hai bên đã ký hai mươi mốt văn kiện hợp tác.",
      [C("agreements_signed", 21, 21, "document", "exact", None, "hai mươi mốt văn kiện")],
      [NO(value_low=2.0)], id="words-hai-muoi-mot"),
    P("Hiện có một trăm linh năm nghiên cứu sinh Việt Nam đang theo học tại Nga.",
      [C("students_in_russia", 105, 105, "person", "exact", None, "một trăm linh năm nghiên cứu sinh")],
      id="words-mot-tram-linh-nam"),
    P("Nga viện trợ cho Việt Nam hai triệu rưỡi USD để phòng chống dịch.",
      [U(2.5e6, 2.5e6, "USD", vt="hai triệu rưỡi USD")], id="words-hai-trieu-ruoi"),
    P("Các doanh nghiệp Việt Nam đầu tư hai dự án vào Nga.",
      [C("investment_projects_vn_in_ru", 2, 2, "project", "exact", None, "hai dự án")],
      [NO(value_text="tư hai dự án")], id="words-after-dau-tu"),
    P("Hai nước đã có hai mươi năm hợp tác dầu khí hiệu quả.",
      [U(20, 20, "years", vt="hai mươi năm")], [NO(value_low=25.0)], id="words-hai-muoi-nam-is-20-years"),
    P("Nga đã cấp ba nghìn suất học bổng cho Việt Nam trong năm 2019.",
      [C("scholarships_per_year", 3000, 3000, "scholarship", "exact", "2019", "ba nghìn suất học bổng")],
      id="words-ba-nghin-hoc-bong"),
    # ------------------------------------------------------------ ranges
    P("Số người Việt sinh sống tại Nga ước khoảng 70-90 nghìn người.",
      [C("diaspora_population", 70000, 90000, "person", "approx", None, "70-90 nghìn người")], id="range-hyphen-approx"),
    P("Cộng đồng kiều bào tại Nga có 60 – 80 ngàn người.",
      [C("diaspora_population", 60000, 80000, "person", "range", None, "60 – 80 ngàn người")], id="range-endash-ngan"),
    P("Cộng đồng người Việt tại LB Nga có từ 40.000 đến 50.000 người.",
      [C("diaspora_population", 40000, 50000, "person", "range", None, "từ 40.000 đến 50.000 người")],
      id="range-tu-den"),
    P("Kim ngạch thương mại song phương mỗi năm dao động từ 3 đến 4 tỷ USD.",
      [C("trade_turnover", 3e9, 4e9, "USD", "range", None, "từ 3 đến 4 tỷ USD")], id="range-tu-den-ty"),
    P("Mỗi năm có khoảng 800 – 1.000 sinh viên Việt Nam sang Nga du học.",
      [C("students_in_russia", 800, 1000, "person", "approx", None, "800 – 1.000 sinh viên")], id="range-students"),
    # ------------------------------------------------------------ qualifiers
    P("Kim ngạch thương mại Việt Nam - Nga năm 2021 xấp xỉ 5,5 tỷ USD.",
      [C("trade_turnover", 5.5e9, 5.5e9, "USD", "approx", "2021", "5,5 tỷ USD")], id="xap-xi"),
    P("Ước tính có 100.000 người Việt sinh sống tại Nga.",
      [C("diaspora_population", 100000, 100000, "person", "approx", None, "100.000 người")], id="uoc-tinh"),
    P("Nga có hơn 120 dự án đầu tư tại Việt Nam.",
      [C("investment_projects_ru_in_vn", 120, None, "project", "over", None, "120 dự án")], id="hon"),
    P("Việt Nam và Nga đã ký trên 80 văn kiện hợp tác.",
      [C("agreements_signed", 80, None, "document", "over", None, "80 văn kiện")], id="tren"),
    P("Năm 2024, thương mại song phương vượt 4 tỷ USD.",
      [C("trade_turnover", 4e9, None, "USD", "over", "2024", "4 tỷ USD")], id="vuot"),
    P("Hiện có gần 5.000 sinh viên Việt Nam đang học tập tại Nga.",
      [C("students_in_russia", None, 5000, "person", "under", None, "5.000 sinh viên")], id="gan"),
    P("Năm 2000, Việt Nam chỉ có dưới 20 dự án đầu tư tại Nga.",
      [C("investment_projects_vn_in_ru", None, 20, "project", "under", "2000", "20 dự án")], id="duoi"),
    P("Hiện có khoảng hơn 300 lưu học sinh Việt Nam theo học tại các trường đại học của Nga.",
      [C("students_in_russia", 300, None, "person", "over", None, "300 lưu học sinh")], id="khoang-hon"),
    P("Cộng đồng người Việt tại Nga có trên dưới 100 nghìn người.",
      [C("diaspora_population", 100000, 100000, "person", "approx", None, "100 nghìn người")], id="tren-duoi"),
    P("Mỗi năm có từ 1.000 sinh viên trở lên sang Nga du học.",
      [C("students_in_russia", 1000, None, "person", "over", None, "1.000 sinh viên")], id="tro-len"),
    P("Kim ngạch thương mại song phương giảm hơn 10% trong năm 2022.",
      [C("trade_growth_pct", None, -10, "percent", "under", "2022", "10%")], id="decrease-by-more-than"),
    # ------------------------------------------------------------ targets
    P("Hai bên phấn đấu đưa kim ngạch thương mại song phương đạt 10 tỷ USD vào năm 2025.",
      [C("trade_target", 1e10, 1e10, "USD", "target", "2025", "10 tỷ USD")],
      [NO(metric="trade_turnover")], id="target-phan-dau"),
    P("Mục tiêu kim ngạch thương mại hai chiều 15 tỷ USD vào năm 2030 đã được đặt ra.",
      [C("trade_target", 1.5e10, 1.5e10, "USD", "target", "2030", "15 tỷ USD")], id="target-muc-tieu"),
    P("Lãnh đạo hai nước nhất trí nâng kim ngạch thương mại song phương lên 12 tỷ USD vào năm 2025.",
      [C("trade_target", 1.2e10, 1.2e10, "USD", "target", "2025", "12 tỷ USD")], id="target-nang-len"),
    P("Năm 2023, hai bên nhất trí đưa thương mại song phương lên 10 tỷ USD vào năm 2030.",
      [C("trade_target", 1e10, 1e10, "USD", "target", "2030", "10 tỷ USD")],
      [NO(period="2023", metric="trade_target")], id="target-year-after-wins"),
    P("Kim ngạch thương mại song phương năm 2020 chỉ đạt khoảng 4,8 tỷ USD, chưa đạt mục tiêu 10 tỷ USD.",
      [C("trade_turnover", 4.8e9, 4.8e9, "USD", "approx", "2020", "4,8 tỷ USD"),
       C("trade_target", 1e10, 1e10, "USD", "target", "2020", "10 tỷ USD")], id="actual-and-missed-target"),
    # "nâng ... lên" with no future/intent marker and no target year is a result, not a target; "ký thêm 12"
    # is an increment (unclassified); the bare "300" takes its unit from "tổng số văn kiện"
    P("Năm 2024, hai bên ký thêm 12 văn kiện, nâng tổng số văn kiện hợp tác đã ký lên hơn 300.",
      [U(12, 12, "document", "exact", "2024", "12 văn kiện"),
       C("agreements_signed", 300, None, "document", "over", "2024", "300")],
      [NO(qualifier="target")], id="nang-len-past-result-not-target"),
    # ------------------------------------------------------------ units
    P("Kim ngạch thương mại song phương năm 2018 đạt 4,5 tỷ đô la Mỹ.",
      [C("trade_turnover", 4.5e9, 4.5e9, "USD", "exact", "2018", "4,5 tỷ đô la Mỹ")], id="unit-do-la-my"),
    P("Năm 2019, trao đổi thương mại Việt - Nga đạt 4,9 tỷ đô-la.",
      [C("trade_turnover", 4.9e9, 4.9e9, "USD", "exact", "2019", "4,9 tỷ đô-la")], id="unit-do-la-hyphen"),
    P("Năm 2024, Chính phủ Nga cấp 1.035 suất học bổng cho Việt Nam.",
      [C("scholarships_per_year", 1035, 1035, "scholarship", "exact", "2024", "1.035 suất học bổng")], id="unit-suat-hoc-bong"),
    P("Mỗi năm, Nga dành cho Việt Nam khoảng 1.000 học bổng.",
      [C("scholarships_per_year", 1000, 1000, "scholarship", "approx", None, "1.000 học bổng")],
      [NO(value_low=5.0)], id="unit-hoc-bong-moi-nam"),
    P("Đến nay đã có 25 cặp địa phương hai nước thiết lập quan hệ hợp tác.",
      [C("local_partnership_pairs", 25, 25, "pair", "exact", None, "25 cặp")], id="unit-cap"),
    P("Hiện nay có khoảng 30 cặp tỉnh, thành phố hai nước kết nghĩa.",
      [C("local_partnership_pairs", 30, 30, "pair", "approx", None, "30 cặp")], id="unit-cap-kết-nghĩa"),
    P("Nga hỗ trợ 100 triệu rúp cho các dự án nhân đạo tại Việt Nam.",
      [U(1e8, 1e8, "RUB", vt="100 triệu rúp")], [NO(metric="investment_capital_ru_in_vn")], id="unit-rup"),
    # ------------------------------------------------------------ metrics
    P("Khoảng 100.000 kiều bào đang làm ăn, sinh sống tại Nga.",
      [C("diaspora_population", 100000, 100000, "person", "approx", None, "100.000 kiều bào")], id="diaspora-kieu-bao"),
    P("Hiện có khoảng 70.000 người Việt sinh sống tại LB Nga.",
      [C("diaspora_population", 70000, 70000, "person", "approx", None, "70.000 người")], id="diaspora-sinh-song"),
    P("Kim ngạch thương mại hai chiều năm 2019 đạt 4,9 tỉ USD.",
      [C("trade_turnover", 4.9e9, 4.9e9, "USD", "exact", "2019", "4,9 tỉ USD")], id="trade-2019"),
    P("Trong năm 2022, thương mại song phương giữa Việt Nam và Nga đạt 3,6 tỷ USD.",
      [C("trade_turnover", 3.6e9, 3.6e9, "USD", "exact", "2022", "3,6 tỷ USD")], id="trade-period-earlier-clause"),
    P("Năm 2019, kim ngạch xuất nhập khẩu Việt Nam - Nga tăng 15%.",
      [C("trade_growth_pct", 15, 15, "percent", "exact", "2019", "15%")], id="growth-tang"),
    P("Năm 2022, kim ngạch thương mại song phương đạt 3,6 tỷ USD, giảm 3,5% so với năm trước.",
      [C("trade_turnover", 3.6e9, 3.6e9, "USD", "exact", "2022", "3,6 tỷ USD"),
       C("trade_growth_pct", -3.5, -3.5, "percent", "exact", "2022", "3,5%")], id="growth-giam-negative"),
    P("Năm 2023, kim ngạch đạt 3,6 tỷ USD, tăng 8%.",
      [C("trade_turnover", 3.6e9, 3.6e9, "USD", "exact", "2023", "3,6 tỷ USD"),
       C("trade_growth_pct", 8, 8, "percent", "exact", "2023", "8%")], id="growth-inherits-period"),
    P("Năm 2023, thương mại song phương tăng 12% so với cùng kỳ năm 2022.",
      [C("trade_growth_pct", 12, 12, "percent", "exact", "2023", "12%")], id="growth-base-year-not-period"),
    P("Kim ngạch thương mại song phương tăng 5% so với năm 2021.",
      [C("trade_growth_pct", 5, 5, "percent", "exact", None, "5%")], id="growth-only-base-year"),
    P("Tăng trưởng thương mại hai chiều năm 2021 đạt 12,5%.",
      [C("trade_growth_pct", 12.5, 12.5, "percent", "exact", "2021", "12,5%")], id="growth-tang-truong-dat"),
    # a share is not a growth rate even with "tăng" elsewhere in the sentence
    P("Hợp tác tiếp tục tăng cường, nhưng Nga chỉ chiếm 1,2% tổng kim ngạch xuất khẩu của Việt Nam.",
      [U(1.2, 1.2, "percent", vt="1,2%")], [NO(metric="trade_growth_pct")], id="share-not-growth"),
    # an absolute change is a delta, not the level
    P("Năm 2022, kim ngạch thương mại song phương giảm 500 triệu USD.",
      [U(-5e8, -5e8, "USD", "exact", "2022", "500 triệu USD")], [NO(metric="trade_turnover")], id="delta-not-level"),
    P("Nga có 200 dự án đầu tư tại Việt Nam.",
      [C("investment_projects_ru_in_vn", 200, 200, "project", "exact", None, "200 dự án")], id="invest-ru-in-vn"),
    P("Các doanh nghiệp Việt Nam đầu tư 20 dự án vào Nga.",
      [C("investment_projects_vn_in_ru", 20, 20, "project", "exact", None, "20 dự án")], id="invest-vn-in-ru"),
    P("Vốn đầu tư của Nga vào Việt Nam đạt 1 tỷ USD.",
      [C("investment_capital_ru_in_vn", 1e9, 1e9, "USD", "exact", None, "1 tỷ USD")], id="capital-ru-in-vn"),
    P("Việt Nam có 30 dự án đầu tư sang Nga với tổng vốn đăng ký hơn 3 tỷ USD.",
      [C("investment_projects_vn_in_ru", 30, 30, "project", "exact", None, "30 dự án"),
       C("investment_capital_vn_in_ru", 3e9, None, "USD", "over", None, "3 tỷ USD")], id="invest-vn-projects-and-capital"),
    P("Tính đến tháng 12/2023, Nga có 194 dự án đầu tư còn hiệu lực tại Việt Nam, tổng vốn đăng ký gần 990 triệu USD.",
      [C("investment_projects_ru_in_vn", 194, 194, "project", "exact", "2023-12", "194 dự án"),
       C("investment_capital_ru_in_vn", None, 990e6, "USD", "under", "2023-12", "990 triệu USD")], id="invest-as-of-month"),
    P("Hiện có khoảng 5.000 du học sinh Việt Nam tại Nga.",
      [C("students_in_russia", 5000, 5000, "person", "approx", None, "5.000 du học sinh")], id="students-du-hoc-sinh"),
    # ------------------------------------------------------------ written after the rules, as a held-out check
    P("Theo Tổng cục Hải quan, 9 tháng đầu năm 2024, kim ngạch xuất nhập khẩu giữa Việt Nam và Nga đạt gần 3,4 tỉ USD.",
      [C("trade_turnover", None, 3.4e9, "USD", "under", "2024-01/2024-09", "3,4 tỉ USD")], id="heldout-9-months-gan-ti"),
    P("Trong 6 tháng đầu năm nay, kim ngạch thương mại song phương đạt 2,1 tỷ USD, tăng 8,5% so với cùng kỳ.",
      [C("trade_turnover", 2.1e9, 2.1e9, "USD", "exact", "2024-01/2024-06", "2,1 tỷ USD"),
       C("trade_growth_pct", 8.5, 8.5, "percent", "exact", "2024-01/2024-06", "8,5%")],
      [NO(metric="trade_turnover", period="2024")], id="heldout-half-of-this-year"),
    P("Trong quý I năm ngoái, thương mại hai chiều đạt 1,1 tỷ USD.",
      [C("trade_turnover", 1.1e9, 1.1e9, "USD", "exact", "2023-01/2023-03", "1,1 tỷ USD")], id="heldout-quarter-last-year"),
    P("Năm 2019, thương mại hai chiều Việt – Nga đạt mức kỷ lục 4,9 tỷ đô la Mỹ.",
      [C("trade_turnover", 4.9e9, 4.9e9, "USD", "exact", "2019", "4,9 tỷ đô la Mỹ")], id="heldout-do-la-my"),
    P("Hiện có khoảng 5 ngàn lưu học sinh Việt Nam đang theo học tại các trường đại học của Liên bang Nga.",
      [C("students_in_russia", 5000, 5000, "person", "approx", None, "5 ngàn lưu học sinh")], id="heldout-ngan-luu-hoc-sinh"),
    P("Tính đến hết năm 2023, Nga có 200 dự án đầu tư còn hiệu lực tại Việt Nam với tổng vốn đăng ký khoảng 1 tỷ USD.",
      [C("investment_projects_ru_in_vn", 200, 200, "project", "exact", "2023", "200 dự án"),
       C("investment_capital_ru_in_vn", 1e9, 1e9, "USD", "approx", "2023", "1 tỷ USD")], id="heldout-tinh-den-het-nam"),
    P("Kim ngạch thương mại năm 2022 giảm 15% so với năm 2021, còn khoảng 3,7 tỷ USD.",
      [C("trade_growth_pct", -15, -15, "percent", "exact", "2022", "15%"),
       C("trade_turnover", 3.7e9, 3.7e9, "USD", "approx", "2022", "3,7 tỷ USD")],
      [NO(metric="trade_turnover", period="2021")], id="heldout-decrease-then-level"),
    P("Kim ngạch hai chiều năm 2021 đạt 5,5 tỷ USD, năm 2022 đạt 4,6 tỷ USD.",
      [C("trade_turnover", 5.5e9, 5.5e9, "USD", "exact", "2021", "5,5 tỷ USD"),
       C("trade_turnover", 4.6e9, 4.6e9, "USD", "exact", "2022", "4,6 tỷ USD")], id="heldout-two-years-one-sentence"),
    P("Việt Nam và Liên Xô thiết lập quan hệ ngoại giao ngày 30 tháng 1 năm 1950.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "exact", "1950", "30 tháng 1 năm 1950", "1950-01-30")],
      id="heldout-date-in-words"),
    P("Năm 2025, hai nước kỷ niệm 75 năm thiết lập quan hệ ngoại giao.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "derived", None)], id="heldout-anniversary-explicit-year"),
    P("Hơn 75.000 người Việt Nam đã từng được đào tạo tại Liên Xô và Nga.",
      [U(75000, None, "person", "over", vt="75.000 người")], [NO(metric="diaspora_population"),
                                                               NO(metric="students_in_russia")], id="heldout-alumni"),
    P("Năm học 2023-2024, khoảng 4.000 sinh viên Việt Nam đang học tập tại Nga.",
      [C("students_in_russia", 4000, 4000, "person", "approx", "2023-2024", "4.000 sinh viên")], id="heldout-school-year"),
    P("Nga có 155 dự án FDI tại Việt Nam với tổng vốn 990 triệu USD.",
      [C("investment_projects_ru_in_vn", 155, 155, "project", "exact", None, "155 dự án"),
       C("investment_capital_ru_in_vn", 9.9e8, 9.9e8, "USD", "exact", None, "990 triệu USD")], id="heldout-fdi"),
    # the documents signed at one visit are not the running total of cooperation documents
    P("Sau cuộc hội đàm, hai nhà lãnh đạo đã chứng kiến lễ ký kết 14 văn kiện hợp tác về năng lượng và giáo dục.",
      [U(14, 14, "document", vt="14 văn kiện")], [NO(metric="agreements_signed")], id="agreements-at-a-ceremony"),
    P("Trong chuyến thăm chính thức Liên bang Nga, hai bên đã ký 9 văn kiện.",
      [U(9, 9, "document", vt="9 văn kiện")], [NO(metric="agreements_signed")], id="agreements-during-a-visit"),
    P("Từ năm 1991 đến nay, hai nước đã ký hơn 200 văn kiện hợp tác.",
      [C("agreements_signed", 200, None, "document", "over", "1991-", "200 văn kiện")], id="agreements-since"),
    # ------------------------------------------------------------ milestones
    P("Ngày 30/1/1950 hai nước thiết lập quan hệ ngoại giao.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "exact", "1950", "30/1/1950", "1950-01-30")],
      [NO(value_low=2.0)], id="milestone-diplomatic"),
    P("Liên Xô và Việt Nam chính thức thiết lập quan hệ ngoại giao vào ngày 30/01/1950.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "exact", "1950", "30/01/1950", "1950-01-30")],
      id="milestone-diplomatic-zero-padded"),
    P("Năm 2001, Việt Nam và Nga thiết lập quan hệ Đối tác chiến lược.",
      [C("milestone_strategic_partnership", 2001, 2001, "year", "exact", "2001", "Năm 2001")], id="milestone-strategic"),
    P("Năm 2012, hai nước nâng quan hệ lên Đối tác chiến lược toàn diện.",
      [C("milestone_comprehensive_strategic_partnership", 2012, 2012, "year", "exact", "2012", "Năm 2012")],
      [NO(metric="milestone_strategic_partnership")], id="milestone-comprehensive-nang-len"),
    P("Hai nước thiết lập quan hệ Đối tác chiến lược năm 2001 và nâng lên Đối tác chiến lược toàn diện năm 2012.",
      [C("milestone_strategic_partnership", 2001, 2001, "year", "exact", "2001", "năm 2001"),
       C("milestone_comprehensive_strategic_partnership", 2012, 2012, "year", "exact", "2012", "năm 2012")],
      id="milestones-two-in-one-sentence"),
    P("Ngày 16 tháng 6 năm 1994, hai nước ký Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị.",
      [C("milestone_friendship_treaty", 1994, 1994, "year", "exact", "1994", "16 tháng 6 năm 1994", "1994-06-16")],
      id="milestone-treaty-date-in-words"),
    P("Hai nước long trọng kỷ niệm 75 năm thiết lập quan hệ ngoại giao.",
      [C("milestone_diplomatic_relations", 1949, 1950, "year", "derived", None,
         "kỷ niệm 75 năm thiết lập quan hệ ngoại giao")],
      [NO(unit="years")], as_of="2025", id="derived-ky-niem-75"),
    P("Năm nay, Việt Nam và Nga tròn 25 năm thiết lập quan hệ Đối tác chiến lược.",
      [C("milestone_strategic_partnership", 2001, 2001, "year", "derived", None,
         "tròn 25 năm thiết lập quan hệ Đối tác chiến lược")],
      as_of="2026", id="derived-tron-25"),
    P("Năm 2030 sẽ kỷ niệm 80 năm thiết lập quan hệ ngoại giao Việt Nam - Nga.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "derived", None,
         "kỷ niệm 80 năm thiết lập quan hệ ngoại giao")],
      [NO(value_low=2030.0)], as_of="2024", id="derived-explicit-future-year"),
    P("Ngày 30/1/2020, hai nước kỷ niệm 70 năm thiết lập quan hệ ngoại giao.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "derived", None,
         "kỷ niệm 70 năm thiết lập quan hệ ngoại giao")],
      as_of="2023", id="derived-ref-from-full-date"),
    P("Năm 2024, hai nước kỷ niệm 30 năm ký Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị.",
      [C("milestone_friendship_treaty", 1994, 1994, "year", "derived", None,
         "kỷ niệm 30 năm ký Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị")], id="derived-treaty"),
    # ------------------------------------------------------------ dates
    P("Đoàn đại biểu Nga thăm Hà Nội từ ngày 5 đến 7/4.",
      [U(2015, 2015, "date", "derived", None, "5 đến 7/4", "2015-04-05")], as_of="2015", id="date-day-range-no-year"),
    P("Chủ tịch nước thăm chính thức Liên bang Nga từ ngày 29/11 - 2/12/2021.",
      [U(2021, 2021, "date", "range", None, "29/11 - 2/12/2021", "2021-11-29")], id="date-cross-month-range"),
    P("Thủ tướng thăm chính thức Nga vào tháng 5/2019.",
      [U(2019, 2019, "date", "exact", None, "5/2019", "2019-05")], id="date-month-year"),
    P("Ông Putin thăm Việt Nam lần đầu vào năm 2001.",
      [U(2001, 2001, "year", "exact", None, "năm 2001")], id="date-year"),
    P("Trong giai đoạn 2016-2020, tổng kim ngạch thương mại song phương đạt khoảng 20 tỷ USD.",
      [C("trade_turnover", 2e10, 2e10, "USD", "approx", "2016-2020", "20 tỷ USD")], id="period-giai-doan"),
    P("Năm ngoái, kim ngạch thương mại song phương đạt 4,5 tỷ USD.",
      [C("trade_turnover", 4.5e9, 4.5e9, "USD", "exact", "2019", "4,5 tỷ USD")],
      [NO(value_low=5.0)], as_of="2020", id="period-nam-ngoai-relative"),
    P("Năm nay, hai bên phấn đấu đưa kim ngạch thương mại lên 6 tỷ USD.",
      [C("trade_target", 6e9, 6e9, "USD", "target", "2024", "6 tỷ USD")], id="period-nam-nay-target"),
    P("Ngày 15 tháng 3 năm 2024, Chủ tịch Quốc hội hội đàm với Chủ tịch Duma Quốc gia Nga.",
      [U(2024, 2024, "date", "exact", None, "15 tháng 3 năm 2024", "2024-03-15")], id="date-full-words"),
    P("Ông Putin thăm chính thức Việt Nam vào năm 2012.",
      [U(2012, 2012, "year", "exact", None, "năm 2012")], [NO(metric="milestone_comprehensive_strategic_partnership")],
      id="date-year-2012"),
    # parts of a year are their own period (ISO month interval), never the whole year
    P("Trong quý I/2024, kim ngạch thương mại song phương đạt 1,1 tỷ USD.",
      [C("trade_turnover", 1.1e9, 1.1e9, "USD", "exact", "2024-01/2024-03", "1,1 tỷ USD")],
      [NO(period="2024")], id="period-quarter"),
    P("Kim ngạch thương mại song phương 6 tháng đầu năm 2024 đạt 2,5 tỷ USD.",
      [C("trade_turnover", 2.5e9, 2.5e9, "USD", "exact", "2024-01/2024-06", "2,5 tỷ USD")],
      [NO(unit="months")], id="period-six-months"),
    P("Trong 9 tháng năm 2023, thương mại hai chiều tăng 12%.",
      [C("trade_growth_pct", 12, 12, "percent", "exact", "2023-01/2023-09", "12%")], id="period-nine-months"),
    # increments are not levels
    P("Nửa đầu năm 2022, Nga có thêm 5 dự án đầu tư tại Việt Nam.",
      [U(5, 5, "project", "exact", "2022-01/2022-06", "5 dự án")], id="increment-them"),
    P("Trong năm 2023, Nga có 12 dự án đầu tư mới tại Việt Nam.",
      [U(12, 12, "project", "exact", "2023", "12 dự án")], id="increment-moi"),
    P("Số dự án đầu tư của Nga tại Việt Nam đạt 186.",
      [C("investment_projects_ru_in_vn", 186, 186, "project", "exact", None, "186")], id="unit-from-so-noun"),
    P("Năm 2023, kim ngạch xuất khẩu của Việt Nam sang Nga đạt 2,3 tỷ USD.",
      [U(2.3e9, 2.3e9, "USD", "exact", "2023", "2,3 tỷ USD")], [NO(metric="trade_turnover")], id="exports-not-turnover"),
    P("Kim ngạch thương mại Việt Nam - Nga năm 2024 ước đạt 4,57 tỷ USD, tăng 20,6% so với năm 2023.",
      [C("trade_turnover", 4.57e9, 4.57e9, "USD", "approx", "2024", "4,57 tỷ USD"),
       C("trade_growth_pct", 20.6, 20.6, "percent", "exact", "2024", "20,6%")], id="trade-uoc-dat-and-growth"),
    P("Quan hệ ngoại giao Việt Nam - Liên Xô được thiết lập ngày 30/1/1950.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "exact", "1950", "30/1/1950", "1950-01-30")],
      id="milestone-verb-after-cue"),
    P("Quan hệ Đối tác chiến lược toàn diện được xác lập năm 2012.",
      [C("milestone_comprehensive_strategic_partnership", 2012, 2012, "year", "exact", "2012", "năm 2012")],
      id="milestone-xac-lap"),
    P("Năm 2020 đánh dấu 70 năm thiết lập quan hệ ngoại giao giữa hai nước.",
      [C("milestone_diplomatic_relations", 1950, 1950, "year", "derived", None,
         "đánh dấu 70 năm thiết lập quan hệ ngoại giao")], as_of="2021", id="derived-danh-dau-explicit-year"),
    P("Nga cam kết cấp ít nhất 1.000 học bổng mỗi năm.",
      [C("scholarships_per_year", 1000, None, "scholarship", "over", None, "1.000 học bổng")], id="it-nhat"),
    P("Năm 2021, có chưa đầy 4.000 sinh viên Việt Nam tại Nga.",
      [C("students_in_russia", None, 4000, "person", "under", "2021", "4.000 sinh viên")], id="chua-day"),
    P("Nga có 200 dự án FDI còn hiệu lực tại Việt Nam với tổng vốn đầu tư khoảng 1 tỷ USD.",
      [C("investment_projects_ru_in_vn", 200, 200, "project", "exact", None, "200 dự án"),
       C("investment_capital_ru_in_vn", 1e9, 1e9, "USD", "approx", None, "1 tỷ USD")], id="invest-fdi-style"),
    P("Tổng vốn đầu tư của Việt Nam vào Nga đạt gần 3 tỷ USD với 20 dự án.",
      [C("investment_capital_vn_in_ru", None, 3e9, "USD", "under", None, "3 tỷ USD"),
       C("investment_projects_vn_in_ru", 20, 20, "project", "exact", None, "20 dự án")], id="invest-vn-capital-first"),
    P("Vào ngày 27/7/2012, Việt Nam và Nga nâng cấp quan hệ lên Đối tác chiến lược toàn diện.",
      [C("milestone_comprehensive_strategic_partnership", 2012, 2012, "year", "exact", "2012", "27/7/2012", "2012-07-27")],
      id="milestone-nang-cap"),
    P("Hai nước đặt mục tiêu đạt 10 tỷ USD kim ngạch thương mại vào năm 2020.",
      [C("trade_target", 1e10, 1e10, "USD", "target", "2020", "10 tỷ USD")], id="target-cue-after-number"),
    P("Trao đổi thương mại đạt 4,57 tỷ USD trong năm 2024.",
      [C("trade_turnover", 4.57e9, 4.57e9, "USD", "exact", "2024", "4,57 tỷ USD")], id="trade-period-after-number"),
    P("Việt Nam xuất khẩu 1,2 triệu tấn gạo sang Nga năm 2019.",
      [U(1.2e6, 1.2e6, "tonne", "exact", "2019", "1,2 triệu tấn")], id="tonnes-with-period"),
    # ------------------------------------------------------------ traps
    P("Kim ngạch thương mại 2 chiều năm 2017 đạt 3,55 tỷ USD.",
      [C("trade_turnover", 3.55e9, 3.55e9, "USD", "exact", "2017", "3,55 tỷ USD")],
      [NO(value_low=2.0)], id="trap-2-chieu-digit"),
    P("Quan hệ 2 nước và 2 bên đều phát triển tốt.", [], [NO()], id="trap-2-nuoc-digit"),
    P("Có tới 2/3 số dự án của Nga tập trung vào lĩnh vực dầu khí.",
      [U(2 / 3, 2 / 3, "fraction", vt="2/3")], [NO(unit="date")], id="trap-fraction-not-date"),
    P("Hàng nghìn sinh viên Việt Nam đang học tập tại Nga.", [], [NO()], id="trap-hang-nghin-vague"),
    P("Hội nghị diễn ra vào thứ Ba tuần trước tại Moscow.", [], [NO()], id="trap-thu-ba-tuesday"),
    P("Việt Nam là đối tác thương mại lớn thứ 2 của Nga trong ASEAN.",
      [U(2, 2, "ordinal", vt="thứ 2")], id="trap-ordinal-partner"),
    P("Hai nước nhất trí tăng cường hợp tác, hai bên sẽ trao đổi đoàn thường xuyên.",
      [], [NO()], id="trap-hai-nuoc-hai-ben"),
    P("Nga là một trong những đối tác quan trọng hàng đầu của Việt Nam.",
      [], [NO()], id="trap-mot-trong-nhung"),
    P("Năm nay, quan hệ hai nước tiếp tục phát triển tốt đẹp như năm ngoái.",
      [], [NO()], id="trap-nam-nay-nam-ngoai"),
    P("Đây là lần thứ ba Tổng thống Nga thăm Việt Nam.",
      [], [NO()], id="trap-lan-thu-ba"),
    P("Đây là lần thứ 3 Tổng thống Nga thăm Việt Nam.",
      [U(3, 3, "ordinal", vt="thứ 3")], [NO(unit="ông"), NO(unit="tổng thống")], id="trap-lan-thu-3-digits"),
    P("Nga xếp thứ 28/145 quốc gia và vùng lãnh thổ có đầu tư tại Việt Nam.",
      [U(28, 28, "rank", vt="thứ 28/145")], [NO(value_low=145.0)], id="trap-rank"),
    P("Ngày 30/11/2021, hai nước ra Tuyên bố chung về Tầm nhìn quan hệ Đối tác chiến lược toàn diện đến năm 2030.",
      [U(2021, 2021, "date", "exact", None, "30/11/2021", "2021-11-30")],
      [NO(metric="milestone_comprehensive_strategic_partnership"), NO(metric="milestone_strategic_partnership")],
      id="trap-tam-nhin-2030"),
    P("Quan hệ Đối tác chiến lược toàn diện Việt Nam - Nga tiếp tục phát triển trong năm 2023.",
      [U(2023, 2023, "year", "exact", None, "năm 2023")],
      [NO(metric="milestone_comprehensive_strategic_partnership")], id="trap-partnership-mentioned-not-established"),
    P("Năm 2023, hai bên ký kết nhiều thỏa thuận trong khuôn khổ quan hệ Đối tác chiến lược toàn diện.",
      [U(2023, 2023, "year", "exact", None, "Năm 2023")],
      [NO(metric="milestone_comprehensive_strategic_partnership")], id="trap-signing-within-framework"),
    P("Ngày 18/1/1950, Việt Nam và Trung Quốc thiết lập quan hệ ngoại giao.",
      [U(1950, 1950, "date", "exact", None, "18/1/1950", "1950-01-18")],
      [NO(metric="milestone_diplomatic_relations")], id="trap-other-country-milestone"),
    P("Nga kỷ niệm chiến thắng phát xít trong Thế chiến II.",
      [], [NO()], id="trap-the-chien-ii"),
    P("Ứng dụng của Đại sứ quán được cập nhật lên phiên bản 2.1.3 vào tuần trước.",
      [], [NO()], id="trap-version-number"),
    P("Công dân cần hỗ trợ gọi số điện thoại 0903 123 456 của Đại sứ quán Việt Nam tại Nga.",
      [], [NO()], id="trap-phone-number"),
    P("Đường dây nóng bảo hộ công dân: +7 495 717 0001.",
      [], [NO()], id="trap-phone-international"),
    P("Hồ sơ có mã số 12345 đã được chuyển cho phía Nga.",
      [], [NO()], id="trap-ma-so"),
    P("Tại TP. Hồ Chí Minh, Tổng lãnh sự quán Nga cho biết có khoảng 300 doanh nghiệp Nga đang hoạt động.",
      [U(300, 300, "company", "approx", vt="300 doanh nghiệp")], id="trap-tp-abbreviation"),
    P("Tổng thống Putin dự Hội nghị cấp cao APEC 2017 tại Đà Nẵng.",
      [U(2017, 2017, "year", "exact", None, "2017")], [NO(unit="tại")], id="trap-apec-2017"),
    P("Lễ kỷ niệm 70 năm Chiến thắng phát xít được tổ chức trọng thể tại Moscow.",
      [U(70, 70, "years", vt="70 năm")], [NO(metric="milestone_diplomatic_relations")], id="trap-70-nam-duration"),
    P("Các dự án của Nga được triển khai tại 21 địa phương của Việt Nam.",
      [U(21, 21, "địa phương", vt="21 địa phương")], id="trap-unknown-noun"),
    P("Kim ngạch thương mại Việt Nam - Trung Quốc đạt hơn 175 tỷ USD.",
      [U(1.75e11, None, "USD", "over", None, "175 tỷ USD")], [NO(metric="trade_turnover")], id="trap-other-pair"),
    P("Năm 2021, kim ngạch thương mại Việt Nam - Nga đạt 5,5 tỷ USD. Trong khi đó, thương mại Việt Nam - Trung Quốc đạt 165 tỷ USD.",
      [C("trade_turnover", 5.5e9, 5.5e9, "USD", "exact", "2021", "5,5 tỷ USD"),
       U(1.65e11, 1.65e11, "USD", "exact", None, "165 tỷ USD")], id="trap-other-pair-no-borrowed-period"),
    P("Cộng đồng người Việt tại Nhật Bản có khoảng 500.000 người.",
      [U(500000, 500000, "person", "approx", vt="500.000 người")], [NO(metric="diaspora_population")],
      id="trap-diaspora-other-country"),
    P("Hai bên ký 5 văn kiện, trong đó có thỏa thuận mua 2 triệu tấn gạo.",
      [C("agreements_signed", 5, 5, "document", "exact", None, "5 văn kiện"),
       U(2e6, 2e6, "tonne", vt="2 triệu tấn")], id="other-unit-tonne"),
    P("Chương trình kéo dài 6 tháng, từ tháng 3 đến tháng 8.",
      [U(6, 6, "months", vt="6 tháng")], id="trap-duration-months"),
    P("Ông Nguyễn Văn A, 45 tuổi, đã sống ở Moscow.",
      [U(45, 45, "tuổi", vt="45 tuổi")], [NO(metric="diaspora_population")], id="trap-age"),
]


@pytest.mark.parametrize("text, as_of, expected, forbidden", CASES)
def test_phrase(text, as_of, expected, forbidden):
    body = text
    claims = extract_document("p", "phrase.txt", body, split_sentences(body), as_of=as_of, as_of_source="test")
    again = extract_document("p", "phrase.txt", body, split_sentences(body), as_of=as_of, as_of_source="test")
    assert [c.as_row() for c in claims] == [c.as_row() for c in again]
    got = [_row(c) for c in claims]

    for c in claims:
        assert c.value_text == body[c.value_start:c.value_end]
        assert c.quote == body[c.char_start:c.char_end]
        assert c.value_text and c.value_text in body
        if c.metric == "unclassified":
            assert c.unit, got
            assert c.value_low is not None or c.value_high is not None, got

    for exp in expected:
        assert exp["value_text"] is None or exp["value_text"] in text, f"bad test: {exp['value_text']!r}"
        assert any(_match(c, exp) for c in claims), f"missing {exp}\n got {got}"

    exp_classified = [e for e in expected if e["metric"] != "unclassified"]
    for c in claims:
        if c.metric != "unclassified":
            assert any(_match(c, e) for e in exp_classified), f"unexpected classified claim {_row(c)}"

    for f in forbidden:
        bad = [_row(c) for c in claims if all(_eq(getattr(c, k), v) for k, v in f.items())]
        assert not bad, f"forbidden {f or 'any claim'}: {bad}"


def test_phrase_count():
    assert len(CASES) >= 90


ARTICLE = (
    "Việt Nam - Nga: 75 năm hữu nghị\n"
    "(TTXVN) - Hai nước long trọng kỷ niệm 75 năm thiết lập quan hệ ngoại giao.\n\n"
    "Theo Bộ Công Thương, năm 2024 kim ngạch thương mại song phương đạt 4,57 tỷ USD, tăng 26,4%.\n"
    "Tại Tp. Hồ Chí Minh, Tổng lãnh sự Nga cho biết Nga có 199 dự án đầu tư tại Việt Nam. "
    "Cộng đồng người Việt tại Nga hiện có khoảng 60.000\u00a0người.\n"
    "Hai bên phấn đấu nâng kim ngạch thương mại lên 10 tỷ USD vào năm 2030.\n"
    "Minh Anh\n"
)


def test_article_through_clean_text():
    """A whole article through clean_text: offsets into the cleaned body, as_of inferred, no sentence
    split at "Tp.", the byline and source tag gone, and exactly the expected classified claims."""
    from vnclaims.text.clean import clean_text
    from vnclaims.claims.as_of import infer_as_of

    doc = clean_text(ARTICLE)
    year, _ = infer_as_of(doc.body, doc.sentences)
    assert year == 2025          # a statistic for 2024 is reported
    claims = extract_document("a", "a.txt", doc.body, doc.sentences, as_of=str(year), as_of_source="inferred")
    for c in claims:
        assert c.quote == doc.body[c.char_start:c.char_end]
        assert c.value_text == doc.body[c.value_start:c.value_end]
    got = {(c.metric, c.value_low, c.value_high, c.unit, c.qualifier, c.period)
           for c in claims if c.metric != "unclassified"}
    assert got == {
        ("milestone_diplomatic_relations", 1949.0, 1950.0, "year", "derived", None),
        ("trade_turnover", 4.57e9, 4.57e9, "USD", "exact", "2024"),
        ("trade_growth_pct", 26.4, 26.4, "percent", "exact", "2024"),
        ("investment_projects_ru_in_vn", 199.0, 199.0, "project", "exact", None),
        ("diaspora_population", 60000.0, 60000.0, "person", "approx", None),
        ("trade_target", 1e10, 1e10, "USD", "target", "2030"),
    }
    tp = next(c for c in claims if c.metric == "investment_projects_ru_in_vn")
    assert tp.quote.startswith("Tại Tp. Hồ Chí Minh")
