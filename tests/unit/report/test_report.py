"""vnclaims.report: the reviewer's page, rendered from a realistic data dict (no warehouse needed),
checked as text and, with headless Chromium, as a real page (DOM + screenshot)."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser import dump_dom, require_chromium, screenshot
from vnclaims.report.format import format_value, highlight_quote
from vnclaims.report.render import render_report, write_report

SAMPLE_PNG = Path("/tmp/vnclaims-report-sample.png")

Q_A = "Cộng đồng người Việt Nam tại Nga có khoảng 80.000 người."
Q_B = "Hiện có khoảng 60-80 nghìn người Việt đang sinh sống và làm việc tại Liên bang Nga."
Q_ERR_A = "Năm 2014, kim ngạch thương mại song phương đạt 3,75 tỷ USD."
Q_ERR_B = "Kim ngạch thương mại hai chiều năm 2014 chỉ đạt 2,5 tỷ USD <script>alert(1)</script> theo số liệu hải quan."


def _span(quote: str, needle: str) -> list[int]:
    i = quote.index(needle)
    return [i, i + len(needle)]


def _side(claim_id, source, title, as_of, value_text, low, high, unit, qualifier, period, quote, number):
    return {"claim_id": claim_id, "source_path": source, "title": title, "as_of": as_of, "value_text": value_text,
            "value_low": low, "value_high": high, "unit": unit, "qualifier": qualifier, "period": period,
            "quote": quote, "highlight": _span(quote, number)}


def sample() -> dict:
    s0, s1, s2, s3, s4 = ("000_b5e19962cae27463.txt", "001_501a62dae2258d1a.txt", "002_d6bbd3ed6a07c86e.txt",
                          "003_ac77ef5b06fcdd2b.txt", "004_92e30cbe0e9e22be.txt")
    diaspora = {
        "conflict_id": "c-diaspora-0001", "metric": "diaspora_population",
        "metric_label": "Vietnamese community in Russia", "period": None, "severity": "warning",
        "explanation": "80,000 person (000) lies at the top of 60,000–80,000 person (003); "
                       "the sources are a year apart and one is approximate.",
        "status": "new",
        "a": _side("cl-a1", s0, "Thủ tướng Nga Medvedev sắp thăm Việt Nam", "2015", "khoảng 80.000 người",
                   80000, 80000, "person", "approx", None, Q_A, "80.000"),
        "b": _side("cl-b1", s3, "Cộng đồng người Việt tại Nga", "2016", "khoảng 60-80 nghìn người",
                   60000, 80000, "person", "approx", None, Q_B, "60-80 nghìn"),
    }
    trade = {
        "conflict_id": "c-trade-2014", "metric": "trade_turnover", "metric_label": "Bilateral trade turnover",
        "period": "2014", "severity": "error",
        "explanation": "3.75 bn USD vs 2.5 bn USD for the same year (difference 33%, tolerance 10%).",
        "status": "existing",
        "a": _side("cl-a2", s0, "Thủ tướng Nga Medvedev sắp thăm Việt Nam", "2015", "3,75 tỷ USD",
                   3.75e9, 3.75e9, "USD", "exact", "2014", Q_ERR_A, "3,75 tỷ USD"),
        "b": _side("cl-b2", s2, "Thương mại Việt – Nga <b>bold</b>", "2015", "2,5 tỷ USD",
                   2.5e9, 2.5e9, "USD", "exact", "2014", Q_ERR_B, "2,5 tỷ USD"),
    }
    return {
        "title": "vnclaims validation report",
        "generated_at": "2026-11-22T07:50:00Z",
        "snapshot": {"id": 7, "time": "2026-11-22 07:49:12+00", "run_id": "r-20261122-074800-3f2a",
                     "flow_run_id": "5b1f7c9e-1d1e-4c51-9a0b-2f3c1d2e4b6a", "code_version": "abc1234"},
        "as_of": None,
        "summary": {"documents": 5, "raw_files": 5, "quarantined": 1, "claims": 60, "classified_claims": 24,
                    "conflicts": {"error": 1, "warning": 1, "info": 0}, "checks": {"passed": 40, "failed": 1},
                    "near_duplicates": 0, "duplicates_removed": 177},
        "conflicts": [trade, diaspora],
        "new_conflicts": [{"conflict_id": "c-diaspora-0001", "metric": "diaspora_population", "severity": "warning",
                           "source_a": s0, "source_b": s3}],
        "resolved_conflicts": [{"conflict_id": "c-old-9", "metric": "students_in_russia", "severity": "info",
                                "source_a": s1, "source_b": s4}],
        "support": [
            {"metric": "trade_target", "period": "2020", "value_low": 1e10, "value_high": 1e10, "unit": "USD",
             "n_sources": 3, "n_independent": 3, "sources": [s0, s2, s3]},
            {"metric": "students_in_russia", "period": "2016", "value_low": 5000, "value_high": None,
             "unit": "student", "n_sources": 2, "n_independent": 1, "sources": [s1, s4]},
        ],
        "series": [
            {"metric": "trade_turnover", "label": "Bilateral trade turnover", "unit": "USD", "points": [
                {"period": "2012", "value_low": 3.6e9, "value_high": 3.6e9, "source_path": s1},
                {"period": "2014", "value_low": 3.75e9, "value_high": 3.75e9, "source_path": s0},
                {"period": "2014", "value_low": 2.5e9, "value_high": 2.5e9, "source_path": s2},
                {"period": "2016", "value_low": 3.5e9, "value_high": 4e9, "source_path": s3},
                {"period": "2023", "value_low": 3.6e9, "value_high": None, "source_path": s4},
            ]},
            {"metric": "diaspora_population", "label": "Vietnamese community in Russia", "unit": "person", "points": [
                {"period": "2015", "value_low": 80000, "value_high": 80000, "source_path": s0},
                {"period": "2016", "value_low": 60000, "value_high": 80000, "source_path": s3},
            ]},
        ],
        "checks": [
            {"suite": "claims", "expectation": "expect_column_values_to_not_be_null(claim_id)", "success": True,
             "details": "0 unexpected of 60"},
            {"suite": "claims", "expectation": "expect_column_pair_values_a_to_be_greater_than_b(value_low <= value_high)",
             "success": False, "details": {"unexpected_count": 1, "partial_unexpected_list": [[5e9, 4e9]]}},
            {"suite": "documents", "expectation": "expect_table_row_count_to_be_between(1, None)", "success": True,
             "details": "5 rows"},
        ],
        "entity_variants": [{"canonical": "Vietsovpetro", "variant": "Vietsopetro", "source_path": s0},
                            {"canonical": "Liên bang Nga", "variant": "LB Nga", "source_path": s3}],
        "quarantine": [{"source_path": "bad.bin", "reason": "the file is binary (PNG image), not text"}],
        "gx_docs_href": "gx/index.html",
    }


class _Tags(HTMLParser):
    """Collects (tag, attrs) of every start tag, to check the page's structure as a parser sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _tags(page: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(page)
    return p.tags


