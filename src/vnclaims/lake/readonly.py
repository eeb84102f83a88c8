"""Read-only SQL for users (`vnclaims sql`): what may run, and a connection that cannot write.

Two locks, because either alone leaves a way through:

* the statement: exactly one, of DuckDB's SELECT type (also DESCRIBE, SHOW, SUMMARIZE, FROM-first), and no
  table function that writes (DuckLake's maintenance functions run from a SELECT too, and
  ``ducklake_delete_orphaned_files`` deletes files even on a catalog attached READ_ONLY); ``query()`` is
  refused as well, since its text is not checked here;
* the connection: after the lake is attached, file access is limited to the data folder (reading the
  Parquet files) and the spill folder, and the configuration is locked, so that no statement can attach a
  file (the catalog again, writable), COPY or EXPORT to a file, or INSTALL/LOAD an extension.
"""
from __future__ import annotations

import json

import duckdb

from ..errors import WarehouseError
from ..settings import Settings


class NotReadOnly(WarehouseError):
    """A statement `vnclaims sql` does not run: it could change the warehouse or write a file."""


_WRITING_FUNCTIONS = {"add_data_files", "cleanup_old_files", "delete_orphaned_files", "expire_snapshots",
                      "flush_inlined_data", "merge_adjacent_files", "rewrite_data_files", "set_commit_message",
                      "set_option", "checkpoint", "force_checkpoint", "query", "query_table"}
_HOW = " (vnclaims sql is read-only: one SELECT, DESCRIBE, SHOW or SUMMARIZE per call; the warehouse changes " \
       "only through `vnclaims run`, `rollback` and `maintain`)"


def _function_names(node) -> set[str]:
    """Every function name in a serialised statement (json_serialize_sql), with and without DuckLake's prefix."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            name = n.get("function_name")
            if isinstance(name, str):
                out |= {name.lower(), name.lower().removeprefix("ducklake_")}
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return out


def checked_statement(query: str) -> str:
    """``query`` when it is one read statement; else NotReadOnly saying why."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as e:
        raise NotReadOnly(f"{str(e).splitlines()[0]}{_HOW}") from None
    if len(statements) != 1:
        raise NotReadOnly(f"{len(statements)} statements given, one is run per call{_HOW}")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise NotReadOnly(f"a {kind.name} statement is not run{_HOW}")
    with duckdb.connect() as con:
        tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise NotReadOnly(f"this statement cannot be checked: {tree.get('error_message')}{_HOW}")
    writing = sorted(_function_names(tree) & _WRITING_FUNCTIONS)
    if writing:
        raise NotReadOnly(f"the function {writing[0]}() can change the warehouse or run unchecked SQL; not run{_HOW}")
    return query


def lock_down(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """No file access beyond reading the lake's data, and a configuration no statement can change.
    Call after the lake is attached (the catalog file itself is then out of reach)."""
    allowed = [str(settings.data_path) + "/", str(settings.warehouse / ".work" / "spill") + "/"]
    con.execute("SET allowed_directories = ?", [allowed])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
