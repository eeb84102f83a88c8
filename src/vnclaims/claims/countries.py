"""The country a document names before a sentence ("ru" or "other"): the figures of a sentence that names none
belong to the country named last before it. Read from the place words of the body (the lexicon's ``places``
section) and its capitalised short country names (``frames.capitalised_countries``)."""
from __future__ import annotations

from bisect import bisect_left

from .lexicon import Hit, Hits, Lexicon


def countries(places: Hits, capitalised: list[Hit], offset: int = 0) -> tuple[list[int], list[str]]:
    """Where Russia or another country is named (positions in text order, each "ru" or "other"; at one position
    "other" before "ru"). ``places`` were scanned in a piece of the body that starts at ``offset``;
    ``capitalised`` have body positions."""
    hits = [(h.start + offset, "ru" if h.cls in ("russia", "russia_regions") else "other")
            for h in places.hits if h.cls in ("russia", "russia_regions", "other")]
    hits += [(h.start, "other") for h in capitalised]
    hits.sort()
    return [p for p, _ in hits], [k for _, k in hits]


def country_before_by_sentence(lexicon: Lexicon, body_m: str, starts: list[int], capitalised: Hits,
                               cache: dict, pos: int) -> str | None:
    """The last country named in ``body_m`` before ``pos``, from the place words of the sentences before it
    (``starts``: theirs, sorted), scanned one by one from the nearest back to the first that names a country
    (usually one or two, not the whole body). Each piece runs from a sentence's start to the next one's; when no
    place word can cross a sentence boundary a match of the whole body's scan lies inside one piece, found alike
    in it. ``cache``: (start, end) of a piece -> its last country ("" for none), kept for the document."""
    k = bisect_left(starts, pos)
    hi = pos
    while hi > 0:
        lo = starts[k - 1] if k > 0 else 0
        got = cache.get((lo, hi))
        if got is None:
            cs = capitalised.starts
            _, kinds = countries(lexicon.scan("places", body_m[lo:hi]),
                                 capitalised.hits[bisect_left(cs, lo):bisect_left(cs, hi)], lo)
            got = cache[(lo, hi)] = kinds[-1] if kinds else ""
        if got:
            return got
        hi, k = lo, k - 1
    return None