def _conflict_html(page: str, metric: str) -> str:
    m = re.search(rf'<article class="conflict"[^>]*data-metric="{metric}".*?</article>', page, re.S)
    assert m, f"no conflict card for {metric}"
    return m.group(0)


# ----------------------------------------------------------------------------- formatting
@pytest.mark.parametrize("args, expected", [
    ((80000, 80000, "person"), "80,000 person"),
    ((60000, 80000, "person"), "60,000–80,000 person"),
    ((3.75e9, 3.75e9, "USD"), "3.75 bn USD"),
    ((3.5e9, 4e9, "USD"), "3.5–4 bn USD"),
    ((1e10, 1e10, "USD"), "10 bn USD"),
    ((5000, None, None, "over"), "> 5,000"),
    ((5000, None, "student"), "> 5,000 student"),
    ((None, 8, "percent", "under"), "< 8%"),
    ((12.5, 12.5, "percent"), "12.5%"),
    ((2012, 2012, "year"), "2012"),
    ((1.2e12, 1.2e12, "VND"), "1.2 tn VND"),
    ((2.5e6, 2.5e6, "tonne"), "2.5 mn tonne"),
    ((0.0012, 0.0012, "km"), "0.0012 km"),
    ((None, None, "USD"), "—"),
    (("80000", "nan", "person"), "> 80,000 person"),
])
def test_format_value(args, expected):
    assert format_value(*args) == expected


def test_highlight_quote_marks_exactly_the_number_and_clamps():
    assert highlight_quote(Q_A, _span(Q_A, "80.000")) == \
        "Cộng đồng người Việt Nam tại Nga có khoảng <mark>80.000</mark> người."
    # each segment is escaped on its own, so the offsets still refer to the raw text
    q = "a <b> 5 & <i>"
    assert highlight_quote(q, [6, 7]) == "a &lt;b&gt; <mark>5</mark> &amp; &lt;i&gt;"
    # out-of-range / reversed / missing offsets never crash
    assert highlight_quote("abc", [1, 99]) == "a<mark>bc</mark>"
    assert highlight_quote("abc", [-5, 1]) == "<mark>a</mark>bc"
    assert highlight_quote("abc", [2, 1]) == "abc"
    assert highlight_quote("abc", [50, 60]) == "abc"
    assert highlight_quote("a<b", None) == "a&lt;b"
    assert highlight_quote("abc", ["x", 2]) == "abc"
    assert highlight_quote(None, [0, 1]) == ""


