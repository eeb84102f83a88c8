"""Are the warehouse's Parquet data files whole? ``vnclaims verify`` reads every data (and delete) file the
current snapshot references, names the broken ones and the newest data snapshot whose files all read
cleanly; :func:`quick_check` (every run) only compares each file's size and Parquet footer magic with what
the catalog recorded, which costs a stat and a 4-byte read per file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb

from .connect import _sql_str
from .history import data_snapshots


@dataclass(frozen=True)
class Broken:
    path: str
    table: str
    why: str


def _files(con: duckdb.DuckDBPyConnection, snapshot: int) -> list[tuple[str, str, int | None]]:
    """(table, path, size the catalog recorded) of every data and delete file snapshot ``snapshot`` reads."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'lake' ORDER BY 1").fetchall()]
    out = []
    for t in tables:
        try:
            rows = con.execute("SELECT data_file, data_file_size_bytes, delete_file, delete_file_size_bytes "
                               "FROM ducklake_list_files('lake', ?, snapshot_version => ?)", [t, int(snapshot)]).fetchall()
        except duckdb.Error:
            continue                                        # the table did not exist at that snapshot
        for data, dsize, delete, xsize in rows:
            out.append((t, data, dsize))
            if delete:
                out.append((t, delete, xsize))
    return out


def _whole(path: str, size: int | None) -> str | None:
    """Why the file is not whole by its size and footer magic, or None."""
    try:
        st = os.stat(path)
        if size is not None and st.st_size != size:
            return f"{st.st_size} bytes, the catalog recorded {size}"
        with open(path, "rb") as fh:
            fh.seek(max(0, st.st_size - 4))
            if fh.read(4) != b"PAR1":
                return "no Parquet footer at its end (overwritten or cut short)"
    except OSError as e:
        return e.strerror or str(e)
    return None


def _reads(con: duckdb.DuckDBPyConnection, path: str) -> str | None:
    """Why reading every row and column of the file fails, or None."""
    try:
        con.execute(f"SELECT count(*), bit_xor(hash(t)) FROM read_parquet({_sql_str(path)}) t").fetchall()
    except duckdb.Error as e:
        return str(e).splitlines()[0]
    return None


def quick_check(con: duckdb.DuckDBPyConnection) -> list[Broken]:
    """The current data snapshot's files whose size or footer is not what the catalog recorded."""
    ds = data_snapshots(con)
    if not ds:
        return []
    return [Broken(p, t, why) for t, p, size in _files(con, ds[-1]["snapshot_id"]) if (why := _whole(p, size))]


def verify(con: duckdb.DuckDBPyConnection) -> tuple[int | None, int, list[Broken], int | None]:
    """(current data snapshot, files read, broken files, newest data snapshot that reads cleanly)."""
    ds = [d["snapshot_id"] for d in data_snapshots(con)]
    if not ds:
        return None, 0, [], None
    verdict: dict[str, str | None] = {}

    def check(files: list[tuple[str, str, int | None]]) -> list[Broken]:
        for _, p, size in files:
            if p not in verdict:
                verdict[p] = _whole(p, size) or _reads(con, p)
        return [Broken(p, t, verdict[p]) for t, p, _ in files if verdict[p]]

    current = _files(con, ds[-1])
    broken = check(current)
    clean = ds[-1] if not broken else None
    for sid in reversed(ds[:-1]) if broken else []:
        if not check(_files(con, sid)):
            clean = sid
            break
    return ds[-1], len(current), broken, clean
