"""The scratch database: the run's work between stages (``warehouse/.work/<run_id>.duckdb``).

Stages pass nothing big to each other; each writes its tables here and the next reads them, so memory
stays bounded at any corpus size. ``load`` copies them into the lake (attached as ``work``) in one
transaction. :data:`TABLES` is the contract: every table, the stage that writes it, the stages that read
it, and its columns (typed, for the tables :func:`put` fills; described, for those a stage makes in SQL).
"""
from __future__ import annotations

import contextlib
import itertools
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import orjson
import pandas as pd

from ..errors import WarehouseError
from ..settings import Settings
from ..lake.connect import attach_lake, connect, extension_dir, warehouse_exists

V, I, B = "VARCHAR", "INTEGER", "BIGINT"


@dataclass(frozen=True)
class Table:
    writer: str                                     # the stage that writes it
    readers: tuple[str, ...]                        # the stages that read it
    columns: tuple[tuple[str, str], ...] = ()      # typed columns (filled by put); () when made in SQL
    made_as: str = ""                               # for a table or view made in SQL: what it holds


def _c(*cols) -> tuple[tuple[str, str], ...]:
    return tuple(cols)


TABLES: dict[str, Table] = {
    # ingest: what was read (new or changed files), and what was not
    "in_raw": Table("ingest", ("load",), _c(
        ("raw_id", V), ("source_path", V), ("sha256", V), ("byte_size", B), ("encoding", V), ("status", V),
        ("decode_notes", V), ("blob_path", V), ("first_run_id", V))),
    "in_text": Table("ingest", ("clean",), _c(
        ("raw_id", V), ("source_path", V), ("text", V), ("published", V), ("publisher", V), ("url", V))),
    "in_quarantine": Table("ingest", ("load",), _c(
        ("raw_id", V), ("source_path", V), ("sha256", V), ("byte_size", B), ("reason_code", V), ("reason", V),
        ("blob_path", V), ("run_id", V))),
    "in_source_files": Table("ingest", ("dedup", "load"), _c(
        ("source_path", V), ("raw_id", V), ("sha256", V), ("doc_id", V), ("status", V), ("present", "BOOLEAN"),
        ("keep_doc", "BOOLEAN"))),
    # clean: one document per cleaned file (exact copies share the first copy's rows)
    "c_copies": Table("clean", ("clean",), made_as="(source_path, first_path): files whose text and date are "
                                                    "those of a file earlier in path order"),
    "c_todo": Table("clean", ("clean",), made_as="view: in_text without the exact copies (the files cleaned)"),
    "c_docs": Table("clean", ("dedup", "extract", "load"), _c(
        ("doc_id", V), ("raw_id", V), ("source_path", V), ("title", V), ("author", V), ("source_tag", V),
        ("lead", V), ("captions", V), ("body", V), ("content_hash", V), ("as_of", V), ("as_of_year", I),
        ("as_of_source", V), ("as_of_evidence", V), ("publisher", V), ("url", V), ("n_paragraphs", I),
        ("n_sentences", I))),
    "c_sentences": Table("clean", ("extract", "load"), _c(
        ("doc_id", V), ("sentence_index", I), ("char_start", I), ("char_end", I), ("text", V))),
    "c_log": Table("clean", ("load",), _c(
        ("raw_id", V), ("seq", I), ("kind", V), ("rule", V), ("text", V), ("paragraph", I), ("kept_paragraph", I))),
    "c_minhash": Table("clean", ("dedup",), _c(("doc_id", V), ("signature", "BLOB"))),
    # dedup: which documents are new, which known ones read differently now, near-duplicate pairs
    "d_new_docs": Table("dedup", ("extract", "load"), made_as="c_docs columns: the documents not in the lake "
                                                               "(one row per doc_id, first path)"),
    "d_file_docs": Table("dedup", ("load",), made_as="(source_path, doc_id) of every file cleaned this run"),
    "d_recleaned": Table("dedup", ("extract", "load"), made_as="c_docs columns: known documents the cleaner "
                                                                "now gives another text, title or date"),
    "d_minhash": Table("dedup", ("dedup", "load"), _c(("doc_id", V), ("signature", "BLOB"))),
    "d_near_pairs": Table("dedup", ("load",), _c(
        ("pair_id", V), ("doc_id_a", V), ("doc_id_b", V), ("similarity", "DOUBLE"), ("cluster_id", V),
        ("numbers_only_in_a", V), ("numbers_only_in_b", V), ("method", V), ("params", V))),
    # extract: what to extract, and what it gave
    "x_docs": Table("extract", ("extract", "load"), made_as="(doc_id, source_path, body, as_of, as_of_source, "
                                                             "as_of_evidence, was_version): known documents "
                                                             "extracted again"),
    "x_sentences": Table("extract", ("extract",), made_as="(doc_id, sentence_index, char_start, char_end) of x_docs"),
    "_stale": Table("extract", ("extract",), made_as="temp (doc_id, was_version): lake documents extracted by "
                                                     "another extractor version"),
    "e_todo": Table("extract", ("extract",), made_as="view: d_new_docs and x_docs (doc_id, source_path, body, "
                                                      "as_of, as_of_source, as_of_evidence, again)"),
    "e_spans": Table("extract", ("extract",), made_as="view: the sentence spans of e_todo"),
    "e_claims": Table("extract", ("load",), _c(
        ("claim_id", V), ("doc_id", V), ("metric", V), ("subject", V), ("value_low", "DOUBLE"),
        ("value_high", "DOUBLE"), ("unit", V), ("qualifier", V), ("period", V), ("period_start", I),
        ("period_end", I), ("date", V), ("as_of", V), ("as_of_source", V), ("quote", V), ("char_start", I),
        ("char_end", I), ("value_start", I), ("value_end", I), ("value_text", V), ("sentence_index", I),
        ("method", V), ("scope", V), ("direction", V), ("confidence", "DOUBLE"), ("evidence", V))),
    "e_mentions": Table("extract", ("load",), _c(
        ("doc_id", V), ("entity", V), ("entity_type", V), ("surface", V), ("match", V), ("char_start", I),
        ("char_end", I))),
    "e_extracted": Table("extract", ("load",), _c(
        ("doc_id", V), ("extractor_version", V), ("claims", I), ("entity_mentions", I), ("run_id", V))),
    "e_asof": Table("extract", ("load",), _c(
        ("doc_id", V), ("as_of", V), ("as_of_year", I), ("as_of_source", V), ("as_of_evidence", V))),
}

