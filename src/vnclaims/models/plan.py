"""Running the SQL marts: their order (by the names each model's SQL mentions), the fingerprint of the
models a data version was computed with, which marts can be rebuilt for the touched rows alone, and the
loop that materialises them (inside the load stage's transaction).

The model spec is :mod:`vnclaims.models.spec`, ``materialize`` :mod:`vnclaims.models.materialize`.
"""
from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import duckdb

from ..settings import Settings
from ..errors import WarehouseError
from ..lake.history import data_snapshots
from ..lake.history import table_columns
from ..lake.connect import _sql_str
from .materialize import apply_result, drop_temp, evaluate, materialize, rows_where


def models_fingerprint(models: list) -> str:
    """What the marts are computed with: the SQL of every model and whether it is a table, in run order."""
    h = hashlib.sha256()
    for m in models:
        h.update(f"{m.name}\0{m.kind}\0{m.key}\0{m.sql}\0".encode())
    return h.hexdigest()[:16]


def topo(models: list) -> list:
    """The models in dependency order (a model depends on every other model whose name its SQL mentions),
    ties broken by layer and name."""
    names = {m.name for m in models}
    deps = {m.name: {n for n in names if n != m.name and re.search(rf"\b{n}\b", m.sql)} for m in models}
    out, done = [], set()

    def visit(n, stack=()):
        if n in done:
            return
        if n in stack:
            raise WarehouseError(f"SQL models depend on each other in a cycle: {' -> '.join(stack + (n,))}")
        for d in sorted(deps[n]):
            visit(d, stack + (n,))
        done.add(n)
        out.append(next(m for m in models if m.name == n))
    for m in sorted(models, key=lambda m: (m.layer, m.name)):
        visit(m.name)
    return out


def build_marts(con: duckdb.DuckDBPyConnection, s: Settings, marts: list, fingerprint: str, c: dict,
                step: Callable[[str], None], reviews: str = "", folder: Path | None = None) -> None:
    """Materialise the marts (in :func:`topo` order) unless neither an input row, the SQL nor the
    reviewers' decisions (``reviews``: their fingerprint, compared with the last data version's) changed
    since the last data version. Needs the load's temp tables ``_sf`` (the changed files) and ``_scope_doc_id``
    (the touched documents); counts go to ``c`` (``inserted``, ``deleted``, ``model_seconds``, ``marts``,
    ``marts_rebuild``); ``step`` is told which model runs. The models' results go to Parquet files in ``folder``
    (a private temporary folder when None; deleted at the end either way)."""
    c["model_seconds"] = {}
    last = data_snapshots(con)
    if not (c["inserted"] or c["deleted"]) and last and last[-1]["info"].get("models_fingerprint") == fingerprint \
            and last[-1]["info"].get("reviews_fingerprint", "") == reviews:
        # no input row changed and neither did the SQL models or the decisions: the marts are what they were
        c["marts"] = "unchanged inputs, models and decisions: not rebuilt"
        return
    scopes = mart_scopes(con, s, marts, fingerprint, last, c)
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vnclaims-marts-")))
        else:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        _build(con, marts, scopes, c, step, folder)


def _build(con: duckdb.DuckDBPyConnection, marts: list, scopes: dict | None, c: dict,
           step: Callable[[str], None], folder: Path) -> None:
    # marts read the results of the marts materialised before them (temp views, see materialize)
    con.execute("SET search_path = 'temp.main,lake.main'")
    folder.mkdir(parents=True, exist_ok=True)
    scoped: dict[str, tuple] = {}
    for m in marts:
        t0 = time.perf_counter()
        step(f"model {m.name}")
        if m.kind == "ephemeral":          # evaluated for the models after it (a temp view over its file)
            if table_columns(con, m.name):   # a table when an earlier version of the model was stored
                con.execute(f"DROP TABLE lake.main.{m.name}")
            res = folder / f"{m.name}.parquet"
            evaluate(con, m, None, res)
            con.execute(f"CREATE OR REPLACE TEMP VIEW {m.name} AS SELECT * FROM read_parquet({_sql_str(res)})")
        elif scopes is not None and m.scope:
            scoped[m.name] = _evaluate_scoped(con, m, scoped, folder)
        elif _empty_as_it_would_be(con, m):
            c.setdefault("marts_empty", []).append(m.name)
        else:
            _count(c, m.name, *materialize(con, m, keep_temp=True, folder=folder))
        c["model_seconds"][m.name] = round(time.perf_counter() - t0, 3)
    drop_temp(con, [m.name for m in marts])
    # the scoped marts' rows are written last: a DuckLake table this transaction inserted into is estimated
    # at ~2 rows by the planner, which then builds its hash joins on it (at a million files the marts after
    # the scoped ones ran out of memory at 1 GB in the incremental load)
    for name, (m, cond, res) in scoped.items():
        t0 = time.perf_counter()
        step(f"model {name} (write)")
        new_kh, old_kh = (folder / f"{name}{x}.parquet" for x in (".new_kh", ".old_kh"))
        _count(c, name, *apply_result(con, m, cond, res, new_kh, old_kh))
        for p in (new_kh, old_kh):
            p.unlink(missing_ok=True)
        c["model_seconds"][name] = round(c["model_seconds"][name] + time.perf_counter() - t0, 3)


