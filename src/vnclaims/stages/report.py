"""Stage 7, report: the reviewer's page (``reports/index.html`` and ``report.json``) for the newest data
version; skipped when the page already shows it."""
from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..run.context import RunContext


def report(ctx: RunContext, as_of: int | None = None) -> dict:
    from ..report.data import build_report
    if not ctx.settings.report:
        return {"skipped": "report disabled"}
    index, data_file = ctx.settings.reports_dir / "index.html", ctx.settings.reports_dir / "report.json"
    if as_of is None and ctx.snapshot_id is None and index.exists() and data_file.exists():
        with contextlib.suppress(OSError, ValueError):
            shown = json.loads(data_file.read_text(encoding="utf-8")).get("snapshot", {}).get("id")
            if shown is not None and shown == ctx.current_snapshot:
                return {"path": str(index), "skipped": f"no new data version: the report of snapshot {shown} stands",
                        "out": 0}
    path, data = build_report(ctx.settings, as_of=as_of, run_id=ctx.run_id)
    return {"path": str(path), "conflicts": sum(data["summary"]["conflicts"].values()), "out": 1}
