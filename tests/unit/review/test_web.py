from __future__ import annotations

from pathlib import Path

from vnclaims.review.queue import quoted
from vnclaims.review.web import TEMPLATES, ReviewApp, number
from vnclaims.settings import Settings


def _app() -> ReviewApp:
    return ReviewApp(Settings.load(warehouse=Path("/nonexistent")), log=lambda m: None)


def test_posts_only_from_this_origin():
    app = _app()
    ok = {"Host": "127.0.0.1:8765", "Origin": "http://127.0.0.1:8765"}
    assert app.allowed_post(ok, 8765) is None
    assert app.allowed_post({"Host": "localhost:8765", "Referer": "http://localhost:8765/"}, 8765) is None
    assert app.allowed_post({"Host": "127.0.0.1:8765"}, 8765) is None          # a script with the token (curl)
    assert app.allowed_post({**ok, "Origin": "http://evil.example"}, 8765) == "cross-origin request"
    assert app.allowed_post({**ok, "Origin": "http://127.0.0.1:9999"}, 8765) == "cross-origin request"
    assert app.allowed_post({"Host": "127.0.0.1:8765", "Referer": "http://evil.example/x"}, 8765) == "cross-origin request"
    assert app.allowed_post({**ok, "Host": "evil.example:8765"}, 8765) == "unexpected Host header"   # DNS rebinding


def test_each_start_has_its_own_token():
    assert _app().token != _app().token and len(_app().token) >= 40


def test_article_text_is_escaped_and_cut_around_the_figure():
    c = quoted({"claim_id": "c1", "source_path": "x<y>.txt", "metric": "m", "period": None, "as_of": None,
                "quote": "<b>khoảng 80.000 người</b> & more", "hl_start": 10, "hl_end": 22})
    assert (c["before"], c["figure"], c["after"]) == ("<b>khoảng ", "80.000 người", "</b> & more")
    html = TEMPLATES.get_template("page.html").render(
        q={"ready": True, "conflicts": [], "claims": [{**c, "why": "<i>alone</i>"}], "estimates": [], "decisions": []},
        error=None, notice=("ok", "<script>x</script>"), token="t", reviewer="r", pending={}, warehouse="w")
    assert "<b>khoảng" not in html and "&lt;b&gt;khoảng <mark>80.000 người</mark>&lt;/b&gt; &amp; more" in html
    assert "<script>" not in html and "<i>alone</i>" not in html and "x&lt;y&gt;.txt" in html


def test_numbers_read_as_numbers():
    assert [number(7.2e9), number(2.3), number(2012.0, "year"), number(None)] == ["7,200,000,000", "2.3", "2012", "…"]
