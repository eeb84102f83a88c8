"""The word classes of the claim frames (``[population]``, ``[places]``, ``[scope]`` in metrics.toml): plain
word lists a user extends without writing a regex. One compiled alternation per section finds every class
word of a sentence in one pass (longest word first, whole words only)."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ..textnorm import new_style_tones


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    cls: str        # the word class ("community", "russia", "item", ...)
    word: str


class Lexicon:
    """Word -> classes, per section; ``scan`` returns the hits of one section in text order."""

    def __init__(self, sections: dict[str, dict[str, list[str]]]):
        self.classes: dict[str, dict[str, tuple[str, ...]]] = {}
        self._rx: dict[str, re.Pattern | None] = {}
        for sec, table in sections.items():
            by_word: dict[str, list[str]] = {}
            for cls, words in table.items():
                for w in words:
                    by_word.setdefault(new_style_tones(w.lower()), []).append(cls)
            self.classes[sec] = {w: tuple(c) for w, c in by_word.items()}
            alts = sorted(by_word, key=len, reverse=True)
            self._rx[sec] = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in alts) + r")(?!\w)") if alts else None

    def scan(self, section: str, m: str) -> "Hits":
        rx = self._rx.get(section)
        hits = []
        if rx is not None:
            table = self.classes[section]
            for mt in rx.finditer(m):
                for cls in table[mt.group(0)]:
                    hits.append(Hit(mt.start(), mt.end(), cls, mt.group(0)))
        return Hits(hits)

    def words(self, section: str, cls: str) -> list[str]:
        return [w for w, cs in self.classes.get(section, {}).items() if cls in cs]


class Hits:
    """Class hits of one sentence, in text order, with range queries."""

    def __init__(self, hits: list[Hit]):
        self.hits = hits
        self.starts = [h.start for h in hits]

    def within(self, a: int, b: int, classes: frozenset | set | tuple | None = None) -> list[Hit]:
        """Hits that start in [a, b) (optionally of the given classes), in text order."""
        lo, hi = bisect_left(self.starts, a), bisect_left(self.starts, b)
        return [h for h in self.hits[lo:hi] if h.end <= b and (classes is None or h.cls in classes)]

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
