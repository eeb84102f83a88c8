"""The reviewer's report page: a pure renderer from a plain dict to one standalone HTML file.

The page is fully offline: inline CSS, inline SVG charts, no JavaScript, no remote fonts, images or
links (only relative links such as ``gx/index.html`` and in-page anchors). Every string that comes
from the data is HTML-escaped; the quoted sentences are escaped in three segments (before / number /
after) so the number can still be wrapped in ``<mark>``.

Only :func:`render_report` and :func:`write_report` are the API; :func:`format_value` and
:func:`highlight_quote` are public because the tests (and other callers) use them directly.
Every key of ``data`` is optional: a missing section renders its empty state.
"""
from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from typing import Any, Iterable

__all__ = ["render_report", "write_report", "format_value", "highlight_quote"]

SEVERITIES = ("error", "warning", "info")


# ----------------------------------------------------------------------------- small helpers
def _e(x: Any) -> str:
    """HTML-escape anything (None -> empty string)."""
    return "" if x is None else html.escape(str(x), quote=True)


def _num(v: Any) -> float | None:
    """A finite float, or None (None, NaN, non-numbers, booleans)."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _int(v: Any, default: int = 0) -> int:
    f = _num(v)
    return default if f is None else int(f)


def _truthy(v: Any) -> bool:
    if isinstance(v, str):
        return v.strip().lower() in ("true", "t", "1", "yes", "y", "pass", "passed")
    return bool(v)


def _slug(x: Any) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(x)).strip("-") or "x"


def _safe_href(href: Any) -> str | None:
    """Only relative links: no scheme (http:, javascript:, data:, file:...) and no protocol-relative //."""
    if not href:
        return None
    h = str(href).strip()
    if h.startswith("//") or h.startswith("\\\\") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", h):
        return None
    return h


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


def _scale_for(ref: float, unit: str | None) -> tuple[float, str]:
    if unit in _UNSCALED_UNITS:
        return 1.0, ""
    for factor, suffix in _SCALES:
        if ref >= factor:
            return factor, suffix
    return 1.0, ""


def _fmt_scaled(x: float, div: float, unit: str | None) -> str:
    if unit in _UNSCALED_UNITS:
        return str(int(x)) if float(x).is_integer() else _plain(x).replace(",", "")
    return _plain(x / div)


def _unit_label(unit: str | None, suffix: str = "") -> str:
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
    lo, hi = _num(low), _num(high)
    if lo is None and hi is None:
        return "—"
    ref = max(abs(v) for v in (lo, hi) if v is not None)
    div, suffix = _scale_for(ref, unit)
    tail = _unit_tail(unit, suffix)
    if lo is not None and hi is not None and lo != hi:
        return f"{_fmt_scaled(lo, div, unit)}–{_fmt_scaled(hi, div, unit)}{tail}"
    v = lo if lo is not None else hi
    prefix = ""
    if qualifier == "over" or (qualifier != "under" and hi is None):
        prefix = "> "
    elif qualifier == "under" or lo is None:
        prefix = "< "
    return prefix + _fmt_scaled(v, div, unit) + tail


