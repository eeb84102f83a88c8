"""The sentence memo keeps a sentence's claims without the document's as_of when its analysis never read it
(issue 20), and the as_of inference caches the years of a sentence: neither changes a claim or a date."""
from __future__ import annotations

import pytest

from vnclaims.claims import as_of as A
from vnclaims.claims.extract import extract_document
from vnclaims.claims.memo import _ANY, _READS_COUNTRY, sentence_memo
from vnclaims.claims.metrics import load_registry
from vnclaims.text.sentences import split_sentences

# sentences whose claims depend on as_of (relative years, a month or part of a year without its year, an
# anniversary with no reference year, a raise with a year after it, a date without a year) and some that do not
SENTENCES = [
    "Năm ngoái, kim ngạch thương mại Việt Nam - Nga đạt 3,6 tỷ USD.",
    "Trong 5 tháng đầu năm, kim ngạch xuất khẩu của Việt Nam sang Nga đạt 1,2 tỷ USD.",
    "Tháng 5, xuất khẩu sang Nga tăng 12%.",
    "Hai nước kỷ niệm 70 năm thiết lập quan hệ ngoại giao.",
    "Hai bên phấn đấu nâng kim ngạch thương mại lên 10 tỷ USD vào năm 2030.",
    "Doanh nghiệp hai nước đã nâng kim ngạch thương mại lên 5 tỷ USD vào năm 2021.",
    "Ngày 5/7, đoàn đại biểu gồm 20 doanh nghiệp đã đến Moskva.",
    "Năm 2019, có khoảng 60.000 người Việt sinh sống tại Nga.",
    "Nga có 150 dự án đầu tư tại Việt Nam với tổng vốn 1 tỷ USD.",
    "Từ đầu năm đến tháng 9, kim ngạch đạt 2,5 tỷ USD, tăng 8% so với cùng kỳ năm ngoái.",
]


def _claims(body: str, as_of: str, registry) -> list[dict]:
    out = []
    for c in extract_document("d" + as_of, "p", body, split_sentences(body), as_of=as_of, as_of_source="inferred",
                              registry=registry):
        r = c.as_row()
        out.append(r)
    return out


@pytest.mark.parametrize("order", [("2015", "2020", "2024"), ("2024", "2015", "2020")])
def test_memoised_claims_are_those_of_a_fresh_analysis_whatever_the_as_of(order):
    body = " ".join(SENTENCES)
    reg = load_registry()
    fresh = {}
    for y in order:
        sentence_memo(reg).clear()
        fresh[y] = _claims(body, y, reg)
    sentence_memo(reg).clear()
    for y in order:                         # the memo filled by the documents dated otherwise
        assert _claims(body, y, reg) == fresh[y], y
    assert fresh[order[0]] != fresh[order[1]]       # as_of does change some claims
    memo = sentence_memo(reg)
    free = {k[0] for k in memo if k[1] == _ANY}
    dated = {k[0] for k in memo if k[1] != _ANY}
    assert SENTENCES[8] in free and SENTENCES[7] in free        # no relative year: kept once for every as_of
    assert {SENTENCES[0], SENTENCES[1], SENTENCES[3], SENTENCES[6]} <= dated
    assert not free & dated


def test_as_of_years_cached_per_sentence_give_the_same_dates():
    body = " ".join(SENTENCES)
    sents = split_sentences(body)
    A._SENTENCE_YEARS.clear()
    first = A.infer_as_of(body, sents)
    assert set(A._SENTENCE_YEARS) <= {body[a:b] for a, b in sents} and A._SENTENCE_YEARS
    assert A.infer_as_of(body, sents) == first
    A._SENTENCE_YEARS.clear()
    assert A.infer_as_of(body, sents) == first == (2019, "Năm 2019")


def test_as_of_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(A, "_CACHE_SIZE", 3)
    A._SENTENCE_YEARS.clear()
    for y in range(2000, 2010):
        body = f"Năm {y}, kim ngạch đạt 3 tỷ USD."
        assert A.infer_as_of(body, split_sentences(body)) == (y + 1, f"statistic for {y} reported")
    assert len(A._SENTENCE_YEARS) == 3


