"""`vnclaims` command line. Heavy imports (Prefect, Great Expectations) happen inside the commands
that need them, so `--help`, `sql`, `history` and `diff` start in well under a second."""
from __future__ import annotations

import csv
import gc
import io
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="vnclaims: Vietnamese news -> numeric claims with provenance, in a versioned DuckLake warehouse.")

SeedsOpt = typer.Option(None, "--seeds", help="folder of raw article text files [env VNCLAIMS_SEEDS; default: seeds]")
WarehouseOpt = typer.Option(None, "--warehouse", help="warehouse folder [env VNCLAIMS_WAREHOUSE; default: warehouse]")
AsOfOpt = typer.Option(None, "--as-of", help="a snapshot id (see `vnclaims history`); negative = data versions back")


def _settings(**kw):
    from .settings import Settings, SettingsError
    try:
        return Settings.load(**kw)
    except SettingsError as e:
        _fail(str(e), 2)


def _fail(msg: str, code: int = 1) -> None:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(code)


def _prefect_env() -> None:
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")


def _import_flow():
    """The flow and its task runner factory. The ~300,000 objects of these imports live as long as the process:
    imported with the collector off (it would walk the growing heap again and again: ~0.1-0.2 s), then frozen
    out of its way: every full collection of the run (Python's own, and the one after Great Expectations)
    skips them (~0.2-0.5 s each)."""
    gc.disable()
    try:
        from flows.pipeline import daily, task_runner
        gc.freeze()
    finally:
        gc.enable()
    return daily, task_runner


@app.command()
def run(seeds: Optional[Path] = SeedsOpt, warehouse: Optional[Path] = WarehouseOpt,
        no_gx: bool = typer.Option(False, "--no-gx", help="skip the Great Expectations suites (SQL audits still run)"),
        full_rescan: bool = typer.Option(False, "--full-rescan", help="re-hash every input even if size+mtime are unchanged"),
        reextract: bool = typer.Option(False, "--reextract", help="extract claims from every document again (documents "
                                       "extracted by another extractor version, i.e. other rules or metric registry, "
                                       "are extracted again anyway)"),
        reclean: bool = typer.Option(False, "--reclean", help="read and clean every input file again (files cleaned by "
                                     "another cleaner version, i.e. other decoding or cleaning rules, are cleaned again "
                                     "anyway)")):
    """One Prefect flow run: ingest, clean, dedup, extract, load, validate, report (at most one new snapshot).

    Files and folders whose names start with "." (hidden: editor and system files, .git) are not read; the
    summary and the runs table (counts.ingest.skipped_hidden) list them as skipped.

    Exit codes: 0 done; 3 done, and this run quarantined input it had not quarantined before (a new or
    changed bad file, whether rejected while listing or for its content; the summary lists them; a bad file
    left as it was is not reported again, so identical runs exit alike); 1 failed."""
    from .errors import WarehouseError
    s = _settings(seeds=seeds, warehouse=warehouse, gx=False if no_gx else None, full_rescan=full_rescan or None,
                  reextract=reextract or None, reclean=reclean or None)
    _prefect_env()
    from flows.server import TemporaryServer, prefect_api
    from .errors import PrefectServerError
    try:
        # the temporary server (if one is needed) starts now, so that its start-up overlaps the imports below
        server = TemporaryServer.spawn()
    except PrefectServerError as e:
        _fail(f"could not start a temporary Prefect server: {e} "
              "(start one with `prefect server start` and set PREFECT_API_URL)")
    daily, task_runner = _import_flow()
    runner = task_runner(s)
    flow = daily.with_options(task_runner=runner) if runner is not None else daily
    try:
        with prefect_api(server):
            # the run's switches travel as flow parameters (None: as the VNCLAIMS_* environment says)
            state = flow(seeds=str(s.seeds), warehouse=str(s.warehouse), gx=False if no_gx else None,
                         full_rescan=full_rescan or None, reextract=reextract or None, reclean=reclean or None,
                         return_state=True)
    except WarehouseError as e:
        _fail(str(e))
    except PrefectServerError as e:
        _fail(f"could not start a temporary Prefect server: {e} "
              "(start one with `prefect server start` and set PREFECT_API_URL)")
    if not state.is_completed():
        _fail(f"the run failed; {state.message or 'see the log above'}")
    result = state.result()
    typer.echo(f"vnclaims run {result['run_id']}: {result['status']}")
    for line in result["summary"]:
        typer.echo("  " + line)
    if result["rejected"]:
        raise typer.Exit(3)


