"""Great Expectations checks of one DuckLake snapshot, plus offline Data Docs.

``validate_snapshot(catalog, data, snapshot_id, suites_dir, docs_dir)`` runs every suite in
``suites_dir`` (``<table>.json``, one suite per table, hand-maintained GX 1.x JSON) against that
table ``AT (VERSION => snapshot_id)`` and returns one plain dict per expectation:

    {"suite": "claims", "expectation": "expect_column_values_to_be_unique(claim_id)",
     "success": True, "details": "0 unexpected of 3 rows"}

How it runs (see ../shared/STACK.md for why):

* GX is imported inside the function (the import costs seconds) and patched once per process so
  duckdb-engine keeps one persisted connection (otherwise every SQL metric fails, GX #10738).
* One Ephemeral context: nothing GX-specific is written anywhere except the Data Docs.
* The catalog is opened READ-ONLY as the datasource's main database
  (``duckdb:///ducklake:<catalog>?access_mode=read_only``); each table is a query asset
  ``SELECT * FROM <table> AT (VERSION => n)``. Cross-table SQL in a suite refers to the same
  snapshot through the placeholder ``{{snapshot_id}}`` (``{batch}`` is GX's own placeholder).
* Every engine and connection opened here is closed before returning, also on error, so the
  caller can open the catalog for writing right after.
* Data Docs are post-processed to work offline: remote stylesheets/scripts (CDNs) and the remote
  logo are removed and a small inline stylesheet is added.
"""
from __future__ import annotations

import importlib.util
import json
import logging
import re
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SNAPSHOT_PLACEHOLDER = "{{snapshot_id}}"
_DATASOURCE = "vnclaims_lake"
_DOCS_SITE = "vnclaims_docs"
_DETAILS_MAX = 300


class SuiteError(ValueError):
    """A suite file that cannot be loaded as written (bad JSON, unknown expectation, ...)."""


# --------------------------------------------------------------------------------------------
# public API


def validate_snapshot(
    catalog_path: Path | str,
    data_path: Path,
    snapshot_id: int,
    suites_dir: Path,
    docs_dir: Path | None,
    changed_since: int | None = None,
    changed_files: dict[str, Path] | None = None,
) -> list[dict]:
    """Validate the tables of ``catalog_path`` at ``snapshot_id`` with the suites in ``suites_dir``.
    ``catalog_path`` is a DuckDB-file catalog or a ``postgres:<connection string>``.

    Returns one dict per expectation ({"suite", "expectation", "success", "details"}), suites in
    file-name order, expectations in suite order. A table missing at that snapshot yields one
    failed ``table_exists(<table>)`` result for its suite. If ``docs_dir`` is given, GX Data Docs
    are (re)built there and made offline-safe.

    With ``changed_since`` (an earlier snapshot whose validation with these suites passed, the data
    version right before ``snapshot_id``), the row-local expectations (see :func:`row_local`) run on
    the rows that snapshot ``snapshot_id`` inserted or changed only: the rows it kept passed them
    before. Table-level ones (uniqueness, schema, checks across tables) still run on the whole table.
    ``changed_files`` maps each table to a Parquet file of those rows (written by the caller from
    DuckLake's change feed: that feed read through GX's own connection once hung at a million documents).
    """
    if not _is_postgres(catalog_path):
        catalog_path = Path(catalog_path).resolve()
    data_path = Path(data_path).resolve()
    snapshot_id = int(snapshot_id)
    suites = load_suites(Path(suites_dir))
    present = _preflight(catalog_path, data_path, snapshot_id, [t for t, _ in suites])
    if changed_since is not None and not all(t in (changed_files or {}) for t, _ in suites if t in present):
        raise ValueError("changed_since needs a changed-rows file for every suite's table (changed_files)")

    gx = _import_gx()
    # every suite is checked before the catalog is opened: a bad hand edit fails fast
    gx_suites = {t: [(part, _build_suite(gx, name, sub, snapshot_id), order)
                     for part, name, sub, order in _split_suite(t, spec, changed_since is not None)]
                 for t, spec in suites if t in present}
    context = _make_context(gx, docs_dir)
    datasource = None
    results: list[dict] = []
    try:
        datasource = context.data_sources.add_sql(
            name=_DATASOURCE, connection_string=_connection_url(catalog_path)
        )
        from great_expectations.core.run_identifier import RunIdentifier

        run_id = RunIdentifier(run_name=f"snapshot-{snapshot_id}")
        for table, _spec in suites:
            if table not in present:
                results.append(
                    {
                        "suite": table,
                        "expectation": f"table_exists({table})",
                        "success": False,
                        "details": f"table {table!r} does not exist at snapshot {snapshot_id}",
                    }
                )
                continue
            rows = []
            for part, suite, order in gx_suites[table]:
                rows += _run_suite(gx, context, datasource, table, suite, snapshot_id, run_id,
                                   changed_since if part == "changed" else None, order,
                                   (changed_files or {}).get(table))
            rows.sort(key=lambda r: r[0])
            results.extend(r for _, r in rows)
        if docs_dir is not None:
            docs_dir = Path(docs_dir).resolve()
            _clear_generated_docs(docs_dir)
            context.build_data_docs(site_names=[_DOCS_SITE])
            _check_docs(docs_dir, [t for t, _ in suites if t in present])
            make_docs_offline(docs_dir)
    finally:
        _release(context, datasource)
    return results


