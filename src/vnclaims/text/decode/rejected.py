"""The one exception of decoding: an input that cannot become text, with a reason a user understands."""
from __future__ import annotations


class Rejected(Exception):
    """An input that cannot become text. ``code`` is short and stable, ``reason`` a sentence for users."""

    def __init__(self, code: str, reason: str):
        super().__init__(code, reason)   # args kept so the exception pickles across processes
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"
