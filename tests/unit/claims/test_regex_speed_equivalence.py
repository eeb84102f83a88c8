"""Regexes rewritten so that the engine skips to their first letter (issue 20) find exactly what the old
ones found."""
from __future__ import annotations

import random
import re

from vnclaims.claims import entities as E
from vnclaims.claims import frames as F

TEXTS = [
    "Ông Anh Tuấn gặp đại diện Đức, Pháp và Nhật tại Hà Nội. Anh ấy nói. Hàn Quốc, Trung Quốc, Séc, Lào, Mỹ, Ý.",
    "Tập đoàn Gazprom và Rosneft, Zarubezhneft hợp tác với PetroVietnam; VietsovPetro, Novatek.",
    "X.Đức, a.Pháp, 3Anh, _Nhật, Đứcc, Phápx, ÝÝ, Mỹ. Trung Hoa, Hàn Mặc Tử.",
]


def _random(n: int = 5000) -> list[str]:
    rnd = random.Random(11)
    toks = ["Đức", "Pháp", "Anh", "Ý", "Nhật", "Mỹ", "Séc", "Lào", "Hàn", "Trung", "Quốc", "Gazprom", "Abcdef",
            "aBcdefg", "Xyz", ".", ",", " ", "_", "1", "ông", "Việt", "\u00a0", "Moskva"]
    return TEXTS + ["".join(rnd.choice(toks) + rnd.choice(["", " ", ". "]) for _ in range(rnd.randint(0, 12)))
                    for _ in range(n)]


def test_ambiguous_country_names_found_as_before():
    old = re.compile(r"(?<![\w.])(" + "|".join(F._AMBIGUOUS) + r")(?!\w)")
    for t in _random():
        assert [(m.span(), m.group(1)) for m in F._AMBIG_RE.finditer(t)] == \
            [(m.span(), m.group(1)) for m in old.finditer(t)], t


def test_capitalised_tokens_found_as_before():
    old = re.compile(r"\b[A-Z][a-z]{4,}[a-z]*\b")
    for t in _random():
        assert [m.span() for m in E._CAP_TOKEN_RE.finditer(t)] == [m.span() for m in old.finditer(t)], t


def test_find_mentions_with_the_toned_body_given():
    from vnclaims.text.textnorm import new_style_tones
    for t in TEXTS + ["Liên bang Nga và Việt Nam hoà hợp; Thuỷ điện Hoà Bình."]:
        assert E.find_mentions(t, new_style_tones(t)) == E.find_mentions(t)


def test_trie_with_word_start_matches_the_look_behind_first_trie():
    from vnclaims.claims import numbers as N
    from vnclaims.claims.lexicon import trie_regex
    words = sorted(N.NUMBER_WORDS - N._NO_START) + ["dự án", "dự kiến", "nga", "lb. nga", "việt nam"]
    new = re.compile(trie_regex(words, word_start=True) + r"(?!\w)")
    old = re.compile(r"(?<!\w)" + trie_regex(words) + r"(?!\w)")
    old_cand = re.compile(r"(?<![\w.,])\d|(?<!\w)" + trie_regex(sorted(N.NUMBER_WORDS - N._NO_START)) + r"(?!\w)")
    rnd = random.Random(5)
    toks = words + ["1", "2.5", ",3", "a", "x1", " ", ".", "mười", "haii", "_"]
    texts = [" ".join(rnd.choice(toks) + rnd.choice(["", " "]) for _ in range(rnd.randint(0, 10))) for _ in range(5000)]
    for t in texts + ["hai mươi ba nghìn", "ba", "1.500 và 2,5", "thứ hai", "mườihai"]:
        assert [m.span() for m in new.finditer(t)] == [m.span() for m in old.finditer(t)], t
        assert [m.span() for m in N._CANDIDATE_RE.finditer(t)] == [m.span() for m in old_cand.finditer(t)], t


def _old_find_mentions(body: str) -> list[dict]:
    from vnclaims.text.textnorm import new_style_tones, word_alternation
    _, by_alias, _orgs, org_canon = E._load()
    # the flat alternation of the aliases, longest first, as before the trie
    pattern = re.compile("(" + word_alternation([re.escape(a) for a in sorted(by_alias, key=len, reverse=True)])
                         + r")(?!\w)")
    norm = new_style_tones(body)
    out, taken = [], set()
    for m in pattern.finditer(norm):
        name, typ = by_alias[m.group(1)]
        surface = body[m.start():m.end()]
        out.append({"entity": name, "entity_type": typ, "surface": surface,
                    "match": "exact" if surface == name else "alias", "char_start": m.start(), "char_end": m.end()})
        taken.update(range(m.start(), m.end()))
    for m in re.finditer(r"\b[A-Z][a-z]{4,}[a-z]*\b", body):
        if m.start() in taken:
            continue
        best = E._closest_org(m.group(0))
        if best is not None:
            out.append({"entity": org_canon.get(best, best), "entity_type": "organisation", "surface": m.group(0),
                        "match": "fuzzy", "char_start": m.start(), "char_end": m.end()})
    out.sort(key=lambda d: d["char_start"])
    return out


