"""HTML to text: is a decoded text a whole HTML page, and its readable text (one line per block)."""
from __future__ import annotations

import re
from html.parser import HTMLParser


_DROP_TAGS = frozenset({"script", "style", "noscript", "head", "nav", "footer", "iframe", "template", "svg",
                        "canvas", "object", "embed", "select", "button", "menu", "map", "audio", "video"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                         "tr", "table", "thead", "tbody", "tfoot", "section", "article", "blockquote", "pre",
                         "figure", "figcaption", "hr", "main", "header", "address", "title", "body", "html",
                         "caption", "aside", "details", "summary", "center", "form", "fieldset", "legend"})
_CELL_TAGS = frozenset({"td", "th"})
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
                        "source", "track", "wbr"})
_KNOWN_TAGS = _DROP_TAGS | _BLOCK_TAGS | _CELL_TAGS | _VOID_TAGS | frozenset(
    {"a", "span", "b", "i", "u", "em", "strong", "small", "sup", "sub", "font", "label", "time", "abbr", "cite",
     "code", "q", "s", "mark", "picture", "meta"})
_WS = re.compile(r"[ \t\r\n\f\v]+")     # NOT \s: NBSP is kept (the cleaning step handles it)
_SPACES = re.compile(r"[ \t]{2,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.drop: list[str] = []        # stack of open dropped elements
        self.pre = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body":                # an unclosed <head> ends here
            self.drop = [t for t in self.drop if t != "head"]
        if tag in _DROP_TAGS and tag not in _VOID_TAGS:
            self.drop.append(tag)
            return
        if self.drop:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.drop and (tag in _BLOCK_TAGS or tag in _VOID_TAGS and tag in ("br", "hr")):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.drop:
            while self.drop:
                if self.drop.pop() == tag:
                    break
            return
        if self.drop:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.drop:
            return
        self.parts.append(data if self.pre else _WS.sub(" ", data))


def strip_html(text: str) -> str:
    """An HTML page -> readable text: one line per block element, script/style/noscript/head/nav/
    footer/iframe (and similar) dropped, entities unescaped, runs of spaces collapsed, empty lines
    dropped. NBSP is kept."""
    p = _TextExtractor()
    p.feed(text)
    p.close()
    lines = (_SPACES.sub(" ", line).strip(" \t") for line in "".join(p.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]{0,2000}?)?/?>")
_HTML_PROLOGUE = re.compile(r"\A(?:\s|<\?xml[^>]*>|<!--.*?-->)*", re.S)


def is_html_document(text: str, source: str = "") -> bool:
    """A whole HTML document (doctype/<html> at the start, or mostly tags) - not an article that
    merely mentions '<script>'."""
    head = text[_HTML_PROLOGUE.match(text).end():][:64].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return True
    tags = [m for m in _TAG_RE.finditer(text) if m.group(1).lower() in _KNOWN_TAGS]
    if not tags:
        return False
    tag_chars = sum(m.end() - m.start() for m in tags)
    structural = any(m.group(1).lower() in ("p", "div", "body", "br", "table", "li", "span", "a", "h1", "h2")
                     for m in tags)
    if source.lower().endswith((".html", ".htm", ".xhtml")) and head.startswith("<") and len(tags) >= 2:
        return True
    return structural and len(tags) >= 8 and tag_chars >= 0.2 * len(text)
