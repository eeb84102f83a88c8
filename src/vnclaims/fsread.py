# SHIM (layout move): remove at integration
"""Moved to :mod:`vnclaims.sources.files`."""
from .sources.files import (  # noqa: F401
    CHUNK_SIZE, DEFAULT_SKIP, InputFile, RawRead, _kind, _read_chunk, display_path, list_inputs, read_input,
)
