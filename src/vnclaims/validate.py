# SHIM (layout move): remove at integration
"""Old path of the Great Expectations checks, now in checks/gx.py, checks/gx_details.py,
checks/gx_docs.py and errors.py. Re-exports every name the rest of the code and the tests use."""
from .checks.gx import (  # noqa: F401
    _DATASOURCE, _DOCS_SITE, _ROW_LOCAL_TYPES, SNAPSHOT_PLACEHOLDER, _build_suite, _connection_url, _extension_dir,
    _import_gx, _is_postgres, _make_context, _preflight, _release, _run_suite, _split_suite, _sql_str,
    expectation_summary, load_suites, row_local, validate_snapshot,
)
from .checks.gx_details import (  # noqa: F401
    _DETAILS_MAX, _compact_row, _details, _details_inner, _plain, _sample_unexpected_rows, _short,
    describe_expectation,
)
from .checks.gx_docs import (  # noqa: F401
    _BT_CALL_RE, _CSS_URL_RE, _FILTER_JS, _FOOTER_RE, _IMG_RE, _INLINE_SCRIPT_RE, _LINK_RE, _OFFLINE_CSS, _REMOTE,
    _REMOTE_ATTR_RE, _SCRIPT_RE, _TOOLBAR_RE, _check_docs, _clear_generated_docs, _literal_at, _offline_html,
    _replace_inline_script, _static_tables, make_docs_offline, remote_references,
)
from .errors import SuiteError  # noqa: F401