def test_find_mentions_same_as_before():
    _, by_alias, orgs, _ = E._load()
    names = list(by_alias)[:60] + orgs[:30] + [o[:-1] + "x" for o in orgs[:30] if len(o) > 5] + ["Hoà Bình", "Abcdefg"]
    # pieces of aliases, glued or not, so that a longer alias fails at its end and a shorter one must match
    pieces = [w for a in by_alias for w in a.split()] + ["LB.", "Liên", "bang", "Việt", "Namx", "Ngaa", "_"]
    rnd = random.Random(2)
    for k in range(4000):
        pool = names if k % 2 else pieces
        t = rnd.choice(["", " "]).join(rnd.choice(pool + ["và", ",", "đạt", "1,5"]) for _ in range(rnd.randint(0, 12)))
        assert E.find_mentions(t) == _old_find_mentions(t), t


def test_digit_patterns_without_a_leading_repeat_find_the_same():
    """"\\d\\d\\d\\d" for "\\d{4}" and "(\\d\\d?)" for "(\\d{1,2})" at the start of a pattern (the engine then skips
    to the digits): the same matches and groups."""
    from vnclaims.claims import as_of as A
    from vnclaims.claims import dates as D
    new = {k: rx for k, _, _, rx in D._DATE_PATTERNS} | {"gate": dict((k, g) for k, _, g, _ in D._DATE_PATTERNS)["yearrange"],
                                                         "four": A._FOUR_DIGITS_RE}
    old = {k: re.compile(rx.pattern.replace("(\\d\\d?)", "(\\d{1,2})", 1).replace("\\d\\d\\d\\d", "\\d{4}", 1))
           for k, rx in new.items()}
    assert old["four"].pattern == r"\d{4}" and old["full_words"].pattern.startswith(r"(\d{1,2}) tháng")
    rnd = random.Random(9)
    toks = ["1", "12", "123", "2019", "20191", "5/7", "29/11", "2021", "-", "–", " đến ", " tháng ", " năm ", "/",
            "giai đoạn ", "quý ", "đầu ", "cuối ", "x", " ", ".", ","]
    texts = ["".join(rnd.choice(toks) for _ in range(rnd.randint(0, 14))) for _ in range(5000)]
    texts += ["6 tháng đầu năm 2024", "16 tháng 6 năm 1994", "29/11 - 2/12/2021", "2016-2020", "123 tháng 5 năm 2020"]
    for k, rx in new.items():
        for t in texts:
            assert [(m.span(), m.groups()) for m in rx.finditer(t)] == \
                [(m.span(), m.groups()) for m in old[k].finditer(t)], (k, t)


def test_year_after_a_capitalised_name_found_as_before():
    from vnclaims.claims import dates as D
    old = re.compile(r"(?<=[A-Z]{2} )(\d{4})(?!\d)(?![.,]\d)|(?<=[A-Z][a-z]{2} )(\d{4})(?!\d)(?![.,]\d)")
    rnd = random.Random(4)
    toks = ["APEC", "SEA", "Games", "Abc", "AB", "ab", "2017", "20171", "2017.5", "2017,", "1", " ", ".", "Việt"]
    texts = ["".join(rnd.choice(toks) + rnd.choice(["", " ", "  "]) for _ in range(rnd.randint(0, 10)))
             for _ in range(5000)] + ["APEC 2017", "SEA Games 2025 và Abc 1999.", "AB 2017,5", "Abc 20171"]
    for t in texts:
        assert [(m.span(), m.group(0)) for m in D._NAME_YEAR_RE.finditer(t)] == \
            [(m.span(), m.group(0)) for m in old.finditer(t)], t


# the patterns as they were written before the look-behinds were moved and the qualifier words made a trie
_OLD_FRAME_CLAUSE = r",\s|;\s|\(|\)|:\s|(?<=\d)\s[-–]\s|\s\|\s|\[\d+\]"
_OLD_PART = (r";\s|(?<!\w)(?:trong khi|thì|nhưng|song(?! phương| song)|khi|chiều ngược lại|ở chiều ngược lại|"
             r"theo chiều ngược lại)(?!\w)|(?<!\w)còn(?!\w)(?! (?:hiệu lực|lại|nữa|chỉ|khoảng|hơn|gần|thấp|cao|"
             r"khiêm tốn|hạn chế|ít|nhỏ|khá|rất|ở mức|chưa|nhiều|lớn|yếu|chậm|kém|đang|tiếp tục|duy trì)(?!\w))")


def _clause_texts(words: list[str], n: int = 6000, seed: int = 13) -> list[str]:
    rnd = random.Random(seed)
    glue = ["", " ", " ", "  ", ", ", "; ", ": ", " - ", " – ", "(", ")", " | ", "[3]", "x", "5", "\u00a0"]
    return ["".join(rnd.choice(words) + rnd.choice(glue) for _ in range(rnd.randint(0, 12))) for _ in range(n)]


