"""SQL model files: one model per file under sql/<layer>/<name>.sql, with a header of ``-- name: value``
lines (purpose, key, scope, scope_inputs, rows, also, rows_from, materialized) read into a :class:`Model`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import WarehouseError


@dataclass(frozen=True)
class Model:
    name: str          # table name = file stem
    layer: str         # folder, e.g. 40_marts
    purpose: str
    key: str | None
    # 'ddl' (CREATE TABLE, loaded by Python) | 'model' (SELECT, materialised as a lake table) | 'ephemeral'
    # (SELECT with "-- materialized: ephemeral": evaluated during the load for the models after it, never
    # stored) | 'check'
    kind: str
    sql: str
    path: Path
    # "-- scope: <column> [(<kind>)]": each output row depends only on the inputs of the document
    # (kind doc_id) or input file (kind source_path) named in <column>, so the mart can be rebuilt for
    # the documents or files a run touched alone (see materialize's ``scope``)
    scope: tuple[str, str] | None = None
    # checks only: "-- rows: <table>": each offending row is judged on one row of <table> alone (and on
    # what cannot change under it), so the check can run on the rows a snapshot inserted or changed
    rows: str | None = None
    # "-- scope_inputs: <table>, ...": input tables with a column named after the scope's kind that a
    # scoped rebuild reads for the touched documents/files only (without it, the model reads them whole
    # and is filtered after: correct, but as slow as a full rebuild)
    scope_inputs: tuple[str, ...] = ()
    # checks with "-- rows:" only: "-- also: <table>.<column> = <own column>[, <own column> ...][; ...]": each
    # offending row is judged on one row of its table and on the rows of <table> whose <column> equals one of
    # those own columns (a conflict and the two claims it names; a claim id and the other rows with it), so
    # the check can run on the rows a snapshot inserted or changed and those naming a row of <table> that it
    # inserted, changed or deleted
    also: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # "-- rows_from: <table>, ...": every row of the result comes from a row of one of these tables (the
    # others are joined to it), so with all of them empty the result is empty: the load does not evaluate it
    # when its table is empty already (review_decisions without a review read every claim key: 1.3 s at a
    # million files)
    rows_from: tuple[str, ...] = ()


SCOPE_KINDS = ("doc_id", "source_path")
_HEADER_RE = re.compile(r"^--\s*(\w+)\s*:\s*(.*)$")


def load_models(sql_dir: Path) -> list[Model]:
    """Every .sql file under sql/, ordered by layer prefix then name."""
    out = []
    for path in sorted(sql_dir.glob("*/*.sql"), key=lambda p: (p.parent.name, p.name)):
        text = path.read_text(encoding="utf-8")
        meta = {}
        for line in text.splitlines():
            m = _HEADER_RE.match(line.strip())
            if m:
                meta[m.group(1).lower()] = m.group(2).strip()
            elif line.strip() and not line.strip().startswith("--"):
                break
        body = "\n".join(l for l in text.splitlines() if not l.strip().startswith("--")).strip().rstrip(";")
        if "purpose" not in meta:
            raise WarehouseError(f"{path}: missing the one-line '-- purpose:' header")
        kind = "ddl" if re.match(r"(?is)^create\s", body) else ("check" if path.parent.name.startswith("9") else "model")
        mat = meta.get("materialized", "table")
        if mat not in ("table", "ephemeral") or (mat == "ephemeral" and kind != "model"):
            raise WarehouseError(f"{path}: '-- materialized: {mat}' must be 'table' or 'ephemeral' (on a SELECT model)")
        if mat == "ephemeral":
            if meta.get("scope") or meta.get("key"):
                raise WarehouseError(f"{path}: an ephemeral model is evaluated whole and never stored: "
                                     "no '-- scope:' or '-- key:'")
            kind = "ephemeral"
        scope = None
        if meta.get("scope"):
            m = re.fullmatch(r"(\w+)(?:\s*\((\w+)\))?", meta["scope"])
            if not m or (m.group(2) or m.group(1)) not in SCOPE_KINDS:
                raise WarehouseError(f"{path}: '-- scope: {meta['scope']}' must be '<column>' or '<column> (<kind>)' "
                                     f"with a kind in {', '.join(SCOPE_KINDS)}")
            scope = (m.group(1), m.group(2) or m.group(1))
        inputs = tuple(t.strip() for t in meta.get("scope_inputs", "").split(",") if t.strip())
        if inputs and (scope is None or not all(re.fullmatch(r"\w+", t) for t in inputs)):
            raise WarehouseError(f"{path}: '-- scope_inputs:' needs a '-- scope:' header and names tables, comma-separated")
        rows = meta.get("rows")
        if rows is not None and (kind != "check" or not re.fullmatch(r"\w+", rows)):
            raise WarehouseError(f"{path}: '-- rows: {rows}' belongs on a check and names one table")
        also = _also(path, meta.get("also"), rows)
        rows_from = tuple(t.strip() for t in meta.get("rows_from", "").split(",") if t.strip())
        if rows_from and (kind != "model" or not all(re.fullmatch(r"\w+", t) for t in rows_from)):
            raise WarehouseError(f"{path}: '-- rows_from: {meta['rows_from']}' belongs on a SELECT model stored as a "
                                 "table and names tables, comma-separated")
        out.append(Model(path.stem, path.parent.name, meta["purpose"], meta.get("key"), kind, body, path, scope, rows,
                         inputs, also, rows_from))
    return out


def _also(path: Path, text: str | None, rows: str | None) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The ``-- also:`` header: ((table, column, (own columns ...)), ...)."""
    if text is None:
        return ()
    out = []
    for part in text.split(";"):
        m = re.fullmatch(r"\s*(\w+)\.(\w+)\s*=\s*(\w+(?:\s*,\s*\w+)*)\s*", part)
        if rows is None or not m:
            raise WarehouseError(f"{path}: '-- also: {text}' must be '<table>.<column> = <column>[, <column> ...]' "
                                 "(several separated by ';') on a check with a '-- rows:' header")
        out.append((m.group(1), m.group(2), tuple(c.strip() for c in m.group(3).split(","))))
    return tuple(out)
