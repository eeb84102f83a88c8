"""Frames: whose figure a count of people is (the community, students, scholarships; another country; an
event), from the words around it. Every sentence here is made up for this test, not taken from the dev or
challenge sets."""
from __future__ import annotations

import pytest

from ._frames_helper import classified

CASES = [
    # the community, named without "cộng đồng" / "kiều bào"
    ("Khoảng 45 nghìn đồng bào ta đang làm ăn lâu dài trên đất Nga.",
     [("diaspora_population", 45000, 45000, "approx", None, None, None)]),
    ("Số kiều bào định cư ở Liên bang Nga ước tính còn khoảng 55.000.",
     [("diaspora_population", 55000, 55000, "approx", None, None, None)]),
    # a city of Russia: a regional figure, never the headline
    ("Có chừng 3.500 người gốc Việt sinh sống tại thành phố Novosibirsk.",
     [("diaspora_population", 3500, 3500, "approx", None, "region:Novosibirsk", None)]),
    # people at an event are not the community
    ("Hơn 800 bà con đã tới dự lễ thượng cờ tại Đại sứ quán ở Moskva.", []),
    # another country, named as a capitalised short name after a preposition
    ("Tại Đức hiện có khoảng 180.000 người Việt, đông hơn nhiều so với ở Nga.", []),
    # students and scholarships are not the community
    ("Năm 2023, có khoảng 7.000 du học sinh Việt Nam theo học tại các trường của Nga.",
     [("students_in_russia", 7000, 7000, "approx", "2023", None, None)]),
    ("Chính phủ Nga dành 1.100 suất học bổng cho công dân Việt Nam trong năm 2024.",
     [("scholarships_per_year", 1100, 1100, "exact", "2024", None, None)]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[f"pop{i}" for i in range(len(CASES))])
def test_population_frames(text, expected):
    assert classified(text) == [tuple(x) for x in expected]