# the typed tables put() creates
SCRATCH: dict[str, list[tuple[str, str]]] = {name: list(t.columns) for name, t in TABLES.items() if t.columns}


def columns(table: str) -> list[str]:
    """The column names of a typed scratch table, in order."""
    return [c for c, _ in SCRATCH[table]]


def put(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict] | dict[str, list],
        columnar: bool = False) -> int:
    """Append rows to a typed scratch table (created from SCRATCH on first use); ``columnar``: ``rows`` is
    {column: values} (see :func:`put_columns`)."""
    schema = SCRATCH[table]
    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(f'{c} {t}' for c, t in schema)})")
    if not rows or (columnar and not len(rows[schema[0][0]])):
        return 0
    df = pd.DataFrame(rows, columns=[c for c, _ in schema])
    con.register("_put_df", df)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _put_df")
    finally:
        con.unregister("_put_df")
    return len(df)


def put_columns(con: duckdb.DuckDBPyConnection, table: str, parts: list[dict[str, list]]) -> int:
    """Append rows given column by column (``parts``: {column: values}, each part's columns of one length)
    to a typed scratch table: the rows :func:`put` appends from a dict per row."""
    names = columns(table)
    if not sum(len(p[names[0]]) for p in parts):
        return put(con, table, [])
    if len(parts) == 1:
        return put(con, table, parts[0], columnar=True)
    return put(con, table, {c: list(itertools.chain.from_iterable(p[c] for p in parts)) for c in names},
               columnar=True)


