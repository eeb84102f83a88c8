"""Unseen sentences, second batch: written after the first batch's fixes and scored BEFORE any change made
for them (held out), in the style of Vietnamese news. Same form as test_unseen_news.py."""
from __future__ import annotations

import pytest

from .test_unseen_news import B, M, claims_of

CASES = [
    ("Theo Tổng cục Hải quan, 11 tháng năm 2023, trao đổi thương mại giữa Việt Nam và Nga đạt 3,3 tỷ USD.",
     [("trade_turnover", 3.3 * B, 3.3 * B, "exact", "2023-01/2023-11", None)]),
    ("Nga hiện đứng thứ 24 trong số các đối tác thương mại của Việt Nam với kim ngạch 2 chiều khoảng 3,6 tỷ USD "
     "năm 2023.",
     [("trade_turnover", 3.6 * B, 3.6 * B, "approx", "2023", None)]),
    ("Cũng trong năm 2023, hàng Việt Nam xuất sang Nga tăng 19,1%, đạt 2,3 tỷ USD.",
     [("trade_growth_pct", 19.1, 19.1, "exact", "2023", "flow"),
      ("vn_exports_to_ru", 2.3 * B, 2.3 * B, "exact", "2023", None)]),
    ("Nhập khẩu từ thị trường Nga trong quý I/2024 đạt 350 triệu USD.",
     [("vn_imports_from_ru", 350 * M, 350 * M, "exact", "2024-01/2024-03", None)]),
    ("Cà phê là một trong những mặt hàng xuất khẩu chủ lực của Việt Nam sang Nga, với 250 triệu USD năm 2022.",
     [("vn_exports_to_ru", 250 * M, 250 * M, "exact", "2022", "item")]),
    ("Hiện khoảng 80.000 người Việt Nam đang sinh sống và làm việc tại Nga, phần lớn ở Moskva.",
     [("diaspora_population", 80000, 80000, "approx", None, None)]),
    ("Cộng đồng người Việt ở Nga ước tính từ 60.000 đến 100.000 người.",
     [("diaspora_population", 60000, 100000, "approx", None, None)]),
    ("Theo số liệu của Bộ Nội vụ Nga, có 13.000 công dân Việt Nam được cấp giấy phép lao động năm 2019.",
     [("diaspora_population", 13000, 13000, "exact", "2019", "group")]),
    ("Năm học 2024 – 2025, Chính phủ Nga cấp cho Việt Nam 1.065 suất học bổng.",
     [("scholarships_per_year", 1065, 1065, "exact", "2024-2025", None)]),
    ("Hơn 5.000 lưu học sinh Việt Nam đang theo học tại gần 100 cơ sở giáo dục đại học của Nga.",
     [("students_in_russia", 5000, None, "over", None, None)]),
    ("Tổng vốn đầu tư của Việt Nam tại Nga đạt gần 3 tỷ USD, đứng thứ 8 trong số các địa bàn Việt Nam đầu tư ra "
     "nước ngoài.",
     [("investment_capital_vn_in_ru", 3 * B, 3 * B, "approx", None, None)]),
    ("Các nhà đầu tư Nga đã rót gần 1 tỷ USD vào 197 dự án tại Việt Nam.",
     [("investment_capital_ru_in_vn", 1 * B, 1 * B, "approx", None, None),
      ("investment_projects_ru_in_vn", 197, 197, "exact", None, None)]),
    ("Ngoài lĩnh vực dầu khí, đầu tư của Nga vào Việt Nam còn khiêm tốn, chỉ khoảng 300 triệu USD.",
     [("investment_capital_ru_in_vn", 300 * M, 300 * M, "approx", None, "excl")]),
    ("Hiện có 186 dự án của Nga còn hiệu lực tại Việt Nam với tổng vốn đầu tư hơn 990 triệu USD, đứng thứ 27/148 "
     "quốc gia, vùng lãnh thổ.",
     [("investment_projects_ru_in_vn", 186, 186, "exact", None, None),
      ("investment_capital_ru_in_vn", 990 * M, None, "over", None, None)]),
    ("Kim ngạch thương mại hai nước năm 2020 giảm 7,9% xuống còn 4,9 tỷ USD do đại dịch.",
     [("trade_growth_pct", -7.9, -7.9, "exact", "2020", None),
      ("trade_turnover", 4.9 * B, 4.9 * B, "exact", "2020", None)]),
    ("Việt Nam và Nga đặt mục tiêu kim ngạch thương mại 10 tỷ USD vào năm 2030.",
     [("trade_target", 10 * B, 10 * B, "target", "2030", None)]),
    ("Hai bên ký 11 thỏa thuận hợp tác nhân chuyến thăm của Thủ tướng.",
     [("agreements_signed", 11, 11, "exact", None, "event")]),
    ("Ngày 16/6/1994, tại Moskva, hai nước ký Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị.",
     [("milestone_friendship_treaty", 1994, 1994, "exact", "1994", None)]),
    ("Ngày 30/1/1950 là mốc Việt Nam và Liên Xô thiết lập quan hệ ngoại giao.",
     [("milestone_diplomatic_relations", 1950, 1950, "exact", "1950", None)]),
    ("Năm 2024, hai nước kỷ niệm 30 năm ngày ký Hiệp ước về những nguyên tắc cơ bản của quan hệ hữu nghị.",
     [("milestone_friendship_treaty", 1994, 1994, "derived", None, None)]),
    # negatives
    ("Vietsovpetro, liên doanh dầu khí Việt – Nga, đã khai thác hơn 250 triệu tấn dầu thô.", []),
    ("Nga chiếm khoảng 1% tổng kim ngạch xuất khẩu của Việt Nam.", []),
    ("Kim ngạch xuất khẩu của Việt Nam sang Trung Quốc 10 tháng năm 2023 đạt 49 tỷ USD.", []),
    ("Người Việt tại Séc có khoảng 60.000 người.", []),
    ("Có khoảng 50 sinh viên Nga đang học tiếng Việt tại Hà Nội.", []),
    ("Giá gạo xuất khẩu của Việt Nam sang Nga ở mức 600 USD/tấn.", []),
    ("Doanh số của Vinamilk tại thị trường Nga năm 2023 đạt 15 triệu USD.", []),
    ("Chuyến bay thẳng Hà Nội – Moskva mất khoảng 9 giờ, giá vé từ 700 USD.", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"heldout{i:02d}" for i in range(len(CASES))])
def test_heldout_sentence(text, expected):
    assert claims_of(text) == [tuple(x) for x in expected]
