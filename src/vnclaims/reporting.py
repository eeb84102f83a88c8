# SHIM (layout move): remove at integration
"""Moved to :mod:`vnclaims.report.data`; this module re-exports what other modules import."""
from .report.data import (MAX_CHART_SOURCES, MAX_ITEMS, MAX_LISTED_SOURCES, MAX_POINTS, _rows, _series,  # noqa: F401
                          _side, build_report, report_data)