def expectation_summary(results: list[dict]) -> dict:
    """{"passed": n, "failed": m} over the dicts returned by :func:`validate_snapshot`."""
    passed = sum(1 for r in results if r.get("success"))
    return {"passed": passed, "failed": len(results) - passed}


def load_suites(suites_dir: Path) -> list[tuple[str, dict]]:
    """[(table, suite dict)] for every ``<table>.json`` in ``suites_dir``, sorted by table name."""
    suites_dir = Path(suites_dir)
    if not suites_dir.is_dir():
        raise SuiteError(f"suites directory not found: {suites_dir}")
    out = []
    for path in sorted(suites_dir.glob("*.json")):
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise SuiteError(f"{path}: not valid JSON: {exc}") from exc
        if not isinstance(spec, dict) or not isinstance(spec.get("expectations"), list):
            raise SuiteError(f"{path}: expected an object with an 'expectations' list")
        table = path.stem
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table):
            raise SuiteError(f"{path}: file name must be a plain table name")
        out.append((table, spec))
    if not out:
        raise SuiteError(f"no suite (*.json) in {suites_dir}")
    return out


# --------------------------------------------------------------------------------------------
# DuckDB / DuckLake side


def _extension_dir() -> str:
    spec = importlib.util.find_spec("duckdb_ext")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("duckdb-ext-ducklake is not installed (no 'duckdb_ext' package)")
    return str(Path(list(spec.submodule_search_locations)[0]) / "extensions")


