"""Unseen sentences: written in the style of Vietnamese news outlets (VnExpress, Tuổi Trẻ, Thanh Niên, VOV,
Báo Quốc tế, TTXVN), NOT taken from or modelled on the dev set or the challenge set. Each holds the claims a
careful reader would extract (by the project's conventions: "gần" is approx): (metric, value_low, value_high, qualifier, period, scope kind), where the scope
kind is the part of the scope before ":" ("item", "region", "new_in_period", ...) or None for a total."""
from __future__ import annotations

import pytest

from vnclaims.claims.extract import extract_document
from vnclaims.text.sentences import split_sentences

B, M = 1e9, 1e6

CASES = [
    # ---- trade: totals, periods, word order, passive, parentheses, lists
    ("Kim ngạch thương mại song phương năm 2022 đạt khoảng 4,9 tỷ USD.",
     [("trade_turnover", 4.9 * B, 4.9 * B, "approx", "2022", None)]),
    ("Trong 9 tháng đầu năm 2023, thương mại hai chiều Việt Nam – Nga đạt 2,8 tỷ USD.",
     [("trade_turnover", 2.8 * B, 2.8 * B, "exact", "2023-01/2023-09", None)]),
    ("Theo số liệu của Tổng cục Hải quan, tổng trị giá hàng hóa xuất nhập khẩu giữa hai nước năm 2021 là 5,5 tỷ USD.",
     [("trade_turnover", 5.5 * B, 5.5 * B, "exact", "2021", None)]),
    ("5,5 tỷ USD là con số kim ngạch thương mại Việt – Nga trong năm 2021.",
     [("trade_turnover", 5.5 * B, 5.5 * B, "exact", "2021", None)]),
    ("Kim ngạch thương mại Việt Nam – Nga năm 2019 (4,5 tỷ USD) tăng gần 3 lần so với năm 2010.",
     [("trade_turnover", 4.5 * B, 4.5 * B, "exact", "2019", None)]),
    ("Năm 2023, Việt Nam xuất khẩu sang Nga 2,3 tỷ USD và nhập khẩu từ Nga 1,3 tỷ USD.",
     [("vn_exports_to_ru", 2.3 * B, 2.3 * B, "exact", "2023", None),
      ("vn_imports_from_ru", 1.3 * B, 1.3 * B, "exact", "2023", None)]),
    ("Việt Nam xuất khẩu sang Nga 2,5 tỷ USD, chủ yếu là điện thoại.",
     [("vn_exports_to_ru", 2.5 * B, 2.5 * B, "exact", None, None)]),
    ("Năm 2023, xuất khẩu của Việt Nam sang Liên bang Nga đạt 2,1 tỷ USD, tăng 12% so với năm 2022.",
     [("vn_exports_to_ru", 2.1 * B, 2.1 * B, "exact", "2023", None),
      ("trade_growth_pct", 12, 12, "exact", "2023", "flow")]),
    ("Khoảng 2,3 tỷ USD hàng hóa Việt Nam đã được xuất sang thị trường Nga trong năm 2023.",
     [("vn_exports_to_ru", 2.3 * B, 2.3 * B, "approx", "2023", None)]),
    ("Xuất khẩu của Nga sang Việt Nam năm 2022 đạt 1,7 tỷ USD.",
     [("vn_imports_from_ru", 1.7 * B, 1.7 * B, "exact", "2022", None)]),
    ("Trong tổng kim ngạch 3,6 tỷ USD năm 2023, xuất khẩu của Việt Nam chiếm 2,3 tỷ USD.",
     [("trade_turnover", 3.6 * B, 3.6 * B, "exact", "2023", None),
      ("vn_exports_to_ru", 2.3 * B, 2.3 * B, "exact", "2023", None)]),
    ("Xuất khẩu thủy sản của Việt Nam sang Nga năm 2023 đạt 180 triệu USD.",
     [("vn_exports_to_ru", 180 * M, 180 * M, "exact", "2023", "item")]),
    ("Việt Nam chủ yếu nhập khẩu từ Nga than đá, phân bón, lúa mì và sắt thép, với tổng trị giá 1,6 tỷ USD "
     "trong năm 2022.",
     [("vn_imports_from_ru", 1.6 * B, 1.6 * B, "exact", "2022", None)]),
    ("Năm 2023, thương mại Việt – Nga tăng 8,5% so với năm 2022.",
     [("trade_growth_pct", 8.5, 8.5, "exact", "2023", None)]),
    ("Kim ngạch xuất nhập khẩu giữa hai nước dự kiến đạt 10 tỷ USD vào năm 2030.",
     [("trade_target", 10 * B, 10 * B, "target", "2030", None)]),
    ("Hai bên đặt mục tiêu nâng kim ngạch thương mại song phương lên 10 tỷ USD trong thời gian tới.",
     [("trade_target", 10 * B, 10 * B, "target", None, None)]),
    # ---- investment
    ("Nga hiện có 150 dự án đầu tư tại Việt Nam với tổng vốn đăng ký gần 1 tỷ USD.",
     [("investment_projects_ru_in_vn", 150, 150, "exact", None, None),
      ("investment_capital_ru_in_vn", 1 * B, 1 * B, "approx", None, None)]),
    ("Vốn đầu tư của Việt Nam vào Nga đạt khoảng 3 tỷ USD với 25 dự án.",
     [("investment_capital_vn_in_ru", 3 * B, 3 * B, "approx", None, None),
      ("investment_projects_vn_in_ru", 25, 25, "exact", None, None)]),
    ("Doanh nghiệp Việt Nam đã đầu tư vào Nga 17 dự án với tổng vốn khoảng 3,3 tỷ USD.",
     [("investment_projects_vn_in_ru", 17, 17, "exact", None, None),
      ("investment_capital_vn_in_ru", 3.3 * B, 3.3 * B, "approx", None, None)]),
    ("Lũy kế đến hết tháng 6/2024, Nga có 203 dự án còn hiệu lực tại Việt Nam, tổng vốn đăng ký 990 triệu USD.",
     [("investment_projects_ru_in_vn", 203, 203, "exact", "../2024-06", None),
      ("investment_capital_ru_in_vn", 990 * M, 990 * M, "exact", "../2024-06", None)]),
    ("Theo Bộ Kế hoạch và Đầu tư, tính đến tháng 12/2023, Liên bang Nga có 199 dự án đầu tư trực tiếp tại Việt Nam.",
     [("investment_projects_ru_in_vn", 199, 199, "exact", "../2023-12", None)]),
    ("Trong năm 2023, Nga đầu tư thêm 5 dự án mới vào Việt Nam với tổng vốn 30 triệu USD.",
     [("investment_projects_ru_in_vn", 5, 5, "exact", "2023", "new_in_period"),
      ("investment_capital_ru_in_vn", 30 * M, 30 * M, "exact", "2023", "new_in_period")]),
    ("Ở chiều ngược lại, 25 dự án của các nhà đầu tư Việt Nam đang hoạt động tại Nga.",
     [("investment_projects_vn_in_ru", 25, 25, "exact", None, None)]),
    # ---- community, students, scholarships
    ("Hiện có khoảng 60.000 người Việt đang sinh sống, làm ăn tại Nga.",
     [("diaspora_population", 60000, 60000, "approx", None, None)]),
    ("Cộng đồng khoảng 50 nghìn người Việt tại Nga luôn hướng về quê hương.",
     [("diaspora_population", 50000, 50000, "approx", None, None)]),
    ("Số người Việt Nam sinh sống tại Liên bang Nga hiện vào khoảng 100.000 người, trong đó riêng Moskva có hơn "
     "40.000 người.",
     [("diaspora_population", 100000, 100000, "approx", None, None),
      ("diaspora_population", 40000, None, "over", None, "region")]),
    ("Tại Saint Petersburg có khoảng 3.000 người Việt sinh sống.",
     [("diaspora_population", 3000, 3000, "approx", None, "region")]),
    ("Có tới gần một trăm nghìn người Việt đang sinh sống tại Nga.",
     [("diaspora_population", 100000, 100000, "approx", None, None)]),
    ("Khoảng 5.000 sinh viên Việt Nam đang theo học tại các trường đại học của Nga.",
     [("students_in_russia", 5000, 5000, "approx", None, None)]),
    ("Hiện nay, khoảng 4.000 du học sinh Việt Nam đang học tập tại Nga.",
     [("students_in_russia", 4000, 4000, "approx", None, None)]),
    ("Mỗi năm, Chính phủ Nga cấp khoảng 1.000 suất học bổng cho sinh viên Việt Nam.",
     [("scholarships_per_year", 1000, 1000, "approx", None, None)]),
    ("Nga dành cho Việt Nam hơn 1.000 suất học bổng mỗi năm.",
     [("scholarships_per_year", 1000, None, "over", None, None)]),
    # ---- agreements, milestones
    ("Hai bên đã ký kết 12 văn kiện hợp tác trong các lĩnh vực năng lượng, giáo dục, y tế.",
     [("agreements_signed", 12, 12, "exact", None, None)]),
    ("Việt Nam và Liên Xô chính thức thiết lập quan hệ ngoại giao ngày 30/1/1950.",
     [("milestone_diplomatic_relations", 1950, 1950, "exact", "1950", None)]),
    ("Năm 2012, hai nước nâng quan hệ lên Đối tác chiến lược toàn diện.",
     [("milestone_comprehensive_strategic_partnership", 2012, 2012, "exact", "2012", None)]),
    ("Quan hệ Đối tác chiến lược Việt Nam – Nga được thiết lập năm 2001.",
     [("milestone_strategic_partnership", 2001, 2001, "exact", "2001", None)]),
    # ---- harder: figures before the noun, lists, composition, subsets, several figures per sentence
    ("Tổng vốn đầu tư đăng ký của Nga tại Việt Nam hiện đạt 994 triệu USD, xếp thứ 26/143 quốc gia và vùng lãnh thổ.",
     [("investment_capital_ru_in_vn", 994 * M, 994 * M, "exact", None, None)]),
    ("Các doanh nghiệp Việt Nam hiện đầu tư 22 dự án tại Nga, tổng vốn khoảng 3 tỷ USD, tập trung vào lĩnh vực dầu "
     "khí, nông nghiệp.",
     [("investment_projects_vn_in_ru", 22, 22, "exact", None, None),
      ("investment_capital_vn_in_ru", 3 * B, 3 * B, "approx", None, None)]),
    ("Theo Đại sứ quán Việt Nam tại Nga, số lưu học sinh Việt Nam tại Nga hiện khoảng 5.500 người.",
     [("students_in_russia", 5500, 5500, "approx", None, None)]),
    ("Năm 2022, Việt Nam nhập khẩu từ Nga khoảng 1,1 tỷ USD hàng hóa, giảm 25% so với năm 2021.",
     [("vn_imports_from_ru", 1.1 * B, 1.1 * B, "approx", "2022", None),
      ("trade_growth_pct", -25, -25, "exact", "2022", "flow")]),
    ("Xuất khẩu hàng dệt may sang Nga 6 tháng đầu năm 2024 đạt 120 triệu USD.",
     [("vn_exports_to_ru", 120 * M, 120 * M, "exact", "2024-01/2024-06", "item")]),
    ("Riêng trong tháng 3/2024, kim ngạch hai chiều đạt 410 triệu USD.",
     [("trade_turnover", 410 * M, 410 * M, "exact", "2024-03", None)]),
    ("Kiều bào ta tại Nga hiện có khoảng 60.000 – 70.000 người.",
     [("diaspora_population", 60000, 70000, "approx", None, None)]),
    ("Nga là đối tác thương mại lớn thứ 24 của Việt Nam, với kim ngạch năm 2023 đạt 3,6 tỷ USD.",
     [("trade_turnover", 3.6 * B, 3.6 * B, "exact", "2023", None)]),
    ("Nga xuất khẩu sang Việt Nam chủ yếu là than, sắt thép và phân bón, trị giá 1,4 tỷ USD trong năm 2023.",
     [("vn_imports_from_ru", 1.4 * B, 1.4 * B, "exact", "2023", None)]),
    ("Tính chung cả năm 2023, kim ngạch xuất khẩu của Việt Nam sang Nga đạt 2,4 tỷ USD, trong khi nhập khẩu từ Nga "
     "đạt 1,2 tỷ USD.",
     [("vn_exports_to_ru", 2.4 * B, 2.4 * B, "exact", "2023", None),
      ("vn_imports_from_ru", 1.2 * B, 1.2 * B, "exact", "2023", None)]),
    ("Hàng hóa xuất khẩu từ Việt Nam sang Nga năm 2021 đạt 3,2 tỷ USD.",
     [("vn_exports_to_ru", 3.2 * B, 3.2 * B, "exact", "2021", None)]),
    ("Kim ngạch thương mại Việt Nam – Hoa Kỳ năm 2023 đạt 111 tỷ USD, gấp 30 lần thương mại Việt – Nga.", []),
    ("Năm 2023, Việt Nam đón 127.000 lượt khách Nga, tăng 5 lần so với năm 2022.", []),
    ("Nhà máy lắp ráp ô tô tại Đà Nẵng có công suất 10.000 xe mỗi năm.", []),
    ("Tỷ giá đồng rúp hiện ở mức 90 rúp đổi 1 USD.", []),
    ("Tập đoàn TH của Việt Nam đã rót hơn 2,7 tỷ USD vào dự án chăn nuôi bò sữa tại tỉnh Kaluga của Nga.",
     [("investment_capital_vn_in_ru", 2.7 * B, None, "over", None, "project")]),
    # ---- negatives: other countries, prices, other percentages, unrelated dates and people
    ("Thương mại giữa Nga và Trung Quốc năm 2023 đạt 240 tỷ USD.", []),
    ("Cộng đồng người Việt tại Đức có khoảng 180.000 người.", []),
    ("Hàn Quốc có hơn 10.000 dự án đầu tư tại Việt Nam với tổng vốn 85 tỷ USD.", []),
    ("Giá dầu Brent tăng 3% lên 85 USD/thùng.", []),
    ("Lạm phát của Nga năm 2023 ở mức 7,4%.", []),
    ("Tỷ lệ người Việt tại Nga có quốc tịch Nga chỉ khoảng 10%.", []),
    ("Giá vé máy bay từ Hà Nội đi Moskva khoảng 800 USD.", []),
    ("Học phí tại các trường đại học Nga từ 3.000 đến 8.000 USD mỗi năm.", []),
    ("Chuyến thăm diễn ra từ ngày 19 đến 20/6/2024 theo lời mời của Tổng Bí thư.", []),
    ("Hơn 300 đại biểu đã tham dự diễn đàn doanh nghiệp Việt Nam – Nga tại Moskva.", []),
    ("Lượng khách du lịch Nga đến Việt Nam năm 2023 đạt 127.000 lượt.", []),
    ("Nga đứng thứ 26 trong số 143 quốc gia và vùng lãnh thổ có đầu tư tại Việt Nam.", []),
]


def _kind(scope: str | None) -> str | None:
    return scope.split(":", 1)[0] if scope else None


def claims_of(text: str, as_of: str = "2024-07-01") -> list[tuple]:
    return [(c.metric, c.value_low, c.value_high, c.qualifier, c.period, _kind(c.scope))
            for c in extract_document("u", "u.txt", text, split_sentences(text), as_of=as_of)
            if c.metric != "unclassified"]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"unseen{i:02d}" for i in range(len(CASES))])
def test_unseen_sentence(text, expected):
    assert claims_of(text) == [tuple(x) for x in expected]
