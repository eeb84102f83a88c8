# SHIM (layout move): remove at integration
"""Old home of the text normalisation: it now lives in :mod:`vnclaims.text.textnorm`."""
from .text.textnorm import (LOWER, OTHER_SPACES, UPPER, VOWELS_LOWER, dedup_tokens, hoist_lookbehinds,  # noqa: F401
                            match_form, new_style_tones, nfc, spaces_to_ascii, word_alternation)