def test_memoised_claims_follow_the_country_named_before_the_sentence():
    """A sentence that names no country takes the one the document named before it (``last_country``): its
    memoised claims are those of a fresh analysis after each country."""
    tail = ("Kim ngạch thương mại hai chiều năm 2019 đạt 3,5 tỷ USD. Ngày 30/1/1950, hai nước thiết lập quan hệ "
            "ngoại giao. Có khoảng 60.000 người đang sinh sống và làm việc.")
    bodies = [f"{lead} {tail}" for lead in ("Trung Quốc là đối tác lớn.", "Nga là đối tác lớn.",
                                              "Hai bên là đối tác lớn.", "Lào là đối tác lớn.")]
    reg = load_registry()
    fresh = []
    for body in bodies:
        sentence_memo(reg).clear()
        fresh.append([{k: v for k, v in r.items() if k not in ("doc_id", "claim_id")} for r in _claims(body, "2020", reg)])
    sentence_memo(reg).clear()
    for body, want in zip(bodies, fresh):
        got = [{k: v for k, v in r.items() if k not in ("doc_id", "claim_id")} for r in _claims(body, "2020", reg)]
        assert got == want
    assert fresh[0] != fresh[1]             # the country before does change some claims


def _rows(body: str, reg) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("doc_id", "claim_id")} for r in _claims(body, "2020", reg)]


def _places_scans(monkeypatch) -> list[str]:
    """The texts the lexicon scans for place words, from now on."""
    from vnclaims.claims.lexicon import Lexicon
    scans: list[str] = []
    real = Lexicon.scan

    def counted(self, section, m):
        if section == "places":
            scans.append(m)
        return real(self, section, m)
    monkeypatch.setattr(Lexicon, "scan", counted)
    return scans


def test_a_sentence_that_never_reads_the_country_is_kept_without_scanning_other_sentences(monkeypatch):
    """The place words of other sentences are scanned only to find the country a sentence reads; a document
    whose figures all name their country is analysed, and found in the memo, scanning its own sentences alone."""
    from vnclaims.text.textnorm import match_form
    reg = load_registry()
    scans = _places_scans(monkeypatch)
    own = "Năm 2019, có khoảng 60.000 người Việt sinh sống tại Nga. Nga có 150 dự án đầu tư tại Việt Nam."
    sentences = {match_form(own[a:b]) for a, b in split_sentences(own)}
    sentence_memo(reg).clear()
    for _ in range(2):                      # analysed, then from the memo
        assert [r["metric"] for r in _rows(own, reg)] == ["diaspora_population", "investment_projects_ru_in_vn"]
        assert set(scans) <= sentences
    assert len(scans) == 2                  # each sentence once, when analysed
    carried = "Nga là đối tác lớn. Có khoảng 60.000 người Việt đang sinh sống và làm việc."
    sentence_memo(reg).clear()
    scans.clear()
    first = _rows(carried, reg)
    assert first[0]["evidence"].endswith("place: (document: ru)")
    # the second sentence reads the country named before it: the first sentence is scanned (up to the second)
    assert "nga là đối tác lớn. " in scans and match_form(carried) not in scans
    assert any(k[0] == _READS_COUNTRY for k in sentence_memo(reg))
    scans.clear()
    assert _rows(carried, reg) == first and scans == ["nga là đối tác lớn. "]   # found under that country


