"""The project's exceptions, one hierarchy. Each message says what is wrong and what to do.

    VnclaimsError
    ├── WarehouseError           the warehouse cannot do what was asked (also a RuntimeError)
    │   ├── WarehouseBusy        another process holds the catalog or the writer lock
    │   ├── WarehouseOutOfMemory DuckDB needed more than VNCLAIMS_DUCKDB_MEMORY and could not spill
    │   └── WarehouseCorrupt     the catalog file cannot be read as a DuckDB database
    ├── InputRejected            an input file that cannot become text (code + reason)
    ├── SuiteError               an expectation suite that cannot be loaded as written (also a ValueError)
    └── PrefectServerError       the temporary Prefect server could not be started (also a RuntimeError)

This module imports nothing: the text and claims packages may raise these without pulling in DuckDB.
Which DuckDB error becomes which warehouse error is decided where DuckDB is called (``lake/connect.py``),
by exception type and DuckDB's own message for that case.
"""
from __future__ import annotations


class VnclaimsError(Exception):
    """Any failure vnclaims reports to its user as a message (not a traceback)."""


class WarehouseError(VnclaimsError, RuntimeError):
    """A failure a user can act on; the message says what and why."""


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse (its catalog file, or the writer lock)."""


class WarehouseOutOfMemory(WarehouseError):
    """DuckDB needed more than VNCLAIMS_DUCKDB_MEMORY and could not spill the rest."""


class WarehouseCorrupt(WarehouseError):
    """The catalog file is damaged: DuckDB cannot read it as a database. Waiting will not help."""


class InputRejected(VnclaimsError):
    """An input that cannot become text. ``code`` is short and stable, ``reason`` a sentence for users.
    (Today ``decode.Rejected``; at integration ``decode.Rejected`` becomes this class.)"""

    def __init__(self, code: str, reason: str):
        super().__init__(code, reason)   # args kept so the exception pickles across processes
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


class SuiteError(VnclaimsError, ValueError):
    """A suite file that cannot be loaded as written (bad JSON, unknown expectation, ...)."""


class PrefectServerError(VnclaimsError, RuntimeError):
    """The temporary Prefect server could not be started."""