def _sql_str(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _preflight(catalog: Path | str, data: Path, snapshot_id: int, tables: list[str]) -> set[str]:
    """Check catalog, data path and snapshot with plain DuckDB (read-only, closed on return).

    Returns the subset of ``tables`` that exist at the snapshot. Fails early with DuckDB's own
    message when the catalog is missing, the data path differs from the catalog's, or the
    snapshot does not exist.
    """
    import duckdb

    if not _is_postgres(catalog) and not Path(catalog).is_file():
        raise FileNotFoundError(f"DuckLake catalog not found: {catalog}")
    con = duckdb.connect()
    try:
        con.execute(f"SET extension_directory = {_sql_str(_extension_dir())}")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("LOAD ducklake")
        if _is_postgres(catalog):
            con.execute("LOAD postgres")
        data_str = str(data).rstrip("/") + "/"
        con.execute(
            f"ATTACH {_sql_str('ducklake:' + str(catalog))} AS lake "
            f"(DATA_PATH {_sql_str(data_str)}, OVERRIDE_DATA_PATH true, READ_ONLY)"
        )
        try:
            found = con.execute(
                "SELECT count(*) FROM lake.snapshots() WHERE snapshot_id = ?", [snapshot_id]
            ).fetchone()[0]
            if not found:
                raise ValueError(f"snapshot {snapshot_id} does not exist in {catalog}")
            present = set()
            for table in tables:
                try:
                    con.execute(f'SELECT 1 FROM lake."{table}" AT (VERSION => {snapshot_id}) LIMIT 0')
                except duckdb.CatalogException:
                    continue
                present.add(table)
            return present
        finally:
            con.execute("DETACH lake")
    finally:
        con.close()


def _is_postgres(catalog: Path | str) -> bool:
    return isinstance(catalog, str) and catalog.startswith("postgres:")


def _connection_url(catalog: Path | str) -> str:
    # the DuckLake catalog becomes the main database: unqualified table names resolve to it
    return (
        f"duckdb:///ducklake:{catalog}?extension_directory={_extension_dir()}"
        "&autoinstall_known_extensions=false&access_mode=read_only"
    )


# --------------------------------------------------------------------------------------------
# Great Expectations side

_GX_PATCHED = False


def _import_gx():
    """Import GX (slow: ~3-6 s) and apply the duckdb persisted-connection workaround once."""
    global _GX_PATCHED
    import great_expectations as gx

    if not _GX_PATCHED:
        import great_expectations.execution_engine.sqlalchemy_execution_engine as sae

        class _Dialect(str):
            # GX compares `connection_string.startswith(dialect.value)` and `dialect_name in`
            @property
            def value(self) -> str:
                return str(self)

        if not any(str(d) == "duckdb" or getattr(d, "value", None) == "duckdb"
                   for d in sae._PERSISTED_CONNECTION_DIALECTS):
            sae._PERSISTED_CONNECTION_DIALECTS = (
                *sae._PERSISTED_CONNECTION_DIALECTS,
                _Dialect("duckdb"),
            )
        _GX_PATCHED = True
    return gx


def _make_context(gx, docs_dir: Path | None):
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        docs_dir = Path(docs_dir).resolve()
        docs_dir.mkdir(parents=True, exist_ok=True)
        sites[_DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_cta_footer": False},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _build_suite(gx, table: str, spec: dict, snapshot_id: int):
    """A GX ExpectationSuite from a hand-written suite dict, placeholders filled in."""
    text = json.dumps(spec).replace(SNAPSHOT_PLACEHOLDER, str(snapshot_id))
    data = json.loads(text)
    data.pop("id", None)
    for exp in data["expectations"]:
        if isinstance(exp, dict):
            exp.pop("id", None)
    expectations = data.get("expectations", [])
    try:
        suite = gx.ExpectationSuite(
            name=table,
            expectations=expectations,
            meta=data.get("meta") or {},
            notes=data.get("notes"),
        )
    except Exception as exc:  # pydantic / GX configuration errors
        raise SuiteError(f"suite {table}: {exc}") from exc
    if len(suite.expectations) != len(expectations):
        # GX logs and drops an invalid expectation; a hand-edited suite must not lose checks silently
        raise SuiteError(
            f"suite {table}: {len(expectations) - len(suite.expectations)} expectation(s) "
            "have an invalid configuration (see the GX error logged above)"
        )
    return suite


# expectations whose verdict on a table is the conjunction of a verdict on each row, given that row
# alone: on rows that did not change it cannot change either (unless marked otherwise below)
_ROW_LOCAL_TYPES = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set", "expect_column_values_to_be_between",
    "expect_column_value_lengths_to_be_between", "expect_column_value_lengths_to_equal",
    "expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex",
    "expect_column_pair_values_a_to_be_greater_than_b", "expect_column_pair_values_to_be_equal",
})


def row_local(exp: dict) -> bool:
    """Whether an expectation can be checked on the changed rows only. Row-wise column checks are; a
    SQL check (``unexpected_rows_expectation``) is when its ``meta.row_local`` says so (it reads nothing
    of another row that could change without the row itself changing); uniqueness, schema and other
    table-level expectations are not."""
    meta = exp.get("meta") or {}
    if "row_local" in meta:
        return bool(meta["row_local"])
    return exp.get("type") in _ROW_LOCAL_TYPES


