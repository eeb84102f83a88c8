"""vnclaims.report.render: the Jinja page is escaped and strict, and renders a small fixed data set to
exactly the committed page.

``golden/small.html`` is ``render_report(golden/small.json)``. When it was written it was checked to be
the same DOM (html.parser token list) as the page of the pre-template renderer (``report.py`` before
the layout move), which spelled two entities differently (``&quot;``/``&#x27;`` for ``&#34;``/``&#39;``).
After an intended change of the page, regenerate it and review the diff:
    python -c "import json; from vnclaims.report.render import render_report as r; \
open('tests/unit/report/golden/small.html','w',encoding='utf-8').write(r(json.load(open('tests/unit/report/golden/small.json',encoding='utf-8'))))"
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from vnclaims.report.render import environment, render_report

GOLDEN = Path(__file__).with_name("golden")
HOSTILE_TITLE = 'Tin nóng <script>alert("t")</script>'
HOSTILE_QUOTE = 'Kim ngạch đạt 2,5 tỷ USD" onmouseover="alert(1)" <script>alert(2)</script> năm 2014.'


def small() -> dict:
    return json.loads((GOLDEN / "small.json").read_text(encoding="utf-8"))


class _Parsed(HTMLParser):
    """Start tags with their attributes, and the text, as a parser sees the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Parsed:
    p = _Parsed()
    p.feed(page)
    p.close()
    return p


def test_small_data_set_renders_the_golden_page():
    expected = (GOLDEN / "small.html").read_text(encoding="utf-8")
    assert render_report(small()) == expected


def test_hostile_title_and_quote_are_text_not_markup():
    d = small()
    d["title"] = HOSTILE_TITLE
    side = d["conflicts"][0]["a"]
    side["title"] = HOSTILE_TITLE
    side["quote"] = HOSTILE_QUOTE
    start = HOSTILE_QUOTE.index("2,5 tỷ USD")
    side["highlight"] = [start, start + len("2,5 tỷ USD")]
    d["series"][0]["points"][0]["source_path"] = 'x" onmouseover="alert(3).txt'
    page = render_report(d)
    parsed = _parse(page)
    assert "<script" not in page.lower()
    assert not {t for t, _ in parsed.tags} & {"script", "img", "iframe", "object", "embed"}
    assert not any(k.startswith("on") for _, a in parsed.tags for k in a)
    assert '" onmouseover="' not in page
    # shown as text, exactly as written
    text = "".join(parsed.text)
    assert HOSTILE_TITLE in text and 'x" onmouseover="alert(3).txt' in text
    # the figure is still marked, and the pieces around it are escaped
    assert ("Kim ngạch đạt <mark>2,5 tỷ USD</mark>&#34; onmouseover=&#34;alert(1)&#34; "
            "&lt;script&gt;alert(2)&lt;/script&gt; năm 2014.") in page
    # attributes keep the hostile value inside the attribute
    assert any(a.get("data-source") == 'x" onmouseover="alert(3).txt' for t, a in parsed.tags if t == "g")


def test_environment_escapes_and_refuses_undefined_names():
    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert env.from_string("{{ x }}").render(x=None) == ""
    with pytest.raises(UndefinedError):
        env.from_string("{{ no_such_name }}").render()


def test_page_has_no_whitespace_between_tags_and_keeps_the_css_verbatim():
    page = render_report(small())
    css = (Path(environment().loader.searchpath[0]) / "report.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}</style>" in page
    body = page[page.index("</head>"):]
    assert ">\n" not in body.rstrip("\n") and ">  " not in body