# ----------------------------------------------------------------------------- quotes
def highlight_quote(quote: Any, span: Any) -> str:
    """Escaped ``quote`` with ``quote[start:end]`` wrapped in <mark>; offsets are clamped, bad spans ignored."""
    q = "" if quote is None else str(quote)
    try:
        s, e = int(span[0]), int(span[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return _e(q)
    n = len(q)
    s = max(0, min(s, n))
    e = max(s, min(e, n))
    if s == e:
        return _e(q)
    return f"{_e(q[:s])}<mark>{_e(q[s:e])}</mark>{_e(q[e:])}"


# ----------------------------------------------------------------------------- CSS
CSS = """
:root{--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--line:#d1d9e0;--soft:#eef1f4;
--err:#cf222e;--warn:#bf8700;--info:#0969da;--ok:#1a7f37;--new:#8250df;--mark:#ffe16b}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;
color:var(--fg);background:var(--bg)}
.wrap{max-width:1200px;margin:0 auto;padding:24px 20px 48px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.86em}
a{color:var(--info)}
header h1{margin:0 0 2px;font-size:1.65rem;line-height:1.25}
.meta{color:var(--muted);font-size:.9rem}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 16px;margin:10px 0 0;font-size:.9rem}
nav.toc a{text-decoration:none}
nav.toc a:hover{text-decoration:underline}
.banner{margin:16px 0 0;padding:10px 14px;border-radius:8px;border:1px solid #d4a72c;background:#fff8c5;
color:#4d2d00;font-weight:500}
section{margin-top:30px}
h2{font-size:1.25rem;margin:0 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h2 .count{font-weight:400;color:var(--muted);font-size:.95rem}
h3{font-size:1.05rem;margin:0}
.lead{color:var(--muted);margin:-4px 0 12px;font-size:.92rem}
.more{color:var(--muted);font-size:.9rem;margin:10px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
.cards.prov{grid-template-columns:repeat(auto-fit,minmax(260px,1fr));margin-top:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;min-width:0}
.card .label{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.card .num{font-size:1.75rem;font-weight:650;line-height:1.2;overflow-wrap:anywhere}
.card .num.small{font-size:1.05rem;font-weight:600;padding-top:6px}
.card .sub{font-size:.84rem;color:var(--muted);overflow-wrap:anywhere}
.card .sevs{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}
.badge{display:inline-block;font-size:.72rem;font-weight:650;line-height:1.5;padding:0 8px;border-radius:999px;
border:1px solid transparent;text-transform:uppercase;letter-spacing:.04em;vertical-align:middle;white-space:nowrap}
.sev-error{color:#fff;background:var(--err)}
.sev-warning{color:#3b2300;background:#ffd33d;border-color:#d4a72c}
.sev-info{color:#fff;background:var(--info)}
.sev-other{color:var(--fg);background:var(--soft);border-color:var(--line)}
.badge-new{color:#fff;background:var(--new)}
.badge-pass{color:#fff;background:var(--ok)}
.badge-fail{color:#fff;background:var(--err)}
.zero{opacity:.45}
.num-ok{color:var(--ok)}.num-bad{color:var(--err)}
.conflict{--sev:var(--muted);background:var(--card);border:1px solid var(--line);border-left:5px solid var(--sev);
border-radius:8px;padding:14px 16px;margin:0 0 16px}
.conflict[data-severity="error"]{--sev:var(--err)}
.conflict[data-severity="warning"]{--sev:var(--warn)}
.conflict[data-severity="info"]{--sev:var(--info)}
.conflict-head{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.conflict-head .metric-code{color:var(--muted)}
.conflict-head .cid{margin-left:auto;color:var(--muted);font-size:.78rem}
.explanation{margin:8px 0 12px}
.sides{display:grid;grid-template-columns:minmax(0,1fr) auto minmax(0,1fr);gap:12px}
.vs{align-self:center;color:var(--muted);font-weight:700;font-size:.85rem}
.side{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fbfcfd;min-width:0;
display:flex;flex-direction:column}
.side .which{font-size:.72rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.side .src{font-weight:600;overflow-wrap:anywhere}
.side .title{font-size:.9rem;margin-top:2px}
.side .asof{font-size:.82rem;color:var(--muted)}
.side .value{font-size:1.4rem;font-weight:650;margin:6px 0 4px;font-variant-numeric:tabular-nums}
.side .value-text{font-size:.82rem;color:var(--muted)}
.chips{display:flex;flex-wrap:wrap;gap:6px;font-size:.8rem;margin-top:4px}
.chip{background:var(--soft);border-radius:4px;padding:1px 7px}
.chip b{font-weight:600;color:var(--muted)}
blockquote.quote{margin:10px 0 0;padding:8px 12px;border-left:3px solid var(--sev,var(--line));background:#fff;
border-radius:0 4px 4px 0}
.side .claim{margin-top:auto;padding-top:8px;font-size:.75rem;color:var(--muted);overflow-wrap:anywhere}
mark{background:var(--mark);color:inherit;padding:0 2px;border-radius:2px;font-weight:650}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.panel h3{margin-bottom:8px}
ul.changes{list-style:none;margin:0;padding:0}
ul.changes li{padding:6px 0;border-top:1px solid var(--soft)}
ul.changes li:first-child{border-top:0}
.table-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--card)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--soft);vertical-align:top}
tr:last-child td{border-bottom:0}
th{background:#f0f3f6;font-weight:600;white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.failed td{background:#fff5f5}
td ul{margin:0;padding-left:18px}
details summary{cursor:pointer;color:var(--info)}
details pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:6px 0 0;font-size:.8rem}
.empty{color:var(--muted);font-style:italic;background:var(--card);border:1px dashed var(--line);border-radius:8px;
padding:12px 14px;margin:0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
figure.chart-fig{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;min-width:0}
figure.chart-fig figcaption{font-weight:600}
figure.chart-fig figcaption .sub{font-weight:400;color:var(--muted);font-size:.85rem}
svg.chart{display:block;width:100%;height:auto;margin-top:6px}
svg.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif}
footer{margin-top:40px;color:var(--muted);font-size:.82rem;border-top:1px solid var(--line);padding-top:10px}
@media (max-width:760px){
 .wrap{padding:16px 12px 32px}
 .sides{grid-template-columns:minmax(0,1fr)}
 .vs{display:none}
 .charts{grid-template-columns:minmax(0,1fr)}
}
@media print{body{background:#fff}.conflict,.card,.panel,figure.chart-fig{break-inside:avoid}}
"""


# ----------------------------------------------------------------------------- sections
def _total(data: dict, key: str, shown: int) -> int:
    """The full count of a section that may be cut (``data["totals"]``), else what is shown."""
    return max(_int((data.get("totals") or {}).get(key), shown), shown)


def _more(data: dict, key: str, shown: int, query: str, command: str | None = None) -> str:
    """'Showing 200 of 36,491 — all of them: vnclaims sql "..."' when a section was cut."""
    total = _total(data, key, shown)
    if total <= shown:
        return ""
    return (f'<p class="more" data-key="more-{_e(key)}">Showing {shown:,} of {total:,}, most important first. '
            f'All of them: <code>{_e(command or f"vnclaims sql {chr(34)}{query}{chr(34)}")}</code></p>')


def _sev_badge(sev: Any) -> str:
    s = str(sev or "").lower()
    cls = f"sev-{s}" if s in SEVERITIES else "sev-other"
    return f'<span class="badge {cls}">{_e(sev or "?")}</span>'


def _empty(text: str) -> str:
    return f'<p class="empty">{_e(text)}</p>'


def _card(key: str, label: str, num: Any, sub: str = "", small: bool = False, extra: str = "") -> str:
    cls = "num small" if small else "num"
    shown = "—" if num is None or num == "" else num
    return (f'<div class="card" data-key="{_e(key)}"><div class="label">{_e(label)}</div>'
            f'<div class="{cls}">{_e(shown)}</div>{extra}'
            + (f'<div class="sub">{sub}</div>' if sub else "") + "</div>")


def _header(data: dict) -> str:
    snap = data.get("snapshot") or {}
    title = data.get("title") or "vnclaims validation report"
    as_of = data.get("as_of")
    meta = [f"generated {_e(data.get('generated_at') or '—')}",
            f"snapshot {_e(snap.get('id') if snap.get('id') is not None else '—')}"]
    if snap.get("time"):
        meta.append(f"snapshot time {_e(snap.get('time'))}")
    out = [f"<header><h1>{_e(title)}</h1><div class=\"meta\">{' · '.join(meta)}</div>"]
    if as_of is not None and as_of != "":
        out.append(f'<div class="banner" id="as-of-banner" role="status">Historical view of snapshot {_e(as_of)}: '
                   f"this page shows the warehouse as it was at that snapshot, not the latest data.</div>")
    links = [("summary", "Summary"), ("conflicts", "Conflicts"), ("changes", "Changes"), ("support", "Agreement"),
             ("charts", "Charts"), ("checks", "Checks"), ("entities", "Entity variants"),
             ("quarantine", "Quarantine")]
    nav = "".join(f'<a href="#{k}">{v}</a>' for k, v in links)
    gx = _safe_href(data.get("gx_docs_href"))
    if gx:
        nav += f'<a href="{_e(gx)}">GX Data Docs</a>'
    out.append(f'<nav class="toc" aria-label="Sections">{nav}</nav></header>')
    return "".join(out)


def _summary(data: dict) -> str:
    s = data.get("summary") or {}
    snap = data.get("snapshot") or {}
    sev = s.get("conflicts") or {}
    if not isinstance(sev, dict):
        sev = {}
    chk = s.get("checks") or {}
    n_conf = sum(_int(sev.get(k)) for k in sev)
    sev_badges = "".join(
        f'<span class="badge sev-{k}{"" if _int(sev.get(k)) else " zero"}" data-severity="{k}">'
        f"{_e(_int(sev.get(k)))} {k}</span>" for k in SEVERITIES)
    passed, failed = _int(chk.get("passed")), _int(chk.get("failed"))
    cards = [
        _card("documents", "Documents", s.get("documents"),
              f"{_e(s.get('raw_files', '—'))} raw files · {_e(s.get('quarantined', 0))} quarantined"),
        _card("claims", "Claims", s.get("claims"), f"{_e(s.get('classified_claims', '—'))} classified"),
        _card("conflicts", "Conflicts", n_conf, extra=f'<div class="sevs">{sev_badges}</div>'),
        (f'<div class="card" data-key="checks"><div class="label">Checks</div>'
         f'<div class="num"><span class="num-ok" data-key="checks-passed">{_e(passed)}</span>'
         f' / <span class="{"num-bad" if failed else "zero"}" data-key="checks-failed">{_e(failed)}</span></div>'
         f'<div class="sub">passed / failed</div></div>'),
        _card("duplicates", "Duplicates removed", s.get("duplicates_removed"),
              f"{_e(s.get('near_duplicates', 0))} near-duplicate pairs"),
    ]
    prov = [
        _card("snapshot", "Snapshot", f"#{snap.get('id')}" if snap.get("id") is not None else None,
              _e(snap.get("time") or ""), small=True),
        _card("run", "Run id", snap.get("run_id"),
              f"flow run {_e(snap['flow_run_id'])}" if snap.get("flow_run_id") else "", small=True),
        _card("code-version", "Code version", snap.get("code_version"), small=True),
    ]
    return (f'<section id="summary"><h2>Summary</h2><div class="cards">{"".join(cards)}</div>'
            f'<div class="cards prov">{"".join(prov)}</div></section>')


def _side(side: dict | None, which: str) -> str:
    s = side or {}
    unit = s.get("unit")
    qual = s.get("qualifier")
    value = format_value(s.get("value_low"), s.get("value_high"), unit, qual)
    title = f'<div class="title">{_e(s["title"])}</div>' if s.get("title") else ""
    as_of = ""
    if s.get("as_of"):
        src = f" ({_e(s['as_of_source'])})" if s.get("as_of_source") else ""
        as_of = f'<div class="asof">as of {_e(s["as_of"])}{src}</div>'
    chips = "".join(f'<span class="chip"><b>{k}</b> {_e(v if v not in (None, "") else "—")}</span>'
                    for k, v in (("unit", unit), ("qualifier", qual), ("period", s.get("period"))))
    vt = f'<div class="value-text">as written: “{_e(s["value_text"])}”</div>' if s.get("value_text") else ""
    quote = (f'<blockquote class="quote">{highlight_quote(s.get("quote"), s.get("highlight"))}</blockquote>'
             if s.get("quote") else '<p class="empty">no quote stored</p>')
    claim = f'<div class="claim">claim <code>{_e(s["claim_id"])}</code></div>' if s.get("claim_id") else ""
    return (f'<div class="side" data-side="{which}" data-source="{_e(s.get("source_path"))}">'
            f'<div class="which">Source {which.upper()}</div>'
            f'<div class="src mono">{_e(s.get("source_path") or "unknown source")}</div>{title}{as_of}'
            f'<div class="value">{_e(value)}</div>{vt}<div class="chips">{chips}</div>{quote}{claim}</div>')


def _conflicts(data: dict) -> str:
    items = data.get("conflicts") or []
    total = _total(data, "conflicts", len(items))
    out = [f'<section id="conflicts"><h2>Conflicts <span class="count">({total:,})</span></h2>']
    if not items:
        out.append(_empty("No conflicts: every classified figure agrees with the other sources."))
    else:
        out.append('<p class="lead">Each card puts two sources that disagree side by side, with the sentence each '
                   "figure was read from; the number is highlighted.</p>")
    by_metric = data.get("conflicts_by_metric") or []
    if by_metric and (total > len(items) or len(by_metric) > 1):
        rows = [f'<tr data-metric="{_e(r.get("metric"))}"><td>{_e(r.get("label") or r.get("metric"))} '
                f'<code class="metric-code">{_e(r.get("metric"))}</code></td>'
                + "".join(f'<td class="n">{_int(r.get(k)):,}</td>' for k in ("error", "warning", "info", "new", "sources"))
                + "</tr>" for r in by_metric]
        out.append(_table([("Metric", ""), ("Errors", "n"), ("Warnings", "n"), ("Info", "n"), ("New", "n"),
                           ("Sources involved", "n")], rows, tid="conflicts-by-metric"))
    out.append(_more(data, "conflicts", len(items),
                     "SELECT severity, metric, period, source_a, source_b, explanation FROM conflicts "
                     "ORDER BY severity, metric"))
    for c in items:
        label, metric = c.get("metric_label"), c.get("metric")
        head_label = _e(label or metric or "unknown metric")
        code = f' <code class="metric-code">{_e(metric)}</code>' if label and metric and label != metric else ""
        period = f'<span class="chip"><b>period</b> {_e(c["period"])}</span>' if c.get("period") else \
            '<span class="chip"><b>period</b> any</span>'
        new = '<span class="badge badge-new">new</span>' if str(c.get("status") or "").lower() == "new" else ""
        cid = f'<code class="cid">{_e(c["conflict_id"])}</code>' if c.get("conflict_id") else ""
        anchor = f' id="conflict-{_slug(c["conflict_id"])}"' if c.get("conflict_id") else ""
        expl = f'<p class="explanation">{_e(c["explanation"])}</p>' if c.get("explanation") else ""
        out.append(
            f'<article class="conflict"{anchor} data-metric="{_e(metric)}" '
            f'data-severity="{_e(c.get("severity"))}" data-status="{_e(c.get("status"))}">'
            f'<div class="conflict-head">{_sev_badge(c.get("severity"))}{new}<h3>{head_label}{code}</h3>{period}{cid}</div>'
            f'{expl}<div class="sides">{_side(c.get("a"), "a")}<div class="vs" aria-hidden="true">vs</div>'
            f'{_side(c.get("b"), "b")}</div></article>')
    out.append("</section>")
    return "".join(out)


def _change_list(rows: list, current_ids: set, empty: str, kind: str) -> str:
    if not rows:
        return _empty(empty)
    li = []
    for r in rows:
        cid = r.get("conflict_id")
        name = _e(r.get("metric") or "unknown metric")
        if cid is not None and str(cid) in current_ids:
            name = f'<a href="#conflict-{_slug(cid)}">{name}</a>'
        li.append(f'<li data-kind="{kind}">{_sev_badge(r.get("severity"))} <strong>{name}</strong> — '
                  f'<span class="mono">{_e(r.get("source_a") or "?")}</span> vs '
                  f'<span class="mono">{_e(r.get("source_b") or "?")}</span>'
                  + (f' <code class="cid">{_e(cid)}</code>' if cid else "") + "</li>")
    return f'<ul class="changes">{"".join(li)}</ul>'


def _changes(data: dict) -> str:
    new, resolved = data.get("new_conflicts") or [], data.get("resolved_conflicts") or []
    current = {str(c.get("conflict_id")) for c in (data.get("conflicts") or []) if c.get("conflict_id") is not None}
    hint = "vnclaims diff PREVIOUS CURRENT --table conflicts --format json"
    return (f'<section id="changes"><h2>Changes since previous snapshot</h2><div class="cols">'
            f'<div class="panel" id="new-conflicts"><h3>New conflicts ({_total(data, "new_conflicts", len(new)):,})</h3>'
            f'{_change_list(new, current, "No new conflicts.", "new")}'
            f'{_more(data, "new_conflicts", len(new), "", hint)}</div>'
            f'<div class="panel" id="resolved-conflicts"><h3>Resolved conflicts '
            f'({_total(data, "resolved_conflicts", len(resolved)):,})</h3>'
            f'{_change_list(resolved, set(), "No conflicts resolved.", "resolved")}'
            f'{_more(data, "resolved_conflicts", len(resolved), "", hint)}'
            f'</div></div></section>')


def _table(headers: Iterable[tuple[str, str]], rows: list[str], tid: str | None = None) -> str:
    th = "".join(f'<th class="{c}">{_e(h)}</th>' if c else f"<th>{_e(h)}</th>" for h, c in headers)
    idattr = f' id="{tid}"' if tid else ""
    return f'<div class="table-wrap"><table{idattr}><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _support(data: dict) -> str:
    rows = []
    for r in data.get("support") or []:
        srcs = r.get("sources") or []
        if isinstance(srcs, str):
            srcs = [x.strip() for x in srcs.split(",") if x.strip()]
        src_html = "<ul>" + "".join(f'<li class="mono">{_e(x)}</li>' for x in srcs) + "</ul>" if srcs else "—"
        rows.append(f'<tr data-metric="{_e(r.get("metric"))}"><td><code>{_e(r.get("metric"))}</code></td>'
                    f'<td>{_e(r.get("period") or "—")}</td>'
                    f'<td class="n">{_e(format_value(r.get("value_low"), r.get("value_high"), r.get("unit")))}</td>'
                    f'<td class="n">{_e(r.get("n_sources", "—"))}</td><td class="n">{_e(r.get("n_independent", "—"))}</td>'
                    f"<td>{src_html}</td></tr>")
    body = _table([("Metric", ""), ("Period", ""), ("Value", "n"), ("Sources", "n"), ("Independent", "n"),
                   ("Source files", "")], rows) if rows else _empty("No figure is supported by two or more sources yet.")
    return (f'<section id="support"><h2>Agreement <span class="count">({_total(data, "support", len(rows)):,})</span></h2>'
            f'<p class="lead">Figures that two or more sources state the same way; “independent” counts sources '
            f"that are not near-duplicates of each other.</p>{body}"
            f'{_more(data, "support", len(rows), "SELECT * FROM claim_support WHERE n_sources >= 2 ORDER BY n_sources DESC")}'
            f"</section>")


def _details(v: Any) -> str:
    if v is None or v == "":
        return ""
    structured = isinstance(v, (dict, list))
    line = json.dumps(v, ensure_ascii=False, default=str) if structured else str(v)
    if len(line) <= 160 and "\n" not in line:
        return _e(line)
    text = json.dumps(v, ensure_ascii=False, default=str, indent=1) if structured else line
    first = " ".join(line.split())[:90]
    return f"<details><summary>{_e(first)}…</summary><pre>{_e(text)}</pre></details>"


def _checks(data: dict) -> str:
    checks = sorted(data.get("checks") or [], key=lambda c: _truthy(c.get("success")))  # failed first (stable)
    n_fail = sum(1 for c in checks if not _truthy(c.get("success")))
    rows = []
    for c in checks:
        ok = _truthy(c.get("success"))
        rows.append(f'<tr class="{"passed" if ok else "failed"}">'
                    f'<td><span class="badge {"badge-pass" if ok else "badge-fail"}">{"pass" if ok else "fail"}</span></td>'
                    f'<td>{_e(c.get("suite"))}</td><td><code>{_e(c.get("expectation"))}</code></td>'
                    f'<td>{_details(c.get("details"))}</td></tr>')
    gx = _safe_href(data.get("gx_docs_href"))
    link = f'<p class="lead">Full results: <a href="{_e(gx)}" id="gx-docs">Great Expectations Data Docs</a>.</p>' if gx else ""
    body = _table([("Result", ""), ("Suite", ""), ("Expectation", ""), ("Details", "")], rows) if rows \
        else _empty("No validation results recorded for this snapshot.")
    return (f'<section id="checks"><h2>Checks <span class="count">({len(checks) - n_fail} passed, {n_fail} failed)'
            f"</span></h2>{link}{body}</section>")


def _entities(data: dict) -> str:
    rows = [f'<tr><td>{_e(r.get("canonical"))}</td><td>{_e(r.get("variant"))}</td>'
            f'<td class="mono">{_e(r.get("source_path"))}</td></tr>' for r in data.get("entity_variants") or []]
    body = _table([("Canonical name", ""), ("Variant as written", ""), ("Source file", "")], rows) if rows \
        else _empty("No spelling variants of known entities were found.")
    return (f'<section id="entities"><h2>Entity name variants <span class="count">'
            f'({_total(data, "entity_variants", len(rows)):,})</span></h2>{body}'
            f'{_more(data, "entity_variants", len(rows), "SELECT * FROM entity_variants")}</section>')


def _quarantine(data: dict) -> str:
    rows = [f'<tr><td class="mono">{_e(r.get("source_path"))}</td><td>{_e(r.get("reason"))}</td></tr>'
            for r in data.get("quarantine") or []]
    body = _table([("Input file", ""), ("Reason", "")], rows) if rows else _empty("No input was quarantined.")
    return (f'<section id="quarantine"><h2>Quarantined inputs <span class="count">'
            f'({_total(data, "quarantine", len(rows)):,})</span></h2>{body}'
            f'{_more(data, "quarantine", len(rows), "SELECT source_path, reason FROM quarantine")}</section>')


# ----------------------------------------------------------------------------- charts
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D", "#3B3B3B")
_SHAPES = ("circle", "square", "triangle", "diamond")


def _styles(series: list) -> dict[str, tuple[str, str]]:
    """One (colour, shape) per source file, stable across all charts of the page (32 distinct pairs)."""
    names = sorted({str(p.get("source_path") or "unknown source")
                    for s in series for p in (s.get("points") or [])})
    return {n: (_PALETTE[i % len(_PALETTE)], _SHAPES[(i + i // len(_PALETTE)) % len(_SHAPES)])
            for i, n in enumerate(names)}


def _short(x: float, unit: str | None) -> str:
    """A tick label that carries its own scale: '100', '10,000', '10 mn', '1 bn'."""
    div, suffix = _scale_for(abs(x), unit)
    return _fmt_scaled(x, div, unit) + (" " + suffix if suffix else "")


def _f(x: float) -> str:
    return f"{x:.1f}"


def _marker(shape: str, x: float, y: float, r: float, fill: str, stroke: str) -> str:
    a = f'fill="{fill}" stroke="{stroke}" stroke-width="1.6"'
    if shape == "square":
        h = r * 0.9
        return f'<rect x="{_f(x - h)}" y="{_f(y - h)}" width="{_f(2 * h)}" height="{_f(2 * h)}" {a}/>'
    if shape == "triangle":
        return (f'<path d="M{_f(x)} {_f(y - r * 1.2)}L{_f(x + r * 1.1)} {_f(y + r * 0.8)}'
                f'L{_f(x - r * 1.1)} {_f(y + r * 0.8)}Z" {a}/>')
    if shape == "diamond":
        return (f'<path d="M{_f(x)} {_f(y - r * 1.3)}L{_f(x + r * 1.05)} {_f(y)}'
                f'L{_f(x)} {_f(y + r * 1.3)}L{_f(x - r * 1.05)} {_f(y)}Z" {a}/>')
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" {a}/>'


def _period_x(period: str) -> float | None:
    """'2014' -> 2014; '2023-06' -> 2023.42; '2020-2025' -> 2022.5; otherwise None."""
    p = period.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", p)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)) + (int(m.group(2)) - 1) / 12
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", p)]
    if not years or re.search(r"[A-Za-zÀ-ỹ]", re.sub(r"(?i)\bQ[1-4]\b|\bH[12]\b", "", p)):
        return None
    if len(years) == 1:
        q = re.search(r"(?i)\bQ([1-4])\b", p)
        return years[0] + ((int(q.group(1)) - 1) / 4 if q else 0)
    return (years[0] + years[-1]) / 2


def _nice_step(span: float, target: int = 5) -> float:
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag * (1 + 1e-9):
            return m * mag
    return 10 * mag


def _y_ticks(lo: float, hi: float) -> list[float]:
    step = _nice_step(hi - lo)
    t0, t1 = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    n = max(1, round((t1 - t0) / step))
    return [t0 + i * step for i in range(n + 1)]


def _text_w(s: str, size: float = 12) -> float:
    return len(s) * size * 0.56


def _chart(series: dict, styles: dict[str, tuple[str, str]], idx: int) -> str:
    unit = series.get("unit")
    metric = series.get("metric") or "unknown metric"
    label = series.get("label") or series.get("metric_label") or metric
    pts, skipped = [], 0
    for p in series.get("points") or []:
        lo, hi = _num(p.get("value_low")), _num(p.get("value_high"))
        period = p.get("period")
        if (lo is None and hi is None) or period is None or str(period).strip() == "":
            skipped += 1
            continue
        pts.append({"period": str(period).strip(), "lo": lo, "hi": hi, "q": p.get("qualifier"),
                    "src": str(p.get("source_path") or "unknown source")})
    sources = sorted({p["src"] for p in pts})
    unit_txt = _unit_label(unit) or "no unit"
    n_src = _int(series.get("n_sources")) or len(sources)
    sub = f"{len(pts)} point{'s' if len(pts) != 1 else ''} from {n_src} source{'s' if n_src != 1 else ''}"
    if n_src > len(sources):
        sub += " (distinct values, the most frequent first)"
    if skipped:
        sub += f"; {skipped} without a period or value not drawn"
    cap = (f'<figcaption>{_e(label)} <span class="sub">(<code>{_e(metric)}</code>, {_e(unit_txt)}) — {_e(sub)}'
           f"</span></figcaption>")
    if not pts:
        return (f'<figure class="chart-fig" data-metric="{_e(metric)}">{cap}'
                f'<svg class="chart" viewBox="0 0 640 60" role="img"><title>{_e(label)}: nothing to plot</title>'
                f'<text x="320" y="34" text-anchor="middle" font-size="13" fill="#59636e">no plottable points</text>'
                f"</svg></figure>")

    # ---- x scale: years (linear) or, if any period is not a date, categories
    xs = [_period_x(p["period"]) for p in pts]
    categorical = any(x is None for x in xs)
    if categorical:
        cats = sorted({p["period"] for p in pts}, key=lambda c: (_period_x(c) is None, _period_x(c) or 0, c))
        for p in pts:
            p["x"] = float(cats.index(p["period"]))
        x0, x1 = -0.5, len(cats) - 0.5
        every = max(1, math.ceil(len(cats) / 12))
        x_ticks = [(float(i), c if len(c) <= 14 else c[:13] + "…") for i, c in enumerate(cats) if i % every == 0]
    else:
        for p, x in zip(pts, xs):
            p["x"] = x
        lo_x, hi_x = min(xs), max(xs)  # type: ignore[type-var]
        pad = 1.0 if hi_x == lo_x else max(0.5, (hi_x - lo_x) * 0.06)
        x0, x1 = lo_x - pad, hi_x + pad
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000) if (x1 - x0) / s <= 10), 1000)
        first = math.ceil(x0 / step) * step
        x_ticks = [(float(t), str(t)) for t in range(int(first), int(math.floor(x1)) + 1, step)]

    # ---- y scale: include zero (honest bars) unless the values are calendar years
    vals = [v for p in pts for v in (p["lo"], p["hi"]) if v is not None]
    y_lo, y_hi = min(vals), max(vals)
    if unit != "year":
        y_lo, y_hi = min(y_lo, 0.0), max(y_hi, 0.0)
    if y_hi == y_lo:
        pad = abs(y_hi) * 0.1 or 1.0
        y_lo, y_hi = (y_lo, y_hi + pad) if y_lo == 0 else (y_lo - pad, y_hi + pad)
    if any(p["hi"] is None for p in pts):        # room for the "more than" arrows
        y_hi += (y_hi - y_lo) * 0.08
    if any(p["lo"] is None for p in pts) and y_lo != 0:
        y_lo -= (y_hi - y_lo) * 0.08
    log = min(vals) > 0 and max(vals) / min(vals) >= 1000 and unit != "year"
    if log:   # values spanning >= 3 orders of magnitude: a log axis keeps the small ones visible
        k0, k1 = math.floor(math.log10(min(vals))), math.ceil(math.log10(max(vals)))
        if k1 == k0:
            k1 += 1
        kstep = max(1, math.ceil((k1 - k0) / 8))
        ks = list(range(k0, k1 + 1, kstep))
        if ks[-1] < k1:
            ks.append(ks[-1] + kstep)
        ticks = [10.0 ** k for k in ks]
        y_lo, y_hi = float(ks[0]), float(ks[-1])
        tick_labels = [_short(t, unit) for t in ticks]
        y_title = (_unit_label(unit) or "value") + " (log scale)"
    else:
        ticks = _y_ticks(y_lo, y_hi)
        y_lo, y_hi = ticks[0], ticks[-1]
        div, suffix = _scale_for(max(abs(ticks[0]), abs(ticks[-1])), unit)
        tick_labels = [_fmt_scaled(t, div, unit) for t in ticks]
        y_title = _unit_label(unit, suffix) or "value"

    # ---- layout
    W = 640
    PT, PH = 18, 230
    ML = 36 + max(_text_w(t, 12.5) for t in tick_labels)
    MR = 18
    PW = W - ML - MR
    legend_items = [(s, _text_w(s, 12.5) + 30) for s in sources]
    if any(p["lo"] is not None and p["hi"] is not None and p["lo"] != p["hi"] for p in pts):
        legend_items.append(("\x00range", _text_w("range low–high", 12.5) + 30))
    if any((p["lo"] is None) != (p["hi"] is None) for p in pts):
        legend_items.append(("\x00open", _text_w("open bound (more / less than)", 12.5) + 30))
    rows, cur, cur_w = [], [], 0.0
    for item in legend_items:
        if cur and cur_w + item[1] > W - 24:
            rows.append(cur)
            cur, cur_w = [], 0.0
        cur.append(item)
        cur_w += item[1]
    if cur:
        rows.append(cur)
    legend_y = PT + PH + 62
    H = int(legend_y + len(rows) * 21 + 6)

    def X(v: float) -> float:
        return ML + (v - x0) / (x1 - x0) * PW

    def Y(v: float) -> float:
        if log:
            v = math.log10(max(v, 10.0 ** y_lo))
        return PT + PH - (v - y_lo) / (y_hi - y_lo) * PH

    title_id = f"chart-{idx}-title"
    o = [f'<figure class="chart-fig" data-metric="{_e(metric)}">{cap}'
         f'<svg class="chart" data-metric="{_e(metric)}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
         f'role="img" aria-labelledby="{title_id}" font-size="12.5">'
         f'<title id="{title_id}">{_e(label)} ({_e(y_title)}) by period, one marker per source</title>']
    # grid + y axis
    for t, tl in zip(ticks, tick_labels):
        y = Y(t)
        strong = not log and abs(t) < 1e-12 * max(1.0, abs(y_hi))
        o.append(f'<line x1="{_f(ML)}" x2="{_f(ML + PW)}" y1="{_f(y)}" y2="{_f(y)}" '
                 f'stroke="{"#8c959f" if strong else "#e4e8ec"}" stroke-width="1"/>'
                 f'<text x="{_f(ML - 6)}" y="{_f(y + 4.2)}" text-anchor="end" fill="#59636e">{_e(tl)}</text>')
    o.append(f'<text transform="translate(13 {_f(PT + PH / 2)}) rotate(-90)" text-anchor="middle" '
             f'font-size="13" fill="#1f2328">{_e(y_title)}</text>')
    # x axis
    o.append(f'<line x1="{_f(ML)}" x2="{_f(ML + PW)}" y1="{_f(PT + PH)}" y2="{_f(PT + PH)}" stroke="#8c959f"/>')
    for t, tl in x_ticks:
        x = X(t)
        o.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(PT + PH)}" y2="{_f(PT + PH + 4)}" stroke="#8c959f"/>'
                 f'<text x="{_f(x)}" y="{_f(PT + PH + 18)}" text-anchor="middle" fill="#59636e">{_e(tl)}</text>')
    o.append(f'<text x="{_f(ML + PW / 2)}" y="{_f(PT + PH + 40)}" text-anchor="middle" font-size="13" '
             f'fill="#1f2328">{"period" if categorical else "period (year)"}</text>')

    # jitter points that share an x position so that every source stays visible
    groups: dict[float, list[dict]] = {}
    for p in pts:
        groups.setdefault(p["x"], []).append(p)
    for g in groups.values():
        g.sort(key=lambda p: (p["src"], p["lo"] if p["lo"] is not None else p["hi"]))
        n = len(g)
        spacing = min(11.0, 60.0 / max(1, n - 1)) if n > 1 else 0.0
        for i, p in enumerate(g):
            p["px"] = X(p["x"]) + (i - (n - 1) / 2) * spacing

    def mid(p: dict) -> float:
        vs = [v for v in (p["lo"], p["hi"]) if v is not None]
        return sum(vs) / len(vs)

    # faint line joining the points of one source (when it has several periods and the chart is not crowded)
    for src in (sources if len(sources) <= 8 else []):
        mine = sorted((p for p in pts if p["src"] == src), key=lambda p: p["x"])
        if len({p["x"] for p in mine}) >= 2:
            colour = styles.get(src, (_PALETTE[0], "circle"))[0]
            d = " ".join(f"{_f(p['px'])},{_f(Y(mid(p)))}" for p in mine)
            o.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-opacity=".35" stroke-width="1.5"/>')

    for p in pts:
        colour, shape = styles.get(p["src"], (_PALETTE[0], "circle"))
        x = p["px"]
        tip = f"{p['src']}\n{p['period']}: {format_value(p['lo'], p['hi'], unit, p['q'])}"
        g = [f'<g class="point" data-source="{_e(p["src"])}" data-period="{_e(p["period"])}"><title>{_e(tip)}</title>']
        lo, hi = p["lo"], p["hi"]
        if lo is not None and hi is not None and lo != hi:
            y1, y2 = Y(lo), Y(hi)
            g.append(f'<line class="range" x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y1)}" y2="{_f(y2)}" '
                     f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>')
            for yy in (y1, y2):
                g.append(f'<line x1="{_f(x - 5)}" x2="{_f(x + 5)}" y1="{_f(yy)}" y2="{_f(yy)}" '
                         f'stroke="{colour}" stroke-width="2"/>')
            g.append(_marker(shape, x, (y1 + y2) / 2, 4.5, "#fff", colour))
        else:
            v = lo if lo is not None else hi
            y = Y(v)  # type: ignore[arg-type]
            up = p["q"] == "over" or (hi is None and p["q"] != "under")
            down = not up and (p["q"] == "under" or lo is None)
            if up or down:
                tip_y = y - 17 if up else y + 17
                head = -1 if up else 1
                g.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(y)}" y2="{_f(tip_y)}" stroke="{colour}" '
                         f'stroke-width="2"/><path d="M{_f(x - 4)} {_f(tip_y - head * 5)}L{_f(x)} {_f(tip_y)}'
                         f'L{_f(x + 4)} {_f(tip_y - head * 5)}" fill="none" stroke="{colour}" stroke-width="2"/>')
            g.append(_marker(shape, x, y, 5.5, colour, "#fff"))
        g.append("</g>")
        o.append("".join(g))

    # legend
    for r, row in enumerate(rows):
        lx, ly = 12.0, legend_y + r * 21
        for name, w in row:
            if name == "\x00range":
                o.append(f'<line x1="{_f(lx + 7)}" x2="{_f(lx + 7)}" y1="{_f(ly - 7)}" y2="{_f(ly + 7)}" '
                         f'stroke="#59636e" stroke-width="3"/><text x="{_f(lx + 18)}" y="{_f(ly + 4)}" '
                         f'font-size="12.5" fill="#59636e">range low–high</text>')
            elif name == "\x00open":
                o.append(f'<path d="M{_f(lx + 7)} {_f(ly + 7)}V{_f(ly - 7)}M{_f(lx + 3)} {_f(ly - 2)}L{_f(lx + 7)} '
                         f'{_f(ly - 7)}L{_f(lx + 11)} {_f(ly - 2)}" fill="none" stroke="#59636e" stroke-width="2"/>'
                         f'<text x="{_f(lx + 18)}" y="{_f(ly + 4)}" font-size="12.5" fill="#59636e">'
                         f"open bound (more / less than)</text>")
            else:
                colour, shape = styles.get(name, (_PALETTE[0], "circle"))
                o.append(f'<g class="legend-item" data-source="{_e(name)}"><title>{_e(name)}</title>'
                         + _marker(shape, lx + 7, ly, 5.5, colour, "#fff")
                         + f'<text x="{_f(lx + 18)}" y="{_f(ly + 4)}" font-size="12.5" fill="#1f2328">{_e(name)}</text></g>')
            lx += w
    o.append("</svg>")
    # the numbers behind the chart, for the reviewer who wants them exactly
    trs = "".join(f'<tr><td>{_e(p["period"])}</td><td class="n">{_e(format_value(p["lo"], p["hi"], unit, p["q"]))}</td>'
                  f'<td class="mono">{_e(p["src"])}</td></tr>'
                  for p in sorted(pts, key=lambda p: (p["x"], p["src"])))
    o.append(f'<details><summary>data</summary><div class="table-wrap"><table><thead><tr><th>Period</th>'
             f'<th class="n">Value</th><th>Source</th></tr></thead><tbody>{trs}</tbody></table></div></details>')
    o.append("</figure>")
    return "".join(o)