def rows_file(folder: str | Path, table: str, rows: list[dict]) -> str | None:
    """Write rows of a typed scratch table (a dict each: a key a row lacks is NULL, a key the table lacks is
    ignored) as one JSON array file in ``folder``, for :func:`put_files`; returns its path. None when JSON
    would not give every value back as :func:`put` stores it (a float not finite, an integer beyond 64 bits, a
    string with a lone surrogate): the caller then sends the rows column by column.

    A worker that writes its rows so and sends the path back spares the caller the unpickling of every value
    and its conversion from Python objects (pandas, then DuckDB): at 100,000 files the extract stage's caller
    spent ~11 of its 16 s of CPU on that, beside the two workers on two cores."""
    if not rows:
        return None
    for c, t in SCRATCH[table]:
        if t == "DOUBLE":      # NaN and infinity are JSON null; put stores NaN as NULL too, but not infinity
            total = sum(v for r in rows if (v := r.get(c)) is not None)
            if not math.isfinite(total) and any(math.isinf(v) for r in rows if (v := r.get(c)) is not None):
                return None
    try:
        data = orjson.dumps(rows)
    except orjson.JSONEncodeError:
        return None
    path = os.path.join(folder, f"{table}-{os.getpid()}-{next(_FILE_NO)}.json")
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:       # a full disk: said as such, in the stage's error
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise WarehouseError(f"could not write {len(rows)} {table} row(s) to {folder} (the run's scratch work): "
                             f"{e.strerror or e}") from e
    return path


_FILE_NO = itertools.count()


def put_files(con: duckdb.DuckDBPyConnection, table: str, files: list[str]) -> int:
    """Append the rows of :func:`rows_file` files to a typed scratch table, in the order of the files and of
    the rows in each."""
    if not files:
        return 0
    spec = ", ".join(f"'{c}': '{t}'" for c, t in SCRATCH[table])
    # read on one thread: DuckDB reads several JSON files at once on more, and their rows come out interleaved
    # (the rows must keep the order a run of the same inputs gives them; the workers are busy on the cores
    # anyway). Committed with every thread back: a checkpoint the WAL's size calls for runs at the commit (at a
    # million files several times in the stage), and the workers wait for it once their batch is done
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])
    con.execute("BEGIN")
    try:
        con.execute("SET threads = 1")
        try:
            n = con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_json(?, format = 'array', "
                            f"columns = {{{spec}}})", [files]).fetchone()[0]
        finally:
            con.execute(f"SET threads = {threads}")
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return n


def put_parts(con: duckdb.DuckDBPyConnection, table: str, parts: list[str | dict[str, list]]) -> int:
    """Append parts in order: each a :func:`rows_file` path (deleted once its rows are in) or {column: values}
    (see :func:`put_columns`)."""
    n = 0
    for is_file, run in itertools.groupby(parts, key=lambda p: isinstance(p, str)):
        run = list(run)
        if is_file:
            n += put_files(con, table, run)
            for f in run:
                os.unlink(f)
        else:
            n += put_columns(con, table, run)
    return n


def empty_columns(table: str) -> dict[str, list]:
    """{column: []} for the rows of a typed scratch table, to be filled by :func:`add_rows`."""
    return {c: [] for c in columns(table)}


def add_rows(cols: dict[str, list], rows) -> None:
    """Append rows (a dict each) to ``cols``, column by column (a key a row lacks: None, as in :func:`put`)."""
    for c, values in cols.items():
        values.extend([r.get(c) for r in rows])


def reset(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    """Empty a stage's scratch tables before it writes them: a retried stage (Prefect retries ingest
    and report) must not append its second attempt to the first one's rows."""
    for t in tables:
        con.execute(f"DROP TABLE IF EXISTS {t}")
        put(con, t, [])


def batches(con: duckdb.DuckDBPyConnection, table: str, columns: str, key: str, size: int) -> Iterator[list[tuple]]:
    """Rows of ``table`` in ``key`` order (a unique column, one of ``columns``), ``size`` at a time.

    Keyset pagination: no result set stays open while the caller writes to the same database. With a
    streaming cursor open, DuckDB's automatic checkpoint after a large write waits for the reader's
    lock forever (a run hung in clean at 10,000 documents)."""
    last = None
    idx = None
    while True:
        where, params = ("", []) if last is None else (f"WHERE {key} > ?", [last])
        cur = con.execute(f"SELECT {columns} FROM {table} {where} ORDER BY {key} LIMIT {int(size)}", params)
        if idx is None:
            idx = [d[0] for d in cur.description].index(key.split(".")[-1])
        rows = cur.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][idx]


