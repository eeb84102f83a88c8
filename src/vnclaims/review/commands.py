"""`vnclaims review ...`: the reviewer's decisions from the command line (a Typer sub-app, added to the main
app as ``review``)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

review_app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                         help="Decisions on claims and conflicts: kept in the warehouse, applied by every run.")

WarehouseOpt = typer.Option(None, "--warehouse", help="warehouse folder [env VNCLAIMS_WAREHOUSE; default: warehouse]")
ReasonOpt = typer.Option(..., "--reason", help="why (the next reviewer reads it)")
ByOpt = typer.Option(None, "--by", help="who decides [default: the login name]")


def _settings(warehouse: Optional[Path]):
    from ..settings import Settings
    return Settings.load(warehouse=warehouse)


def _record(warehouse: Optional[Path], kind: str, target: str, decision: str, reason: str, by: Optional[str]) -> None:
    from ..errors import WarehouseError
    from .model import Decision, ReviewError
    from .store import record
    try:
        kw = {"reviewer": by} if by else {}
        row = record(_settings(warehouse), Decision(kind, target, decision, reason, **kw),
                     log=lambda m: typer.echo(m, err=True))
    except ReviewError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2)
    except WarehouseError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"decision {row['review_id']}: {decision} {kind} {row['target_id']} ({row['seen']})")
    typer.echo(f"  recorded as snapshot {row['snapshot_id']}; the next `vnclaims run` applies it")


@review_app.command("claim")
def claim(claim_id: str = typer.Argument(..., help="a claim id (or its first 6+ characters)"),
          accept: bool = typer.Option(False, "--accept", help="the claim is right: it wins its estimate"),
          reject: bool = typer.Option(False, "--reject", help="wrong metric, value, scope or period: it leaves "
                                      "conflicts, agreements and estimates (it stays in claims)"),
          reason: str = ReasonOpt, by: Optional[str] = ByOpt, warehouse: Optional[Path] = WarehouseOpt):
    """Accept or reject a claim."""
    if accept == reject:
        typer.echo("error: give one of --accept or --reject", err=True)
        raise typer.Exit(2)
    _record(warehouse, "claim", claim_id, "accept" if accept else "reject", reason, by)


@review_app.command("conflict")
def conflict(conflict_id: str = typer.Argument(..., help="a conflict id (or its first 6+ characters), from "
                                               "conflicts or consistency_conflicts"),
             trust: str = typer.Option(..., "--trust", help="a | b | both (not comparable: another scope or time) "
                                       "| neither"),
             reason: str = ReasonOpt, by: Optional[str] = ByOpt, warehouse: Optional[Path] = WarehouseOpt):
    """Decide a conflict: trust claim a, claim b, both (no conflict) or neither."""
    from .model import ReviewError, conflict_decision
    try:
        decision = conflict_decision(trust)
    except ReviewError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2)
    _record(warehouse, "conflict", conflict_id, decision, reason, by)


@review_app.command("undo")
def undo(decision_id: str = typer.Argument(..., help="the decision's number (see `vnclaims review list`)"),
         reason: str = typer.Option("undone", "--reason", help="why"), by: Optional[str] = ByOpt,
         warehouse: Optional[Path] = WarehouseOpt):
    """Undo a decision (recorded as a decision of its own; the history keeps both)."""
    _record(warehouse, "review", decision_id, "undo", reason, by)


@review_app.command("list")
def list_(stale: bool = typer.Option(False, "--stale", help="only the stale decisions: their target is gone or "
                                     "now says something else, so they are applied to nothing"),
          fmt: str = typer.Option("table", "--format", help="table | json"),
          warehouse: Optional[Path] = WarehouseOpt):
    """Every decision with its status now: applied, stale (and why), pending, undone, superseded."""
    from ..errors import WarehouseError
    from .store import list_decisions
    try:
        rows = list_decisions(_settings(warehouse), stale_only=stale)
    except WarehouseError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1)
    if fmt == "json":
        typer.echo(json.dumps(rows, default=str, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no stale decision" if stale else "no decision yet")
        return
    for r in rows:
        typer.echo(f"{r['review_id']:>4}  {str(r['reviewed_at'])[:16]}  {r['reviewer']:<10} {r['decision']:<8} "
                   f"{r['target_kind']} {str(r['target_id'])[:12]}  [{r['status']}]  {r['reason']}")
        typer.echo(f"      {r['seen']}")
        if r["status"] in ("stale", "pending") and r.get("stale_reason"):
            typer.echo(f"      {r['status']}: {r['stale_reason']}")


@review_app.command("serve")
def serve(port: int = typer.Option(8765, "--port", help="port on 127.0.0.1 (0: any free port)"),
          warehouse: Optional[Path] = WarehouseOpt):
    """A local page (127.0.0.1 only) listing open conflicts and claims of low confidence, with buttons that
    record the same decisions; runs until interrupted."""
    from .web import serve as run_server
    run_server(_settings(warehouse), port, log=lambda m: typer.echo(m, err=True))
