"""Great Expectations checks of one DuckLake snapshot (and the offline Data Docs they build).

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

import gc
import hashlib
import importlib.util
import json
import logging
import re
import urllib.parse
from pathlib import Path

from ..errors import SuiteError
from .gx_details import _details, _sample_unexpected_rows, describe_expectation
from .gx_docs import _check_docs, _clear_generated_docs, make_docs_offline

log = logging.getLogger(__name__)

SNAPSHOT_PLACEHOLDER = "{{snapshot_id}}"
_DATASOURCE = "vnclaims_lake"
_DOCS_SITE = "vnclaims_docs"


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
    con=None,
    duckdb_config: dict | None = None,
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
    ``con``: a DuckDB connection with this catalog attached as ``lake`` (read-only will do) for the checks
    made before GX's engine opens it; without it one is opened and closed here.
    ``duckdb_config``: DuckDB options for GX's own engine (the run's memory limit and spill folder,
    ``Settings.duckdb_config``); without them DuckDB takes 80 % of the machine's memory and does not spill.
    """
    if not _is_postgres(catalog_path):
        catalog_path = Path(catalog_path).resolve()
    data_path = Path(data_path).resolve()
    snapshot_id = int(snapshot_id)
    suites = load_suites(Path(suites_dir))
    present = _preflight(catalog_path, data_path, snapshot_id, [t for t, _ in suites], con)
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
            name=_DATASOURCE, connection_string=_connection_url(catalog_path, duckdb_config)
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
                                   changed_since if part != "all" else None, order,
                                   (changed_files or {}).get(table), part)
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


def _preflight(catalog: Path | str, data: Path, snapshot_id: int, tables: list[str], con=None) -> set[str]:
    """Check catalog, data path and snapshot with plain DuckDB (read-only, closed on return), or through
    ``con`` (the caller's connection with the catalog attached as ``lake``).

    Returns the subset of ``tables`` that exist at the snapshot. Fails early with DuckDB's own
    message when the catalog is missing, the data path differs from the catalog's, or the
    snapshot does not exist.
    """
    if not _is_postgres(catalog) and not Path(catalog).is_file():
        raise FileNotFoundError(f"DuckLake catalog not found: {catalog}")
    if con is not None:
        return _present(con, catalog, snapshot_id, tables)
    import duckdb

    from ..lake.connect import extension_config

    con = duckdb.connect(config=extension_config())
    try:
        con.execute("LOAD ducklake")
        if _is_postgres(catalog):
            con.execute("LOAD postgres")
        data_str = str(data).rstrip("/") + "/"
        con.execute(
            f"ATTACH {_sql_str('ducklake:' + str(catalog))} AS lake "
            f"(DATA_PATH {_sql_str(data_str)}, OVERRIDE_DATA_PATH true, READ_ONLY)"
        )
        try:
            return _present(con, catalog, snapshot_id, tables)
        finally:
            con.execute("DETACH lake")
    finally:
        con.close()


def _present(con, catalog: Path | str, snapshot_id: int, tables: list[str]) -> set[str]:
    """The ``tables`` that exist in ``lake`` at ``snapshot_id`` (ValueError when that snapshot does not)."""
    import duckdb

    found = con.execute("SELECT count(*) FROM lake.snapshots() WHERE snapshot_id = ?", [snapshot_id]).fetchone()[0]
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


def _is_postgres(catalog: Path | str) -> bool:
    return isinstance(catalog, str) and catalog.startswith("postgres:")


def _connection_url(catalog: Path | str, duckdb_config: dict | None = None) -> str:
    # the DuckLake catalog becomes the main database: unqualified table names resolve to it; extensions
    # as in lake.connect.extension_config (no signature check of the venv's own extension files: 0.3 s);
    # the query's options are DuckDB's configuration (duckdb_engine)
    options = {"extension_directory": _extension_dir(), "autoinstall_known_extensions": "false",
               "allow_unsigned_extensions": "true", "access_mode": "read_only",
               **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (duckdb_config or {}).items()}}
    return f"duckdb:///ducklake:{catalog}?" + urllib.parse.urlencode(options, safe="/")


# --------------------------------------------------------------------------------------------
# Great Expectations side

_GX_PATCHED = False


def _import_gx():
    """Import GX (slow: ~3-6 s) and apply the duckdb persisted-connection workaround once."""
    global _GX_PATCHED
    from .lazy_scipy import defer_altair, defer_scipy_stats
    # with the collector off: it would walk GX's growing module graph again and again (~0.2-0.8 s of CPU)
    paused = gc.isenabled()
    gc.disable()
    try:
        defer_scipy_stats()
        defer_altair()
        import great_expectations as gx
        import great_expectations.execution_engine.sqlalchemy_execution_engine as sae
    finally:
        if paused:
            gc.enable()

    if not _GX_PATCHED:
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
        _cache_templates(gx.__version__)
        _GX_PATCHED = True
    return gx