def _split_suite(table: str, spec: dict, delta: bool) -> list[tuple[str, str, dict, list[int]]]:
    """[(part, suite name, suite dict, original positions)]: the whole suite ("all"), or with ``delta``
    its table-level part ("all", on the whole table) and its row-local part ("changed")."""
    exps = spec.get("expectations", [])
    if not delta:
        return [("all", table, spec, list(range(len(exps))))]
    out = []
    for part, name, keep in (("all", table, lambda e: not row_local(e)),
                             ("changed", f"{table}__changed_rows", row_local)):
        order = [i for i, e in enumerate(exps) if isinstance(e, dict) and keep(e)]
        if order:
            out.append((part, name, {**spec, "expectations": [exps[i] for i in order]}, order))
    return out


def _run_suite(gx, context, datasource, table, suite, snapshot_id, run_id, changed_since=None,
               positions=None, changed_file=None) -> list[tuple[int, dict]]:
    suite = context.suites.add(suite)
    order = {exp.id: (positions[i] if positions else i) for i, exp in enumerate(suite.expectations)}
    name = suite.name
    if changed_since is None:
        query = f'SELECT * FROM "{table}" AT (VERSION => {snapshot_id})'
    else:
        query = f"SELECT * FROM read_parquet({_sql_str(str(changed_file))})"
    asset = datasource.add_query_asset(name=name, query=query)
    batch_definition = asset.add_batch_definition_whole_table(f"{name}@{snapshot_id}")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}@{snapshot_id}", data=batch_definition, suite=suite)
    )
    result = definition.run(
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
        run_id=run_id,
    )
    rows = []
    for res in result.results:
        config = res.expectation_config
        sample = None
        if config.type == "unexpected_rows_expectation" and not res.success:
            sample = _sample_unexpected_rows(datasource, table, snapshot_id, config.kwargs)
        rows.append(
            (
                order.get(config.id, len(order)),
                {
                    "suite": table,
                    "expectation": describe_expectation(config.type, config.kwargs, config.meta),
                    "success": bool(res.success),
                    "details": _details(res, sample, changed_since),
                },
            )
        )
    return rows


def describe_expectation(etype: str, kwargs: dict, meta: dict | None) -> str:
    """``<expectation type>(<column or short description>)``."""
    meta = meta or {}
    if meta.get("check"):
        what = str(meta["check"])
    elif "column" in kwargs:
        what = str(kwargs["column"])
    elif "column_A" in kwargs and "column_B" in kwargs:
        what = f"{kwargs['column_A']}, {kwargs['column_B']}"
    elif "column_list" in kwargs:
        what = ", ".join(map(str, kwargs["column_list"]))
    elif "column_set" in kwargs:
        what = f"{len(kwargs['column_set'])} columns"
    else:
        what = "table"
    return f"{etype}({what})"


