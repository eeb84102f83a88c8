# SHIM (layout move): remove at integration
"""Old home of the decoder: it now lives in :mod:`vnclaims.text.decode`."""
from .text.decode import (LEGACY_ENCODINGS, Decoded, Rejected, decode_bytes, encode_legacy,  # noqa: F401
                          is_html_document, looks_binary, strip_html, vietnamese_score)