@app.command()
def report(warehouse: Optional[Path] = WarehouseOpt, as_of: Optional[str] = AsOfOpt):
    """(Re)build the HTML report at WAREHOUSE/reports/index.html (for the newest or an older snapshot)."""
    import duckdb
    from .report.data import build_report
    from .errors import WarehouseError
    s = _settings(warehouse=warehouse)
    try:
        path, data = build_report(s, as_of=as_of)
    except WarehouseError as e:
        _fail(str(e))
    except duckdb.Error as e:
        _fail(f"could not read the warehouse for the report: {str(e).splitlines()[0]}")
    c = data["summary"]["conflicts"]
    typer.echo(f"report for snapshot {data['snapshot']['id']}: {path}  "
               f"(conflicts: error {c['error']}, warning {c['warning']}, info {c['info']})")


def _print_rows(names: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        w.writerows(["" if v is None else v for v in r] for r in rows)
        sys.stdout.write(buf.getvalue())
    else:
        cells = [[("NULL" if v is None else str(v)).replace("\n", " ") for v in r] for r in rows]
        widths = [min(60, max([len(n)] + [len(c[i]) for c in cells])) for i, n in enumerate(names)]
        line = lambda vals: " | ".join(v[:w].ljust(w) for v, w in zip(vals, widths))
        typer.echo(line(names))
        typer.echo("-+-".join("-" * w for w in widths))
        for c in cells:
            typer.echo(line(c))
        typer.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


@app.command()
def sql(query: str = typer.Argument(..., help="SQL; tables of the warehouse are in scope (e.g. SELECT * FROM claims)"),
        warehouse: Optional[Path] = WarehouseOpt, as_of: Optional[str] = AsOfOpt,
        fmt: str = typer.Option("table", "--format", help="table | csv | json")):
    """Ad-hoc SQL against the warehouse, read-only: one SELECT (DESCRIBE, SHOW, SUMMARIZE...) per call;
    statements and functions that could write are refused. With --as-of every table is read at that snapshot."""
    import duckdb
    from .errors import WarehouseError
    from .lake.connect import connect
    from .lake.history import resolve_snapshot
    from .lake.readonly import checked_statement, lock_down
    if fmt not in ("table", "csv", "json"):
        _fail("--format must be one of table, csv, json", 2)
    s = _settings(warehouse=warehouse)
    try:
        query = checked_statement(query)
        con = connect(s, read_only=True, verify_extensions=True)   # the user's SQL
    except WarehouseError as e:
        _fail(str(e))
    try:
        if as_of is not None:
            snap = resolve_snapshot(con, as_of)
            # re-attach the catalog pinned at that snapshot, so plain table names read the old version
            con.execute("USE memory")
            con.execute("DETACH lake")
            from .lake.connect import attach_lake
            attach_lake(con, s, read_only=True, snapshot=snap)
            con.execute("USE lake")
        lock_down(con, s)
        cur = con.execute(query)
        if cur.description is None:
            _print_rows([], [], fmt)
            return
        names = [d[0] for d in cur.description]
        _print_rows(names, cur.fetchall(), fmt)
    except WarehouseError as e:
        _fail(str(e))
    except duckdb.Error as e:
        msg = str(e).splitlines()[0]
        if "read-only" in msg.lower() or "read only" in msg.lower():
            msg += " (vnclaims sql is read-only: the warehouse changes only through `vnclaims run` / `rollback`)"
        _fail(msg)
    finally:
        con.close()


@app.command()
def history(warehouse: Optional[Path] = WarehouseOpt,
            fmt: str = typer.Option("table", "--format", help="table | csv | json")):
    """One line per data version and per reviewer's decision: snapshot id, time, run id (or reviewer), code
    version, what changed, validation outcome."""
    from .errors import WarehouseError
    from .lake.connect import connect
    from .lake.history import snapshots
    s = _settings(warehouse=warehouse)
    try:
        con = connect(s, read_only=True)
    except WarehouseError as e:
        _fail(str(e))
    try:
        val = {}
        try:
            for sid, ok, bad in con.execute("SELECT snapshot_id, count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success) "
                                            "FROM validation_results GROUP BY 1").fetchall():
                val[sid] = (ok, bad)
        except Exception:
            pass
        rows = []
        for sn in snapshots(con):
            info = sn["info"]
            ins, dele = info.get("inserted", {}), info.get("deleted", {})
            if info.get("kind") == "review":      # a decision: applied to the data by the next run
                rows.append((sn["snapshot_id"], str(sn["time"])[:19], f"review by {sn['author']}", None,
                             sn["message"], "applied by the next run"))
                continue
            if info.get("kind") not in ("data", "rollback"):
                continue
            if info.get("kind") == "rollback":
                what = f"rollback to snapshot {info.get('rollback_to')}"
            else:
                parts = [f"{t} +{ins.get(t, 0)}/-{dele.get(t, 0)}" for t in ("documents", "claims", "conflicts")
                         if ins.get(t) or dele.get(t)]
                what = ", ".join(parts) or "staging/reference data only"
            ok, bad = val.get(sn["snapshot_id"], (None, None))
            outcome = "not validated" if ok is None else ("passed" if bad == 0 else f"FAILED {bad}") + f" ({ok}/{ok + bad})"
            rows.append((sn["snapshot_id"], str(sn["time"])[:19], info.get("run_id"), info.get("code_version"), what, outcome))
        _print_rows(["snapshot", "time", "run_id", "code_version", "changed", "validation"], rows, fmt)
        if fmt == "table":
            try:
                last = con.execute("SELECT run_id, status, finished_at FROM runs ORDER BY finished_at DESC LIMIT 1").fetchone()
                if last and "no changes" in (last[1] or ""):
                    typer.echo(f"latest run {last[0]} ({str(last[2])[:19]}) changed nothing: no new data version "
                               "(see the runs table)", err=True)
            except Exception:
                pass
    finally:
        con.close()


@app.command()
def diff(a: str = typer.Argument(..., help="older snapshot id"), b: str = typer.Argument(..., help="newer snapshot id"),
         warehouse: Optional[Path] = WarehouseOpt,
         fmt: str = typer.Option("table", "--format", help="table | json"),
         table: list[str] = typer.Option(["documents", "claims", "conflicts", "reviews"], "--table",
                                         help="tables to compare")):
    """Rows added, removed and changed between two snapshots (claims, conflicts, documents)."""
    from .errors import WarehouseError
    from .lake.connect import connect
    from .lake.history import diff_table, resolve_snapshot
    from .models.materialize import model_keys
    s = _settings(warehouse=warehouse)
    try:
        con = connect(s, read_only=True)
        keys = model_keys(s.sql_dir)
        sa, sb = resolve_snapshot(con, a), resolve_snapshot(con, b)
        result = {}
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                             "WHERE table_catalog = 'lake'").fetchall()}
        for t in table:
            if t == "reviews" and t not in present:      # a warehouse from before decisions were kept
                continue
            key = keys.get(t) or {"documents": "doc_id", "claims": "claim_id", "conflicts": "conflict_id"}.get(t)
            cols = {"claims": ["doc_id", "source_path", "metric", "value_low", "value_high", "unit", "qualifier", "period", "quote"],
                    "documents": ["source_path", "title", "author", "as_of", "content_hash"],
                    "conflicts": ["metric", "period", "severity", "source_a", "source_b", "explanation"],
                    "reviews": ["reviewer", "target_kind", "target_id", "decision", "reason"]}.get(t)
            result[t] = diff_table(con, t, key, sa, sb, cols)
    except WarehouseError as e:
        _fail(str(e))
    finally:
        with __import__("contextlib").suppress(Exception):
            con.close()
    if fmt == "json":
        sys.stdout.write(json.dumps({"from": sa, "to": sb, "tables": result}, ensure_ascii=False, default=str) + "\n")
        return
    typer.echo(f"diff snapshot {sa} -> {sb}")
    for t, rows in result.items():
        n = {k: sum(1 for r in rows if r["change"] == k) for k in ("added", "removed", "changed")}
        typer.echo(f"{t}: +{n['added']} added, -{n['removed']} removed, ~{n['changed']} changed")
        for r in rows[:50]:
            brief = {k[:-2]: v for k, v in r.items() if k.endswith("_b" if r["change"] != "removed" else "_a")}
            label = brief.get("source_path") or brief.get("source_a") or ""
            extra = brief.get("metric") or brief.get("title") or ""
            val = ""
            if t == "claims":
                val = f"{brief.get('value_low')}..{brief.get('value_high')} {brief.get('unit')} {brief.get('qualifier')} {brief.get('period') or ''}"
            typer.echo(f"  {r['change']:8} {str(r['key'])[:20]}  {label}  {extra}  {val}".rstrip())
        if len(rows) > 50:
            typer.echo(f"  ... {len(rows) - 50} more (use --format json)")


