"""Chart geometry for the report's hand-made SVG charts: scales, ticks, jittered markers, legend rows.

:func:`charts` turns the report's ``series`` into plain dicts of numbers and labels; the drawing
itself (which SVG element, which colour attribute) is ``templates/chart.svg.j2``. Coordinates are
floats that the template prints with the ``f1`` filter (one decimal); marker and arrow paths are
built here as path strings (numbers only, no text from the data).
"""
from __future__ import annotations

import math
import re
from typing import Any

from .format import fmt_scaled, format_value, num, scale_for, short, to_int, unit_label

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D", "#3B3B3B")
SHAPES = ("circle", "square", "triangle", "diamond")

W = 640                  # the SVG's width
PT, PH = 18, 230         # plot top, plot height
MR = 18                  # right margin
LEGEND_ROW = 21          # height of one legend row


def f1(x: float) -> str:
    """An SVG coordinate: one decimal."""
    return f"{x:.1f}"


def styles(series: list) -> dict[str, tuple[str, str]]:
    """One (colour, shape) per source file, stable across all charts of the page (32 distinct pairs)."""
    names = sorted({str(p.get("source_path") or "unknown source")
                    for s in series for p in (s.get("points") or [])})
    return {n: (PALETTE[i % len(PALETTE)], SHAPES[(i + i // len(PALETTE)) % len(SHAPES)])
            for i, n in enumerate(names)}


def marker(shape: str, x: float, y: float, r: float, fill: str, stroke: str) -> dict:
    """A marker as one SVG element: {'shape': 'circle'|'rect'|'path', coordinates..., fill, stroke}."""
    m: dict[str, Any] = {"fill": fill, "stroke": stroke}
    if shape == "square":
        h = r * 0.9
        return {**m, "shape": "rect", "x": x - h, "y": y - h, "width": 2 * h, "height": 2 * h}
    if shape == "triangle":
        return {**m, "shape": "path", "d": f"M{f1(x)} {f1(y - r * 1.2)}L{f1(x + r * 1.1)} {f1(y + r * 0.8)}"
                                          f"L{f1(x - r * 1.1)} {f1(y + r * 0.8)}Z"}
    if shape == "diamond":
        return {**m, "shape": "path", "d": f"M{f1(x)} {f1(y - r * 1.3)}L{f1(x + r * 1.05)} {f1(y)}"
                                          f"L{f1(x)} {f1(y + r * 1.3)}L{f1(x - r * 1.05)} {f1(y)}Z"}
    return {**m, "shape": "circle", "cx": x, "cy": y, "r": r}


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


def _points(series: dict) -> tuple[list[dict], int]:
    """The drawable points (a period and at least one bound) and how many were skipped."""
    pts, skipped = [], 0
    for p in series.get("points") or []:
        lo, hi = num(p.get("value_low")), num(p.get("value_high"))
        period = p.get("period")
        if (lo is None and hi is None) or period is None or str(period).strip() == "":
            skipped += 1
            continue
        pts.append({"period": str(period).strip(), "lo": lo, "hi": hi, "q": p.get("qualifier"),
                    "src": str(p.get("source_path") or "unknown source")})
    return pts, skipped


def _x_scale(pts: list[dict]) -> tuple[bool, float, float, list[tuple[float, str]]]:
    """Years (linear) or, if any period is not a date, categories; sets each point's 'x'."""
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
    return categorical, x0, x1, x_ticks


def _y_scale(pts: list[dict], unit: str | None) -> tuple[bool, float, float, list[float], list[str], str]:
    """Include zero (honest bars) unless the values are calendar years; a log axis when the values span
    >= 3 orders of magnitude. Returns (log, y_lo, y_hi, ticks, tick labels, axis title)."""
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
        return (True, float(ks[0]), float(ks[-1]), ticks, [short(t, unit) for t in ticks],
                (unit_label(unit) or "value") + " (log scale)")
    ticks = _y_ticks(y_lo, y_hi)
    div, suffix = scale_for(max(abs(ticks[0]), abs(ticks[-1])), unit)
    return (False, ticks[0], ticks[-1], ticks, [fmt_scaled(t, div, unit) for t in ticks],
            unit_label(unit, suffix) or "value")


def _legend_rows(sources: list[str], pts: list[dict]) -> list[list[tuple[str, float]]]:
    """Legend entries (a source, or the range / open-bound keys) wrapped into rows that fit the width."""
    items = [(s, _text_w(s, 12.5) + 30) for s in sources]
    if any(p["lo"] is not None and p["hi"] is not None and p["lo"] != p["hi"] for p in pts):
        items.append(("\x00range", _text_w("range low–high", 12.5) + 30))
    if any((p["lo"] is None) != (p["hi"] is None) for p in pts):
        items.append(("\x00open", _text_w("open bound (more / less than)", 12.5) + 30))
    rows, cur, cur_w = [], [], 0.0
    for item in items:
        if cur and cur_w + item[1] > W - 24:
            rows.append(cur)
            cur, cur_w = [], 0.0
        cur.append(item)
        cur_w += item[1]
    if cur:
        rows.append(cur)
    return rows


def _jitter(pts: list[dict], X) -> None:
    """Spread points that share an x position so that every source stays visible (sets 'px')."""
    groups: dict[float, list[dict]] = {}
    for p in pts:
        groups.setdefault(p["x"], []).append(p)
    for g in groups.values():
        g.sort(key=lambda p: (p["src"], p["lo"] if p["lo"] is not None else p["hi"]))
        n = len(g)
        spacing = min(11.0, 60.0 / max(1, n - 1)) if n > 1 else 0.0
        for i, p in enumerate(g):
            p["px"] = X(p["x"]) + (i - (n - 1) / 2) * spacing


def _point(p: dict, Y, colour: str, shape: str, unit: str | None) -> dict:
    """One claim's marker: a range bar with caps, or a marker with an arrow for an open bound."""
    x, lo, hi = p["px"], p["lo"], p["hi"]
    out = {"src": p["src"], "period": p["period"], "colour": colour, "range": None, "arrow": None,
           "tip": f"{p['src']}\n{p['period']}: {format_value(lo, hi, unit, p['q'])}"}
    if lo is not None and hi is not None and lo != hi:
        y1, y2 = Y(lo), Y(hi)
        out["range"] = {"x": x, "y1": y1, "y2": y2, "cap_x1": x - 5, "cap_x2": x + 5}
        out["marker"] = marker(shape, x, (y1 + y2) / 2, 4.5, "#fff", colour)
        return out
    y = Y(lo if lo is not None else hi)
    up = p["q"] == "over" or (hi is None and p["q"] != "under")
    down = not up and (p["q"] == "under" or lo is None)
    if up or down:
        tip_y = y - 17 if up else y + 17
        head = -1 if up else 1
        out["arrow"] = {"x": x, "y1": y, "y2": tip_y,
                        "d": f"M{f1(x - 4)} {f1(tip_y - head * 5)}L{f1(x)} {f1(tip_y)}L{f1(x + 4)} {f1(tip_y - head * 5)}"}
    out["marker"] = marker(shape, x, y, 5.5, colour, "#fff")
    return out


def _legend(rows: list, legend_y: float, styles_: dict) -> list[dict]:
    items = []
    for r, row in enumerate(rows):
        lx, ly = 12.0, legend_y + r * LEGEND_ROW
        for name, w in row:
            item = {"text_x": lx + 18, "text_y": ly + 4}
            if name == "\x00range":
                item.update(kind="range", x=lx + 7, y1=ly - 7, y2=ly + 7)
            elif name == "\x00open":
                item.update(kind="open", d=f"M{f1(lx + 7)} {f1(ly + 7)}V{f1(ly - 7)}M{f1(lx + 3)} {f1(ly - 2)}"
                                             f"L{f1(lx + 7)} {f1(ly - 7)}L{f1(lx + 11)} {f1(ly - 2)}")
            else:
                colour, shape = styles_.get(name, (PALETTE[0], "circle"))
                item.update(kind="source", name=name, marker=marker(shape, lx + 7, ly, 5.5, colour, "#fff"))
            items.append(item)
            lx += w
    return items


def chart(series: dict, styles_: dict[str, tuple[str, str]], idx: int) -> dict:
    """One metric's chart as plain data for ``chart.svg.j2`` (``drawn`` is False when nothing is plottable)."""
    unit = series.get("unit")
    metric = series.get("metric") or "unknown metric"
    label = series.get("label") or series.get("metric_label") or metric
    pts, skipped = _points(series)
    sources = sorted({p["src"] for p in pts})
    n_src = to_int(series.get("n_sources")) or len(sources)
    sub = f"{len(pts)} point{'s' if len(pts) != 1 else ''} from {n_src} source{'s' if n_src != 1 else ''}"
    if n_src > len(sources):
        sub += " (distinct values, the most frequent first)"
    if skipped:
        sub += f"; {skipped} without a period or value not drawn"
    out: dict[str, Any] = {"metric": metric, "label": label, "unit_text": unit_label(unit) or "no unit",
                           "sub": sub, "drawn": bool(pts)}
    if not pts:
        return out

    categorical, x0, x1, x_ticks = _x_scale(pts)
    log, y_lo, y_hi, ticks, tick_labels, y_title = _y_scale(pts, unit)
    ML = 36 + max(_text_w(t, 12.5) for t in tick_labels)
    PW = W - ML - MR
    rows = _legend_rows(sources, pts)
    legend_y = PT + PH + 62
    H = int(legend_y + len(rows) * LEGEND_ROW + 6)

    def X(v: float) -> float:
        return ML + (v - x0) / (x1 - x0) * PW

    def Y(v: float) -> float:
        if log:
            v = math.log10(max(v, 10.0 ** y_lo))
        return PT + PH - (v - y_lo) / (y_hi - y_lo) * PH

    _jitter(pts, X)

    def mid(p: dict) -> float:
        vs = [v for v in (p["lo"], p["hi"]) if v is not None]
        return sum(vs) / len(vs)

    lines = []   # a faint line joining the points of one source (several periods, chart not crowded)
    for src in (sources if len(sources) <= 8 else []):
        mine = sorted((p for p in pts if p["src"] == src), key=lambda p: p["x"])
        if len({p["x"] for p in mine}) >= 2:
            lines.append({"colour": styles_.get(src, (PALETTE[0], "circle"))[0],
                          "points": " ".join(f"{f1(p['px'])},{f1(Y(mid(p)))}" for p in mine)})
    markers = [_point(p, Y, *styles_.get(p["src"], (PALETTE[0], "circle")), unit) for p in pts]
    out.update(
        width=W, height=H, title_id=f"chart-{idx}-title", y_title=y_title,
        left=ML, right=ML + PW, bottom=PT + PH, tick_label_x=ML - 6,
        y_title_y=PT + PH / 2, x_tick_end=PT + PH + 4, x_label_y=PT + PH + 18,
        x_title_x=ML + PW / 2, x_title_y=PT + PH + 40, x_title="period" if categorical else "period (year)",
        y_ticks=[{"y": Y(t), "label_y": Y(t) + 4.2, "label": tl,
                  "strong": not log and abs(t) < 1e-12 * max(1.0, abs(y_hi))} for t, tl in zip(ticks, tick_labels)],
        x_ticks=[{"x": X(t), "label": tl} for t, tl in x_ticks],
        lines=lines, markers=markers, legend=_legend(rows, legend_y, styles_),
        table=[{"period": p["period"], "value": format_value(p["lo"], p["hi"], unit, p["q"]), "src": p["src"]}
               for p in sorted(pts, key=lambda p: (p["x"], p["src"]))])
    return out


def charts(series: list) -> list[dict]:
    """Every series' chart, with one source style shared by all of them."""
    shared = styles(series)
    return [chart(s, shared, i) for i, s in enumerate(series)]