def _empty_as_it_would_be(con: duckdb.DuckDBPyConnection, m) -> bool:
    """A model with ``-- rows_from:`` tables that are all empty (as the load sees them: the temp views of the
    marts before it, else the lake's) whose table is there, with the columns the model gives, and empty: what
    materialising it would leave. Later models read that table."""
    if not m.rows_from:
        return False
    for t in m.rows_from:
        if con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)").fetchone()[0]:
            return False
    cols = table_columns(con, m.name)
    if not cols or con.execute(f"SELECT count(*) FROM (SELECT 1 FROM lake.main.{m.name} LIMIT 1)").fetchone()[0]:
        return False
    return cols == [d[0] for d in con.execute(f"SELECT * FROM ({m.sql}) LIMIT 0").description]


def _count(c: dict, name: str, inserted: int, deleted: int) -> None:
    if inserted:
        c["inserted"][name] = inserted
    if deleted:
        c["deleted"][name] = deleted


def _evaluate_scoped(con: duckdb.DuckDBPyConnection, m, scoped: dict, folder: Path) -> tuple:
    """A scoped mart's rows for the touched documents (or files), into a Parquet file; the rows it would
    have after the load are then the temp view of its name: its lake rows outside the scope and that file.
    Returns (model, scope condition, result file) for the write at the end (:func:`apply_result`)."""
    col, kind = m.scope
    touched = f"IN (SELECT v FROM temp.main._scope_{kind})"
    cond = f'"{col}" {touched}'
    for t in m.scope_inputs:      # the inputs it declares, cut to the touched rows (views: the model still
        # reads only the columns it uses); a scoped mart built before: its lake rows outside its own scope
        # and its new rows, each cut
        lake = f"lake.main.{t}"
        if t in scoped:
            _, t_cond, t_res = scoped[t]
            sql = (f"SELECT * FROM {lake} WHERE {rows_where(lake, f'({t_cond}) IS NOT TRUE AND {kind} {touched}')} "
                   f"UNION ALL SELECT * FROM read_parquet({_sql_str(t_res)}) WHERE {kind} {touched}")
        else:
            sql = f"SELECT * FROM {lake} WHERE {rows_where(lake, f'{kind} {touched}')}"
        con.execute(f"CREATE OR REPLACE TEMP VIEW {t} AS {sql}")
    res = folder / f"{m.name}.parquet"
    try:
        evaluate(con, m, cond, res)
    finally:       # (after a failure these fail too, in the aborted transaction: keep the first error)
        with contextlib.suppress(*((duckdb.Error,) if sys.exc_info()[1] is not None else ())):
            for t in m.scope_inputs:
                con.execute(f"DROP VIEW IF EXISTS temp.main.{t}")
                if t in scoped:
                    _after_load_view(con, t, *scoped[t][1:])
    _after_load_view(con, m.name, cond, res)
    return m, cond, res


def _after_load_view(con: duckdb.DuckDBPyConnection, name: str, cond: str, res: Path) -> None:
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM lake.main.{name} WHERE ({cond}) IS NOT TRUE "
                f"UNION ALL SELECT * FROM read_parquet({_sql_str(res)})")


def mart_scopes(con: duckdb.DuckDBPyConnection, s: Settings, marts: list, fingerprint: str, last: list,
                c: dict) -> dict | None:
    """Whether the marts with a ``-- scope:`` header can be rebuilt for the touched documents and files
    alone (returns their counts), or must all be rebuilt in full (None; the reason goes in ``c``).
    Full when: asked to (incremental_share 0), no earlier data version, other SQL models than that
    version's, changed reference data (metrics), a scoped mart not in the lake yet, or more documents
    touched than ``incremental_share`` of all (a full rebuild is then cheaper)."""
    why = None
    if s.incremental_share <= 0:
        why = "incremental rebuilds are off (VNCLAIMS_INCREMENTAL_SHARE=0)"
    elif not last:
        why = "first data version"
    elif last[-1]["info"].get("models_fingerprint") != fingerprint:
        why = "the SQL models changed since the last data version"
    elif "metrics" in c["inserted"] or "metrics" in c["deleted"]:
        why = "the metric registry changed"
    elif any(m.scope and not table_columns(con, m.name) for m in marts):
        why = "a scoped mart is not in the warehouse yet"
    if why is None:
        n_docs = con.execute("SELECT count(*) FROM _scope_doc_id").fetchone()[0]
        total = con.execute("SELECT count(*) FROM lake.main.stg_documents").fetchone()[0] or 1
        if n_docs > s.incremental_share * total:
            why = f"{n_docs} of {total} documents touched (over {s.incremental_share:.0%})"
    if why is not None:
        c["marts_rebuild"] = f"full: {why}"
        return None
    # the files to rebuild: those that changed, and every file of a touched document
    con.execute("""CREATE TEMP TABLE _scope_source_path AS
             SELECT source_path AS v FROM _sf
             UNION SELECT source_path FROM source_files WHERE doc_id IN (SELECT v FROM _scope_doc_id)""")
    out = {k: con.execute(f"SELECT count(*) FROM _scope_{k}").fetchone()[0] for k in ("doc_id", "source_path")}
    c["marts_rebuild"] = (f"incremental: scoped marts for {out['doc_id']} document(s) and {out['source_path']} "
                          f"file(s); the others in full")
    return out
