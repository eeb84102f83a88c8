"""Entity mentions: exact names, aliases resolved to the canonical name, and misspelt organisation names
reported as fuzzy variants (made-up sentences)."""
from vnclaims.claims.entities import find_mentions


def _m(text: str) -> list[tuple[str, str, str]]:
    return [(m["surface"], m["entity"], m["match"]) for m in find_mentions(text)]


def test_exact_alias_and_longest_alias_first():
    got = _m("Đoàn đại biểu LB. Nga đã tới Mát-xcơ-va và gặp Việt Nam.")
    assert ("LB. Nga", "Liên bang Nga", "alias") in got
    assert ("Mát-xcơ-va", "Moscow", "alias") in got
    assert ("Việt Nam", "Việt Nam", "exact") in got
    assert not any(s == "Nga" for s, _, _ in got)        # inside "LB. Nga": one mention, not two


def test_misspelt_organisations_are_fuzzy_variants_every_time():
    text = "Tập đoàn Gazpromm ký với Vietsopetro; sau đó Gazpromm mở văn phòng, còn Petersburgh thì không."
    for _ in range(2):                                   # the second pass is answered from the cache
        fuzzy = [(s, e) for s, e, kind in _m(text) if kind == "fuzzy"]
        assert fuzzy == [("Gazpromm", "Gazprom"), ("Vietsopetro", "Vietsovpetro"), ("Gazpromm", "Gazprom")]


def test_an_exact_or_distant_capitalised_word_is_not_a_variant():
    got = _m("Gazprom và Rosneft hợp tác; ông Brown phát biểu.")
    assert all(kind != "fuzzy" for _, _, kind in got)
    assert ("Gazprom", "Gazprom", "exact") in got
