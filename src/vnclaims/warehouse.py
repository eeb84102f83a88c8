# SHIM (layout move): remove at integration
"""Old path of the warehouse code, now in lake/ (connect, lock, history, maintain), models/ (spec,
materialize) and errors.py. Re-exports every name the rest of the code and the tests use."""
from .errors import WarehouseBusy, WarehouseCorrupt, WarehouseError, WarehouseOutOfMemory  # noqa: F401
from .lake.connect import (  # noqa: F401
    ROW_GROUP_BYTES, _record_data_path, _sql_str, _writer_options, attach_lake, connect, extension_dir, open_error,
    out_of_memory, warehouse_exists,
)
from .lake.history import (  # noqa: F401
    BOOKKEEPING_TABLES, DATA_KIND, changed_rows_query, data_snapshots, data_tables, diff_table, latest_data_snapshot,
    resolve_snapshot, rollback, snapshots,
)
from .lake.lock import _read_holder, writer_lock  # noqa: F401
from .lake.maintain import maintain  # noqa: F401
from .models.materialize import drop_temp, ensure_schema, materialize, model_keys, table_columns  # noqa: F401
from .models.spec import _HEADER_RE, SCOPE_KINDS, Model, load_models  # noqa: F401
