"""Unseen short articles (several sentences: the partner named once, figures in later sentences), written in
the style of Vietnamese news and scored before any change made for them. Same form as test_unseen_news.py."""
from __future__ import annotations

import pytest

from .test_unseen_news import B, claims_of

CASES = [
    ("Hợp tác kinh tế Việt Nam – Nga tiếp tục khởi sắc. Năm 2023, kim ngạch thương mại hai chiều đạt 3,6 tỷ USD, "
     "tăng 8% so với năm trước. Trong đó, xuất khẩu của Việt Nam đạt 2,3 tỷ USD.",
     [("trade_turnover", 3.6 * B, 3.6 * B, "exact", "2023", None),
      ("trade_growth_pct", 8, 8, "exact", "2023", None),
      ("vn_exports_to_ru", 2.3 * B, 2.3 * B, "exact", "2023", None)]),
    ("Đại sứ Việt Nam tại Nga đã có buổi gặp gỡ bà con kiều bào tại Kazan. Theo Đại sứ, hiện khoảng 60.000 người "
     "Việt đang sinh sống trên khắp nước Nga.",
     [("diaspora_population", 60000, 60000, "approx", None, None)]),
    ("Thương mại giữa Việt Nam và Hàn Quốc năm 2023 đạt 87 tỷ USD. Hàn Quốc hiện có hơn 10.000 dự án tại Việt Nam.",
     []),
    ("Nga là một trong những đối tác quan trọng của Việt Nam. Hiện Nga có 200 dự án đầu tư tại Việt Nam với tổng "
     "vốn khoảng 1 tỷ USD. Ở chiều ngược lại, Việt Nam có 23 dự án tại Nga.",
     [("investment_projects_ru_in_vn", 200, 200, "exact", None, None),
      ("investment_capital_ru_in_vn", 1 * B, 1 * B, "approx", None, None),
      ("investment_projects_vn_in_ru", 23, 23, "exact", None, None)]),
    ("Giáo dục là điểm sáng trong quan hệ hai nước. Hằng năm, Nga dành cho Việt Nam khoảng 1.000 suất học bổng. "
     "Hiện có khoảng 5.000 lưu học sinh Việt Nam đang học tập tại Nga.",
     [("scholarships_per_year", 1000, 1000, "approx", None, None),
      ("students_in_russia", 5000, 5000, "approx", None, None)]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"article{i:02d}" for i in range(len(CASES))])
def test_unseen_article(text, expected):
    assert claims_of(text) == [tuple(x) for x in expected]