@app.command()
def verify(warehouse: Optional[Path] = WarehouseOpt):
    """Read every Parquet data file the current snapshot references; name the broken ones and the newest
    data snapshot that reads cleanly. Exit codes: 0 every file reads; 1 some do not (or no warehouse)."""
    import duckdb
    from .errors import WarehouseError
    from .lake.connect import connect
    from .lake.verify import verify as do_verify
    s = _settings(warehouse=warehouse)
    try:
        con = connect(s, read_only=True)
        try:
            current, n, broken, clean = do_verify(con)
        finally:
            con.close()
    except WarehouseError as e:
        _fail(str(e))
    except duckdb.Error as e:
        _fail(f"could not read the warehouse catalog: {str(e).splitlines()[0]}")
    if current is None:
        typer.echo("no data version yet: nothing to verify")
        return
    if not broken:
        typer.echo(f"snapshot {current}: all {n} data files read cleanly")
        return
    typer.echo(f"snapshot {current}: {len(broken)} of {n} data files cannot be read:")
    for b in broken:
        typer.echo(f"  {b.path} (table {b.table}): {b.why}")
    if clean is not None:
        typer.echo(f"the newest data version that reads cleanly is snapshot {clean}: restore the broken files from a "
                   f"backup, or `vnclaims rollback {clean}` once they can be read again")
    else:
        typer.echo("no earlier data version reads cleanly either: restore the files from a backup")
    raise typer.Exit(1)


