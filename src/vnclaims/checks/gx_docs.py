"""Great Expectations Data Docs made to work offline: remote stylesheets, scripts and images removed,
the index's jQuery tables rendered as static HTML, a small inline stylesheet added (GX has no offline
switch, and no HTML parser is installed, hence the regular expressions)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_OFFLINE_CSS = """<style id="vnclaims-offline">
/* vnclaims: the CDN stylesheets (bootstrap, font-awesome, ...) were removed so that the pages
   work offline and load nothing remote; this keeps them readable without them. */
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;padding:0 1.5rem 2rem;color:#222;line-height:1.45}
a{color:#0b5cad}
.container{padding-top:0}
nav.navbar{display:flex;align-items:center;gap:1rem;padding:.6rem 0;border-bottom:1px solid #ddd;margin-bottom:1rem;height:auto!important}
.vx-brand{font-weight:600;font-size:1.1rem;color:#222;text-decoration:none}
ol.breadcrumb{display:inline-flex;list-style:none;padding:0;margin:0 0 0 1rem}
ol.breadcrumb li+li::before{content:" / ";padding:0 .3rem;color:#888}
@media (min-width:900px){
 .container-fluid>.row{display:flex;align-items:flex-start}
 .container-fluid>.row>.col-lg-2{flex:0 0 15rem;max-width:15rem;margin-right:1.5rem}
 .container-fluid>.row>.col-lg-10{flex:1;min-width:0}
}
ul.nav-tabs{list-style:none;padding:0;display:flex;gap:1rem;border-bottom:1px solid #ddd}
.tab-pane{margin-bottom:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;max-width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}
table.vx-static tbody tr:hover{background:#f7f9fc}
pre,code{background:#f6f6f6;white-space:pre-wrap;word-break:break-word;font-size:.9em}
.card{border:1px solid #e2e2e2;border-radius:4px;padding:.5rem;margin:.5rem 0}
.card-header{font-weight:600;margin-bottom:.3rem}
.alert{background:#f3f5f8;border:1px solid #dde3ea;border-radius:4px;padding:.5rem .8rem;margin:.5rem 0}
.badge{display:inline-block;padding:0 .35rem;border-radius:3px;background:#eee}
.text-danger,.fa-times{color:#b00020}.text-success,.fa-check-circle{color:#0a7a28}
.fa-check-circle::before{content:"\\2714\\FE0E"}.fa-times::before{content:"\\2716\\FE0E"}
.fas,.far,.fa{font-style:normal}
img{max-width:100%}
</style>"""

# vanilla replacement of the jQuery "Failed Only" filter of validation pages
_FILTER_JS = """<script>
  function vxShowValidations(show) {
    var d = show ? "" : "none";
    document.querySelectorAll(".hide-succeeded-validation-target-child").forEach(function (e) { e.parentElement.style.display = d; });
    document.querySelectorAll(".hide-succeeded-validation-target").forEach(function (e) { e.style.display = d; });
    document.querySelectorAll(".hide-succeeded-validations-column-section-target-child").forEach(function (e) {
      var s = e.parentElement && e.parentElement.parentElement; if (!s) return;
      s.style.display = d;
      if (s.id) document.querySelectorAll('a[href$="' + s.id + '"]').forEach(function (a) { a.style.display = d; });
    });
  }
  function showAllValidations() { vxShowValidations(true); }
  function hideSucceededValidations() { vxShowValidations(false); }
</script>"""

_REMOTE = r"""(?:https?:)?//"""
_LINK_RE = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']\s*" + _REMOTE + r"[^>]*>[ \t]*\n?", re.I)
_SCRIPT_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']\s*" + _REMOTE + r"[^>]*>.*?</script>[ \t]*\n?", re.I | re.S
)
_IMG_RE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']\s*" + _REMOTE + r"[^>]*>", re.I)
_REMOTE_ATTR_RE = re.compile(r"""\s(?:src|href)\s*=\s*(["'])\s*(?:https?:)?//[^"']*\1""", re.I)
_CSS_URL_RE = re.compile(r"""url\(\s*(["']?)\s*(?:https?:)?//[^)]*?\1\s*\)""", re.I)
_FOOTER_RE = re.compile(r"<footer\b.*?</footer>\s*", re.I | re.S)
_INLINE_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)
_TOOLBAR_RE = re.compile(
    r"""<div id="[^"]*-toolbar"[^>]*>\s*<button[^>]*clearTableFilters[^>]*>.*?</button>\s*</div>\s*""",
    re.S,
)


def _clear_generated_docs(docs_dir: Path) -> None:
    """Remove pages of an earlier build (the index only lists this run) but nothing else."""
    import shutil

    for name in ("validations", "expectations"):
        target = docs_dir / name
        if target.is_dir():
            shutil.rmtree(target)
    index = docs_dir / "index.html"
    if index.is_file():
        index.unlink()


def _check_docs(docs_dir: Path, tables: list[str]) -> None:
    """GX logs and swallows errors while writing Data Docs: make a missing page an error."""
    missing = [] if (docs_dir / "index.html").is_file() else ["index.html"]
    for table in tables:
        if not (docs_dir / "expectations" / f"{table}.html").is_file():
            missing.append(f"expectations/{table}.html")
        folder = docs_dir / "validations" / table
        if not folder.is_dir() or not any(folder.rglob("*.html")):
            missing.append(f"validations/{table}/…")
    if missing:
        raise RuntimeError(f"Data Docs in {docs_dir} are incomplete (see GX errors above): "
                           + ", ".join(missing))


def make_docs_offline(docs_dir: Path) -> int:
    """Make the Data Docs under ``docs_dir`` work offline; returns the number of files changed.

    * removes <link>/<script> tags loading from remote URLs (CDNs) and remote ``url()`` in CSS;
    * replaces the remote logo image by a text label and drops the newsletter footer;
    * renders the index tables (built by bootstrap-table/jQuery in GX) as static HTML tables;
    * replaces the jQuery "Failed Only" filter by a few lines of plain JavaScript;
    * drops any other remote ``src``/``href`` and adds a small inline stylesheet.
    """
    changed = 0
    docs_dir = Path(docs_dir)
    for path in sorted(docs_dir.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in (".html", ".htm", ".css"):
            continue
        text = path.read_text(encoding="utf-8")
        new = _CSS_URL_RE.sub("none", text)
        if suffix != ".css":
            new = _offline_html(new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def _offline_html(text: str) -> str:
    new = _LINK_RE.sub("", text)
    new = _SCRIPT_RE.sub("", new)
    new = _IMG_RE.sub('<span class="vx-brand">vnclaims · Data Docs</span>', new)
    new = _FOOTER_RE.sub("", new)
    new = _static_tables(new)
    new = _TOOLBAR_RE.sub("", new)
    new = _INLINE_SCRIPT_RE.sub(_replace_inline_script, new)
    # anything left (e.g. a link to the GX website): keep the element, drop the remote target
    new = _REMOTE_ATTR_RE.sub("", new)
    if 'id="vnclaims-offline"' not in new:
        new, n = re.subn(r"</head>", lambda m: _OFFLINE_CSS + "\n" + m.group(0), new, count=1, flags=re.I)
        if not n:
            new = _OFFLINE_CSS + new
    return new


def _replace_inline_script(m: re.Match) -> str:
    body = m.group(1)
    if "function showAllValidations" in body:
        return _FILTER_JS
    if "bootstrapTable" in body or "$(" in body:
        return ""  # needs jQuery / bootstrap-table, which are not loaded offline
    return m.group(0)


_BT_CALL_RE = re.compile(r"""\$\('#(?P<id>[^']+)'\)\.bootstrapTable\(""")


def _literal_at(text: str, start: int) -> tuple[Any, int]:
    """Parse the Python-literal list starting at ``text[start] == '['``; returns (value, end)."""
    import ast

    depth, i, quote = 0, start, None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return ast.literal_eval(text[start : i + 1]), i + 1
        i += 1
    raise ValueError("unterminated literal")


def _static_tables(text: str) -> str:
    """Fill the empty ``<table id=X data-toggle="table">`` of the index from its bootstrap-table call."""
    import html as _html

    for m in list(_BT_CALL_RE.finditer(text)):
        table_id = m.group("id")
        try:
            c = text.index("columns:", m.end())
            columns, c_end = _literal_at(text, text.index("[", c))
            d = text.index("data:", c_end)
            data, _ = _literal_at(text, text.index("[", d))
        except (ValueError, SyntaxError):
            continue
        head = "".join(f"<th>{_html.escape(str(col.get('title', col.get('field', ''))))}</th>" for col in columns)
        # newest run first, then by suite name (GX's own order is its store's iteration order)
        data = sorted(data, key=lambda r: (-float(r.get("_run_time_sort") or 0), str(
            r.get("_expectation_suite_name_sort") or r.get("expectation_suite_name") or "")))
        body = []
        for row in data:
            cells = []
            for col in columns:
                field = col.get("field", "")
                value = str(row.get(field, "")).strip()
                if field == "validation_success" and row.get("_validation_success_text"):
                    value += " " + _html.escape(str(row["_validation_success_text"]))
                cells.append(f"<td>{value}</td>")
            link = row.get("_table_row_link_path")
            if link:
                cells.append(f'<td><a href="{_html.escape(str(link))}">open</a></td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        extra_head = "<th></th>" if any(r.get("_table_row_link_path") for r in data) else ""
        table_re = re.compile(
            r"<table\s+id=\"" + re.escape(table_id) + r"\"(?P<attrs>[^>]*)>\s*</table>", re.S
        )
        text, n = table_re.subn(
            lambda t: f'<table id="{table_id}" class="vx-static">'
            f"<thead><tr>{head}{extra_head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
            text,
            count=1,
        )
    return text


def remote_references(docs_dir: Path) -> list[str]:
    """Every ``src=``/``href=`` (or CSS ``url()``) pointing to http(s) under ``docs_dir``."""
    found = []
    pattern = re.compile(
        r"""(?:\b(?:src|href)\s*=\s*["']?\s*|url\(\s*["']?\s*)((?:https?:)?//[^"'\s>)]*)""", re.I
    )
    for path in sorted(Path(docs_dir).rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".html", ".htm", ".css", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in pattern.finditer(text):
            found.append(f"{path.relative_to(docs_dir)}: {m.group(1)}")
    return found