def _plain(value: Any) -> Any:
    """Integral floats as ints (4000000000 rather than 4000000000.0), recursively."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _short(value: Any, limit: int = 120) -> str:
    value = _plain(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sample_unexpected_rows(datasource, table, snapshot_id, kwargs, limit=3) -> list[dict] | None:
    """A few offending rows of a failed UnexpectedRowsExpectation.

    GX only returns them with result_format COMPLETE, which would also return *every* unexpected
    value of every column expectation; so they are fetched here, on GX's own (read-only)
    connection. DuckDB accepts an un-aliased subquery, so ``{batch}`` becomes one as is.
    """
    query = kwargs.get("unexpected_rows_query")
    if not isinstance(query, str):
        return None
    try:
        import sqlalchemy as sa

        batch = f'(SELECT * FROM "{table}" AT (VERSION => {int(snapshot_id)}))'
        sql = query.format(batch=batch)
        engine = datasource.get_execution_engine()
        res = engine.execute_query(sa.text(f"SELECT * FROM ({sql}) LIMIT {int(limit)}"))
        return [dict(row._mapping) for row in res.fetchall()]
    except Exception:  # noqa: BLE001 - a sample is a nicety; the count comes from GX
        log.debug("could not sample unexpected rows", exc_info=True)
        return None


def _details(res, sample: list[dict] | None = None, changed_since: int | None = None) -> str:
    """A short, human-readable summary of one ExpectationValidationResult."""
    text = _details_inner(res, sample)
    if changed_since is not None:
        text = f"on the rows new or changed in this snapshot (the others passed at snapshot {changed_since}): {text}"
    return text if len(text) <= _DETAILS_MAX else text[: _DETAILS_MAX - 1] + "…"


def _details_inner(res, sample: list[dict] | None) -> str:
    if res.exception_info and res.exception_info.get("raised_exception"):
        msg = res.exception_info.get("exception_message") or "error"
        return "error: " + _short(msg.strip().splitlines()[0] if msg.strip() else msg, 250)
    exc_infos = [
        v for v in (res.exception_info or {}).values()
        if isinstance(v, dict) and v.get("raised_exception")
    ]
    if exc_infos:
        msg = str(exc_infos[0].get("exception_message") or "error")
        return "error: " + _short(msg.strip().splitlines()[0] if msg.strip() else msg, 250)

    r = res.result or {}
    etype = res.expectation_config.type
    if etype == "unexpected_rows_expectation":
        count = r.get("observed_value", 0)
        if not count:
            return "0 unexpected rows"
        rows = (r.get("details") or {}).get("unexpected_rows") or sample or []
        text = f"{count} unexpected row(s)"
        if rows:
            text += ": " + "; ".join(_short(_compact_row(row), 140) for row in rows[:2])
        return text
    if etype in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list"):
        mismatched = (r.get("details") or {}).get("mismatched") or {}
        missing = mismatched.get("missing") or []
        if missing:
            return "missing columns: " + ", ".join(map(str, missing))
        return f"{len(r.get('observed_value') or [])} columns present"
    if "unexpected_count" in r:
        n = r.get("unexpected_count") or 0
        total = r.get("element_count")
        text = f"{n} unexpected of {total} rows"
        if r.get("missing_count"):
            text += f" ({r['missing_count']} null, ignored)"
        sample = [v for v in (r.get("partial_unexpected_list") or []) if v is not None]
        if n and sample:
            text += ": " + _short(sample[:5])
        return text
    if "observed_value" in r:
        return "observed " + _short(r["observed_value"])
    return "ok" if res.success else "failed"


def _compact_row(row: Any) -> Any:
    """Keep the identifying columns of an unexpected row first; drop long text."""
    if not isinstance(row, dict):
        return row
    out = {}
    for key, value in row.items():
        if isinstance(value, str) and len(value) > 60:
            value = value[:59] + "…"
        out[key] = value
    keys = sorted(out, key=lambda k: (not k.endswith("_id"), list(out).index(k)))
    return {k: out[k] for k in keys[:6]}


def _release(context, datasource) -> None:
    """Close every connection and engine GX opened on the catalog (it holds a file lock)."""
    sources = []
    if datasource is not None:
        sources.append(datasource)
    try:
        sources.extend(ds for ds in context.data_sources.all().values() if ds not in sources)
    except Exception:  # noqa: BLE001 - best effort, the datasource above is what matters
        pass
    for ds in sources:
        engine_exec = getattr(ds, "_execution_engine", None)
        if engine_exec is not None:
            try:
                conn = getattr(engine_exec, "_connection", None)
                if conn is not None:
                    conn.close()
                    engine_exec._connection = None
                engine_exec.close()
            except Exception:  # noqa: BLE001
                log.debug("closing GX execution engine failed", exc_info=True)
            try:
                engine_exec.engine.dispose()
            except Exception:  # noqa: BLE001
                pass
        engine = getattr(ds, "_engine", None)
        if engine is not None:
            try:
                engine.dispose()
            except Exception:  # noqa: BLE001
                log.debug("disposing GX datasource engine failed", exc_info=True)
    import gc

    gc.collect()


# --------------------------------------------------------------------------------------------
# Data Docs post-processing

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