@app.command()
def rollback(snapshot: str = typer.Argument(..., help="the snapshot whose data becomes current again"),
             warehouse: Optional[Path] = WarehouseOpt):
    """Write an earlier snapshot's data forward as a NEW snapshot (history is never rewritten)."""
    from .run.context import new_run_id
    from .errors import WarehouseError
    from .lake.connect import connect
    from .models.materialize import model_keys
    from .lake.history import resolve_snapshot
    from .models.rollback import rollback as do_rollback
    from .lake.lock import writer_lock
    import duckdb
    s = _settings(warehouse=warehouse)
    run_id = new_run_id()
    try:
        with writer_lock(s, f"rollback {run_id}", log=lambda m: typer.echo(m, err=True)):
            con = connect(s)
            try:
                target = resolve_snapshot(con, snapshot)
                changed = do_rollback(con, target, run_id, model_keys(s.sql_dir))
                from .lake.history import latest_data_snapshot
                new = latest_data_snapshot(con)
            finally:
                con.close()
    except WarehouseError as e:
        _fail(str(e))
    except duckdb.Error as e:
        _fail(f"the rollback failed and wrote nothing: {str(e).splitlines()[0]} (a damaged data file? "
              "`vnclaims verify` names the files that cannot be read)")
    if not changed:
        typer.echo(f"the data already equals snapshot {target}: nothing written")
        return
    typer.echo(f"rolled back to snapshot {target}: new snapshot {new} "
               f"({', '.join(f'{t} +{i}/-{d}' for t, (i, d) in sorted(changed.items()))})")


