"""Cleaning: the gold acceptance file on the seeds, then one made-up snippet per rule, including the
cases a rule must NOT touch (decimals, dates, abbreviations, legitimate repeated phrases)."""
from __future__ import annotations

import pytest

from tests.conftest import SEEDS, norm_ws
from vnclaims.text.clean import clean_text
from vnclaims.text.sentences import split_sentences
from vnclaims.text.textnorm import match_form, new_style_tones


def _seed_cases():
    import json
    from tests.conftest import GOLD
    gold = json.loads((GOLD / "seed_documents.json").read_text(encoding="utf-8"))
    return [(k, v) for k, v in gold.items() if not k.startswith("_")]


@pytest.mark.parametrize("name,gold", _seed_cases(), ids=[k for k, _ in _seed_cases()])
def test_seed_documents_gold(name, gold):
    d = clean_text((SEEDS / name).read_text(encoding="utf-8"))
    body = norm_ws(d.body)
    assert (norm_ws(d.title) if d.title else None) == (norm_ws(gold["title"]) if gold["title"] else None)
    assert d.author == gold["author"]
    for s in gold.get("body_contains", []):
        assert norm_ws(s) in body, s
    for s in gold.get("body_excludes", []):
        if s.strip() == "":
            assert s not in d.body, repr(s)      # NBSP, double spaces: raw body
        else:
            assert norm_ws(s) not in body, s
    if "unique_paragraphs" in gold:
        assert len(d.paragraphs) == gold["unique_paragraphs"]
        assert sum(1 for r in d.removals if r.rule == "duplicate_paragraph") == gold["duplicate_paragraphs_removed"]
    if "source_tag" in gold:
        assert d.source_tag == gold["source_tag"]
    if "image_credit" in gold:
        assert [c["credit"] for c in d.captions] == [gold["image_credit"]]     # caption kept once, not in body
        assert d.captions[0]["text"] not in d.body


def test_sentences_point_into_body():
    for p in sorted(SEEDS.glob("*.txt")):
        d = clean_text(p.read_text(encoding="utf-8"))
        assert d.sentences
        for a, b in d.sentences:
            s = d.body[a:b]
            assert s == s.strip() and s


# ---- made-up snippets, one rule each -------------------------------------------------------
def test_nbsp_and_space_runs_collapse():
    d = clean_text("Hai nước\u00a0ký\u00a0\u00a0thỏa thuận   mới về năng lượng.")
    assert d.body == "Hai nước ký thỏa thuận mới về năng lượng."


@pytest.mark.parametrize("raw,expected", [
    ("Giá trị đạt 3,75 tỷ USD.Hai bên nhất trí.", "Giá trị đạt 3,75 tỷ USD. Hai bên nhất trí."),
    ("Hiệp định ký ngày 30/01/1950.Sau đó hai nước mở đại sứ quán.", "Hiệp định ký ngày 30/01/1950. Sau đó hai nước mở đại sứ quán."),
    ("Có 1.500 người tham dự tại Tp.Hồ Chí Minh.", "Có 1.500 người tham dự tại Tp. Hồ Chí Minh."),
    ("Tăng 2,3% so với năm trước.", "Tăng 2,3% so với năm trước."),
    ("Trụ sở tại TP.HCM và Hà Nội.", "Trụ sở tại TP.HCM và Hà Nội."),
    ("Ông ấy nói với Tổng thống  Putin .Sau đó về nước.", "Ông ấy nói với Tổng thống Putin. Sau đó về nước."),
])
def test_missing_space_after_sentence_end_but_not_in_numbers(raw, expected):
    assert clean_text(raw + "\n\nĐoạn thứ hai của bài viết dài hơn một chút để không bị coi là tiêu đề.").body.split("\n\n")[0] == expected


def test_title_on_its_own_line_and_glued_title():
    d = clean_text("Nga và Việt Nam ký thỏa thuận mới\nHai nước đã ký thỏa thuận về dầu khí tại Hà Nội.")
    assert d.title == "Nga và Việt Nam ký thỏa thuận mới"
    assert d.body.startswith("Hai nước")
    g = clean_text("Bộ trưởng Ngoại giao Nga thăm Hà NộiBộ trưởng Ngoại giao Nga Sergei Lavrov đã tới Hà Nội hôm qua.")
    assert g.title == "Bộ trưởng Ngoại giao Nga thăm Hà Nội"
    assert g.body.startswith("Bộ trưởng Ngoại giao Nga Sergei Lavrov")


def test_brand_camel_case_is_not_a_glued_title():
    d = clean_text("Theo báo VnExpress, hai nước sẽ tăng cường hợp tác năng lượng trong năm tới.")
    assert d.title is None and "VnExpress" in d.body


def test_byline_glued_and_on_its_own_line():
    d = clean_text("Tiêu đề bài viết về hợp tác\nHai bên nhất trí thúc đẩy hợp tác giáo dục.Minh Châu")
    assert d.author == "Minh Châu" and d.body.endswith("giáo dục.")
    e = clean_text("Tiêu đề bài viết về hợp tác\nHai bên nhất trí thúc đẩy hợp tác.\nHoàng Lan")
    assert e.author == "Hoàng Lan" and "Hoàng Lan" not in e.body


