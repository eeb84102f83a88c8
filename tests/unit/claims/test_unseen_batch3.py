"""Unseen sentences, third batch: written after the second batch's fixes, scored before any change made for
them (held out), in the style of Vietnamese news. Same form as test_unseen_news.py."""
from __future__ import annotations

import pytest

from .test_unseen_news import B, M, claims_of

CASES = [
    ("Theo thống kê của Bộ Công Thương, trong 8 tháng năm 2024, tổng kim ngạch xuất nhập khẩu Việt Nam – Liên bang "
     "Nga đạt hơn 3 tỷ USD, tăng 9,6% so với cùng kỳ.",
     [("trade_turnover", 3 * B, None, "over", "2024-01/2024-08", None),
      ("trade_growth_pct", 9.6, 9.6, "exact", "2024-01/2024-08", None)]),
    ("Riêng xuất khẩu rau quả sang Nga đạt 60 triệu USD.",
     [("vn_exports_to_ru", 60 * M, 60 * M, "exact", None, "item")]),
    ("Đến nay, Việt Nam đã có 23 dự án đầu tư sang Nga với tổng vốn đăng ký khoảng 1,6 tỷ USD.",
     [("investment_projects_vn_in_ru", 23, 23, "exact", None, None),
      ("investment_capital_vn_in_ru", 1.6 * B, 1.6 * B, "approx", None, None)]),
    ("Số lượng người Việt Nam đang làm việc tại Nga theo hợp đồng lao động khoảng 10.000 người.",
     [("diaspora_population", 10000, 10000, "approx", None, "group")]),
    ("Bộ Giáo dục và Đào tạo cho biết, năm 2024 phía Nga cấp 1.000 suất học bổng cho công dân Việt Nam.",
     [("scholarships_per_year", 1000, 1000, "exact", "2024", None)]),
    ("Đến năm 2030, hai nước phấn đấu đạt kim ngạch thương mại 15 tỷ USD.",
     [("trade_target", 15 * B, 15 * B, "target", "2030", None)]),
    ("Năm 2021, kim ngạch thương mại song phương đạt mức kỷ lục 5,5 tỷ USD.",
     [("trade_turnover", 5.5 * B, 5.5 * B, "exact", "2021", None)]),
    ("Quý I/2024, xuất khẩu sang Nga đạt 560 triệu USD, còn nhập khẩu từ Nga đạt 390 triệu USD.",
     [("vn_exports_to_ru", 560 * M, 560 * M, "exact", "2024-01/2024-03", None),
      ("vn_imports_from_ru", 390 * M, 390 * M, "exact", "2024-01/2024-03", None)]),
    ("Năm 2023, Nga nhập khẩu từ Việt Nam 2,3 tỷ USD hàng hóa.",
     [("vn_exports_to_ru", 2.3 * B, 2.3 * B, "exact", "2023", None)]),
    ("Trong nửa đầu năm 2024, vốn đầu tư mới của Nga vào Việt Nam đạt 12 triệu USD.",
     [("investment_capital_ru_in_vn", 12 * M, 12 * M, "exact", "2024-01/2024-06", "new_in_period")]),
    ("Năm ngoái, Nga đã cấp 1.035 suất học bổng cho Việt Nam.",
     [("scholarships_per_year", 1035, 1035, "exact", "2023", None)]),
    ("Cộng đồng người Việt tại Nga có khoảng 60 nghìn người, trong đó khoảng 30 nghìn người sống ở Moskva.",
     [("diaspora_population", 60000, 60000, "approx", None, None),
      ("diaspora_population", 30000, 30000, "approx", None, "region")]),
    ("Số du học sinh Việt Nam tại Nga đã tăng từ 3.000 người năm 2015 lên khoảng 5.000 người hiện nay.",
     [("students_in_russia", 3000, 3000, "exact", "2015", None),
      ("students_in_russia", 5000, 5000, "approx", None, None)]),
    ("Tổng kim ngạch xuất nhập khẩu năm 2023 của Việt Nam với Nga là 3,6 tỷ USD, với Trung Quốc là 171 tỷ USD.",
     [("trade_turnover", 3.6 * B, 3.6 * B, "exact", "2023", None)]),
    ("Nga cũng là thị trường tiêu thụ lớn của thủy sản Việt Nam với kim ngạch 200 triệu USD năm 2023.",
     [("vn_exports_to_ru", 200 * M, 200 * M, "exact", "2023", "item")]),
    ("Việt Nam nhập khẩu từ Nga chủ yếu là than đá (khoảng 900 triệu USD), phân bón và lúa mì.",
     [("vn_imports_from_ru", 900 * M, 900 * M, "approx", None, "item")]),
    # negatives
    ("Nga xếp thứ 27 trên tổng số 143 quốc gia và vùng lãnh thổ đầu tư vào Việt Nam.", []),
    ("Hiện nay có khoảng 300 doanh nghiệp Việt Nam đang hoạt động tại Nga.", []),
    ("Thương mại song phương giữa Việt Nam và Liên minh Kinh tế Á – Âu đạt 6,3 tỷ USD năm 2023.", []),
    ("Có khoảng 20.000 người Việt đang sinh sống tại Ukraine.", []),
    ("Giá trị giao dịch trên sàn chứng khoán Moskva đạt 2 tỷ USD mỗi ngày.", []),
    ("Hiện có hơn 60 cơ sở giáo dục của Nga tiếp nhận sinh viên Việt Nam.", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"batch3_{i:02d}" for i in range(len(CASES))])
def test_batch3_sentence(text, expected):
    assert claims_of(text) == [tuple(x) for x in expected]
