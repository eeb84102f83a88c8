"""The reviewer's report: ``data`` reads it from the warehouse, ``render`` writes the page from
``templates/`` (``format`` shows values, ``charts`` computes the SVG charts' geometry)."""
from .format import format_value, highlight_quote
from .render import render_report, write_report

__all__ = ["render_report", "write_report", "format_value", "highlight_quote"]
