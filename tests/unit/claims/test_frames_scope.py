"""Frames: the scope (an item, a sector, the largest project, new in the period, a running total), shares
and noise. Made-up sentences."""
from __future__ import annotations

import pytest

from ._frames_helper import classified

CASES = [
    ("Riêng mặt hàng gạo, Việt Nam xuất sang Nga 50 triệu USD trong năm 2018.",
     [("vn_exports_to_ru", 5e7, 5e7, "exact", "2018", "item:gạo", "vn_to_ru")]),
    ("Trong lĩnh vực năng lượng, Nga có 15 dự án tại Việt Nam với tổng vốn 400 triệu USD.",
     [("investment_projects_ru_in_vn", 15, 15, "exact", None, "sector:năng lượng", "ru_in_vn"),
      ("investment_capital_ru_in_vn", 4e8, 4e8, "exact", None, "sector:năng lượng", "ru_in_vn")]),
    ("Dự án lớn nhất của Nga tại Việt Nam có vốn đăng ký 300 triệu USD.",
     [("investment_capital_ru_in_vn", 3e8, 3e8, "exact", None, "project:largest", "ru_in_vn")]),
    ("Lũy kế đến tháng 6/2021, Việt Nam có 23 dự án đầu tư còn hiệu lực tại Nga.",
     [("investment_projects_vn_in_ru", 23, 23, "exact", "../2021-06", None, "vn_in_ru")]),
    ("Năm 2022, nhà đầu tư Nga đăng ký mới 3 dự án tại Việt Nam.",
     [("investment_projects_ru_in_vn", 3, 3, "exact", "2022", "new_in_period", "ru_in_vn")]),
    # a share is not a growth rate; a growth of one item is not the growth of trade
    ("Kim ngạch xuất khẩu của Việt Nam sang Nga chiếm 1,2% tổng kim ngạch xuất khẩu.", []),
    ("Xuất khẩu rau quả sang Nga năm 2023 tăng 30%.",
     [("trade_growth_pct", 30, 30, "exact", "2023", "item:rau quả", "vn_to_ru")]),
    # clock times, time zones, footnotes and phone numbers never become a classified value
    ("Cập nhật 09:45 GMT+7 ngày 3/4/2023: thương mại song phương Việt Nam – Nga năm 2022 đạt 4,9 tỷ USD[5].",
     [("trade_turnover", 4.9e9, 4.9e9, "exact", "2022", None, "two_way")]),
    ("Liên hệ đường dây nóng 0912 345 678 để được hỗ trợ về thủ tục đầu tư sang Nga.", []),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"scope{i}" for i in range(len(CASES))])
def test_scope_frames(text, expected):
    assert classified(text) == [tuple(x) for x in expected]
