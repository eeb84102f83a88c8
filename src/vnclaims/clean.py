# SHIM (layout move): remove at integration
"""Old home of the cleaner: it now lives in :mod:`vnclaims.text.clean` and :mod:`vnclaims.text.sentences`;
its version in :mod:`vnclaims.versions`."""
from .text.clean import BRAND_CAMEL, CleanDoc, Removal, clean_text, hash_tokens  # noqa: F401
from .text.sentences import ABBREVIATIONS, split_sentences  # noqa: F401
from .text.textnorm import LOWER, UPPER, VOWELS_LOWER  # noqa: F401
from .versions import cleaner_version  # noqa: F401