def _charts(data: dict) -> str:
    series = [s for s in (data.get("series") or []) if isinstance(s, dict)]
    styles = _styles(series)
    if not series:
        body = _empty("No time series to chart.")
    else:
        body = '<div class="charts">' + "".join(_chart(s, styles, i) for i, s in enumerate(series)) + "</div>"
    return (f'<section id="charts"><h2>Charts <span class="count">({len(series)})</span></h2>'
            f'<p class="lead">Each marker is one claim; colour and shape identify the source file (the same on every '
            f"chart). Hover a marker for its value.</p>{body}</section>")


# ----------------------------------------------------------------------------- page
def render_report(data: dict) -> str:
    """A complete standalone HTML document (no scripts, no remote resources) for ``data``."""
    data = data or {}
    title = data.get("title") or "vnclaims validation report"
    snap = data.get("snapshot") or {}
    body = "".join([_header(data), "<main>", _summary(data), _conflicts(data), _changes(data), _support(data),
                    _charts(data), _checks(data), _entities(data), _quarantine(data), "</main>"])
    footer = (f"<footer>Generated by vnclaims at {_e(data.get('generated_at') or '—')}"
              f" from snapshot {_e(snap.get('id') if snap.get('id') is not None else '—')}"
              f"{' (code ' + _e(snap['code_version']) + ')' if snap.get('code_version') else ''}. "
              f"Self-contained page: no scripts, no remote resources.</footer>")
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head>"
            f'<body><div class="wrap">{body}{footer}</div></body></html>\n')


def write_report(data: dict, out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` (UTF-8) and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    tmp = out_dir / ".index.html.tmp"
    tmp.write_text(render_report(data), encoding="utf-8")
    tmp.replace(path)
    return path