# ----------------------------------------------------------------------------- page as text
def test_page_structure_and_content():
    page = render_report(sample())
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    tags = _tags(page)
    ids = {a.get("id") for _, a in tags}
    assert {"summary", "conflicts", "changes", "support", "charts", "checks"} <= ids
    conflicts = [a for t, a in tags if t == "article" and "conflict" in (a.get("class") or "").split()]
    assert [(a["data-metric"], a["data-severity"]) for a in conflicts] == \
        [("trade_turnover", "error"), ("diaspora_population", "warning")]
    assert sum(1 for t, a in tags if (a.get("class") or "") == "side") == 4
    assert sum(1 for t, a in tags if t == "svg" and "chart" in (a.get("class") or "").split()) == 2
    card = _conflict_html(page, "diaspora_population")
    assert card.count('class="side"') == 2
    assert "<mark>80.000</mark>" in card and "<mark>60-80 nghìn</mark>" in card
    assert "Cộng đồng người Việt Nam tại Nga có khoảng <mark>80.000</mark> người." in card
    assert "80,000 person" in card and "60,000–80,000 person" in card
    assert "000_b5e19962cae27463.txt" in card and "003_ac77ef5b06fcdd2b.txt" in card
    assert 'badge-new' in card and "sev-warning" in card
    assert "badge-new" not in _conflict_html(page, "trade_turnover")
    assert "3.75 bn USD" in page and "10 bn USD" in page
    # changes, support, checks (failed first), variants, quarantine, GX link
    assert "c-old-9" in page and "students_in_russia" in page
    checks = page[page.index('id="checks"'):]
    assert checks.index("badge-fail") < checks.index("badge-pass")
    assert "Vietsopetro" in page and "bad.bin" in page and "binary (PNG image)" in page
    assert 'href="gx/index.html"' in page
    assert "as-of-banner" not in page


def test_everything_from_the_data_is_escaped():
    d = sample()
    d["title"] = "report <script>alert('t')</script>"
    d["conflicts"][1]["explanation"] = "<img src=x onerror=alert(1)>"
    d["conflicts"][1]["metric"] = 'm" onmouseover="alert(1)'
    d["entity_variants"][0]["variant"] = "</td><script>alert(2)</script>"
    d["quarantine"][0]["reason"] = "<iframe src='javascript:alert(3)'>"
    d["series"][0]["points"][0]["source_path"] = "<svg onload=alert(4)>.txt"
    page = render_report(d)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page          # from the quote, shown as text
    assert "<img" not in page and "<iframe" not in page and "onmouseover=\"alert" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page                         # an article title with markup
    assert "<svg onload" not in page
    # the quote with markup still gets its highlight, on the escaped text
    card = _conflict_html(page, "trade_turnover")
    assert ("chỉ đạt <mark>2,5 tỷ USD</mark> &lt;script&gt;alert(1)&lt;/script&gt; theo số liệu hải quan." in card)
    # the parser sees no element that the data could have injected
    assert not {t for t, _ in _tags(page)} & {"script", "img", "iframe", "object", "embed", "link", "base"}
    assert not any(k.startswith("on") for _, a in _tags(page) for k in a)


