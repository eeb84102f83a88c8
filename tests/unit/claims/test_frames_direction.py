"""Frames: trade flows and investment directions, clause by clause. Made-up sentences."""
from __future__ import annotations

import pytest

from ._frames_helper import classified

CASES = [
    ("Năm 2022, Việt Nam bán sang Nga lượng hàng trị giá 1,9 tỷ USD.",
     [("vn_exports_to_ru", 1.9e9, 1.9e9, "exact", "2022", None, "vn_to_ru")]),
    # Russia's exports are Vietnam's imports
    ("Hàng hóa Nga xuất sang Việt Nam trong năm 2021 đạt 2,6 tỷ USD.",
     [("vn_imports_from_ru", 2.6e9, 2.6e9, "exact", "2021", None, "ru_to_vn")]),
    ("Trao đổi thương mại hai nước năm 2015 đạt 3,8 tỷ USD, trong đó Nga xuất khẩu 1,7 tỷ USD.",
     [("trade_turnover", 3.8e9, 3.8e9, "exact", "2015", None, "two_way"),
      ("vn_imports_from_ru", 1.7e9, 1.7e9, "exact", "2015", None, "ru_to_vn")]),
    ("Kim ngạch nhập khẩu của Việt Nam từ Nga 6 tháng đầu năm 2020 đạt 900 triệu USD.",
     [("vn_imports_from_ru", 9e8, 9e8, "exact", "2020-01/2020-06", None, "ru_to_vn")]),
    # another pair, another kind of money, another currency
    ("Thương mại Nga – Ấn Độ năm 2022 đạt 35 tỷ USD.", []),
    ("Doanh thu của doanh nghiệp tại Nga đạt 20 triệu USD trong năm 2019.", []),
    ("Thương mại hai chiều Việt – Nga năm 2019 đạt khoảng 300 tỷ rúp.", []),
    # investment: origin and destination in each part of the sentence
    ("Các nhà đầu tư Việt Nam hiện có 24 dự án tại Nga với tổng vốn 2 tỷ USD.",
     [("investment_projects_vn_in_ru", 24, 24, "exact", None, None, "vn_in_ru"),
      ("investment_capital_vn_in_ru", 2e9, 2e9, "exact", None, None, "vn_in_ru")]),
    ("Nga hiện có 160 dự án tại Việt Nam, còn Việt Nam có 20 dự án ở Nga.",
     [("investment_projects_ru_in_vn", 160, 160, "exact", None, None, "ru_in_vn"),
      ("investment_projects_vn_in_ru", 20, 20, "exact", None, None, "vn_in_ru")]),
    ("Tại Việt Nam, doanh nghiệp Nga đã rót khoảng 1 tỷ USD vào 150 dự án.",
     [("investment_capital_ru_in_vn", 1e9, 1e9, "approx", None, None, "ru_in_vn"),
      ("investment_projects_ru_in_vn", 150, 150, "exact", None, None, "ru_in_vn")]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"dir{i}" for i in range(len(CASES))])
def test_direction_frames(text, expected):
    assert classified(text) == [tuple(x) for x in expected]
