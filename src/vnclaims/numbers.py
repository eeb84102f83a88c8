# SHIM (layout move): remove at integration
"""Old home of the number, unit and date finders: they now live in :mod:`vnclaims.claims`."""
from .claims.dates import _HAS_DIGIT_RE, DateMention, find_dates  # noqa: F401
from .claims.numbers import (DIGITS, MAG_RE, MAGNITUDES, NUMBER_WORDS, SOLO_WORDS, WORD_DIGITS, WORD_TENS,  # noqa: F401
                             Quantity, find_quantities, find_ranks, magnitude_value, parse_digits, words_to_number)
from .claims.units import COUNTABLE, NOT_UNIT, UNIT_LEXICON, UNIT_RE, unit_code  # noqa: F401
