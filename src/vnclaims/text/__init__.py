"""The text domain: bytes to clean Unicode text, sentences, near-duplicate signatures (pure code, no I/O)."""
