"""textnorm: tone-style normalisation and the look-behind hoisting used to speed up the word lists
(each rewritten regex must find exactly what the original finds)."""
import re
import tomllib

import pytest

from vnclaims.versions import REGISTRY_PATH
from vnclaims.text.textnorm import hoist_lookbehinds, match_form, new_style_tones, word_alternation

SENTENCES = [
    "Kim ngạch với Lào Cai tăng, còn thương mại với Lào và Campuchia giảm.",
    "Giá tính bằng đô la Mỹ; người Mỹ và nghệ thuật Mỹ Latinh; mỹ phẩm bán chạy.",
    "EU, châu Âu và Úc; cá úc; Séc và Cộng hòa Séc; Ba Lan, cuba và Cuba.",
    "Nga, Liên Xô, Mát-xcơ-va, St. Petersburg, St Petersburg và Vladivostok; Ngân hàng; Nga-",
    "hoà thuỷ khoẻ quý Quỳ QUÀ Hoà, thuỷ. quà quỷ toàn hoàn",
]


@pytest.mark.parametrize("pattern,expected", [
    (r"(?<!\w)lào(?!\w)(?! cai)", r"l(?<!\wl)ào(?!\w)(?! cai)"),
    (r"(?<!đô la )(?<!\w)mỹ(?!\w)", r"m(?<!đô la m)(?<!\wm)ỹ(?!\w)"),
    ("trung quốc", "trung quốc"),                     # nothing to hoist
    (r"(?<!\w)a?b", r"(?<!\w)a?b"),                   # a quantified first character: left alone
    (r"(?<!\w)(?:x|y)", r"(?<!\w)(?:x|y)"),           # a group first: left alone
    (r"(?<!\w)\d+", r"(?<!\w)\d+"),                   # an escape first: left alone
])
def test_hoist_lookbehinds(pattern, expected):
    assert hoist_lookbehinds(pattern) == expected


def _spans(rx: re.Pattern, texts: list[str]) -> list[list[tuple[int, int]]]:
    return [[m.span() for m in rx.finditer(t)] for t in texts]


def test_the_country_list_matches_the_same_spans_once_hoisted():
    pats = tomllib.loads(REGISTRY_PATH.read_text(encoding="utf-8"))["other_countries"]
    assert any(hoist_lookbehinds(p) != p for p in pats)
    texts = [match_form(s) for s in SENTENCES]
    plain = re.compile("|".join(f"(?:{p})" for p in pats))
    hoisted = re.compile("|".join(f"(?:{hoist_lookbehinds(p)})" for p in pats))
    assert _spans(hoisted, texts) == _spans(plain, texts)
    assert sum(map(len, _spans(plain, texts))) >= 8


def test_word_alternation_is_a_word_start_alternation():
    words = ["nga", "liên xô", r"st\.? petersburg", "vladivostok"]
    texts = [match_form(s) for s in SENTENCES]
    plain = re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")
    fast = re.compile(word_alternation(words) + r"(?!\w)")
    assert _spans(fast, texts) == _spans(plain, texts)
    assert [m.group(0) for m in fast.finditer(texts[3])] == ["nga", "liên xô", "st. petersburg", "st petersburg",
                                                            "vladivostok", "nga"]


def test_new_style_tones_moves_open_syllable_tones_only():
    assert new_style_tones(SENTENCES[4]) == "hòa thủy khỏe quý Quỳ QUÀ Hòa, thủy. quà quỷ toàn hoàn"