@app.command()
def maintain(warehouse: Optional[Path] = WarehouseOpt,
             retention_days: Optional[float] = typer.Option(None, "--retention-days", help="expire snapshots older than this [env VNCLAIMS_RETENTION_DAYS; default 30]"),
             dry_run: bool = typer.Option(False, "--dry-run", help="report what would be done")):
    """Maintenance: expire old snapshots, merge small files, delete unreferenced files."""
    from .errors import WarehouseError
    from .lake.connect import connect
    from .lake.maintain import maintain as do_maintain
    from .lake.lock import writer_lock
    s = _settings(warehouse=warehouse, retention_days=retention_days)
    try:
        with writer_lock(s, "maintenance", log=lambda m: typer.echo(m, err=True)):
            con = connect(s)
            try:
                res = do_maintain(con, s.retention_days, dry_run=dry_run)
            finally:
                con.close()
    except WarehouseError as e:
        _fail(str(e))
    typer.echo(json.dumps(res))


@app.command()
def serve(cron: str = typer.Option("0 6 * * *", "--cron", help="schedule of the daily run"),
          timezone: str = typer.Option("Asia/Ho_Chi_Minh", "--timezone", help="time zone of the schedule"),
          maintenance_cron: str = typer.Option("0 3 * * 0", "--maintenance-cron", help="schedule of the weekly maintenance"),
          seeds: Optional[Path] = SeedsOpt, warehouse: Optional[Path] = WarehouseOpt):
    """Serve the flow as a Prefect deployment on a schedule (and weekly maintenance). Needs PREFECT_API_URL
    pointing at a running `prefect server start` to see runs in the UI; runs until interrupted."""
    _prefect_env()
    s = _settings(seeds=seeds, warehouse=warehouse)
    from prefect import serve as prefect_serve
    from prefect.schedules import Cron
    from flows.maintenance import weekly
    from flows.pipeline import daily, task_runner
    runner = task_runner(s)      # VNCLAIMS_TASK_RUNNER=dask: the served runs extract on Dask too
    if runner is not None:
        daily = daily.with_options(task_runner=runner)
    params = {"seeds": str(s.seeds), "warehouse": str(s.warehouse)}
    typer.echo(f"serving vnclaims-daily/daily ({cron} {timezone}) and vnclaims-maintenance/weekly "
               f"({maintenance_cron} {timezone}) for {s.warehouse}", err=True)
    prefect_serve(
        daily.to_deployment(name="daily", schedule=Cron(cron, timezone=timezone), parameters=params),
        weekly.to_deployment(name="weekly", schedule=Cron(maintenance_cron, timezone=timezone),
                             parameters={"warehouse": str(s.warehouse)}),
    )


def _review_app() -> typer.Typer:
    from .review.commands import review_app
    return review_app


app.add_typer(_review_app(), name="review", help="decisions on claims and conflicts: kept in the warehouse, "
              "applied by every run (claim, conflict, list, undo, serve)")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