def row_batches(con: duckdb.DuckDBPyConnection, table: str, columns: str, key: str, size: int,
                exclude: str = "") -> Iterator[list[tuple]]:
    """Rows of ``table`` (a table, not a view) in the order it holds them, ``size`` row ids at a time, without
    the rows whose ``key`` (a unique column) the query ``exclude`` returns (a batch holds fewer rows then;
    an empty batch is skipped).

    A range of row ids is read from the row groups that hold it: ~15 ms a batch at 700,000 documents, where
    :func:`batches` sorted the rest of the table for every batch and read every body again doing so (~0.5 s a
    batch: minutes per stage at a million files). The excluded rows' ids are found once (a join per batch
    cost clean 55 ms a batch at a million files). Row ids stay put while a table has no deleted rows (a
    checkpoint may compact deleted rows away and renumber the rows after them), so a table with a gap in its
    row ids is read by :func:`batches` instead, in ``key`` order. No result set stays open between batches."""
    n, lo, hi = con.execute(f"SELECT count(*), min(rowid), max(rowid) FROM {table}").fetchone()
    if not n:
        return
    if hi - lo + 1 != n:
        cond = f" AND {key} NOT IN ({exclude})" if exclude else ""
        yield from batches(con, f"(SELECT * FROM {table} WHERE true{cond})", columns, key, size)
        return
    cond = ""
    if exclude:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _row_batches_skip AS
            SELECT rid FROM (SELECT t.rowid AS rid FROM {table} t SEMI JOIN ({exclude}) x ON t.{key} = x.{key})
            ORDER BY rid""")
        cond = " AND rowid NOT IN (SELECT rid FROM _row_batches_skip WHERE rid >= $1 AND rid < $2)"
    try:
        for start in range(lo, hi + 1, size):
            rows = con.execute(f"SELECT {columns} FROM {table} WHERE rowid >= $1 AND rowid < $2{cond}",
                               [start, start + size]).fetchall()
            if rows:
                yield rows
    finally:
        if exclude:
            con.execute("DROP TABLE IF EXISTS _row_batches_skip")


def lake_read(settings: Settings, queries: dict[str, str], columns: tuple[str, ...] = ()) -> dict[str, list]:
    """Run read queries against the current lake (empty results when there is no warehouse yet, or
    when a query names a staging table the lake does not have yet). The queries named in ``columns`` give
    {column: list of values} (no result: {}), the others a list of row tuples: a million rows come as
    columns in a third of the time (no tuple made per row)."""
    if not warehouse_exists(settings):
        return {k: {} if k in columns else [] for k in queries}
    con = connect(settings, read_only=True)
    try:
        existing = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog='lake'").fetchall()}
        out = {}
        for k, q in queries.items():
            tables = [w for w in q.replace(",", " ").split() if w in existing or w.startswith("stg_") or w in ("source_files", "raw_documents")]
            if any(t not in existing for t in tables):
                out[k] = {} if k in columns else []
            elif k in columns:
                out[k] = {c: v.tolist() for c, v in con.execute(q).fetchnumpy().items()}
            else:
                out[k] = con.execute(q).fetchall()
        return out
    finally:
        con.close()


@contextlib.contextmanager
def lake_attached(w: duckdb.DuckDBPyConnection, settings: Settings) -> Iterator[set[str]]:
    """The lake attached read-only (as ``lake``) to a scratch connection, for copying from one to the
    other in DuckDB; yields the names of the lake's tables."""
    w.execute(f"SET extension_directory = '{extension_dir()}'")
    w.execute("SET autoinstall_known_extensions = false")
    attach_lake(w, settings, read_only=True)
    try:
        yield {r[0] for r in w.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_catalog = 'lake'").fetchall()}
    finally:
        w.execute("DETACH lake")


def parts_dir(settings: Settings, run_id: str) -> Path:
    """Where the Dask extract parts of a run write their Parquet files."""
    return settings.warehouse / ".work" / f"{run_id}.parts"


def rows_dir(settings: Settings, run_id: str) -> Path:
    """Where the workers of a stage write their rows as JSON files (:func:`rows_file`) for the stage to load."""
    return settings.warehouse / ".work" / f"{run_id}.rows"


def models_dir(settings: Settings, run_id: str) -> Path:
    """Where load writes the models' results (Parquet files) while it rebuilds the marts."""
    return settings.warehouse / ".work" / f"{run_id}.models"


def changed_dir(settings: Settings, run_id: str) -> Path:
    """Where validate writes the rows a snapshot changed, for the row-local checks."""
    return settings.warehouse / ".work" / f"{run_id}.changed"