def test_the_country_read_is_looked_for_from_the_nearest_sentence_back(monkeypatch):
    """The sentences before the one that reads the country are scanned from the nearest back, and no further
    than the first that names a country (its last named country is the one read)."""
    reg = load_registry()
    scans = _places_scans(monkeypatch)
    body = ("Lào là đối tác lâu năm. Hợp tác với Lào và Nga đều tốt. Hai bên đã ký nhiều văn kiện. "
            "Có khoảng 60.000 người Việt đang sinh sống và làm việc.")
    sentence_memo(reg).clear()
    got = _rows(body, reg)
    assert got[0]["evidence"].endswith("place: (document: ru)")
    assert "hai bên đã ký nhiều văn kiện. " in scans and "hợp tác với lào và nga đều tốt. " in scans
    assert "lào là đối tác lâu năm. " not in scans
    # named last before it is another country: its figures are not Russia's
    other = body.replace("Lào và Nga", "Nga và Lào")
    sentence_memo(reg).clear()
    assert _rows(other, reg)[0]["metric"] != got[0]["metric"]


def test_claims_are_the_same_when_the_mark_of_a_country_read_is_dropped():
    """A sentence's claims kept under a country are found through a mark; with the mark dropped (the memo is
    bounded) the sentence is analysed again, to the same claims."""
    reg = load_registry()
    bodies = [f"{lead} Có khoảng 60.000 người đang sinh sống và làm việc. Ngày 30/1/1950, hai nước thiết lập quan "
              "hệ ngoại giao." for lead in ("Nga là đối tác lớn.", "Lào là đối tác lớn.")]
    sentence_memo(reg).clear()
    want = [_rows(b, reg) for b in bodies]
    memo = sentence_memo(reg)
    for k in [k for k in memo if k[0] == _READS_COUNTRY]:
        del memo[k]
    assert [_rows(b, reg) for b in bodies] == want
    assert want[0] != want[1]


@pytest.mark.parametrize("body", [
    "Đoàn công tác đã tới Lb. Nga có khoảng 80.000 người Việt sinh sống.",
    "Đoàn thăm St. Petersburg. Tại đây có 5.000 lưu học sinh Việt Nam.",
    "Ông nói: “Hợp tác với Nga rất tốt.” Có khoảng 60.000 người Việt sinh sống ở đó.",
    "Xuất khẩu sang Trung Quốc đạt 5 tỷ USD.\n\nNga có 150 dự án đầu tư tại Việt Nam với tổng vốn 1 tỷ USD.",
    # the country read is the last named before the figure, in the sentence before or further back
    "Lào là đối tác lâu năm. Hợp tác với Lào và Nga đều tốt. Hai bên đã ký nhiều văn kiện. Có khoảng 60.000 "
    "người Việt đang sinh sống và làm việc.",
    "Nga là đối tác lâu năm. Hợp tác với Nga và Lào đều tốt.\n\nCó khoảng 60.000 người Việt đang sinh sống.",
    "Ông nói với báo Đức rằng Nga là đối tác lớn. Có khoảng 60.000 người Việt đang sinh sống và làm việc.",
    "Nga là đối tác lớn, như Đức. Có khoảng 60.000 người Việt đang sinh sống và làm việc.",
])
def test_place_words_of_a_sentence_found_in_it_alone_as_in_the_whole_body(monkeypatch, body):
    """A sentence's place words are scanned in the sentence alone, unless the body holds a place word that
    crosses a sentence boundary ("lb. nga" after a split "Lb."): the claims are those of the whole-body scan."""
    from vnclaims.claims.lexicon import Lexicon
    reg = load_registry()
    sentence_memo(reg).clear()
    got = _rows(body, reg)
    monkeypatch.setattr(Lexicon, "crossing", lambda self, section: ("",))     # "" is in every body: scanned whole
    sentence_memo(reg).clear()
    assert _rows(body, reg) == got
    if "Lb. Nga" in body:                   # and the guard matters: per sentence, "nga" would be found after "Lb."
        monkeypatch.setattr(Lexicon, "crossing", lambda self, section: ())
        sentence_memo(reg).clear()
        assert _rows(body, reg) != got


def test_crossing_place_words():
    reg = load_registry()
    crossing = reg.lexicon.crossing("places")
    assert "lb. nga" in crossing and "st. petersburg" in crossing
    assert "việt nam" not in crossing and "liên minh kinh tế á – âu" not in crossing
    assert reg.lexicon.crossing("population") == ()