def test_clause_and_part_boundaries_found_as_before():
    words = ["trong khi", "thì", "nhưng", "song", "song phương", "song song", "khi", "chiều ngược lại", "ở",
             "theo", "còn", "còn lại", "còn hơn", "cònx", "xkhi", "2020", "tăng 5", "kim ngạch", "đạt", "nga"]
    old_clause, old_part = re.compile(_OLD_FRAME_CLAUSE), re.compile(_OLD_PART)
    for t in _clause_texts(words):
        assert [m.span() for m in F._FRAME_CLAUSE_RE.finditer(t)] == [m.span() for m in old_clause.finditer(t)], t
        assert [m.span() for m in F._PART_RE.finditer(t)] == [m.span() for m in old_part.finditer(t)], t


def test_qualifier_window_found_as_before():
    from vnclaims.claims import qualifiers as Q
    old = re.compile(rf"((?:(?:{Q._QUAL_WORDS})\s+)+)$")
    words = Q._QUAL_WORDS.split("|") + ["ngót", "nghét", "vượt", "x", "kim ngạch", "5", "tỷ", "khoảngx", "đạtt", "lên"]
    rnd = random.Random(17)
    texts = [" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8))) + rnd.choice(["", " ", "  ", ",", " ,"])
             for _ in range(8000)]
    for t in texts + ["đạt khoảng ", "xkhoảng hơn ", "tăng lên tới gần ", "ngót nghét ", "kim ngạch đạt ", ""]:
        a, b = Q._QUAL_WINDOW.search(t), old.search(t)
        assert (a and (a.span(), a.group(1))) == (b and (b.span(), b.group(1))), t


def _date_texts(n: int = 6000, seed: int = 21) -> list[str]:
    rnd = random.Random(seed)
    toks = ["1", "12", "123", "2019", "20191", "1950", "5/7", "29/11", "30/01/1950", "2021", "-", "–", " đến ",
            " tới ", " từ ", " trước ", " sau ", " vào ", " cuối ", " đầu ", " giữa ", " hết ", " tháng ", " năm ",
            "/", "giai đoạn ", "quý ", "nửa đầu ", "sáu tháng ", " nay", "thống kê ", "(", ")", "x", " ", ".", ",", "ngày "]
    return ["".join(rnd.choice(toks) for _ in range(rnd.randint(0, 14))) for _ in range(n)] + [
        "từ 1991 đến nay", "vào 2015 và đến 2020", "sau 19500", "trước 2019,5", "cuối 2023.", "ngày 5 đến 7/4",
        "tháng 5", "ngày 29/11", "hết 2020"]


def test_year_after_a_context_word_found_as_before():
    """The four digits first, then the word before them: the same matches as the look-behinds at the first digit."""
    from vnclaims.claims import dates as D
    old = re.compile(r"(\d(?:(?<=từ \d)|(?<=đến \d)|(?<=tới \d)|(?<=trước \d)|(?<=sau \d)|(?<=vào \d)|(?<=cuối \d)|"
                     r"(?<=đầu \d)|(?<=giữa \d)|(?<=hết \d))\d{3})(?!\d)(?![.,]\d)")
    new = dict((k, rx) for k, _, _, rx in D._DATE_PATTERNS)["year_ctx"]
    for t in _date_texts():
        assert [(m.span(), m.groups()) for m in new.finditer(t)] == [(m.span(), m.groups()) for m in old.finditer(t)], t


def test_date_patterns_that_need_a_year_are_skipped_without_four_digits(monkeypatch):
    """A sentence without four digits in a row tries only the patterns that can match without them: every other
    pattern finds nothing in it, and find_dates gives what trying all of them gave."""
    from vnclaims.claims import dates as D
    texts = _date_texts()
    assert any(not D._FOUR_DIGITS_RE.search(t) and D.find_dates(t) for t in texts)     # dates without a year
    for t in texts:
        if not D._FOUR_DIGITS_RE.search(t):
            for kind, _, _, rx in D._DATE_PATTERNS:
                assert kind in D._WITHOUT_YEAR or not rx.search(t), (kind, t)
    got = [D.find_dates(t) for t in texts]
    monkeypatch.setattr(D, "_DATE_PATTERNS_WITHOUT_YEAR", D._DATE_PATTERNS)
    assert [D.find_dates(t) for t in texts] == got


def test_mojibake_pair_found_from_its_second_character_as_before():
    from vnclaims.text.decode import mojibake as M
    old = re.compile(rf"[\u00c2-\u00f4][{M._CONT}]")
    rnd = random.Random(17)
    alphabet = [chr(c) for c in range(0xA0, 0x100)] + list("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ abcđạ\n")
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8))) for _ in range(20000)]
    texts += ["Viá»‡t Nam", "Hà Nội – Moskva", "“Nga”", "à…", "Ã©"]
    assert sum(bool(old.search(t)) for t in texts) > 1000
    for t in texts:
        assert bool(M._MOJIBAKE_PAIR.search(t)) == bool(old.search(t)), t