def test_sentence_ending_with_a_name_is_not_a_byline():
    d = clean_text("Tiêu đề\nHai nước ký thỏa thuận. Buổi lễ có mặt Tổng thống Putin")
    assert d.author is None and d.body.endswith("Tổng thống Putin")


def test_source_tag_caption_and_media_residue():
    raw = ("Tiêu đề bài về năng lượng hạt nhân\n0:00 / 0:00\n0:00\n(TTXVN) - Hai nước ký thỏa thuận hạt nhân.\n"
           "Lãnh đạo hai nước tại lễ ký. Ảnh: TTXVN\nLãnh đạo hai nước tại lễ ký. Ảnh: TTXVN\nNội dung tiếp theo của bài.")
    d = clean_text(raw)
    assert d.source_tag == "TTXVN"
    assert "0:00" not in d.body and "(TTXVN)" not in d.body and "Ảnh:" not in d.body
    assert d.captions == [{"text": "Lãnh đạo hai nước tại lễ ký", "credit": "TTXVN", "paragraph": 4}]
    rules = [r.rule for r in d.removals]
    assert rules.count("media_player_residue") == 2 and "duplicate_paragraph" in rules and "source_tag" in rules


def test_split_letter_repair_and_its_limits():
    assert "Việt Nam" in clean_text("Tiêu đề\nV iệt Nam và Nga ký kết.").body
    # a real one-letter token followed by a real word is left alone
    assert "vitamin C ít" in clean_text("Tiêu đề\nSản phẩm có vitamin C ít đường.").body


def test_repeated_paragraphs_removed_but_repeated_phrases_kept():
    p = "Hai nước nhất trí tăng cường hợp tác kinh tế và thương mại."
    d = clean_text(f"{p}\n{p}\n{p}\nHợp tác kinh tế và thương mại là ưu tiên, hợp tác kinh tế và thương mại là trụ cột.")
    assert d.body.count(p) == 1
    assert d.body.count("hợp tác kinh tế và thương mại") == 2          # inside one paragraph: kept
    dup = [r for r in d.removals if r.rule == "duplicate_paragraph"]
    assert len(dup) == 2 and all(r.kept_paragraph == 0 for r in dup)


@pytest.mark.parametrize("text,n", [
    ("Việt Nam và LB. Nga ký tuyên bố. Hai bên nhất trí.", 2),
    ("Ông gặp TS. Nguyễn Văn A tại Tp. Hồ Chí Minh. Sau đó ông về Hà Nội.", 2),
    ("Giá trị đạt 3,75 tỷ USD. Ngày 30/01/1950 là mốc quan trọng.", 2),
    ("Có 1.500.000 người. Con số tăng… Năm sau tăng tiếp!", 3),
    ("Ông Nguyễn V. Anh phát biểu. Bà Trần T. Bình cũng vậy.", 2),
    ("Đoạn một.\n\nĐoạn hai không có dấu chấm", 2),
])
def test_sentence_splitter(text, n):
    spans = split_sentences(text)
    assert len(spans) == n, [text[a:b] for a, b in spans]


def test_tone_mark_normalisation_is_length_preserving():
    old = "Hoà bình, thuỷ sản, khoẻ mạnh, quý vị, hoàn toàn"
    assert new_style_tones(old) == "Hòa bình, thủy sản, khỏe mạnh, quý vị, hoàn toàn"
    assert len(match_form(old)) == len(old)
    # the original text is kept in the body; only matching uses the normalised form
    assert "thuỷ" in clean_text("Tiêu đề\nXuất khẩu thuỷ sản tăng mạnh.").body


def test_two_articles_differing_only_in_a_figure_are_not_identical():
    a = clean_text("Tiêu đề\nCộng đồng người Việt tại Nga có khoảng 80.000 người.")
    b = clean_text("Tiêu đề\nCộng đồng người Việt tại Nga có khoảng 60.000 người.")
    c = clean_text("Tiêu đề\nCộng đồng  người Việt tại Nga có khoảng\u00a080.000 người.")
    assert a.content_hash != b.content_hash
    assert a.content_hash == c.content_hash


def test_abbreviations_are_kept_at_the_end_of_a_long_one_line_paragraph():
    """The word before a period is looked for just before it, not in the whole paragraph before it."""
    filler = "Kim ngạch thương mại hai chiều tiếp tục tăng trưởng ổn định qua từng năm. " * 80
    body = filler + "Đoàn đã thăm TP. Hồ Chí Minh và LB. Nga. Sau đó đoàn về nước."
    spans = split_sentences(body)
    texts = [body[a:b] for a, b in spans]
    assert len(texts) == 82
    assert texts[-2] == "Đoàn đã thăm TP. Hồ Chí Minh và LB. Nga."
    assert texts[-1] == "Sau đó đoàn về nước."