def test_offline_no_remote_urls():
    d = sample()
    d["gx_docs_href"] = "https://evil.example/gx"          # an absolute URL is shown, never linked
    for page in (render_report(sample()), render_report(d)):
        assert not re.search(r"""\b(?:src|href|xlink:href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", page, re.I)
        assert not re.search(r"url\(\s*[\"']?\s*(?:[a-z]+:|//)", page, re.I)
        assert "//cdn" not in page and "@import" not in page
        assert "http://" not in page and "https://" not in page.replace("https://evil.example/gx", "")
        hrefs = [a["href"] for _, a in _tags(page) if "href" in a]
        assert all(h.startswith("#") or h == "gx/index.html" for h in hrefs), hrefs
        assert not any("src" in a for _, a in _tags(page))


def test_empty_state():
    page = render_report({"title": "empty", "snapshot": {"id": None}, "summary": {}, "conflicts": [],
                          "new_conflicts": [], "resolved_conflicts": [], "support": [], "series": [],
                          "checks": [], "entity_variants": [], "quarantine": [], "gx_docs_href": None})
    assert "No conflicts" in page and "No new conflicts" in page and "No conflicts resolved" in page
    assert "No time series to chart" in page and "No validation results" in page
    assert 'class="conflict"' not in page and 'class="chart"' not in page
    assert "gx/index.html" not in page
    for sid in ("summary", "conflicts", "changes", "support", "charts", "checks"):
        assert f'id="{sid}"' in page
    assert "<!DOCTYPE html>" in render_report({})   # every key is optional


def test_banner_for_historical_snapshot():
    d = sample()
    d["as_of"] = 5
    page = render_report(d)
    assert 'id="as-of-banner"' in page
    assert "historical view of snapshot 5" in page.lower()


def test_charts_survive_odd_series():
    d = sample()
    many = [{"period": str(1990 + i % 35), "value_low": float(10 ** (i % 9)), "value_high": float(10 ** (i % 9)),
             "source_path": f"{i % 40:03d}_src.txt"} for i in range(300)]
    d["series"] = [
        {"metric": "one", "unit": "USD", "points": [{"period": "2014", "value_low": 3.75e9, "value_high": 3.75e9,
                                                     "source_path": "a.txt"}]},
        {"metric": "many", "unit": "VND", "points": many},
        {"metric": "tiny", "unit": "percent", "points": [{"period": "2020", "value_low": 0.0001, "value_high": 0.0003,
                                                          "source_path": "a.txt"},
                                                         {"period": "2021", "value_low": -0.0002, "value_high": None,
                                                          "source_path": "b.txt"}]},
        {"metric": "quarters", "unit": "tonne", "points": [{"period": "Q1/2020", "value_low": 1, "value_high": 1,
                                                            "source_path": "a.txt"},
                                                           {"period": "mùa xuân 2021", "value_low": 2, "value_high": 2,
                                                            "source_path": "a.txt"}]},
        {"metric": "zeros", "unit": "person", "points": [{"period": "2020", "value_low": 0, "value_high": 0,
                                                          "source_path": "a.txt"}]},
        {"metric": "nothing", "unit": "person", "points": [{"period": None, "value_low": 1, "value_high": 1,
                                                            "source_path": "a.txt"}]},
    ]
    page = render_report(d)
    assert page.count('<svg class="chart"') == 6
    assert "no plottable points" in page
    for m in re.finditer(r'<svg class="chart"[^>]*viewBox="0 0 (\d+) (\d+)"', page):
        assert 0 < int(m.group(1)) and 0 < int(m.group(2)) < 2000
    coords = [float(v) for v in re.findall(r'\b(?:cx|cy|x1|x2|y1|y2)="(-?[\d.]+)"', page)]
    assert coords and all(-5 <= v <= 2000 for v in coords)
    assert not re.search(r'\b(?:cx|cy|x|y|x1|x2|y1|y2|r|width|height|points|d|viewBox)="[^"]*(?:nan|inf)', page, re.I)
    assert "(log scale)" in page                      # 1 .. 1e8 VND is drawn on a log axis


def test_write_report(tmp_path):
    out = write_report(sample(), tmp_path / "reports")
    assert out == tmp_path / "reports" / "index.html"
    text = out.read_text(encoding="utf-8")
    assert "Cộng đồng người Việt Nam" in text
    assert sorted(p.name for p in out.parent.iterdir()) == ["index.html"]


# ----------------------------------------------------------------------------- real browser
@pytest.mark.browser
def test_report_in_headless_chromium(tmp_path):
    require_chromium()
    page = write_report(sample(), tmp_path / "report")
    dom = dump_dom(page)
    # the browser parsed what we meant: cards, quotes, marks, charts, counts
    card = _conflict_html(dom, "diaspora_population")
    assert 'data-severity="warning"' in card
    assert card.count('class="side"') == 2 and card.count('class="quote"') == 2
    assert "<mark>80.000</mark>" in card and "<mark>60-80 nghìn</mark>" in card
    assert "Cộng đồng người Việt Nam tại Nga có khoảng" in card
    assert "Liên bang Nga" in card
    assert re.search(r'data-key="documents".*?<div class="num">5</div>', dom, re.S)
    assert re.search(r'data-key="claims".*?<div class="num">60</div>', dom, re.S)
    assert re.search(r'data-key="checks-failed">1<', dom)
    assert len(re.findall(r'<svg class="chart"', dom)) == 2
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom

    png = screenshot(page, tmp_path / "report.png")
    assert png.exists() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    try:
        shutil.copyfile(png, SAMPLE_PNG)   # for a human look at the page
    except OSError:
        pass
