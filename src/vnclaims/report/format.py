"""How the report shows values: numbers with their unit and scale, quotes with the figure marked,
check details. Pure functions; :mod:`.render` registers them as Jinja filters and globals.

Everything returns plain text (escaped by the template's autoescape) except :func:`highlight_quote`,
which returns :class:`markupsafe.Markup` built from escaped pieces.
"""
from __future__ import annotations

import json
import math
import re
from typing import Any

from markupsafe import Markup, escape

__all__ = ["format_value", "highlight_quote"]

SEVERITIES = ("error", "warning", "info")


# ----------------------------------------------------------------------------- small helpers
def num(v: Any) -> float | None:
    """A finite float, or None (None, NaN, non-numbers, booleans)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def to_int(v: Any, default: int = 0) -> int:
    f = num(v)
    return default if f is None else int(f)


def truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("true", "t", "1", "yes", "y", "pass", "passed")
    return bool(v)


def thousands(n: int) -> str:
    """36491 -> '36,491'."""
    return f"{n:,}"


def slug(x: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(x)).strip("-") or "x"


def safe_href(href: Any) -> str | None:
    """Only relative links: no scheme (http:, javascript:, data:, file:...) and no protocol-relative //."""
    if not href:
        return None
    h = str(href).strip()
    if h.startswith("//") or h.startswith("\\\\") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", h):
        return None
    return h


def source_list(srcs: Any) -> list:
    """An agreement row's source files: a list, or a comma-separated string."""
    srcs = srcs or []
    if isinstance(srcs, str):
        srcs = [x.strip() for x in srcs.split(",") if x.strip()]
    return srcs


def check_details(v: Any) -> tuple[str, str | None]:
    """A check's details as (text, None) when short, else (first words, full text) for a <details> box."""
    if v is None or v == "":
        return "", None
    structured = isinstance(v, (dict, list))
    line = json.dumps(v, ensure_ascii=False, default=str) if structured else str(v)
    if len(line) <= 160 and "\n" not in line:
        return line, None
    text = json.dumps(v, ensure_ascii=False, default=str, indent=1) if structured else line
    return " ".join(line.split())[:90], text


# ----------------------------------------------------------------------------- numbers
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"))
_UNSCALED_UNITS = {"year", "rank"}          # calendar years and ranks: no grouping, no scaling
_UNIT_SYMBOLS = {"percent": "%"}


def _plain(x: float) -> str:
    """80000 -> '80,000'; 3.75 -> '3.75'; 0.0012 -> '0.0012'."""
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 1e15 or ax < 1e-9:
        return f"{x:.3g}"
    d = 2 if ax >= 1 else min(12, 2 - math.floor(math.log10(ax)))
    s = f"{x:,.{d}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def scale_for(ref: float, unit: str | None) -> tuple[float, str]:
    if unit in _UNSCALED_UNITS:
        return 1.0, ""
    for factor, suffix in _SCALES:
        if ref >= factor:
            return factor, suffix
    return 1.0, ""


def fmt_scaled(x: float, div: float, unit: str | None) -> str:
    if unit in _UNSCALED_UNITS:
        return str(int(x)) if float(x).is_integer() else _plain(x).replace(",", "")
    return _plain(x / div)


def short(x: float, unit: str | None) -> str:
    """A tick label that carries its own scale: '100', '10,000', '10 mn', '1 bn'."""
    div, suffix = scale_for(abs(x), unit)
    return fmt_scaled(x, div, unit) + (" " + suffix if suffix else "")


def unit_label(unit: str | None, suffix: str = "") -> str:
    """'bn USD', 'person', '%', 'mn %' ..."""
    u = "" if unit in (None, "") else _UNIT_SYMBOLS.get(str(unit), str(unit))
    return " ".join(p for p in (suffix, u) if p)


def _unit_tail(unit: str | None, suffix: str) -> str:
    if unit == "year":
        unit = None
    u = _UNIT_SYMBOLS.get(str(unit), unit) if unit else ""
    if u == "%":
        return (" " + suffix if suffix else "") + "%"
    label = " ".join(p for p in (suffix, u) if p)
    return " " + label if label else ""


def format_value(low: Any, high: Any, unit: str | None = None, qualifier: str | None = None) -> str:
    """Human-readable value: '80,000 person', '60,000–80,000 person', '3.75 bn USD', '> 5,000', '< 8%'.

    An open bound (only ``low``, or qualifier 'over') gets '> '; only ``high`` (or 'under') gets '< '.
    """
    lo, hi = num(low), num(high)
    if lo is None and hi is None:
        return "—"
    ref = max(abs(v) for v in (lo, hi) if v is not None)
    div, suffix = scale_for(ref, unit)
    tail = _unit_tail(unit, suffix)
    if lo is not None and hi is not None and lo != hi:
        return f"{fmt_scaled(lo, div, unit)}–{fmt_scaled(hi, div, unit)}{tail}"
    v = lo if lo is not None else hi
    prefix = ""
    if qualifier == "over" or (qualifier != "under" and hi is None):
        prefix = "> "
    elif qualifier == "under" or lo is None:
        prefix = "< "
    return prefix + fmt_scaled(v, div, unit) + tail


# ----------------------------------------------------------------------------- quotes
# bidirectional controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM): kept in the warehouse as they
# were, but in the report they would reorder what follows them (a quote could display reversed text)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(value: Any) -> Any:
    """Text with each bidirectional control shown as ``⟨U+202E⟩`` instead of acting; other values as they are.
    Markup stays Markup (the marker holds no HTML-special character)."""
    if not isinstance(value, str) or not _BIDI.search(value):
        return value
    shown = _BIDI.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", str(value))
    return Markup(shown) if isinstance(value, Markup) else shown


def highlight_quote(quote: Any, span: Any) -> Markup:
    """Escaped ``quote`` with ``quote[start:end]`` wrapped in <mark>; offsets are clamped, bad spans ignored.

    Each piece is escaped on its own, so the offsets still refer to the raw text."""
    q = "" if quote is None else str(quote)
    try:
        s, e = int(span[0]), int(span[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return escape(q)
    n = len(q)
    s = max(0, min(s, n))
    e = max(s, min(e, n))
    if s == e:
        return escape(q)
    return Markup("{}<mark>{}</mark>{}").format(q[:s], q[s:e], q[e:])
