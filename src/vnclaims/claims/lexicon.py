"""The word classes of the claim frames (``[population]``, ``[places]``, ``[scope]`` in metrics.toml): plain
word lists a user extends without writing a regex. One compiled alternation per section finds every class
word of a sentence in one pass (longest word first, whole words only)."""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

from ..text.textnorm import new_style_tones


# where text.sentences may end a sentence: a sentence mark, closing quotes or brackets, then white space
_BOUNDARY_IN_WORD_RE = re.compile(r"[.!?…][\"”’»)]*\s")


class Hit(NamedTuple):
    start: int
    end: int
    cls: str        # the word class ("community", "russia", "item", ...)
    word: str


_new_tuple = tuple.__new__


def trie_regex(words: list[str], word_start: bool = False) -> str:
    """One regex for a list of literal words, written as a trie ("dự án|dự kiến" -> "dự (?:án|kiến)"): the
    engine follows one branch per character, several times faster than a flat alternation of 400 words;
    at a given start it prefers the longest word. ``word_start``: the words must not follow a letter or
    digit, written as a look-behind after each first letter (``"(?<!\\w)" + trie_regex(words)`` matches the
    same, but the engine tries it at every position instead of skipping to the first letters)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    if not word_start:
        return build(root)
    assert "" not in root, "an empty word"
    return "(?:" + "|".join(re.escape(ch) + f"(?<!\\w{re.escape(ch)})" + build(sub) for ch, sub in sorted(root.items())) + ")"


class Lexicon:
    """Word -> classes, per section; ``scan`` finds a section's words in a sentence with one trie regex
    (whole words, the longest at each start)."""

    def __init__(self, sections: dict[str, dict[str, list[str]]]):
        self.classes: dict[str, dict[str, tuple[str, ...]]] = {}
        self._rx: dict[str, re.Pattern | None] = {}
        for sec, table in sections.items():
            by_word: dict[str, list[str]] = {}
            for cls, words in table.items():
                for w in words:
                    by_word.setdefault(new_style_tones(w.lower()), []).append(cls)
            self.classes[sec] = {w: tuple(c) for w, c in by_word.items()}
            self._rx[sec] = re.compile(r"(?<!\w)" + trie_regex(list(by_word)) + r"(?!\w)") if by_word else None
        self.sections = tuple(sections)
        self._crossing: dict[str, tuple[str, ...]] = {}

    def scan(self, section: str, m: str) -> "Hits":
        rx = self._rx.get(section)
        if rx is None:
            return Hits([])
        table = self.classes[section]
        out = []
        for mt in rx.finditer(m):
            w = mt.group()
            a, b = mt.span()
            for cls in table[w]:
                out.append(_new_tuple(Hit, (a, b, cls, w)))      # Hit(a, b, cls, w) without its Python __new__
        return Hits(out)

    def crossing(self, section: str) -> tuple[str, ...]:
        """The words of a section that contain a sentence boundary (a sentence mark, closing quotes, a space:
        "lb. nga"): a match of one can start in one sentence and end in the next, so a text that contains
        one must be scanned whole; every other word lies inside one sentence, found alike in it alone."""
        got = self._crossing.get(section)
        if got is None:
            got = self._crossing[section] = tuple(
                w for w in self.classes.get(section, {}) if _BOUNDARY_IN_WORD_RE.search(w))
        return got

    def words(self, section: str, cls: str) -> list[str]:
        return [w for w, cs in self.classes.get(section, {}).items() if cls in cs]


class Hits:
    """Class hits of one sentence, in text order, with range queries."""

    def __init__(self, hits: list[Hit]):
        self.hits = hits
        self.starts = [h.start for h in hits]

    def within(self, a: int, b: int, classes: frozenset | set | tuple | None = None) -> list[Hit]:
        """Hits that start in [a, b) (optionally of the given classes), in text order."""
        lo = bisect_left(self.starts, a)
        hi = bisect_left(self.starts, b, lo)
        if lo == hi:
            return []           # (most ranges a frame asks about hold no hit)
        if classes is None:
            return [h for h in self.hits[lo:hi] if h.end <= b]
        return [h for h in self.hits[lo:hi] if h.end <= b and h.cls in classes]

    def last_before(self, a: int, pos: int, classes) -> Hit | None:
        got = self.within(a, pos, classes)
        return got[-1] if got else None

    def first_after(self, pos: int, b: int, classes) -> Hit | None:
        got = self.within(pos, b, classes)
        return got[0] if got else None

    def nearest(self, pos: int, a: int, b: int, classes, end: int | None = None) -> Hit | None:
        """The hit of ``classes`` in [a, b) nearest to the number at [pos, end)."""
        end = pos if end is None else end
        best, dist = None, None
        for h in self.within(a, b, classes):
            d = pos - h.end if h.end <= pos else max(0, h.start - end)
            if dist is None or d < dist:
                best, dist = h, d
        return best
