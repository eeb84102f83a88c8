"""The one exception of decoding: an input that cannot become text (``errors.InputRejected``), under the
name the decoder and its callers use."""
from __future__ import annotations

from ...errors import InputRejected as Rejected

__all__ = ["Rejected"]