def _cache_templates(version: str) -> None:
    """GX's Data Docs views compile their Jinja templates in each new process (~0.2 s of CPU a run): give
    their environments the bytecode cache the report uses (see :mod:`vnclaims.jinja_cache`)."""
    from great_expectations.render.view import view
    from ..jinja_cache import bytecode_cache
    init = view.DefaultJinjaView.__init__
    if getattr(init, "_vnclaims_cached", False):       # patched already (a reload of this module)
        return
    cache = bytecode_cache(f"great_expectations {version}")
    if cache is None:
        return

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.env.bytecode_cache = cache
    __init__._vnclaims_cached = True
    view.DefaultJinjaView.__init__ = __init__


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
    context = gx.get_context(mode="ephemeral", project_config=config)
    # an ephemeral context's config lives in this object: GX "saves" it anyway, a YAML serialisation of the whole
    # project config into an in-memory store nothing reads, after every query asset added (25 a validation)
    context._save_project_config = lambda *a, **k: None
    return context


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


def keyed_unique(exp: dict) -> str | None:
    """The column of a plain uniqueness expectation (no ``mostly``, no condition), else None. On a data version
    whose predecessor passed it, a repeated value needs a row new or changed since: the rows that share a value
    with those rows hold every repeat, so the expectation reads them instead of the whole table (the same
    verdict and the same repeated rows)."""
    if exp.get("type") != "expect_column_values_to_be_unique" or (exp.get("meta") or {}).get("keyed") is False:
        return None
    kwargs = exp.get("kwargs") or {}
    return kwargs["column"] if set(kwargs) == {"column"} and isinstance(kwargs["column"], str) else None


def keyed_columns(spec: dict) -> list[tuple[int, str]]:
    """(position, column) of each suite expectation :func:`_split_suite` runs as a "keyed:<column>" part."""
    return [(i, col) for i, e in enumerate(spec.get("expectations", []))
            if isinstance(e, dict) and not row_local(e) and (col := keyed_unique(e))]


def same_key_file(changed_file: Path, table: str, column: str) -> Path:
    """Where the validate stage writes the rows a "keyed:<column>" part reads (beside the changed rows)."""
    return Path(changed_file).with_name(f"{table}.same_{hashlib.sha256(column.encode()).hexdigest()[:12]}.parquet")


def _split_suite(table: str, spec: dict, delta: bool) -> list[tuple[str, str, dict, list[int]]]:
    """[(part, suite name, suite dict, original positions)]: the whole suite ("all"), or with ``delta``
    its table-level part ("all", on the whole table), its row-local part ("changed") and one part per plain
    uniqueness expectation ("keyed:<column>", on the rows sharing a value with a changed row)."""
    exps = spec.get("expectations", [])
    if not delta:
        return [("all", table, spec, list(range(len(exps))))]
    out = []
    for part, name, keep in (("all", table, lambda e: not row_local(e) and not keyed_unique(e)),
                             ("changed", f"{table}__changed_rows", row_local)):
        order = [i for i, e in enumerate(exps) if isinstance(e, dict) and keep(e)]
        if order:
            out.append((part, name, {**spec, "expectations": [exps[i] for i in order]}, order))
    for i, col in keyed_columns(spec):
        out.append((f"keyed:{col}", f"{table}__same_{col}_{i}", {**spec, "expectations": [exps[i]]}, [i]))
    return out


def _run_suite(gx, context, datasource, table, suite, snapshot_id, run_id, changed_since=None,
               positions=None, changed_file=None, part: str = "all") -> list[tuple[int, dict]]:
    suite = context.suites.add(suite)
    order = {exp.id: (positions[i] if positions else i) for i, exp in enumerate(suite.expectations)}
    name = suite.name
    if changed_since is None:
        query = f'SELECT * FROM "{table}" AT (VERSION => {snapshot_id})'
    elif part.startswith("keyed:"):
        column = part.split(":", 1)[1]
        col, same = '"' + column.replace('"', '""') + '"', same_key_file(changed_file, table, column)
        # the column alone: its suite is the one uniqueness expectation (all columns read every body and quote
        # of the table: documents 1.34 -> 0.14 s, claims 2.01 -> 0.83 s at a million files); those rows written
        # once by the caller when it did (GX reads its asset several times a check)
        query = (f"SELECT {col} FROM read_parquet({_sql_str(str(same))})" if same.is_file() else
                 f'SELECT {col} FROM "{table}" AT (VERSION => {snapshot_id}) '
                 f"WHERE {col} IN (SELECT {col} FROM read_parquet({_sql_str(str(changed_file))}))")
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
                    "details": _details(res, sample, changed_since, part),
                },
            )
        )
    return rows


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

    gc.collect()

