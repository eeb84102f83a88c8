"""The reviewer's page: ``templates/report.html.j2`` rendered from a plain dict into one standalone HTML file.

The page is fully offline: inline CSS (``templates/report.css``), inline SVG charts, no JavaScript, no
remote fonts, images or links (only relative links such as ``gx/index.html`` and in-page anchors).
The Jinja environment autoescapes every value and refuses undefined names; the only pre-built
markup is the highlighted quote (:func:`.format.highlight_quote`, escaped piece by piece).
Every key of ``data`` is optional: a missing section renders its empty state.

Layout whitespace in the ``.j2`` templates (a newline and the indentation after it, outside tags)
is dropped when a template is loaded, so the templates are indented for reading while the page
has no whitespace between tags.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.ext import Extension

from . import charts, format as fmt
from ..jinja_cache import bytecode_cache, file_salt

__all__ = ["render_report", "write_report"]

TEMPLATES = Path(__file__).with_name("templates")

_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.S)
_LAYOUT = re.compile(r"\n[ \t]*")


class LayoutWhitespace(Extension):
    """Drops a newline and the indentation after it from the text of ``.j2`` templates (not inside tags,
    not in included non-template files such as ``report.css``)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if not (name or "").endswith(".j2"):
            return source
        parts = _TAG.split(source)
        return "".join(p if i % 2 else _LAYOUT.sub("", p) for i, p in enumerate(parts))


# ----------------------------------------------------------------------------- page helpers (globals)
def total(data: dict, key: str, shown: int) -> int:
    """The full count of a section that may be cut (``data["totals"]``), else what is shown."""
    return max(fmt.to_int((data.get("totals") or {}).get(key), shown), shown)


def failed_first(checks: list) -> list:
    """The checks, failed ones first (stable)."""
    return sorted(checks, key=lambda c: fmt.truthy(c.get("success")))


def current_conflict_ids(data: dict) -> set[str]:
    """Ids of the conflicts that have a card on the page (the changes link to them)."""
    return {str(c.get("conflict_id")) for c in (data.get("conflicts") or []) if c.get("conflict_id") is not None}


def _blank_none(value: Any) -> Any:
    """``{{ None }}`` prints nothing (not 'None'); bidirectional controls in text are shown, not obeyed."""
    return "" if value is None else fmt.visible_controls(value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    # compiled templates kept between runs, keyed by this module's code too (the options, LayoutWhitespace)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, finalize=_blank_none, extensions=[LayoutWhitespace],
                      bytecode_cache=bytecode_cache(file_salt(__file__, fmt.__file__, charts.__file__)))
    env.filters.update(to_int=fmt.to_int, truthy=fmt.truthy, thousands=fmt.thousands, slug=fmt.slug,
                       source_list=fmt.source_list, check_details=fmt.check_details, f1=charts.f1)
    env.tests["truthy"] = fmt.truthy
    env.globals.update(SEVERITIES=fmt.SEVERITIES, format_value=fmt.format_value,
                       highlight_quote=fmt.highlight_quote, total=total, failed_first=failed_first,
                       current_conflict_ids=current_conflict_ids)
    return env


# ----------------------------------------------------------------------------- page
def render_report(data: dict) -> str:
    """A complete standalone HTML document (no scripts, no remote resources) for ``data``."""
    data = data or {}
    snap = data.get("snapshot") or {}
    series = [s for s in (data.get("series") or []) if isinstance(s, dict)]
    return environment().get_template("report.html.j2").render(
        data=data, snap=snap, snap_id=snap.get("id") if snap.get("id") is not None else "—",
        title=data.get("title") or "vnclaims validation report", gx_href=fmt.safe_href(data.get("gx_docs_href")),
        charts=charts.charts(series))


def write_report(data: dict, out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` (UTF-8) and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    tmp = out_dir / ".index.html.tmp"
    tmp.write_text(render_report(data), encoding="utf-8")
    tmp.replace(path)
    return path
